/* elbv2.c — ELBv2 (query protocol, 2015-12-01): the service row, shared
 * helpers (vectors, lookups by ARN, tags, attributes, paging) and the tag
 * operations. Load balancers are in elbv2_lb.c, target groups and targets in
 * elbv2_tg.c, listeners and rules in elbv2_listener.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/rc_alloc.h"
#include "elbv2_int.h"
#include "svc_json.h"

struct elb_vec rc_elb__lbs, rc_elb__tgs, rc_elb__listeners;
int rc_elb__alb_delay_ms = 1000, rc_elb__health_ms = 1000, rc_elb__drain_ms = 1000;

void rc_elb__push(struct elb_vec *vec, void *p)
{
  vec->v = rc_realloc(vec->v, (vec->n + 1) * sizeof *vec->v);
  vec->v[vec->n++] = p;
}

void rc_elb__remove(struct elb_vec *vec, const void *p)
{
  for (size_t i = 0; i < vec->n; i++) {
    if (vec->v[i] != p) continue;
    memmove(&vec->v[i], &vec->v[i + 1], (vec->n - i - 1) * sizeof *vec->v);
    vec->n--;
    return;
  }
}

bool rc_elb__seen(const struct rc_sim_call *c, const struct elb_res *r)
{
  return rc_sim_visible(c, r->visible_at) && rc_sim_arn_in_region(c, r->arn);
}

static void *vec_find(const struct rc_sim_call *c, const struct elb_vec *vec, const char *arn)
{
  if (!arn) return NULL;
  for (size_t i = 0; i < vec->n; i++) {
    struct elb_res *r = vec->v[i];
    if (strcmp(r->arn, arn) == 0) return rc_elb__seen(c, r) ? r : NULL;
  }
  return NULL;
}

struct elb_lb *rc_elb__lb_find(const struct rc_sim_call *c, const char *arn)
{
  return vec_find(c, &rc_elb__lbs, arn);
}

struct elb_tg *rc_elb__tg_find(const struct rc_sim_call *c, const char *arn)
{
  return vec_find(c, &rc_elb__tgs, arn);
}

struct elb_listener *rc_elb__listener_find(const struct rc_sim_call *c, const char *arn)
{
  return vec_find(c, &rc_elb__listeners, arn);
}

struct elb_rule *rc_elb__rule_find(const struct rc_sim_call *c, const char *arn,
                                   struct elb_listener **owner)
{
  if (!arn) return NULL;
  for (size_t i = 0; i < rc_elb__listeners.n; i++) {
    struct elb_listener *l = rc_elb__listeners.v[i];
    struct elb_rule *r = vec_find(c, &l->rules, arn);
    if (r) {
      if (owner) *owner = l;
      return r;
    }
  }
  return NULL;
}

struct elb_res *rc_elb__res_find(const struct rc_sim_call *c, const char *arn)
{
  struct elb_res *r = vec_find(c, &rc_elb__lbs, arn);
  if (!r) r = vec_find(c, &rc_elb__tgs, arn);
  if (!r) r = vec_find(c, &rc_elb__listeners, arn);
  if (!r) r = (struct elb_res *)rc_elb__rule_find(c, arn, NULL);
  return r;
}

void rc_elb__res_init(struct rc_sim_call *c, struct elb_res *r, char *arn_steal)
{
  r->arn = arn_steal;
  r->created_ms = c->now_ms;
  r->visible_at = rc_sim_visible_at(c);
}

void rc_elb__res_free(struct elb_res *r)
{
  rc_free(r->arn);
  rc_sim_tags_free(&r->tags);
}

size_t rc_elb__tg_lbs(const struct elb_tg *tg, const struct elb_lb **out, size_t max)
{
  size_t n = 0;
  for (size_t i = 0; i < rc_elb__listeners.n; i++) {
    const struct elb_listener *l = rc_elb__listeners.v[i];
    bool uses = rc_elb__actions_use_tg(l->acts, l->n_acts, tg->r.arn);
    for (size_t k = 0; !uses && k < l->rules.n; k++) {
      const struct elb_rule *ru = l->rules.v[k];
      uses = rc_elb__actions_use_tg(ru->acts, ru->n_acts, tg->r.arn);
    }
    if (!uses) continue;
    bool dup = false;
    for (size_t k = 0; k < n; k++) dup = dup || out[k] == l->lb;
    if (!dup && n < max) out[n++] = l->lb;
  }
  return n;
}

bool rc_elb__tg_in_use(const struct elb_tg *tg)
{
  const struct elb_lb *one;
  return rc_elb__tg_lbs(tg, &one, 1) > 0;
}

bool rc_elb__tags_param(struct rc_sim_call *c, struct rc_sim_tags *out)
{
  rc_sim_tags_from_params(c, "Tags.member", out);
  if (out->n > 50) {
    rc_sim_error(c, 400, "TooManyTags", "The quota for the number of tags per resource has been"
                 " reached");
    return false;
  }
  return true;
}

bool rc_elb__attrs_modify(struct rc_sim_call *c, struct rc_sim_tags *attrs, const char *what)
{
  int max = rc_sim_param_max(c, "Attributes.member");
  if (max == 0) {
    rc_sim_error_missing(c, "attributes");
    return false;
  }
  for (int i = 1; i <= max; i++) {
    const char *k = rc_sim_paramf(c, "Attributes.member.%d.Key", i);
    if (!k) continue;
    if (!rc_sim_tags_get(attrs, k)) {
      rc_sim_error(c, 400, "InvalidConfigurationRequest",
                   "%s attribute key '%s' is not recognized", what, k);
      return false;
    }
  }
  for (int i = 1; i <= max; i++) {
    const char *k = rc_sim_paramf(c, "Attributes.member.%d.Key", i);
    const char *v = rc_sim_paramf(c, "Attributes.member.%d.Value", i);
    if (k) rc_sim_tags_set(attrs, k, v ? v : "");
  }
  return true;
}

bool rc_elb__attr_in_range(struct rc_sim_call *c, const char *key, long lo, long hi,
                           const char *msg)
{
  int max = rc_sim_param_max(c, "Attributes.member");
  for (int i = 1; i <= max; i++) {
    const char *k = rc_sim_paramf(c, "Attributes.member.%d.Key", i);
    const char *v = rc_sim_paramf(c, "Attributes.member.%d.Value", i);
    if (!k || !v || strcmp(k, key) != 0) continue;
    char *end;
    long t = strtol(v, &end, 10);
    if (*end || end == v || t < lo || t > hi) {
      rc_sim_error(c, 400, "InvalidConfigurationRequest", "%s", msg);
      return false;
    }
  }
  return true;
}

void rc_elb__attrs_reply(struct rc_sim_call *c, const struct rc_sim_tags *attrs)
{
  rc_sim_reply_begin(c);
  rc_sim_xml_tags(c, "Attributes", "member", "Key", "Value", attrs);
  rc_sim_reply_end(c);
}

bool rc_elb__page(struct rc_sim_call *c, size_t *start, size_t *limit)
{
  return rc_svcq_page(c, "PageSize", "Marker", 1, 400, 400, "ValidationError", start, limit);
}

void rc_elb__marker(struct rc_sim_call *c, size_t start, size_t shown, size_t total)
{
  if (start + shown < total) {
    char tok[40];
    rc_sim_page_token(start + shown, tok, sizeof tok);
    rc_sim_xml_str(c, "NextMarker", tok);
  }
}

size_t rc_elb__list(const struct rc_sim_call *c, const char *prefix, const char ***out)
{
  char p[128];
  snprintf(p, sizeof p, "%s.member", prefix);
  return rc_sim_param_list(c, p, out);
}

/* The not-found error for an ARN by its resource kind. */
static void not_found(struct rc_sim_call *c, const char *arn)
{
  const char *k = strstr(arn, ":listener-rule/")   ? "RuleNotFound"
                  : strstr(arn, ":listener/")      ? "ListenerNotFound"
                  : strstr(arn, ":targetgroup/")   ? "TargetGroupNotFound"
                  : strstr(arn, ":loadbalancer/")  ? "LoadBalancerNotFound"
                                                   : NULL;
  if (!k) {
    rc_sim_error(c, 400, "ValidationError", "'%s' is not a valid resource ARN", arn);
    return;
  }
  const char *what = k[0] == 'R' ? "Rule" : k[0] == 'L' && k[1] == 'i' ? "Listener"
                     : k[0] == 'T' ? "Target group" : "Load balancer";
  rc_sim_error(c, 400, k, "%s '%s' not found", what, arn);
}

/* The resources named by ResourceArns.member.N, all found; else answered. */
static size_t resources_param(struct rc_sim_call *c, struct elb_res ***out)
{
  const char **arns;
  size_t n = rc_elb__list(c, "ResourceArns", &arns);
  *out = NULL;
  if (n == 0) {
    rc_free(arns);
    rc_sim_error_missing(c, "resourceArns");
    return 0;
  }
  if (n > 20) {
    rc_free(arns);
    rc_sim_error(c, 400, "ValidationError",
                 "1 validation error detected: Value at 'resourceArns' failed to satisfy "
                 "constraint: Member must have length less than or equal to 20");
    return 0;
  }
  struct elb_res **v = rc_calloc(n, sizeof *v);
  for (size_t i = 0; i < n; i++) {
    v[i] = rc_elb__res_find(c, arns[i]);
    if (!v[i]) {
      not_found(c, arns[i]);
      rc_free(v);
      rc_free(arns);
      return 0;
    }
  }
  rc_free(arns);
  *out = v;
  return n;
}

static void op_add_tags(struct rc_sim_call *c)
{
  struct elb_res **v;
  size_t n = resources_param(c, &v);
  if (!n) return;
  struct rc_sim_tags add = {0};
  rc_sim_tags_from_params(c, "Tags.member", &add);
  for (size_t i = 0; i < n; i++) {
    size_t total = v[i]->tags.n;
    for (size_t k = 0; k < add.n; k++)
      if (!rc_sim_tags_get(&v[i]->tags, add.v[k].key)) total++;
    if (total > 50) {
      rc_sim_error(c, 400, "TooManyTags", "The quota for the number of tags per resource has "
                   "been reached");
      goto out;
    }
  }
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < add.n; k++) rc_sim_tags_set(&v[i]->tags, add.v[k].key, add.v[k].value);
  rc_sim_reply_begin(c);
  rc_sim_reply_end(c);
out:
  rc_sim_tags_free(&add);
  rc_free(v);
}

static void op_remove_tags(struct rc_sim_call *c)
{
  struct elb_res **v;
  size_t n = resources_param(c, &v);
  if (!n) return;
  const char **keys;
  size_t nk = rc_elb__list(c, "TagKeys", &keys);
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < nk; k++) rc_sim_tags_del(&v[i]->tags, keys[k], NULL);
  rc_free(keys);
  rc_free(v);
  rc_sim_reply_begin(c);
  rc_sim_reply_end(c);
}

static void op_describe_tags(struct rc_sim_call *c)
{
  struct elb_res **v;
  size_t n = resources_param(c, &v);
  if (!n) return;
  rc_sim_reply_begin(c);
  rc_sim_xml_open(c, "TagDescriptions");
  for (size_t i = 0; i < n; i++) {
    rc_sim_xml_open(c, "member");
    rc_sim_xml_str(c, "ResourceArn", v[i]->arn);
    rc_sim_xml_tags(c, "Tags", "member", "Key", "Value", &v[i]->tags);
    rc_sim_xml_close(c, "member");
  }
  rc_sim_xml_close(c, "TagDescriptions");
  rc_sim_reply_end(c);
  rc_free(v);
}

static void elbv2_reset(void)
{
  for (size_t i = 0; i < rc_elb__listeners.n; i++) rc_elb__listener_free(rc_elb__listeners.v[i]);
  for (size_t i = 0; i < rc_elb__lbs.n; i++) rc_elb__lb_free(rc_elb__lbs.v[i]);
  for (size_t i = 0; i < rc_elb__tgs.n; i++) rc_elb__tg_free(rc_elb__tgs.v[i]);
  rc_free(rc_elb__listeners.v);
  rc_free(rc_elb__lbs.v);
  rc_free(rc_elb__tgs.v);
  memset(&rc_elb__listeners, 0, sizeof rc_elb__listeners);
  memset(&rc_elb__lbs, 0, sizeof rc_elb__lbs);
  memset(&rc_elb__tgs, 0, sizeof rc_elb__tgs);
}

static const struct rc_sim_op elbv2_ops[] = {
    {"CreateLoadBalancer", rc_elb__op_create_lb, false},
    {"DescribeLoadBalancers", rc_elb__op_describe_lbs, false},
    {"DeleteLoadBalancer", rc_elb__op_delete_lb, false},
    {"DescribeLoadBalancerAttributes", rc_elb__op_describe_lb_attrs, false},
    {"ModifyLoadBalancerAttributes", rc_elb__op_modify_lb_attrs, false},
    {"SetSecurityGroups", rc_elb__op_set_sgs, false},
    {"SetSubnets", rc_elb__op_set_subnets, false},
    {"CreateTargetGroup", rc_elb__op_create_tg, false},
    {"DescribeTargetGroups", rc_elb__op_describe_tgs, false},
    {"ModifyTargetGroup", rc_elb__op_modify_tg, false},
    {"DeleteTargetGroup", rc_elb__op_delete_tg, false},
    {"DescribeTargetGroupAttributes", rc_elb__op_describe_tg_attrs, false},
    {"ModifyTargetGroupAttributes", rc_elb__op_modify_tg_attrs, false},
    {"RegisterTargets", rc_elb__op_register, false},
    {"DeregisterTargets", rc_elb__op_deregister, false},
    {"DescribeTargetHealth", rc_elb__op_describe_health, false},
    {"CreateListener", rc_elb__op_create_listener, false},
    {"DescribeListeners", rc_elb__op_describe_listeners, false},
    {"ModifyListener", rc_elb__op_modify_listener, false},
    {"DeleteListener", rc_elb__op_delete_listener, false},
    {"CreateRule", rc_elb__op_create_rule, false},
    {"DescribeRules", rc_elb__op_describe_rules, false},
    {"ModifyRule", rc_elb__op_modify_rule, false},
    {"DeleteRule", rc_elb__op_delete_rule, false},
    {"SetRulePriorities", rc_elb__op_set_rule_priorities, false},
    {"AddTags", op_add_tags, false},
    {"RemoveTags", op_remove_tags, false},
    {"DescribeTags", op_describe_tags, false},
    {NULL, NULL, false},
};

static const struct rc_sim_flag elbv2_flags[] = {
    {"alb-delay-ms", RC_SIM_FLAG_INT, &rc_elb__alb_delay_ms,
     "load balancers stay provisioning this long (default 1000)"},
    {"target-health-ms", RC_SIM_FLAG_INT, &rc_elb__health_ms,
     "registered targets leave 'initial' after this long (default 1000)"},
    {"target-drain-ms", RC_SIM_FLAG_INT, &rc_elb__drain_ms,
     "deregistered targets drain at most this long (default 1000)"},
    {NULL, RC_SIM_FLAG_INT, NULL, NULL},
};

const struct rc_sim_service rc_sim_svc_elbv2 = {
    .name = "elasticloadbalancing",
    .protocol = RC_SIM_QUERY,
    .xmlns = ELB_XMLNS,
    .ops = elbv2_ops,
    .throttle_code = "Throttling",
    .throttle_status = 400,
    .flags = elbv2_flags,
    .reset = elbv2_reset,
    .save = rc_elb__save,
    .load = rc_elb__load,
};
