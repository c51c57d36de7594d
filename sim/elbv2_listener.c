/* elbv2_listener.c — listeners and rules, and the actions and conditions
 * they carry: forward (TargetGroupArn or ForwardConfig), redirect and
 * fixed-response; path-pattern/host-header/http-request-method/source-ip
 * conditions; DuplicateListener, PriorityInUse and the rule that a target
 * group serves the listeners of one load balancer only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/rc_alloc.h"
#include "elbv2_int.h"

void rc_elb__actions_free(struct elb_action *a, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    rc_free(a[i].tg_arn);
    for (size_t k = 0; k < a[i].n_fwd; k++) rc_free(a[i].fwd[k].tg_arn);
    rc_free(a[i].fwd);
    char **s[] = {&a[i].r_proto, &a[i].r_port, &a[i].r_host,   &a[i].r_path, &a[i].r_query,
                  &a[i].r_status, &a[i].f_body, &a[i].f_status, &a[i].f_ctype};
    for (size_t k = 0; k < sizeof s / sizeof *s; k++) rc_free(*s[k]);
  }
  rc_free(a);
}

bool rc_elb__actions_use_tg(const struct elb_action *a, size_t n, const char *tg_arn)
{
  for (size_t i = 0; i < n; i++) {
    if (a[i].tg_arn && strcmp(a[i].tg_arn, tg_arn) == 0) return true;
    for (size_t k = 0; k < a[i].n_fwd; k++)
      if (strcmp(a[i].fwd[k].tg_arn, tg_arn) == 0) return true;
  }
  return false;
}

static void conds_free(struct elb_cond *cd, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    for (size_t k = 0; k < cd[i].n; k++) rc_free(cd[i].values[k]);
    rc_free(cd[i].values);
  }
  rc_free(cd);
}

static void rule_free(struct elb_rule *r)
{
  rc_elb__res_free(&r->r);
  conds_free(r->conds, r->n_conds);
  rc_elb__actions_free(r->acts, r->n_acts);
  rc_free(r);
}

void rc_elb__listener_free(struct elb_listener *l)
{
  if (!l) return;
  rc_elb__res_free(&l->r);
  rc_free(l->ssl_policy);
  rc_free(l->cert);
  rc_elb__actions_free(l->acts, l->n_acts);
  rc_free(l->default_rule_arn);
  for (size_t i = 0; i < l->rules.n; i++) rule_free(l->rules.v[i]);
  rc_free(l->rules.v);
  rc_free(l);
}

static char *pdup(const struct rc_sim_call *c, const char *pre, const char *key)
{
  return rc_strdup(rc_sim_paramf(c, "%s.%s", pre, key));
}

/* Checks that tg exists and may serve lb; answers errors. */
static bool tg_usable(struct rc_sim_call *c, const char *arn, const struct elb_lb *lb)
{
  struct elb_tg *tg = rc_elb__tg_find(c, arn);
  if (!tg) {
    rc_sim_error(c, 400, "TargetGroupNotFound", "Target group '%s' not found", arn);
    return false;
  }
  const struct elb_lb *lbs[8];
  size_t n = rc_elb__tg_lbs(tg, lbs, 8);
  for (size_t i = 0; i < n; i++)
    if (lbs[i] != lb) {
      rc_sim_error(c, 400, "TargetGroupAssociationLimit",
                   "The following target groups cannot be associated with more than one load "
                   "balancer: %s", arn);
      return false;
    }
  return true;
}

/* Parses "<prefix>.member.N" actions; answers errors and returns false. */
static bool actions_param(struct rc_sim_call *c, const char *prefix, const struct elb_lb *lb,
                          struct elb_action **out, size_t *n_out)
{
  char base[64];
  snprintf(base, sizeof base, "%s.member", prefix);
  int max = rc_sim_param_max(c, base);
  struct elb_action *a = rc_calloc((size_t)max + 1, sizeof *a);
  size_t n = 0;
  bool ok = true;
  for (int i = 1; i <= max && ok; i++) {
    char pre[96];
    snprintf(pre, sizeof pre, "%s.%d", base, i);
    const char *type = rc_sim_paramf(c, "%s.Type", pre);
    if (!type) continue;
    struct elb_action *x = &a[n++];
    snprintf(x->type, sizeof x->type, "%s", type);
    int64_t order = 0;
    char ok_key[128];
    snprintf(ok_key, sizeof ok_key, "%s.Order", pre);
    rc_sim_param_int(c, ok_key, &order, NULL);
    x->order = order > 0 ? (int)order : (int)n;
    if (strcmp(type, "forward") == 0) {
      x->tg_arn = pdup(c, pre, "TargetGroupArn");
      char fb[160];
      snprintf(fb, sizeof fb, "%s.ForwardConfig.TargetGroups.member", pre);
      int fm = rc_sim_param_max(c, fb);
      for (int k = 1; k <= fm; k++) {
        const char *arn = rc_sim_paramf(c, "%s.%d.TargetGroupArn", fb, k);
        if (!arn) continue;
        int64_t w = 1;
        char wk[200];
        snprintf(wk, sizeof wk, "%s.%d.Weight", fb, k);
        rc_sim_param_int(c, wk, &w, NULL);
        x->fwd = rc_realloc(x->fwd, (x->n_fwd + 1) * sizeof *x->fwd);
        x->fwd[x->n_fwd].tg_arn = rc_strdup(arn);
        x->fwd[x->n_fwd++].weight = (int)w;
      }
      bool st = false;
      char sk[200];
      snprintf(sk, sizeof sk, "%s.ForwardConfig.TargetGroupStickinessConfig.Enabled", pre);
      rc_sim_param_bool(c, sk, &st, NULL);
      x->stick = st;
      int64_t dur = 0;
      snprintf(sk, sizeof sk, "%s.ForwardConfig.TargetGroupStickinessConfig.DurationSeconds", pre);
      rc_sim_param_int(c, sk, &dur, NULL);
      x->stick_dur = (int)dur;
      if (!x->tg_arn && x->n_fwd == 0) {
        rc_sim_error(c, 400, "ValidationError",
                     "A target group ARN must be specified for a forward action");
        ok = false;
      }
      if (ok && x->tg_arn && x->n_fwd == 1 && strcmp(x->tg_arn, x->fwd[0].tg_arn) != 0) {
        rc_sim_error(c, 400, "ValidationError", "You cannot specify both a target group ARN and "
                     "a forward config with a different target group");
        ok = false;
      }
      if (ok && x->tg_arn) ok = tg_usable(c, x->tg_arn, lb);
      for (size_t k = 0; ok && k < x->n_fwd; k++) ok = tg_usable(c, x->fwd[k].tg_arn, lb);
      if (ok && !x->tg_arn && x->n_fwd == 1) x->tg_arn = rc_strdup(x->fwd[0].tg_arn);
    } else if (strcmp(type, "redirect") == 0) {
      char rp[128];
      snprintf(rp, sizeof rp, "%s.RedirectConfig", pre);
      x->r_status = pdup(c, rp, "StatusCode");
      x->r_proto = pdup(c, rp, "Protocol");
      x->r_port = pdup(c, rp, "Port");
      x->r_host = pdup(c, rp, "Host");
      x->r_path = pdup(c, rp, "Path");
      x->r_query = pdup(c, rp, "Query");
      if (!x->r_status || (strcmp(x->r_status, "HTTP_301") && strcmp(x->r_status, "HTTP_302"))) {
        rc_sim_error(c, 400, "ValidationError",
                     "A redirect action must have a status code of HTTP_301 or HTTP_302");
        ok = false;
      }
    } else if (strcmp(type, "fixed-response") == 0) {
      char fp[128];
      snprintf(fp, sizeof fp, "%s.FixedResponseConfig", pre);
      x->f_status = pdup(c, fp, "StatusCode");
      x->f_body = pdup(c, fp, "MessageBody");
      x->f_ctype = pdup(c, fp, "ContentType");
      if (!x->f_status) {
        rc_sim_error(c, 400, "ValidationError",
                     "A fixed-response action must have a status code");
        ok = false;
      }
    } else {
      rc_sim_error(c, 400, "ValidationError", "Action type '%s' is not supported", type);
      ok = false;
    }
  }
  if (ok && n == 0) {
    rc_sim_error(c, 400, "ValidationError", "At least one action must be specified");
    ok = false;
  }
  if (!ok) {
    rc_elb__actions_free(a, n);
    return false;
  }
  *out = a;
  *n_out = n;
  return true;
}

static void write_actions(struct rc_sim_call *c, const char *tag, const struct elb_action *a,
                          size_t n)
{
  rc_sim_xml_open(c, tag);
  for (size_t i = 0; i < n; i++) {
    const struct elb_action *x = &a[i];
    rc_sim_xml_open(c, "member");
    rc_sim_xml_str(c, "Type", x->type);
    rc_sim_xml_int(c, "Order", x->order);
    if (strcmp(x->type, "forward") == 0) {
      rc_sim_xml_str(c, "TargetGroupArn", x->tg_arn);
      rc_sim_xml_open(c, "ForwardConfig");
      rc_sim_xml_open(c, "TargetGroups");
      if (x->n_fwd == 0) {
        rc_sim_xml_open(c, "member");
        rc_sim_xml_str(c, "TargetGroupArn", x->tg_arn);
        rc_sim_xml_int(c, "Weight", 1);
        rc_sim_xml_close(c, "member");
      }
      for (size_t k = 0; k < x->n_fwd; k++) {
        rc_sim_xml_open(c, "member");
        rc_sim_xml_str(c, "TargetGroupArn", x->fwd[k].tg_arn);
        rc_sim_xml_int(c, "Weight", x->fwd[k].weight);
        rc_sim_xml_close(c, "member");
      }
      rc_sim_xml_close(c, "TargetGroups");
      rc_sim_xml_open(c, "TargetGroupStickinessConfig");
      rc_sim_xml_bool(c, "Enabled", x->stick);
      if (x->stick) rc_sim_xml_int(c, "DurationSeconds", x->stick_dur);
      rc_sim_xml_close(c, "TargetGroupStickinessConfig");
      rc_sim_xml_close(c, "ForwardConfig");
    } else if (strcmp(x->type, "redirect") == 0) {
      rc_sim_xml_open(c, "RedirectConfig");
      rc_sim_xml_str(c, "Protocol", x->r_proto ? x->r_proto : "#{protocol}");
      rc_sim_xml_str(c, "Port", x->r_port ? x->r_port : "#{port}");
      rc_sim_xml_str(c, "Host", x->r_host ? x->r_host : "#{host}");
      rc_sim_xml_str(c, "Path", x->r_path ? x->r_path : "/#{path}");
      rc_sim_xml_str(c, "Query", x->r_query ? x->r_query : "#{query}");
      rc_sim_xml_str(c, "StatusCode", x->r_status);
      rc_sim_xml_close(c, "RedirectConfig");
    } else {
      rc_sim_xml_open(c, "FixedResponseConfig");
      rc_sim_xml_str(c, "MessageBody", x->f_body);
      rc_sim_xml_str(c, "StatusCode", x->f_status);
      rc_sim_xml_str(c, "ContentType", x->f_ctype);
      rc_sim_xml_close(c, "FixedResponseConfig");
    }
    rc_sim_xml_close(c, "member");
  }
  rc_sim_xml_close(c, tag);
}

/* --- listeners --- */

static void write_listener(struct rc_sim_call *c, const struct elb_listener *l)
{
  rc_sim_xml_open(c, "member");
  rc_sim_xml_str(c, "ListenerArn", l->r.arn);
  rc_sim_xml_str(c, "LoadBalancerArn", l->lb->r.arn);
  rc_sim_xml_int(c, "Port", l->port);
  rc_sim_xml_str(c, "Protocol", l->protocol);
  if (l->cert) {
    rc_sim_xml_open(c, "Certificates");
    rc_sim_xml_open(c, "member");
    rc_sim_xml_str(c, "CertificateArn", l->cert);
    rc_sim_xml_close(c, "member");
    rc_sim_xml_close(c, "Certificates");
  }
  rc_sim_xml_str(c, "SslPolicy", l->ssl_policy);
  write_actions(c, "DefaultActions", l->acts, l->n_acts);
  rc_sim_xml_close(c, "member");
}

static void reply_listener(struct rc_sim_call *c, const struct elb_listener *l)
{
  rc_sim_reply_begin(c);
  rc_sim_xml_open(c, "Listeners");
  write_listener(c, l);
  rc_sim_xml_close(c, "Listeners");
  rc_sim_reply_end(c);
}

/* Port/Protocol/SslPolicy/Certificates into l (for create and modify). */
static bool listener_params(struct rc_sim_call *c, struct elb_listener *l, bool create)
{
  int64_t port = l->port;
  bool bad = false;
  bool has = rc_sim_param_int(c, "Port", &port, &bad);
  if (create && !has && !bad) {
    rc_sim_error_missing(c, "port");
    return false;
  }
  if (bad || port < 1 || port > 65535) {
    rc_sim_error(c, 400, "ValidationError",
                 "1 validation error detected: Value '%s' at 'port' failed to satisfy "
                 "constraint: Member must have value between 1 and 65535", rc_sim_param(c, "Port"));
    return false;
  }
  const char *proto = rc_sim_param(c, "Protocol");
  if (proto) {
    bool app = strcmp(l->lb->type, "application") == 0;
    if (app ? strcmp(proto, "HTTP") && strcmp(proto, "HTTPS")
            : strcmp(proto, "TCP") && strcmp(proto, "TLS") && strcmp(proto, "UDP") &&
                  strcmp(proto, "TCP_UDP")) {
      rc_sim_error(c, 400, "ValidationError", "Protocol '%s' is not supported by load balancers "
                   "of type '%s'", proto, l->lb->type);
      return false;
    }
  } else if (create) {
    proto = strcmp(l->lb->type, "application") == 0 ? "HTTP" : "TCP";
  }
  if (proto) snprintf(l->protocol, sizeof l->protocol, "%s", proto);
  const char *cert = rc_sim_param(c, "Certificates.member.1.CertificateArn");
  if (cert) {
    rc_free(l->cert);
    l->cert = rc_strdup(cert);
  }
  bool tls = strcmp(l->protocol, "HTTPS") == 0 || strcmp(l->protocol, "TLS") == 0;
  if (tls && !l->cert) {
    rc_sim_error(c, 400, "ValidationError",
                 "A certificate must be specified for HTTPS listeners");
    return false;
  }
  const char *ssl = rc_sim_param(c, "SslPolicy");
  rc_free(l->ssl_policy);
  l->ssl_policy = tls ? rc_strdup(ssl ? ssl : "ELBSecurityPolicy-2016-08") : NULL;
  for (size_t i = 0; i < rc_elb__listeners.n; i++) {
    const struct elb_listener *o = rc_elb__listeners.v[i];
    if (o != l && o->lb == l->lb && o->port == (int)port) {
      rc_sim_error(c, 400, "DuplicateListener",
                   "A listener already exists on this port for this load balancer '%s'",
                   l->lb->r.arn);
      return false;
    }
  }
  l->port = (int)port;
  return true;
}

void rc_elb__op_create_listener(struct rc_sim_call *c)
{
  const char *lb_arn = rc_sim_param(c, "LoadBalancerArn");
  if (!lb_arn) {
    rc_sim_error_missing(c, "loadBalancerArn");
    return;
  }
  struct elb_lb *lb = rc_elb__lb_find(c, lb_arn);
  if (!lb) {
    rc_sim_error(c, 400, "LoadBalancerNotFound", "Load balancer '%s' not found", lb_arn);
    return;
  }
  struct elb_listener *l = rc_calloc(1, sizeof *l);
  l->lb = lb;
  if (!listener_params(c, l, true) ||
      !actions_param(c, "DefaultActions", lb, &l->acts, &l->n_acts) ||
      !rc_elb__tags_param(c, &l->r.tags)) {
    rc_elb__listener_free(l);
    return;
  }
  char id[20], rid[20];
  rc_sim_hex(16, id, sizeof id);
  rc_sim_hex(16, rid, sizeof rid);
  const char *tail = strstr(lb->r.arn, ":loadbalancer/") + 14; /* app/NAME/ID */
  rc_elb__res_init(c, &l->r, rc_sim_arn(c, "elasticloadbalancing", NULL, "listener/%s/%s", tail,
                                        id));
  l->default_rule_arn = rc_sim_arn(c, "elasticloadbalancing", NULL, "listener-rule/%s/%s/%s",
                                   tail, id, rid);
  rc_elb__push(&rc_elb__listeners, l);
  reply_listener(c, l);
}

static struct elb_listener *listener_param(struct rc_sim_call *c)
{
  const char *arn = rc_sim_param(c, "ListenerArn");
  if (!arn) {
    rc_sim_error_missing(c, "listenerArn");
    return NULL;
  }
  struct elb_listener *l = rc_elb__listener_find(c, arn);
  if (!l) rc_sim_error(c, 400, "ListenerNotFound", "Listener '%s' not found", arn);
  return l;
}

void rc_elb__op_describe_listeners(struct rc_sim_call *c)
{
  size_t start, limit;
  if (!rc_elb__page(c, &start, &limit)) return;
  const char **arns;
  size_t na = rc_elb__list(c, "ListenerArns", &arns);
  const char *lb_arn = rc_sim_param(c, "LoadBalancerArn");
  struct elb_listener **sel = rc_calloc(rc_elb__listeners.n + 1, sizeof *sel);
  size_t n = 0;
  if (!na && !lb_arn) {
    rc_sim_error(c, 400, "ValidationError",
                 "You must specify either listener ARNs or a load balancer ARN");
    goto out;
  }
  const struct elb_lb *lb = NULL;
  if (lb_arn && !(lb = rc_elb__lb_find(c, lb_arn))) {
    rc_sim_error(c, 400, "LoadBalancerNotFound", "Load balancer '%s' not found", lb_arn);
    goto out;
  }
  for (size_t i = 0; i < na; i++) {
    struct elb_listener *l = rc_elb__listener_find(c, arns[i]);
    if (!l) {
      rc_sim_error(c, 400, "ListenerNotFound", "One or more listeners not found");
      goto out;
    }
    sel[n++] = l;
  }
  if (!na)
    for (size_t i = 0; i < rc_elb__listeners.n; i++) {
      struct elb_listener *l = rc_elb__listeners.v[i];
      if (l->lb == lb && rc_elb__seen(c, &l->r)) sel[n++] = l;
    }
  rc_sim_reply_begin(c);
  rc_sim_xml_open(c, "Listeners");
  size_t shown = 0;
  for (size_t i = start; i < n && shown < limit; i++, shown++) write_listener(c, sel[i]);
  rc_sim_xml_close(c, "Listeners");
  rc_elb__marker(c, start, shown, n);
  rc_sim_reply_end(c);
out:
  rc_free(sel);
  rc_free(arns);
}

void rc_elb__op_modify_listener(struct rc_sim_call *c)
{
  struct elb_listener *l = listener_param(c);
  if (!l) return;
  int old_port = l->port;
  char old_proto[12];
  memcpy(old_proto, l->protocol, sizeof old_proto);
  if (!listener_params(c, l, false)) {
    l->port = old_port;
    memcpy(l->protocol, old_proto, sizeof old_proto);
    return;
  }
  if (rc_sim_param_max(c, "DefaultActions.member") > 0) {
    struct elb_action *a;
    size_t n;
    if (!actions_param(c, "DefaultActions", l->lb, &a, &n)) return;
    rc_elb__actions_free(l->acts, l->n_acts);
    l->acts = a;
    l->n_acts = n;
  }
  reply_listener(c, l);
}

void rc_elb__op_delete_listener(struct rc_sim_call *c)
{
  struct elb_listener *l = listener_param(c);
  if (!l) return;
  rc_elb__remove(&rc_elb__listeners, l);
  rc_elb__listener_free(l);
  rc_sim_reply_begin(c);
  rc_sim_reply_end(c);
}

/* --- rules --- */

static bool conds_param(struct rc_sim_call *c, struct elb_cond **out, size_t *n_out)
{
  int max = rc_sim_param_max(c, "Conditions.member");
  struct elb_cond *cd = rc_calloc((size_t)max + 1, sizeof *cd);
  size_t n = 0;
  for (int i = 1; i <= max; i++) {
    const char *field = rc_sim_paramf(c, "Conditions.member.%d.Field", i);
    if (!field) continue;
    static const char *const cfg[][2] = {{"path-pattern", "PathPatternConfig"},
                                         {"host-header", "HostHeaderConfig"},
                                         {"http-request-method", "HttpRequestMethodConfig"},
                                         {"source-ip", "SourceIpConfig"},
                                         {NULL, NULL}};
    const char *conf = NULL;
    for (size_t k = 0; cfg[k][0]; k++)
      if (strcmp(cfg[k][0], field) == 0) conf = cfg[k][1];
    if (!conf) {
      rc_sim_error(c, 400, "ValidationError", "Condition field '%s' is not supported", field);
      conds_free(cd, n);
      return false;
    }
    struct elb_cond *x = &cd[n++];
    snprintf(x->field, sizeof x->field, "%s", field);
    char p[128];
    const char **vals;
    snprintf(p, sizeof p, "Conditions.member.%d.%s.Values.member", i, conf);
    size_t nv = rc_sim_param_list(c, p, &vals);
    if (nv == 0) {
      rc_free(vals);
      snprintf(p, sizeof p, "Conditions.member.%d.Values.member", i);
      nv = rc_sim_param_list(c, p, &vals);
    }
    x->values = rc_calloc(nv + 1, sizeof *x->values);
    for (size_t k = 0; k < nv; k++) x->values[k] = rc_strdup(vals[k]);
    x->n = nv;
    rc_free(vals);
    if (nv == 0 || nv > 5) {
      rc_sim_error(c, 400, "ValidationError",
                   "A condition must have between 1 and 5 values");
      conds_free(cd, n);
      return false;
    }
  }
  if (n == 0) {
    rc_sim_error(c, 400, "ValidationError", "A condition must be specified");
    conds_free(cd, n);
    return false;
  }
  *out = cd;
  *n_out = n;
  return true;
}

static void write_rule(struct rc_sim_call *c, const struct elb_listener *l,
                       const struct elb_rule *r)
{
  rc_sim_xml_open(c, "member");
  if (!r) {
    rc_sim_xml_str(c, "RuleArn", l->default_rule_arn);
    rc_sim_xml_str(c, "Priority", "default");
    rc_sim_xml_empty(c, "Conditions");
    write_actions(c, "Actions", l->acts, l->n_acts);
    rc_sim_xml_bool(c, "IsDefault", true);
    rc_sim_xml_close(c, "member");
    return;
  }
  rc_sim_xml_str(c, "RuleArn", r->r.arn);
  rc_sim_xml_strf(c, "Priority", "%d", r->priority);
  rc_sim_xml_open(c, "Conditions");
  static const char *const cfg[][2] = {{"path-pattern", "PathPatternConfig"},
                                       {"host-header", "HostHeaderConfig"},
                                       {"http-request-method", "HttpRequestMethodConfig"},
                                       {"source-ip", "SourceIpConfig"},
                                       {NULL, NULL}};
  for (size_t i = 0; i < r->n_conds; i++) {
    const struct elb_cond *x = &r->conds[i];
    rc_sim_xml_open(c, "member");
    rc_sim_xml_str(c, "Field", x->field);
    rc_sim_xml_open(c, "Values");
    for (size_t k = 0; k < x->n; k++) rc_sim_xml_str(c, "member", x->values[k]);
    rc_sim_xml_close(c, "Values");
    for (size_t k = 0; cfg[k][0]; k++) {
      if (strcmp(cfg[k][0], x->field) != 0) continue;
      rc_sim_xml_open(c, cfg[k][1]);
      rc_sim_xml_open(c, "Values");
      for (size_t j = 0; j < x->n; j++) rc_sim_xml_str(c, "member", x->values[j]);
      rc_sim_xml_close(c, "Values");
      rc_sim_xml_close(c, cfg[k][1]);
    }
    rc_sim_xml_close(c, "member");
  }
  rc_sim_xml_close(c, "Conditions");
  write_actions(c, "Actions", r->acts, r->n_acts);
  rc_sim_xml_bool(c, "IsDefault", false);
  rc_sim_xml_close(c, "member");
}

static void reply_rule(struct rc_sim_call *c, const struct elb_listener *l,
                       const struct elb_rule *r)
{
  rc_sim_reply_begin(c);
  rc_sim_xml_open(c, "Rules");
  write_rule(c, l, r);
  rc_sim_xml_close(c, "Rules");
  rc_sim_reply_end(c);
}

static bool priority_free(struct rc_sim_call *c, const struct elb_listener *l, int prio,
                          const struct elb_rule *self)
{
  for (size_t i = 0; i < l->rules.n; i++) {
    const struct elb_rule *o = l->rules.v[i];
    if (o != self && o->priority == prio) {
      rc_sim_error(c, 400, "PriorityInUse", "Priority '%d' is currently in use", prio);
      return false;
    }
  }
  return true;
}

void rc_elb__op_create_rule(struct rc_sim_call *c)
{
  struct elb_listener *l = listener_param(c);
  if (!l) return;
  int64_t prio = 0;
  bool bad = false;
  if (!rc_sim_param_int(c, "Priority", &prio, &bad) && !bad) {
    rc_sim_error_missing(c, "priority");
    return;
  }
  if (bad || prio < 1 || prio > 50000) {
    rc_sim_error(c, 400, "ValidationError",
                 "1 validation error detected: Value '%s' at 'priority' failed to satisfy "
                 "constraint: Member must have value between 1 and 50000",
                 rc_sim_param(c, "Priority"));
    return;
  }
  if (!priority_free(c, l, (int)prio, NULL)) return;
  struct elb_rule *r = rc_calloc(1, sizeof *r);
  r->priority = (int)prio;
  if (!conds_param(c, &r->conds, &r->n_conds) ||
      !actions_param(c, "Actions", l->lb, &r->acts, &r->n_acts) ||
      !rc_elb__tags_param(c, &r->r.tags)) {
    rule_free(r);
    return;
  }
  char id[20];
  rc_sim_hex(16, id, sizeof id);
  const char *tail = strstr(l->r.arn, ":listener/") + 10;
  rc_elb__res_init(c, &r->r, rc_sim_arn(c, "elasticloadbalancing", NULL,
                                        "listener-rule/%s/%s", tail, id));
  rc_elb__push(&l->rules, r);
  reply_rule(c, l, r);
}

static int prio_cmp(const void *a, const void *b)
{
  const struct elb_rule *x = *(const struct elb_rule *const *)a;
  const struct elb_rule *y = *(const struct elb_rule *const *)b;
  return (x->priority > y->priority) - (x->priority < y->priority);
}

void rc_elb__op_describe_rules(struct rc_sim_call *c)
{
  size_t start, limit;
  if (!rc_elb__page(c, &start, &limit)) return;
  const char **arns;
  size_t na = rc_elb__list(c, "RuleArns", &arns);
  const char *larn = rc_sim_param(c, "ListenerArn");
  /* a NULL rule with its listener stands for the default rule */
  struct pick {
    struct elb_listener *l;
    struct elb_rule *r;
  } *sel = NULL;
  size_t n = 0;
  if (!na && !larn) {
    rc_sim_error(c, 400, "ValidationError", "You must specify either listener ARN or rule ARNs");
    goto out;
  }
  if (larn) {
    struct elb_listener *l = rc_elb__listener_find(c, larn);
    if (!l) {
      rc_sim_error(c, 400, "ListenerNotFound", "Listener '%s' not found", larn);
      goto out;
    }
    struct elb_rule **sorted = rc_calloc(l->rules.n + 1, sizeof *sorted);
    size_t m = 0;
    for (size_t i = 0; i < l->rules.n; i++) {
      struct elb_rule *r = l->rules.v[i];
      if (rc_elb__seen(c, &r->r)) sorted[m++] = r;
    }
    qsort(sorted, m, sizeof *sorted, prio_cmp);
    sel = rc_calloc(m + 1, sizeof *sel);
    for (size_t i = 0; i < m; i++) sel[n++] = (struct pick){l, sorted[i]};
    sel[n++] = (struct pick){l, NULL};
    rc_free(sorted);
  } else {
    sel = rc_calloc(na, sizeof *sel);
    for (size_t i = 0; i < na; i++) {
      struct elb_listener *owner = NULL;
      struct elb_rule *r = rc_elb__rule_find(c, arns[i], &owner);
      if (!r)
        for (size_t k = 0; k < rc_elb__listeners.n && !owner; k++) {
          struct elb_listener *l = rc_elb__listeners.v[k];
          if (strcmp(l->default_rule_arn, arns[i]) == 0) owner = l;
        }
      if (!owner) {
        rc_sim_error(c, 400, "RuleNotFound", "One or more rules not found");
        goto out;
      }
      sel[n++] = (struct pick){owner, r};
    }
  }
  rc_sim_reply_begin(c);
  rc_sim_xml_open(c, "Rules");
  size_t shown = 0;
  for (size_t i = start; i < n && shown < limit; i++, shown++) write_rule(c, sel[i].l, sel[i].r);
  rc_sim_xml_close(c, "Rules");
  rc_elb__marker(c, start, shown, n);
  rc_sim_reply_end(c);
out:
  rc_free(sel);
  rc_free(arns);
}

static struct elb_rule *rule_param(struct rc_sim_call *c, struct elb_listener **owner)
{
  const char *arn = rc_sim_param(c, "RuleArn");
  if (!arn) {
    rc_sim_error_missing(c, "ruleArn");
    return NULL;
  }
  struct elb_rule *r = rc_elb__rule_find(c, arn, owner);
  if (!r) {
    for (size_t k = 0; k < rc_elb__listeners.n; k++) {
      struct elb_listener *l = rc_elb__listeners.v[k];
      if (strcmp(l->default_rule_arn, arn) == 0) {
        rc_sim_error(c, 400, "OperationNotPermitted", "Default rule '%s' cannot be modified or "
                     "deleted this way", arn);
        return NULL;
      }
    }
    rc_sim_error(c, 400, "RuleNotFound", "Rule '%s' not found", arn);
  }
  return r;
}

void rc_elb__op_modify_rule(struct rc_sim_call *c)
{
  struct elb_listener *l;
  struct elb_rule *r = rule_param(c, &l);
  if (!r) return;
  struct elb_cond *cd = NULL;
  size_t ncd = 0;
  struct elb_action *a = NULL;
  size_t na = 0;
  if (rc_sim_param_max(c, "Conditions.member") > 0 && !conds_param(c, &cd, &ncd)) return;
  if (rc_sim_param_max(c, "Actions.member") > 0 && !actions_param(c, "Actions", l->lb, &a, &na)) {
    conds_free(cd, ncd);
    return;
  }
  if (cd) {
    conds_free(r->conds, r->n_conds);
    r->conds = cd;
    r->n_conds = ncd;
  }
  if (a) {
    rc_elb__actions_free(r->acts, r->n_acts);
    r->acts = a;
    r->n_acts = na;
  }
  reply_rule(c, l, r);
}

void rc_elb__op_delete_rule(struct rc_sim_call *c)
{
  struct elb_listener *l;
  struct elb_rule *r = rule_param(c, &l);
  if (!r) return;
  rc_elb__remove(&l->rules, r);
  rule_free(r);
  rc_sim_reply_begin(c);
  rc_sim_reply_end(c);
}

void rc_elb__op_set_rule_priorities(struct rc_sim_call *c)
{
  int max = rc_sim_param_max(c, "RulePriorities.member");
  struct elb_listener *l = NULL;
  for (int i = 1; i <= max; i++) {
    const char *arn = rc_sim_paramf(c, "RulePriorities.member.%d.RuleArn", i);
    const char *p = rc_sim_paramf(c, "RulePriorities.member.%d.Priority", i);
    struct elb_rule *r = arn ? rc_elb__rule_find(c, arn, &l) : NULL;
    if (!r) {
      rc_sim_error(c, 400, "RuleNotFound", "Rule '%s' not found", arn ? arn : "");
      return;
    }
    char *end;
    long v = p ? strtol(p, &end, 10) : 0;
    if (!p || *end || v < 1 || v > 50000) {
      rc_sim_error(c, 400, "ValidationError", "Priority must be between 1 and 50000");
      return;
    }
    r->priority = (int)v;
  }
  rc_sim_reply_begin(c);
  rc_sim_xml_open(c, "Rules");
  for (int i = 1; i <= max; i++) {
    struct elb_listener *o = NULL;
    struct elb_rule *r = rc_elb__rule_find(c, rc_sim_paramf(c, "RulePriorities.member.%d.RuleArn", i), &o);
    if (r) write_rule(c, o, r);
  }
  rc_sim_xml_close(c, "Rules");
  rc_sim_reply_end(c);
}
