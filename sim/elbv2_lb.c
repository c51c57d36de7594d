/* elbv2_lb.c — load balancers: create (subnets in two AZs, security groups,
 * one ENI per subnet through EC2), describe, delete (with their listeners),
 * attributes, SetSecurityGroups, SetSubnets. State is provisioning until
 * created + -alb-delay-ms, then active. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/rc_alloc.h"
#include "elbv2_int.h"


static const char *const k_lb_attrs[][2] = {
    {"access_logs.s3.enabled", "false"},
    {"access_logs.s3.bucket", ""},
    {"access_logs.s3.prefix", ""},
    {"client_keep_alive.seconds", "3600"},
    {"connection_logs.s3.enabled", "false"},
    {"connection_logs.s3.bucket", ""},
    {"connection_logs.s3.prefix", ""},
    {"deletion_protection.enabled", "false"},
    {"idle_timeout.timeout_seconds", "60"},
    {"load_balancing.cross_zone.enabled", "true"},
    {"routing.http.desync_mitigation_mode", "defensive"},
    {"routing.http.drop_invalid_header_fields.enabled", "false"},
    {"routing.http.preserve_host_header.enabled", "false"},
    {"routing.http.x_amzn_tls_version_and_cipher_suite.enabled", "false"},
    {"routing.http.xff_client_port.enabled", "false"},
    {"routing.http.xff_header_processing.mode", "append"},
    {"routing.http2.enabled", "true"},
    {"waf.fail_open.enabled", "false"},
    {"zonal_shift.config.enabled", "false"},
    {NULL, NULL},
};

void rc_elb__lb_free(struct elb_lb *lb)
{
  if (!lb) return;
  rc_elb__res_free(&lb->r);
  rc_free(lb->subnets);
  for (size_t i = 0; i < lb->n_sgs; i++) rc_free(lb->sgs[i]);
  rc_free(lb->sgs);
  rc_sim_tags_free(&lb->attrs);
  rc_free(lb);
}

static bool valid_name(const char *n)
{
  size_t len = strlen(n);
  if (len < 1 || len > 32 || n[0] == '-' || n[len - 1] == '-') return false;
  if (strncmp(n, "internal-", 9) == 0) return false;
  for (; *n; n++)
    if (!isalnum((unsigned char)*n) && *n != '-') return false;
  return true;
}

/* Resolves Subnets.member.N into subnets (AZ from EC2), checking two AZs for
 * an application LB; answers errors. */
static bool subnets_param(struct rc_sim_call *c, const char *type, struct elb_subnet **out,
                          size_t *n_out, char *vpc, size_t vpcsz)
{
  const char **ids;
  size_t n = rc_elb__list(c, "Subnets", &ids);
  if (n == 0) {
    int m = rc_sim_param_max(c, "SubnetMappings.member");
    rc_free(ids);
    ids = rc_calloc((size_t)m + 1, sizeof *ids);
    for (int i = 1; i <= m; i++) {
      const char *s = rc_sim_paramf(c, "SubnetMappings.member.%d.SubnetId", i);
      if (s) ids[n++] = s;
    }
  }
  struct elb_subnet *v = rc_calloc(n + 1, sizeof *v);
  bool ok = true;
  vpc[0] = '\0';
  for (size_t i = 0; i < n && ok; i++) {
    snprintf(v[i].id, sizeof v[i].id, "%s", ids[i]);
    struct rc_sim_subnet_info si;
    if (rc_sim_ec2_subnet_info(ids[i], &si) != RC_OK) {
      rc_sim_error(c, 400, "SubnetNotFound", "The subnet ID '%s' is not valid", ids[i]);
      ok = false;
      break;
    }
    if (vpc[0] && strcmp(vpc, si.vpc_id) != 0) {
      rc_sim_error(c, 400, "InvalidSubnet", "Subnets must be in the same VPC");
      ok = false;
      break;
    }
    snprintf(vpc, vpcsz, "%s", si.vpc_id);
    snprintf(v[i].az, sizeof v[i].az, "%s", si.az);
    for (size_t k = 0; k < i && ok; k++) {
      if (strcmp(v[k].az, v[i].az) == 0) {
        rc_sim_error(c, 400, "InvalidConfigurationRequest",
                     "A load balancer cannot be attached to multiple subnets in the same "
                     "Availability Zone");
        ok = false;
      }
    }
  }
  if (ok && strcmp(type, "application") == 0 && n < 2) {
    rc_sim_error(c, 400, "ValidationError",
                 "At least two subnets in two different Availability Zones must be specified");
    ok = false;
  }
  rc_free(ids);
  if (!ok) {
    rc_free(v);
    return false;
  }
  *out = v;
  *n_out = n;
  return true;
}

static bool sgs_param(struct rc_sim_call *c, const char *vpc, char ***out, size_t *n_out)
{
  const char **ids;
  size_t n = rc_elb__list(c, "SecurityGroups", &ids);
  for (size_t i = 0; i < n; i++) {
    char gvpc[48] = "";
    if (rc_sim_ec2_sg_vpc(ids[i], gvpc, sizeof gvpc) != RC_OK) {
      rc_sim_error(c, 400, "InvalidSecurityGroup", "Security group '%s' does not exist", ids[i]);
      rc_free(ids);
      return false;
    }
    if (vpc && vpc[0] && strcmp(gvpc, vpc) != 0) {
      rc_sim_error(c, 400, "InvalidSecurityGroup",
                   "Security group '%s' does not belong to VPC '%s'", ids[i], vpc);
      rc_free(ids);
      return false;
    }
  }
  char **v = rc_calloc(n + 1, sizeof *v);
  for (size_t i = 0; i < n; i++) v[i] = rc_strdup(ids[i]);
  rc_free(ids);
  *out = v;
  *n_out = n;
  return true;
}

static void enis_create(struct elb_lb *lb)
{
  char desc[96], ip[48];
  snprintf(desc, sizeof desc, "ELB app/%s/%s", lb->name, lb->id);
  for (size_t i = 0; i < lb->n_subnets; i++) {
    if (lb->subnets[i].eni[0]) continue;
    if (rc_sim_ec2_eni_create(lb->subnets[i].id, (const char *const *)lb->sgs, lb->n_sgs, desc,
                              lb->subnets[i].eni, sizeof lb->subnets[i].eni, ip, sizeof ip) !=
        RC_OK)
      lb->subnets[i].eni[0] = '\0';
  }
}

static void eni_delete(struct elb_subnet *s)
{
  if (s->eni[0]) rc_sim_ec2_eni_delete(s->eni);
  s->eni[0] = '\0';
}

static const char *zone_id(const char *region)
{
  static const char *const map[][2] = {
      {"us-east-1", "Z35SXDOTRQ7X7K"}, {"us-east-2", "Z3AADJGX6KTTL2"},
      {"us-west-1", "Z368ELLRRE2KJ0"}, {"us-west-2", "Z1H1FL5HABSF5"},
      {"eu-west-1", "Z32O12XQLNTSW2"}, {"eu-central-1", "Z215JYRZR1TBD5"},
      {NULL, NULL}};
  for (size_t i = 0; map[i][0]; i++)
    if (strcmp(map[i][0], region) == 0) return map[i][1];
  return "Z35SXDOTRQ7X7K";
}

static void write_azs(struct rc_sim_call *c, const struct elb_lb *lb)
{
  rc_sim_xml_open(c, "AvailabilityZones");
  for (size_t i = 0; i < lb->n_subnets; i++) {
    rc_sim_xml_open(c, "member");
    rc_sim_xml_str(c, "ZoneName", lb->subnets[i].az);
    rc_sim_xml_str(c, "SubnetId", lb->subnets[i].id);
    rc_sim_xml_empty(c, "LoadBalancerAddresses");
    rc_sim_xml_close(c, "member");
  }
  rc_sim_xml_close(c, "AvailabilityZones");
}

static void write_lb(struct rc_sim_call *c, const struct elb_lb *lb)
{
  char ts[40];
  rc_sim_iso8601(lb->r.created_ms, ts, sizeof ts);
  rc_sim_xml_open(c, "member");
  rc_sim_xml_str(c, "LoadBalancerArn", lb->r.arn);
  rc_sim_xml_str(c, "DNSName", lb->dns);
  rc_sim_xml_str(c, "CanonicalHostedZoneId", zone_id(c->req.region));
  rc_sim_xml_str(c, "CreatedTime", ts);
  rc_sim_xml_str(c, "LoadBalancerName", lb->name);
  rc_sim_xml_str(c, "Scheme", lb->scheme);
  rc_sim_xml_str(c, "VpcId", lb->vpc);
  rc_sim_xml_open(c, "State");
  rc_sim_xml_str(c, "Code", c->now_ms >= lb->active_at ? "active" : "provisioning");
  rc_sim_xml_close(c, "State");
  rc_sim_xml_str(c, "Type", lb->type);
  write_azs(c, lb);
  rc_sim_xml_open(c, "SecurityGroups");
  for (size_t i = 0; i < lb->n_sgs; i++) rc_sim_xml_str(c, "member", lb->sgs[i]);
  rc_sim_xml_close(c, "SecurityGroups");
  rc_sim_xml_str(c, "IpAddressType", lb->ip_type);
  rc_sim_xml_close(c, "member");
}

static void reply_one(struct rc_sim_call *c, const struct elb_lb *lb)
{
  rc_sim_reply_begin(c);
  rc_sim_xml_open(c, "LoadBalancers");
  write_lb(c, lb);
  rc_sim_xml_close(c, "LoadBalancers");
  rc_sim_reply_end(c);
}

void rc_elb__op_create_lb(struct rc_sim_call *c)
{
  const char *name = rc_sim_param(c, "Name");
  if (!name) {
    rc_sim_error_missing(c, "name");
    return;
  }
  if (!valid_name(name)) {
    rc_sim_error(c, 400, "ValidationError",
                 "The load balancer name '%s' cannot be longer than '32' characters, must "
                 "contain only alphanumeric characters or hyphens, and cannot begin or end with "
                 "a hyphen or begin with 'internal-'", name);
    return;
  }
  const char *type = rc_sim_param(c, "Type");
  if (!type) type = "application";
  if (strcmp(type, "application") != 0 && strcmp(type, "network") != 0) {
    rc_sim_error(c, 400, "ValidationError", "Load balancer type '%s' is not supported", type);
    return;
  }
  const char *scheme = rc_sim_param(c, "Scheme");
  if (!scheme) scheme = "internet-facing";
  if (strcmp(scheme, "internet-facing") != 0 && strcmp(scheme, "internal") != 0) {
    rc_sim_error(c, 400, "ValidationError", "Scheme '%s' is not valid", scheme);
    return;
  }
  const char *ipt = rc_sim_param(c, "IpAddressType");
  if (!ipt) ipt = "ipv4";
  for (size_t i = 0; i < rc_elb__lbs.n; i++) {
    struct elb_lb *o = rc_elb__lbs.v[i];
    if (strcmp(o->name, name) != 0 || !rc_sim_arn_in_region(c, o->r.arn)) continue;
    if (strcmp(o->scheme, scheme) == 0 && strcmp(o->type, type) == 0) {
      reply_one(c, o); /* same settings: CreateLoadBalancer is idempotent */
      return;
    }
    rc_sim_error(c, 400, "DuplicateLoadBalancerName",
                 "A load balancer with the same name '%s' exists, but with different settings",
                 name);
    return;
  }
  struct elb_subnet *subs;
  size_t nsub;
  char vpc[48];
  if (!subnets_param(c, type, &subs, &nsub, vpc, sizeof vpc)) return;
  char **sgs;
  size_t nsg;
  if (!sgs_param(c, vpc, &sgs, &nsg)) {
    rc_free(subs);
    return;
  }
  struct rc_sim_tags tags = {0};
  if (!rc_elb__tags_param(c, &tags)) {
    rc_sim_tags_free(&tags);
    rc_free(subs);
    for (size_t i = 0; i < nsg; i++) rc_free(sgs[i]);
    rc_free(sgs);
    return;
  }
  struct elb_lb *lb = rc_calloc(1, sizeof *lb);
  snprintf(lb->name, sizeof lb->name, "%s", name);
  rc_sim_hex(16, lb->id, sizeof lb->id);
  rc_elb__res_init(c, &lb->r,
                   rc_sim_arn(c, "elasticloadbalancing", NULL, "loadbalancer/%s/%s/%s",
                              type[0] == 'a' ? "app" : "net", name, lb->id));
  lb->r.tags = tags;
  snprintf(lb->type, sizeof lb->type, "%s", type);
  snprintf(lb->scheme, sizeof lb->scheme, "%s", scheme);
  snprintf(lb->ip_type, sizeof lb->ip_type, "%s", ipt);
  snprintf(lb->vpc, sizeof lb->vpc, "%s", vpc);
  unsigned long long digits = rc_sim_rand() % 9000000000ULL + 1000000000ULL;
  snprintf(lb->dns, sizeof lb->dns, "%s%s-%llu.%s.elb.amazonaws.com",
           strcmp(scheme, "internal") == 0 ? "internal-" : "",
           name, digits, c->req.region);
  lb->subnets = subs;
  lb->n_subnets = nsub;
  lb->sgs = sgs;
  lb->n_sgs = nsg;
  lb->active_at = c->now_ms + (uint64_t)(rc_elb__alb_delay_ms > 0 ? rc_elb__alb_delay_ms : 0);
  for (size_t i = 0; k_lb_attrs[i][0]; i++)
    rc_sim_tags_set(&lb->attrs, k_lb_attrs[i][0], k_lb_attrs[i][1]);
  enis_create(lb);
  rc_elb__push(&rc_elb__lbs, lb);
  reply_one(c, lb);
}

void rc_elb__op_describe_lbs(struct rc_sim_call *c)
{
  size_t start, limit;
  if (!rc_elb__page(c, &start, &limit)) return;
  const char **arns, **names;
  size_t na = rc_elb__list(c, "LoadBalancerArns", &arns);
  size_t nn = rc_elb__list(c, "Names", &names);
  struct elb_lb **sel = rc_calloc(rc_elb__lbs.n + 1, sizeof *sel);
  size_t n = 0;
  if (na && nn) {
    rc_sim_error(c, 400, "ValidationError", "Load balancer names and load balancer ARNs cannot "
                 "be specified at the same time");
    goto out;
  }
  for (size_t i = 0; i < na; i++) {
    struct elb_lb *lb = rc_elb__lb_find(c, arns[i]);
    if (!lb) {
      rc_sim_error(c, 400, "LoadBalancerNotFound", "Load balancers '[%s]' not found", arns[i]);
      goto out;
    }
    sel[n++] = lb;
  }
  for (size_t i = 0; i < nn; i++) {
    struct elb_lb *found = NULL;
    for (size_t k = 0; k < rc_elb__lbs.n && !found; k++) {
      struct elb_lb *lb = rc_elb__lbs.v[k];
      if (strcmp(lb->name, names[i]) == 0 && rc_elb__seen(c, &lb->r)) found = lb;
    }
    if (!found) {
      rc_sim_error(c, 400, "LoadBalancerNotFound", "Load balancers '[%s]' not found", names[i]);
      goto out;
    }
    sel[n++] = found;
  }
  if (!na && !nn)
    for (size_t k = 0; k < rc_elb__lbs.n; k++) {
      struct elb_lb *lb = rc_elb__lbs.v[k];
      if (rc_elb__seen(c, &lb->r)) sel[n++] = lb;
    }
  rc_sim_reply_begin(c);
  rc_sim_xml_open(c, "LoadBalancers");
  size_t shown = 0;
  for (size_t i = start; i < n && shown < limit; i++, shown++) write_lb(c, sel[i]);
  rc_sim_xml_close(c, "LoadBalancers");
  rc_elb__marker(c, start, shown, n);
  rc_sim_reply_end(c);
out:
  rc_free(sel);
  rc_free(arns);
  rc_free(names);
}

/* The LoadBalancerArn parameter's load balancer, else answered. */
static struct elb_lb *lb_param(struct rc_sim_call *c)
{
  const char *arn = rc_sim_param(c, "LoadBalancerArn");
  if (!arn) {
    rc_sim_error_missing(c, "loadBalancerArn");
    return NULL;
  }
  struct elb_lb *lb = rc_elb__lb_find(c, arn);
  if (!lb) rc_sim_error(c, 400, "LoadBalancerNotFound", "Load balancer '%s' not found", arn);
  return lb;
}

void rc_elb__op_delete_lb(struct rc_sim_call *c)
{
  const char *arn = rc_sim_param(c, "LoadBalancerArn");
  if (!arn) {
    rc_sim_error_missing(c, "loadBalancerArn");
    return;
  }
  struct elb_lb *lb = rc_elb__lb_find(c, arn);
  if (!lb) { /* deleting a missing load balancer succeeds, as on AWS */
    rc_sim_reply_begin(c);
    rc_sim_reply_end(c);
    return;
  }
  const char *dp = rc_sim_tags_get(&lb->attrs, "deletion_protection.enabled");
  if (dp && strcmp(dp, "true") == 0) {
    rc_sim_error(c, 400, "OperationNotPermitted",
                 "Load balancer '%s' cannot be deleted because deletion protection is enabled",
                 arn);
    return;
  }
  for (size_t i = rc_elb__listeners.n; i-- > 0;) {
    struct elb_listener *l = rc_elb__listeners.v[i];
    if (l->lb != lb) continue;
    rc_elb__remove(&rc_elb__listeners, l);
    rc_elb__listener_free(l);
  }
  for (size_t i = 0; i < lb->n_subnets; i++) eni_delete(&lb->subnets[i]);
  rc_elb__remove(&rc_elb__lbs, lb);
  rc_elb__lb_free(lb);
  rc_sim_reply_begin(c);
  rc_sim_reply_end(c);
}

void rc_elb__op_describe_lb_attrs(struct rc_sim_call *c)
{
  struct elb_lb *lb = lb_param(c);
  if (!lb) return;
  rc_elb__attrs_reply(c, &lb->attrs);
}

void rc_elb__op_modify_lb_attrs(struct rc_sim_call *c)
{
  struct elb_lb *lb = lb_param(c);
  if (!lb) return;
  if (!rc_elb__attr_in_range(c, "idle_timeout.timeout_seconds", 1, 4000,
                             "Idle timeout must be between 1 and 4000 seconds"))
    return;
  if (!rc_elb__attrs_modify(c, &lb->attrs, "Load balancer")) return;
  rc_elb__attrs_reply(c, &lb->attrs);
}

void rc_elb__op_set_sgs(struct rc_sim_call *c)
{
  struct elb_lb *lb = lb_param(c);
  if (!lb) return;
  char **sgs;
  size_t n;
  if (!sgs_param(c, lb->vpc, &sgs, &n)) return;
  for (size_t i = 0; i < lb->n_sgs; i++) rc_free(lb->sgs[i]);
  rc_free(lb->sgs);
  lb->sgs = sgs;
  lb->n_sgs = n;
  rc_sim_reply_begin(c);
  rc_sim_xml_open(c, "SecurityGroupIds");
  for (size_t i = 0; i < n; i++) rc_sim_xml_str(c, "member", sgs[i]);
  rc_sim_xml_close(c, "SecurityGroupIds");
  rc_sim_reply_end(c);
}

void rc_elb__op_set_subnets(struct rc_sim_call *c)
{
  struct elb_lb *lb = lb_param(c);
  if (!lb) return;
  struct elb_subnet *subs;
  size_t n;
  char vpc[48];
  if (!subnets_param(c, lb->type, &subs, &n, vpc, sizeof vpc)) return;
  if (strcmp(vpc, lb->vpc) != 0) {
    rc_free(subs);
    rc_sim_error(c, 400, "InvalidSubnet", "Subnets must be in VPC '%s'", lb->vpc);
    return;
  }
  /* keep the ENIs of subnets that stay, drop the others */
  for (size_t i = 0; i < lb->n_subnets; i++) {
    bool stays = false;
    for (size_t k = 0; k < n; k++)
      if (strcmp(subs[k].id, lb->subnets[i].id) == 0) {
        memcpy(subs[k].eni, lb->subnets[i].eni, sizeof subs[k].eni);
        stays = true;
      }
    if (!stays) eni_delete(&lb->subnets[i]);
  }
  rc_free(lb->subnets);
  lb->subnets = subs;
  lb->n_subnets = n;
  enis_create(lb);
  rc_sim_reply_begin(c);
  write_azs(c, lb);
  rc_sim_xml_str(c, "IpAddressType", lb->ip_type);
  rc_sim_reply_end(c);
}
