/* lb_listener_rule — aws_lb_listener_rule (alias aws_alb_listener_rule):
 * CreateRule with actions, conditions and tags at birth; priority taken
 * from the configuration or, when unset, the next free one after the
 * listener's highest (retried on PriorityInUse when rules are created in
 * parallel); SetRulePriorities for a new priority and ModifyRule for new
 * actions or conditions in place. A refresh is one DescribeRules per 20
 * ARNs and one DescribeTags per 20; listener_arn is derived from the rule's
 * ARN as the provider does. find() lists the listener's rules and adopts
 * the one carrying this stack's and address's tags. id = arn. */
#include <stdio.h>
#include <string.h>

#include "elbutil.h"
#include "rc_alloc.h"

#define RULE_PRIORITY_S 60

static const struct rc_attr rule_schema[] = {
    {.name = "id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "action",
     .type = RC_T_BLOCK_LIST,
     .flags = RC_A_REQUIRED,
     .block = rc_elbu_action_schema,
     .normalise = rc_elbu_norm_actions},
    {.name = "arn", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "condition",
     .type = RC_T_BLOCK_SET,
     .flags = RC_A_REQUIRED,
     .block = rc_elbu_condition_schema,
     .normalise = rc_elbu_norm_conditions},
    {.name = "listener_arn", .type = RC_T_STRING, .flags = RC_A_REQUIRED | RC_A_FORCE_NEW},
    {.name = "priority", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    RC_SVCU_TAGS,
    {0}};

/* arn:...:listener-rule/app/lb/LBID/LID/RID → arn:...:listener/app/lb/LBID/LID */
static char *listener_of(const char *rule_arn)
{
  const char *p = rule_arn ? strstr(rule_arn, ":listener-rule/") : NULL;
  const char *slash = rule_arn ? strrchr(rule_arn, '/') : NULL;
  if (!p || !slash || slash < p) return NULL;
  return rc_asprintf("%.*s:listener/%.*s", (int)(p - rule_arn), rule_arn,
                     (int)(slash - (p + strlen(":listener-rule/"))), p + strlen(":listener-rule/"));
}

static struct rc_value *rule_state(struct rc_rctx *ctx, const struct rc_value *r,
                                   const struct rc_value *attrs, const struct rc_value *tags,
                                   const struct rc_value *prior)
{
  (void)attrs;
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  const char *arn = rc_aws_str(r, "RuleArn");
  rc_svcu_put_str(o, "id", arn);
  rc_svcu_put_str(o, "arn", arn);
  char *l = listener_of(arn);
  rc_svcu_put_str(o, "listener_arn", l);
  rc_free(l);
  rc_svcu_put_int(o, "priority", rc_value_get(r, "Priority"));
  rc_value_obj_put(o, "action",
                   rc_elbu_actions_state(rc_aws_list(r, "Actions"),
                                         prior ? rc_value_get(prior, "action") : NULL));
  rc_value_obj_put(o, "condition", rc_elbu_conditions_state(rc_aws_list(r, "Conditions")));
  rc_res_put_tags(ctx, o, tags);
  return o;
}

static const struct rc_elbu_kind rule_kind = {
    .what = "listener rule",
    .op = "DescribeRules",
    .arn_param = "RuleArns",
    .list_key = "Rules",
    .arn_key = "RuleArn",
    .state = rule_state,
};

static rc_status rule_read_many(struct rc_rctx *ctx, struct rc_read_item *items, size_t n)
{
  return rc_elbu_read_many(ctx, &rule_kind, items, n);
}

static rc_status rule_find(struct rc_rctx *ctx, const struct rc_value *config,
                           struct rc_value **out, struct rc_error *err)
{
  return rc_elbu_find_by_tags(ctx, &rule_kind, "ListenerArn", rc_res_str(config, "listener_arn"),
                              config, out, err);
}

/* the next free priority: one past the listener's highest */
static rc_status next_priority(struct rc_rctx *ctx, const char *listener, int64_t *prio,
                               struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *list = NULL;
  rc_aws_param(p, "ListenerArn", listener);
  rc_status st = rc_aws_call_all(ctx->aws, "elbv2", "DescribeRules", p, "Rules", &list, err);
  rc_value_decref(p);
  int64_t max = 0;
  for (size_t i = 0; !st && i < rc_value_len(list); i++) {
    int64_t v = rc_svcu_int(rc_value_get(rc_value_index(list, i), "Priority"), 0);
    if (v > max) max = v;
  }
  rc_value_decref(list);
  *prio = max + 1;
  return st;
}

static bool has_priority(const struct rc_value *config)
{
  const struct rc_value *v = rc_value_get(config, "priority");
  return v && !rc_value_is_null(v) && rc_value_is_known(v);
}

static rc_status rule_create(struct rc_rctx *ctx, const struct rc_value *config,
                             struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  const char *listener = rc_res_str(config, "listener_arn");
  bool fixed = has_priority(config);
  int64_t deadline = rc_res_now_ms() + (int64_t)RULE_PRIORITY_S * 1000;
  struct rc_value *ans = NULL;
  rc_status st;
  for (;;) {
    int64_t prio = rc_res_int(config, "priority", 0);
    st = fixed ? RC_OK : next_priority(ctx, listener, &prio, err);
    if (st) return st;
    struct rc_value *p = rc_value_obj_new(RC_OBJECT);
    rc_aws_param(p, "ListenerArn", listener);
    rc_value_obj_put(p, "Priority", rc_value_int(prio));
    rc_elbu_action_params(p, "Actions", rc_value_get(config, "action"));
    rc_elbu_condition_params(p, rc_value_get(config, "condition"));
    rc_elbu_birth_tags(ctx, p, config);
    static const char *const retry[] = {"TargetGroupNotFound", "ListenerNotFound", NULL};
    struct rc_error e = {0};
    st = rc_svcu_call_retrying(ctx, "elbv2", "CreateRule", p, retry, RC_ELBU_VISIBLE_S, &ans, &e);
    rc_value_decref(p);
    /* another rule took the next free priority meanwhile: count again */
    if (st && !fixed && strstr(e.aws_code, "PriorityInUse") && rc_res_now_ms() < deadline) {
      if (rc_res_sleep(ctx, 200)) return rc_error_set(err, RC_CANCELLED, "cancelled");
      continue;
    }
    if (st && err) *err = e;
    break;
  }
  const struct rc_value *l = rc_aws_list(ans, "Rules");
  const char *arn = rc_value_len(l) ? rc_aws_str(rc_value_index(l, 0), "RuleArn") : NULL;
  char *id = arn ? rc_strdup(arn) : NULL;
  rc_value_decref(ans);
  if (!st && !id) st = rc_error_set(err, RC_AWS, "CreateRule answered no ARN");
  if (!st) st = rc_elbu_read_one(ctx, &rule_kind, id, config, RC_ELBU_VISIBLE_S, out, err);
  rc_free(id);
  return st;
}

static bool block_changed(const char *name, const struct rc_value *prior,
                          const struct rc_value *config)
{
  const struct rc_attr *a = rc_schema_attr(rule_schema, name);
  const struct rc_value *c = rc_value_get(config, name), *p = rc_value_get(prior, name);
  struct rc_value *x = c ? a->normalise(c) : NULL, *y = p ? a->normalise(p) : NULL;
  bool ch = !(x && y && rc_value_equal(x, y));
  rc_value_decref(x);
  rc_value_decref(y);
  return ch;
}

static rc_status rule_update(struct rc_rctx *ctx, const struct rc_value *prior,
                             const struct rc_value *config, struct rc_value **out,
                             struct rc_error *err)
{
  *out = NULL;
  const char *arn = rc_res_str(prior, "id");
  rc_status st = RC_OK;
  if (has_priority(config) && rc_res_int(config, "priority", 0) != rc_res_int(prior, "priority", 0)) {
    struct rc_value *p = rc_value_obj_new(RC_OBJECT);
    rc_aws_param(p, "RulePriorities.member.1.RuleArn", arn);
    rc_value_obj_put(p, "RulePriorities.member.1.Priority",
                     rc_value_int(rc_res_int(config, "priority", 0)));
    st = rc_svcu_call(ctx, "elbv2", "SetRulePriorities", p, err);
    rc_value_decref(p);
  }
  if (!st && (block_changed("action", prior, config) || block_changed("condition", prior, config))) {
    struct rc_value *p = rc_value_obj_new(RC_OBJECT);
    rc_aws_param(p, "RuleArn", arn);
    rc_elbu_action_params(p, "Actions", rc_value_get(config, "action"));
    rc_elbu_condition_params(p, rc_value_get(config, "condition"));
    static const char *const retry[] = {"TargetGroupNotFound", NULL};
    st = rc_svcu_call_retrying(ctx, "elbv2", "ModifyRule", p, retry, RC_ELBU_VISIBLE_S, NULL, err);
    rc_value_decref(p);
  }
  if (!st) st = rc_elbu_update_tags(ctx, arn, prior, config, err);
  if (!st) st = rc_elbu_read_one(ctx, &rule_kind, arn, config, RC_ELBU_VISIBLE_S, out, err);
  return st;
}

static rc_status rule_delete(struct rc_rctx *ctx, const struct rc_value *state,
                             struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_aws_param(p, "RuleArn", rc_res_str(state, "id"));
  rc_status st = rc_svcu_call(ctx, "elbv2", "DeleteRule", p, err);
  rc_value_decref(p);
  return st;
}

static rc_status rule_import(struct rc_rctx *ctx, const char *id, struct rc_value **out,
                             struct rc_error *err)
{
  return rc_elbu_read_one(ctx, &rule_kind, id, NULL, 0, out, err);
}

static const char *const rule_aliases[] = {"aws_alb_listener_rule", NULL};

const struct rc_resource_type rc_rt_lb_listener_rule = {
    .name = "aws_lb_listener_rule",
    .aliases = rule_aliases,
    .flags = RC_RT_TAGGABLE,
    .schema = rule_schema,
    .read_many = rule_read_many,
    .find = rule_find,
    .create = rule_create,
    .update = rule_update,
    .delete = rule_delete,
    .import = rule_import,
};
