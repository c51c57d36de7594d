/* iam_role — aws_iam_role: CreateRole with tags at birth, the trust policy
 * compared semantically (rc_svcu_norm_policy) and decoded from IAM's
 * URL-encoding on read, UpdateRole / UpdateAssumeRolePolicy /
 * Put|DeleteRolePermissionsBoundary / TagRole|UntagRole in place. IAM has no
 * batch read: a refresh runs one GetRole per role, concurrently; the tags
 * come with it. Deleting detaches managed policies and removes inline ones
 * first when force_detach_policies is set, and retries DeleteConflict while
 * attachments being destroyed in parallel are released. */
#include <string.h>

#include "rc_alloc.h"
#include "svcutil.h"

#define ROLE_VISIBLE_S 60

static const struct rc_attr role_schema[] = {
    {.name = "id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "arn", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "assume_role_policy",
     .type = RC_T_STRING,
     .flags = RC_A_REQUIRED | RC_A_JSON,
     .normalise = rc_svcu_norm_policy},
    {.name = "create_date", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "description", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "force_detach_policies", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    {.name = "max_session_duration", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL, .default_json = "3600"},
    {.name = "name", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "name_prefix",
     .type = RC_T_STRING,
     .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "path", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW, .default_json = "\"/\""},
    {.name = "permissions_boundary", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    RC_SVCU_TAGS,
    {.name = "unique_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {0}};

static struct rc_value *name_param(const char *name)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_aws_param(p, "RoleName", name);
  return p;
}

static struct rc_value *read_params(void *ud, const struct rc_read_item *it)
{
  return name_param(it->id ? it->id : "");
}

static struct rc_value *read_state(struct rc_rctx *ctx, void *ud,
                                   const struct rc_read_item *it,
                                   const struct rc_value *answer)
{
  const struct rc_value *r = rc_value_get(answer, "Role");
  return r ? rc_svcu_iam_role_state(ctx, r, it->prior) : NULL;
}

static rc_status role_read_many(struct rc_rctx *ctx, struct rc_read_item *items, size_t n)
{
  static const struct rc_res_read_each how = {
      .service = "iam", .op = "GetRole", .params = read_params, .state = read_state};
  return rc_res_read_each(ctx, &how, NULL, items, n);
}

/* true when the role carries this stack's and address's tags */
static bool ours(const struct rc_rctx *ctx, const struct rc_value *role)
{
  struct rc_value *tags = rc_aws_tags_to_object(rc_aws_list(role, "Tags"));
  char *enc = rc_res_address_encode(ctx->address);
  const char *s = rc_res_str(tags, RC_TAG_STACK), *a = rc_res_str(tags, RC_TAG_ADDRESS);
  bool yes = s && a && strcmp(s, ctx->stack) == 0 && strcmp(a, enc) == 0;
  rc_free(enc);
  rc_value_decref(tags);
  return yes;
}

static rc_status role_find(struct rc_rctx *ctx, const struct rc_value *config,
                           struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  char *name = rc_svcu_name(ctx, config, 64);
  struct rc_value *p = name_param(name), *ans = NULL;
  rc_status st = rc_aws_call(ctx->aws, "iam", "GetRole", p, &ans, err);
  rc_value_decref(p);
  rc_free(name);
  if (st == RC_NOT_FOUND) {
    rc_error_clear(err);
    return RC_OK;
  }
  const struct rc_value *r = ans ? rc_value_get(ans, "Role") : NULL;
  if (!st && r && ours(ctx, r)) *out = rc_svcu_iam_role_state(ctx, r, config);
  rc_value_decref(ans);
  return st;
}

static rc_status set_boundary(struct rc_rctx *ctx, const char *name, const char *arn,
                              struct rc_error *err)
{
  struct rc_value *p = name_param(name);
  rc_status st;
  if (arn && *arn) {
    rc_aws_param(p, "PermissionsBoundary", arn);
    st = rc_svcu_call(ctx, "iam", "PutRolePermissionsBoundary", p, err);
  } else {
    st = rc_svcu_call(ctx, "iam", "DeleteRolePermissionsBoundary", p, err);
  }
  rc_value_decref(p);
  return st;
}

static rc_status role_create(struct rc_rctx *ctx, const struct rc_value *config,
                             struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  char *name = rc_svcu_name(ctx, config, 64);
  struct rc_value *p = name_param(name), *ans = NULL;
  const char *s;
  rc_aws_param(p, "Path", (s = rc_res_str(config, "path")) ? s : "/");
  rc_aws_param(p, "AssumeRolePolicyDocument", rc_res_str(config, "assume_role_policy"));
  if ((s = rc_res_str(config, "description")) && *s) rc_aws_param(p, "Description", s);
  rc_value_obj_put(p, "MaxSessionDuration",
                   rc_value_int(rc_res_int(config, "max_session_duration", 3600)));
  if ((s = rc_res_str(config, "permissions_boundary")) && *s)
    rc_aws_param(p, "PermissionsBoundary", s);
  struct rc_value *tags = rc_res_birth_tags(ctx, config);
  rc_svcu_query_tags(p, "Tags", tags);
  rc_value_decref(tags);
  /* a principal that is itself new may not be known to IAM yet */
  static const char *const retry[] = {"Invalid principal", NULL};
  rc_status st = rc_svcu_call_retrying(ctx, "iam", "CreateRole", p, retry,
                                      rc_res_timeout(ctx, "create", 120), &ans, err);
  rc_value_decref(p);
  rc_value_decref(ans);
  if (!st)
    st = rc_res_read_one(ctx, role_read_many, name, config, ROLE_VISIBLE_S, "IAM role",
                         out, err);
  rc_free(name);
  return st;
}

static bool same_str(const char *a, const char *b)
{
  if (!a || !*a) return !b || !*b;
  return b && strcmp(a, b) == 0;
}

static rc_status role_update(struct rc_rctx *ctx, const struct rc_value *prior,
                             const struct rc_value *config, struct rc_value **out,
                             struct rc_error *err)
{
  *out = NULL;
  const char *name = rc_res_str(prior, "id");
  rc_status st = RC_OK;
  const char *desc = rc_res_str(config, "description");
  int64_t ms = rc_res_int(config, "max_session_duration", 3600);
  if (!same_str(desc, rc_res_str(prior, "description")) ||
      ms != rc_res_int(prior, "max_session_duration", 3600)) {
    struct rc_value *p = name_param(name);
    rc_aws_param(p, "Description", desc ? desc : "");
    rc_value_obj_put(p, "MaxSessionDuration", rc_value_int(ms));
    st = rc_svcu_call(ctx, "iam", "UpdateRole", p, err);
    rc_value_decref(p);
  }
  const char *doc = rc_res_str(config, "assume_role_policy");
  char *a = rc_svcu_policy_canon(doc), *b = rc_svcu_policy_canon(rc_res_str(prior, "assume_role_policy"));
  if (!st && doc && !(a && b && strcmp(a, b) == 0)) {
    struct rc_value *p = name_param(name);
    rc_aws_param(p, "PolicyDocument", doc);
    static const char *const retry[] = {"Invalid principal", NULL};
    struct rc_value *ans = NULL;
    st = rc_svcu_call_retrying(ctx, "iam", "UpdateAssumeRolePolicy", p, retry,
                              rc_res_timeout(ctx, "update", 120), &ans, err);
    rc_value_decref(ans);
    rc_value_decref(p);
  }
  rc_free(a);
  rc_free(b);
  const char *pb = rc_res_str(config, "permissions_boundary");
  if (!st && !same_str(pb, rc_res_str(prior, "permissions_boundary")))
    st = set_boundary(ctx, name, pb, err);
  if (!st) {
    struct rc_value *want = rc_res_tags_all(ctx, config), *add, *del;
    rc_svcu_tags_diff(rc_value_get(prior, "tags_all"), want, &add, &del);
    if (rc_value_len(del)) {
      struct rc_value *p = name_param(name);
      for (size_t i = 0; i < rc_value_len(del); i++)
        rc_aws_paramf(p, rc_value_str(rc_value_index(del, i)), "TagKeys.member.%zu", i + 1);
      st = rc_svcu_call(ctx, "iam", "UntagRole", p, err);
      rc_value_decref(p);
    }
    if (!st && rc_value_len(add)) {
      struct rc_value *p = name_param(name);
      rc_svcu_query_tags(p, "Tags", add);
      st = rc_svcu_call(ctx, "iam", "TagRole", p, err);
      rc_value_decref(p);
    }
    rc_value_decref(add);
    rc_value_decref(del);
    rc_value_decref(want);
  }
  if (!st)
    st = rc_res_read_one(ctx, role_read_many, name, config, ROLE_VISIBLE_S, "IAM role",
                         out, err);
  return st;
}

/* detaches every managed policy and deletes every inline one */
static rc_status detach_all(struct rc_rctx *ctx, const char *name, struct rc_error *err)
{
  struct rc_value *p = name_param(name), *list = NULL;
  rc_status st = rc_aws_call_all(ctx->aws, "iam", "ListAttachedRolePolicies", p,
                                 "AttachedPolicies", &list, err);
  for (size_t i = 0; !st && i < rc_value_len(list); i++) {
    struct rc_value *d = name_param(name);
    rc_aws_param(d, "PolicyArn", rc_aws_str(rc_value_index(list, i), "PolicyArn"));
    st = rc_svcu_call(ctx, "iam", "DetachRolePolicy", d, err);
    if (st == RC_NOT_FOUND) st = RC_OK;
    rc_value_decref(d);
  }
  rc_value_decref(list);
  list = NULL;
  if (!st)
    st = rc_aws_call_all(ctx->aws, "iam", "ListRolePolicies", p, "PolicyNames", &list, err);
  for (size_t i = 0; !st && i < rc_value_len(list); i++) {
    struct rc_value *d = name_param(name);
    rc_aws_param(d, "PolicyName", rc_value_str(rc_value_index(list, i)));
    st = rc_svcu_call(ctx, "iam", "DeleteRolePolicy", d, err);
    if (st == RC_NOT_FOUND) st = RC_OK;
    rc_value_decref(d);
  }
  rc_value_decref(list);
  rc_value_decref(p);
  return st;
}

static rc_status role_delete(struct rc_rctx *ctx, const struct rc_value *state,
                             struct rc_error *err)
{
  const char *name = rc_res_str(state, "id");
  rc_status st = RC_OK;
  if (rc_res_bool(state, "force_detach_policies", false)) st = detach_all(ctx, name, err);
  if (st) return st == RC_NOT_FOUND ? RC_OK : st;
  struct rc_value *p = name_param(name), *ans = NULL;
  static const char *const retry[] = {"DeleteConflict", NULL};
  st = rc_svcu_call_retrying(ctx, "iam", "DeleteRole", p, retry, rc_res_timeout(ctx, "delete", 60),
                            &ans, err);
  rc_value_decref(ans);
  rc_value_decref(p);
  return st;
}

static rc_status role_import(struct rc_rctx *ctx, const char *id, struct rc_value **out,
                             struct rc_error *err)
{
  return rc_res_read_one(ctx, role_read_many, id, NULL, 0, "IAM role", out, err);
}

const struct rc_resource_type rc_rt_iam_role = {
    .name = "aws_iam_role",
    .flags = RC_RT_TAGGABLE,
    .schema = role_schema,
    .read_many = role_read_many,
    .find = role_find,
    .create = role_create,
    .update = role_update,
    .delete = role_delete,
    .import = role_import,
};
