/* elbv2_tg.c — target groups (health check defaults as AWS's, attributes,
 * idempotent create, ResourceInUse on delete), targets and their health, and
 * the functions ECS uses (elbv2_sim.h). A target's state is computed from
 * the clock: initial for -target-health-ms after registration, then healthy
 * or unhealthy (its fate), draining after deregistration until gone_ms; a
 * target group no load balancer forwards to shows its targets unused. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/rc_alloc.h"
#include "elbv2_int.h"
#include "elbv2_sim.h"

static const char *const k_tg_attrs[][2] = {
    {"deregistration_delay.timeout_seconds", "300"},
    {"load_balancing.algorithm.anomaly_mitigation", "off"},
    {"load_balancing.algorithm.type", "round_robin"},
    {"load_balancing.cross_zone.enabled", "use_load_balancer_configuration"},
    {"slow_start.duration_seconds", "0"},
    {"stickiness.app_cookie.cookie_name", ""},
    {"stickiness.app_cookie.duration_seconds", "86400"},
    {"stickiness.enabled", "false"},
    {"stickiness.lb_cookie.duration_seconds", "86400"},
    {"stickiness.type", "lb_cookie"},
    {"target_group_health.dns_failover.minimum_healthy_targets.count", "1"},
    {"target_group_health.dns_failover.minimum_healthy_targets.percentage", "off"},
    {"target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1"},
    {"target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off"},
    {NULL, NULL},
};

void rc_elb__tg_free(struct elb_tg *tg)
{
  if (!tg) return;
  rc_elb__res_free(&tg->r);
  rc_free(tg->targets);
  rc_sim_tags_free(&tg->attrs);
  rc_free(tg);
}

static bool valid_name(const char *n)
{
  size_t len = strlen(n);
  if (len < 1 || len > 32 || n[0] == '-' || n[len - 1] == '-') return false;
  for (; *n; n++)
    if (!isalnum((unsigned char)*n) && *n != '-') return false;
  return true;
}

static bool int_param(struct rc_sim_call *c, const char *key, long lo, long hi, int *out)
{
  int64_t v;
  bool bad = false;
  if (!rc_sim_param_int(c, key, &v, &bad) && !bad) return true;
  if (bad || v < lo || v > hi) {
    rc_sim_error(c, 400, "ValidationError",
                 "1 validation error detected: Value '%s' at '%c%s' failed to satisfy "
                 "constraint: Member must have value between %ld and %ld",
                 rc_sim_param(c, key), tolower((unsigned char)key[0]), key + 1, lo, hi);
    return false;
  }
  *out = (int)v;
  return true;
}

/* Health-check parameters shared by Create and Modify. */
static bool health_params(struct rc_sim_call *c, struct elb_tg *tg)
{
  const char *s;
  if ((s = rc_sim_param(c, "HealthCheckProtocol"))) snprintf(tg->hc_protocol, sizeof tg->hc_protocol, "%s", s);
  if ((s = rc_sim_param(c, "HealthCheckPort"))) snprintf(tg->hc_port, sizeof tg->hc_port, "%s", s);
  if ((s = rc_sim_param(c, "HealthCheckPath"))) {
    if (s[0] != '/') {
      rc_sim_error(c, 400, "ValidationError", "Health check path must begin with a '/' character");
      return false;
    }
    snprintf(tg->hc_path, sizeof tg->hc_path, "%s", s);
  }
  if ((s = rc_sim_param(c, "Matcher.HttpCode"))) snprintf(tg->matcher, sizeof tg->matcher, "%s", s);
  bool b;
  if (rc_sim_param_bool(c, "HealthCheckEnabled", &b, NULL)) tg->hc_enabled = b;
  if (!int_param(c, "HealthCheckIntervalSeconds", 5, 300, &tg->hc_interval) ||
      !int_param(c, "HealthCheckTimeoutSeconds", 2, 120, &tg->hc_timeout) ||
      !int_param(c, "HealthyThresholdCount", 2, 10, &tg->healthy_th) ||
      !int_param(c, "UnhealthyThresholdCount", 2, 10, &tg->unhealthy_th))
    return false;
  if (tg->hc_timeout >= tg->hc_interval) {
    rc_sim_error(c, 400, "ValidationError",
                 "Health check interval must be greater than the timeout.");
    return false;
  }
  return true;
}

static void write_tg(struct rc_sim_call *c, const struct elb_tg *tg)
{
  rc_sim_xml_open(c, "member");
  rc_sim_xml_str(c, "TargetGroupArn", tg->r.arn);
  rc_sim_xml_str(c, "TargetGroupName", tg->name);
  rc_sim_xml_str(c, "Protocol", tg->protocol);
  rc_sim_xml_int(c, "Port", tg->port);
  rc_sim_xml_str(c, "VpcId", tg->vpc);
  rc_sim_xml_str(c, "HealthCheckProtocol", tg->hc_protocol);
  rc_sim_xml_str(c, "HealthCheckPort", tg->hc_port);
  rc_sim_xml_bool(c, "HealthCheckEnabled", tg->hc_enabled);
  rc_sim_xml_int(c, "HealthCheckIntervalSeconds", tg->hc_interval);
  rc_sim_xml_int(c, "HealthCheckTimeoutSeconds", tg->hc_timeout);
  rc_sim_xml_int(c, "HealthyThresholdCount", tg->healthy_th);
  rc_sim_xml_int(c, "UnhealthyThresholdCount", tg->unhealthy_th);
  rc_sim_xml_str(c, "HealthCheckPath", tg->hc_path);
  rc_sim_xml_open(c, "Matcher");
  rc_sim_xml_str(c, "HttpCode", tg->matcher);
  rc_sim_xml_close(c, "Matcher");
  const struct elb_lb *lbs[64];
  size_t n = rc_elb__tg_lbs(tg, lbs, 64);
  rc_sim_xml_open(c, "LoadBalancerArns");
  for (size_t i = 0; i < n; i++) rc_sim_xml_str(c, "member", lbs[i]->r.arn);
  rc_sim_xml_close(c, "LoadBalancerArns");
  rc_sim_xml_str(c, "TargetType", tg->target_type);
  rc_sim_xml_str(c, "ProtocolVersion", tg->protocol_version);
  rc_sim_xml_str(c, "IpAddressType", "ipv4");
  rc_sim_xml_close(c, "member");
}

static void reply_one(struct rc_sim_call *c, const struct elb_tg *tg)
{
  rc_sim_reply_begin(c);
  rc_sim_xml_open(c, "TargetGroups");
  write_tg(c, tg);
  rc_sim_xml_close(c, "TargetGroups");
  rc_sim_reply_end(c);
}

void rc_elb__op_create_tg(struct rc_sim_call *c)
{
  const char *name = rc_sim_param(c, "Name");
  if (!name) {
    rc_sim_error_missing(c, "name");
    return;
  }
  if (!valid_name(name)) {
    rc_sim_error(c, 400, "ValidationError",
                 "Target group name '%s' can have a maximum of 32 characters, can contain only "
                 "alphanumeric characters or hyphens, and cannot begin or end with a hyphen",
                 name);
    return;
  }
  const char *ttype = rc_sim_param(c, "TargetType");
  if (!ttype) ttype = "instance";
  if (strcmp(ttype, "instance") && strcmp(ttype, "ip") && strcmp(ttype, "lambda") &&
      strcmp(ttype, "alb")) {
    rc_sim_error(c, 400, "ValidationError", "Target type '%s' is not valid", ttype);
    return;
  }
  bool lambda = strcmp(ttype, "lambda") == 0;
  const char *proto = rc_sim_param(c, "Protocol");
  const char *vpc = rc_sim_param(c, "VpcId");
  int64_t port = 0;
  bool bad = false;
  bool has_port = rc_sim_param_int(c, "Port", &port, &bad);
  if (!lambda && (!proto || !has_port || !vpc)) {
    rc_sim_error(c, 400, "ValidationError", "A %s must be specified",
                 !proto ? "protocol" : !has_port ? "port" : "VPC ID");
    return;
  }
  if (bad || (has_port && (port < 1 || port > 65535))) {
    rc_sim_error(c, 400, "ValidationError",
                 "1 validation error detected: Value '%s' at 'port' failed to satisfy "
                 "constraint: Member must have value between 1 and 65535", rc_sim_param(c, "Port"));
    return;
  }
  if (proto && strcmp(proto, "HTTP") && strcmp(proto, "HTTPS") && strcmp(proto, "TCP") &&
      strcmp(proto, "TLS") && strcmp(proto, "UDP") && strcmp(proto, "TCP_UDP") &&
      strcmp(proto, "GENEVE")) {
    rc_sim_error(c, 400, "ValidationError", "Protocol '%s' is not supported", proto);
    return;
  }
  for (size_t i = 0; i < rc_elb__tgs.n; i++) {
    struct elb_tg *o = rc_elb__tgs.v[i];
    if (strcmp(o->name, name) != 0 || !rc_sim_arn_in_region(c, o->r.arn)) continue;
    if (strcmp(o->target_type, ttype) == 0 && (!proto || strcmp(o->protocol, proto) == 0) &&
        o->port == (int)port && (!vpc || strcmp(o->vpc, vpc) == 0)) {
      reply_one(c, o);
      return;
    }
    rc_sim_error(c, 400, "DuplicateTargetGroupName",
                 "A target group with the same name '%s' exists, but with different settings",
                 name);
    return;
  }
  struct elb_tg *tg = rc_calloc(1, sizeof *tg);
  snprintf(tg->name, sizeof tg->name, "%s", name);
  snprintf(tg->protocol, sizeof tg->protocol, "%s", proto ? proto : "");
  tg->port = (int)port;
  snprintf(tg->vpc, sizeof tg->vpc, "%s", vpc ? vpc : "");
  snprintf(tg->target_type, sizeof tg->target_type, "%s", ttype);
  const char *pv = rc_sim_param(c, "ProtocolVersion");
  snprintf(tg->protocol_version, sizeof tg->protocol_version, "%s", pv ? pv : "HTTP1");
  bool http = proto && strncmp(proto, "HTTP", 4) == 0;
  snprintf(tg->hc_protocol, sizeof tg->hc_protocol, "%s", http ? proto : "TCP");
  snprintf(tg->hc_port, sizeof tg->hc_port, "traffic-port");
  tg->hc_enabled = true;
  tg->hc_interval = http || lambda ? 30 : 30;
  tg->hc_timeout = http ? 5 : lambda ? 30 : 10;
  if (lambda) tg->hc_interval = 35;
  tg->healthy_th = 5;
  tg->unhealthy_th = 2;
  snprintf(tg->hc_path, sizeof tg->hc_path, "/");
  snprintf(tg->matcher, sizeof tg->matcher, "200");
  if (!health_params(c, tg) || !rc_elb__tags_param(c, &tg->r.tags)) {
    rc_elb__tg_free(tg);
    return;
  }
  char id[20];
  rc_sim_hex(16, id, sizeof id);
  rc_elb__res_init(c, &tg->r,
                   rc_sim_arn(c, "elasticloadbalancing", NULL, "targetgroup/%s/%s", name, id));
  for (size_t i = 0; k_tg_attrs[i][0]; i++)
    rc_sim_tags_set(&tg->attrs, k_tg_attrs[i][0], k_tg_attrs[i][1]);
  rc_elb__push(&rc_elb__tgs, tg);
  reply_one(c, tg);
}

void rc_elb__op_describe_tgs(struct rc_sim_call *c)
{
  size_t start, limit;
  if (!rc_elb__page(c, &start, &limit)) return;
  const char **arns, **names;
  size_t na = rc_elb__list(c, "TargetGroupArns", &arns);
  size_t nn = rc_elb__list(c, "Names", &names);
  const char *lb_arn = rc_sim_param(c, "LoadBalancerArn");
  struct elb_tg **sel = rc_calloc(rc_elb__tgs.n + 1, sizeof *sel);
  size_t n = 0;
  const struct elb_lb *lb = NULL;
  if (lb_arn && !(lb = rc_elb__lb_find(c, lb_arn))) {
    rc_sim_error(c, 400, "LoadBalancerNotFound", "Load balancer '%s' not found", lb_arn);
    goto out;
  }
  for (size_t i = 0; i < na; i++) {
    struct elb_tg *tg = rc_elb__tg_find(c, arns[i]);
    if (!tg) {
      rc_sim_error(c, 400, "TargetGroupNotFound", "Target groups '[%s]' not found", arns[i]);
      goto out;
    }
    sel[n++] = tg;
  }
  for (size_t i = 0; i < nn; i++) {
    struct elb_tg *found = NULL;
    for (size_t k = 0; k < rc_elb__tgs.n && !found; k++) {
      struct elb_tg *tg = rc_elb__tgs.v[k];
      if (strcmp(tg->name, names[i]) == 0 && rc_elb__seen(c, &tg->r)) found = tg;
    }
    if (!found) {
      rc_sim_error(c, 400, "TargetGroupNotFound", "One or more target groups not found");
      goto out;
    }
    sel[n++] = found;
  }
  if (!na && !nn)
    for (size_t k = 0; k < rc_elb__tgs.n; k++) {
      struct elb_tg *tg = rc_elb__tgs.v[k];
      if (!rc_elb__seen(c, &tg->r)) continue;
      if (lb) {
        const struct elb_lb *lbs[64];
        size_t m = rc_elb__tg_lbs(tg, lbs, 64);
        bool on = false;
        for (size_t j = 0; j < m; j++) on = on || lbs[j] == lb;
        if (!on) continue;
      }
      sel[n++] = tg;
    }
  rc_sim_reply_begin(c);
  rc_sim_xml_open(c, "TargetGroups");
  size_t shown = 0;
  for (size_t i = start; i < n && shown < limit; i++, shown++) write_tg(c, sel[i]);
  rc_sim_xml_close(c, "TargetGroups");
  rc_elb__marker(c, start, shown, n);
  rc_sim_reply_end(c);
out:
  rc_free(sel);
  rc_free(arns);
  rc_free(names);
}

static struct elb_tg *tg_param(struct rc_sim_call *c)
{
  const char *arn = rc_sim_param(c, "TargetGroupArn");
  if (!arn) {
    rc_sim_error_missing(c, "targetGroupArn");
    return NULL;
  }
  struct elb_tg *tg = rc_elb__tg_find(c, arn);
  if (!tg) rc_sim_error(c, 400, "TargetGroupNotFound", "Target group '%s' not found", arn);
  return tg;
}

void rc_elb__op_modify_tg(struct rc_sim_call *c)
{
  struct elb_tg *tg = tg_param(c);
  if (!tg) return;
  struct elb_tg copy = *tg;
  if (!health_params(c, &copy)) return;
  *tg = copy;
  reply_one(c, tg);
}

void rc_elb__op_delete_tg(struct rc_sim_call *c)
{
  const char *arn = rc_sim_param(c, "TargetGroupArn");
  if (!arn) {
    rc_sim_error_missing(c, "targetGroupArn");
    return;
  }
  struct elb_tg *tg = rc_elb__tg_find(c, arn);
  if (tg && rc_elb__tg_in_use(tg)) {
    rc_sim_error(c, 400, "ResourceInUse",
                 "Target group '%s' is currently in use by a listener or a rule", arn);
    return;
  }
  if (tg) {
    rc_elb__remove(&rc_elb__tgs, tg);
    rc_elb__tg_free(tg);
  }
  rc_sim_reply_begin(c);
  rc_sim_reply_end(c);
}

void rc_elb__op_describe_tg_attrs(struct rc_sim_call *c)
{
  struct elb_tg *tg = tg_param(c);
  if (!tg) return;
  rc_elb__attrs_reply(c, &tg->attrs);
}

void rc_elb__op_modify_tg_attrs(struct rc_sim_call *c)
{
  struct elb_tg *tg = tg_param(c);
  if (!tg) return;
  if (!rc_elb__attr_in_range(c, "deregistration_delay.timeout_seconds", 0, 3600,
                             "The deregistration delay must be between 0 and 3600 seconds"))
    return;
  if (!rc_elb__attrs_modify(c, &tg->attrs, "Target group")) return;
  rc_elb__attrs_reply(c, &tg->attrs);
}

/* --- targets --- */

static uint64_t drain_ms(const struct elb_tg *tg)
{
  const char *d = rc_sim_tags_get(&tg->attrs, "deregistration_delay.timeout_seconds");
  long s = d ? strtol(d, NULL, 10) : 300;
  uint64_t ms = (uint64_t)(s > 0 ? s : 0) * 1000u;
  uint64_t cap = (uint64_t)(rc_elb__drain_ms > 0 ? rc_elb__drain_ms : 0);
  return ms < cap ? ms : cap;
}

const char *rc_elb__target_state(const struct elb_tg *tg, const struct elb_target *t,
                                 uint64_t now, const char **reason, const char **desc)
{
  const char *r = NULL, *d = NULL, *st;
  if (t->drain_ms) {
    st = "draining";
    r = "Target.DeregistrationInProgress";
    d = "Target deregistration is in progress";
  } else if (!rc_elb__tg_in_use(tg)) {
    st = "unused";
    r = "Target.NotInUse";
    d = "Target group is not configured to receive traffic from the load balancer";
  } else if (now < t->registered_ms + (uint64_t)(rc_elb__health_ms > 0 ? rc_elb__health_ms : 0)) {
    st = "initial";
    r = "Elb.RegistrationInProgress";
    d = "Target registration is in progress";
  } else if (t->healthy) {
    st = "healthy";
  } else {
    st = "unhealthy";
    r = "Target.ResponseCodeMismatch";
    d = "Health checks failed with these codes: [502]";
  }
  if (reason) *reason = r;
  if (desc) *desc = d;
  return st;
}

/* Drops the targets whose draining is over. */
static void prune(struct elb_tg *tg, uint64_t now)
{
  size_t o = 0;
  for (size_t i = 0; i < tg->n_targets; i++)
    if (!tg->targets[i].drain_ms || now < tg->targets[i].gone_ms) tg->targets[o++] = tg->targets[i];
  tg->n_targets = o;
}

static struct elb_target *target_find(struct elb_tg *tg, const char *id, int port)
{
  for (size_t i = 0; i < tg->n_targets; i++)
    if (strcmp(tg->targets[i].id, id) == 0 && tg->targets[i].port == port) return &tg->targets[i];
  return NULL;
}

static void target_add(struct elb_tg *tg, const char *id, int port, const char *az, bool healthy,
                       uint64_t now)
{
  prune(tg, now);
  struct elb_target *t = target_find(tg, id, port);
  if (t && !t->drain_ms) return; /* already registered */
  if (!t) {
    tg->targets = rc_realloc(tg->targets, (tg->n_targets + 1) * sizeof *tg->targets);
    t = &tg->targets[tg->n_targets++];
  }
  memset(t, 0, sizeof *t);
  snprintf(t->id, sizeof t->id, "%s", id);
  t->port = port;
  snprintf(t->az, sizeof t->az, "%s", az ? az : "");
  t->registered_ms = now;
  t->healthy = healthy;
}

static bool target_drain(struct elb_tg *tg, const char *id, int port, uint64_t now)
{
  prune(tg, now);
  struct elb_target *t = target_find(tg, id, port);
  if (!t) return false;
  if (!t->drain_ms) {
    t->drain_ms = now;
    t->gone_ms = now + drain_ms(tg);
  }
  prune(tg, now);
  return true;
}

/* Targets.member.N: Id and Port (default: the group's port). */
static size_t targets_param(struct rc_sim_call *c, const struct elb_tg *tg, const char ***ids,
                            int **ports)
{
  int max = rc_sim_param_max(c, "Targets.member");
  *ids = rc_calloc((size_t)max + 1, sizeof **ids);
  *ports = rc_calloc((size_t)max + 1, sizeof **ports);
  size_t n = 0;
  for (int i = 1; i <= max; i++) {
    const char *id = rc_sim_paramf(c, "Targets.member.%d.Id", i);
    if (!id) continue;
    char key[64];
    int64_t p = tg->port;
    snprintf(key, sizeof key, "Targets.member.%d.Port", i);
    rc_sim_param_int(c, key, &p, NULL);
    (*ids)[n] = id;
    (*ports)[n++] = (int)p;
  }
  return n;
}

void rc_elb__op_register(struct rc_sim_call *c)
{
  struct elb_tg *tg = tg_param(c);
  if (!tg) return;
  const char **ids;
  int *ports;
  size_t n = targets_param(c, tg, &ids, &ports);
  if (n == 0) rc_sim_error_missing(c, "targets");
  for (size_t i = 0; i < n && c->resp.status == 200; i++) {
    if (strcmp(tg->target_type, "ip") == 0 && !isdigit((unsigned char)ids[i][0]))
      rc_sim_error(c, 400, "ValidationError", "The IP address '%s' is not a valid IPv4 address",
                   ids[i]);
    else if (strcmp(tg->target_type, "instance") == 0 && strncmp(ids[i], "i-", 2) != 0)
      rc_sim_error(c, 400, "InvalidTarget", "The following targets are not valid instances: '%s'",
                   ids[i]);
  }
  if (n && c->resp.status == 200) {
    for (size_t i = 0; i < n; i++) target_add(tg, ids[i], ports[i], NULL, true, c->now_ms);
    rc_sim_reply_begin(c);
    rc_sim_reply_end(c);
  }
  rc_free(ids);
  rc_free(ports);
}

void rc_elb__op_deregister(struct rc_sim_call *c)
{
  struct elb_tg *tg = tg_param(c);
  if (!tg) return;
  const char **ids;
  int *ports;
  size_t n = targets_param(c, tg, &ids, &ports);
  if (n == 0) rc_sim_error_missing(c, "targets");
  for (size_t i = 0; i < n && c->resp.status == 200; i++)
    if (!target_find(tg, ids[i], ports[i]))
      rc_sim_error(c, 400, "InvalidTarget",
                   "The following targets are not registered in target group '%s': '%s'",
                   tg->r.arn, ids[i]);
  if (n && c->resp.status == 200) {
    for (size_t i = 0; i < n; i++) target_drain(tg, ids[i], ports[i], c->now_ms);
    rc_sim_reply_begin(c);
    rc_sim_reply_end(c);
  }
  rc_free(ids);
  rc_free(ports);
}

static void write_health(struct rc_sim_call *c, const struct elb_tg *tg, const char *id, int port,
                         const struct elb_target *t)
{
  rc_sim_xml_open(c, "member");
  rc_sim_xml_open(c, "Target");
  rc_sim_xml_str(c, "Id", id);
  rc_sim_xml_int(c, "Port", port);
  if (t && t->az[0]) rc_sim_xml_str(c, "AvailabilityZone", t->az);
  rc_sim_xml_close(c, "Target");
  rc_sim_xml_strf(c, "HealthCheckPort", "%d", port);
  rc_sim_xml_open(c, "TargetHealth");
  if (t) {
    const char *reason, *desc;
    rc_sim_xml_str(c, "State", rc_elb__target_state(tg, t, c->now_ms, &reason, &desc));
    rc_sim_xml_str(c, "Reason", reason);
    rc_sim_xml_str(c, "Description", desc);
  } else {
    rc_sim_xml_str(c, "State", "unavailable");
    rc_sim_xml_str(c, "Reason", "Target.NotRegistered");
    rc_sim_xml_str(c, "Description", "Target is not registered to the target group");
  }
  rc_sim_xml_close(c, "TargetHealth");
  rc_sim_xml_close(c, "member");
}

void rc_elb__op_describe_health(struct rc_sim_call *c)
{
  struct elb_tg *tg = tg_param(c);
  if (!tg) return;
  prune(tg, c->now_ms);
  const char **ids;
  int *ports;
  size_t n = targets_param(c, tg, &ids, &ports);
  rc_sim_reply_begin(c);
  rc_sim_xml_open(c, "TargetHealthDescriptions");
  if (n)
    for (size_t i = 0; i < n; i++)
      write_health(c, tg, ids[i], ports[i], target_find(tg, ids[i], ports[i]));
  else
    for (size_t i = 0; i < tg->n_targets; i++)
      write_health(c, tg, tg->targets[i].id, tg->targets[i].port, &tg->targets[i]);
  rc_sim_xml_close(c, "TargetHealthDescriptions");
  rc_sim_reply_end(c);
  rc_free(ids);
  rc_free(ports);
}

/* --- for ECS (elbv2_sim.h) --- */

static struct elb_tg *tg_by_arn(const char *arn)
{
  for (size_t i = 0; arn && i < rc_elb__tgs.n; i++) {
    struct elb_tg *tg = rc_elb__tgs.v[i];
    if (strcmp(tg->r.arn, arn) == 0) return tg;
  }
  return NULL;
}

rc_status rc_sim_elbv2_tg_info(const char *tg_arn, int *port, bool *has_lb)
{
  struct elb_tg *tg = tg_by_arn(tg_arn);
  if (!tg) return RC_NOT_FOUND;
  if (port) *port = tg->port;
  if (has_lb) *has_lb = rc_elb__tg_in_use(tg);
  return RC_OK;
}

rc_status rc_sim_elbv2_register(const char *tg_arn, const char *ip, int port, bool healthy,
                                uint64_t now_ms)
{
  struct elb_tg *tg = tg_by_arn(tg_arn);
  if (!tg) return RC_NOT_FOUND;
  target_add(tg, ip, port, NULL, healthy, now_ms);
  return RC_OK;
}

rc_status rc_sim_elbv2_deregister(const char *tg_arn, const char *ip, int port, uint64_t now_ms)
{
  struct elb_tg *tg = tg_by_arn(tg_arn);
  if (!tg) return RC_NOT_FOUND;
  return target_drain(tg, ip, port, now_ms) ? RC_OK : RC_NOT_FOUND;
}

const char *rc_sim_elbv2_target_state(const char *tg_arn, const char *ip, int port,
                                      uint64_t now_ms)
{
  struct elb_tg *tg = tg_by_arn(tg_arn);
  if (!tg) return NULL;
  prune(tg, now_ms);
  struct elb_target *t = target_find(tg, ip, port);
  return t ? rc_elb__target_state(tg, t, now_ms, NULL, NULL) : NULL;
}

int rc_sim_elbv2_health_delay_ms(void) { return rc_elb__health_ms > 0 ? rc_elb__health_ms : 0; }
