/* iam_role_policy — aws_iam_role_policy: an inline policy of a role, found
 * by its natural key (role + name), id "role:name". PutRolePolicy creates and
 * updates; the document is compared semantically and decoded from IAM's
 * URL-encoding on read. A refresh runs one GetRolePolicy per policy,
 * concurrently (IAM has no batch read). */
#include <string.h>

#include "rc_alloc.h"
#include "svcutil.h"

#define RP_VISIBLE_S 60

static const struct rc_attr rp_schema[] = {
    {.name = "id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "name", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "name_prefix", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {.name = "policy",
     .type = RC_T_STRING,
     .flags = RC_A_REQUIRED | RC_A_JSON,
     .normalise = rc_svcu_norm_policy},
    {.name = "role", .type = RC_T_STRING, .flags = RC_A_REQUIRED | RC_A_FORCE_NEW},
    {0}};

/* splits "role:name" (role names hold no ':') */
static bool split_id(const char *id, char **role, char **name)
{
  const char *c = id ? strchr(id, ':') : NULL;
  if (!c || c == id || !c[1]) return false;
  *role = rc_strndup(id, (size_t)(c - id));
  *name = rc_strdup(c + 1);
  return true;
}

static struct rc_value *read_params(void *ud, const struct rc_read_item *it)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  char *role = NULL, *name = NULL;
  if (split_id(it->id, &role, &name)) {
    rc_aws_param(p, "RoleName", role);
    rc_aws_param(p, "PolicyName", name);
  }
  rc_free(role);
  rc_free(name);
  return p;
}

static struct rc_value *read_state(struct rc_rctx *ctx, void *ud,
                                   const struct rc_read_item *it,
                                   const struct rc_value *a)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  const char *role = rc_aws_str(a, "RoleName"), *name = rc_aws_str(a, "PolicyName");
  rc_value_obj_put(o, "id", rc_value_string_steal(rc_asprintf("%s:%s", role, name)));
  rc_svcu_put_str(o, "name", name);
  rc_svcu_carry(o, it->prior, "name_prefix");
  char *doc = rc_svcu_url_decode(rc_aws_str(a, "PolicyDocument"));
  rc_svcu_put_str(o, "policy", doc);
  rc_free(doc);
  rc_svcu_put_str(o, "role", role);
  return o;
}

/* an id IAM refuses (ValidationError) names no policy */
static bool read_gone(const struct rc_aws_req *r)
{
  return r->status == RC_NOT_FOUND ||
         (r->status == RC_AWS && strstr(r->err.aws_code, "Validation"));
}

static rc_status rp_read_many(struct rc_rctx *ctx, struct rc_read_item *items, size_t n)
{
  static const struct rc_res_read_each how = {.service = "iam",
                                              .op = "GetRolePolicy",
                                              .params = read_params,
                                              .state = read_state,
                                              .gone = read_gone};
  return rc_res_read_each(ctx, &how, NULL, items, n);
}

static char *policy_id(const struct rc_rctx *ctx, const struct rc_value *config)
{
  char *name = rc_svcu_name(ctx, config, 128);
  char *id = rc_asprintf("%s:%s", rc_res_str(config, "role"), name);
  rc_free(name);
  return id;
}

static rc_status rp_find(struct rc_rctx *ctx, const struct rc_value *config,
                         struct rc_value **out, struct rc_error *err)
{
  char *id = policy_id(ctx, config);
  rc_status st =
      rc_res_read_one(ctx, rp_read_many, id, config, 0, "IAM role policy", out, err);
  rc_free(id);
  if (st == RC_NOT_FOUND) {
    rc_error_clear(err);
    st = RC_OK;
  }
  return st;
}

static rc_status put(struct rc_rctx *ctx, const char *role, const char *name,
                     const struct rc_value *config, struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_aws_param(p, "RoleName", role);
  rc_aws_param(p, "PolicyName", name);
  rc_aws_param(p, "PolicyDocument", rc_res_str(config, "policy"));
  /* a role created a moment ago may not be visible to IAM yet */
  static const char *const retry[] = {"NoSuchEntity", NULL};
  rc_status st = rc_svcu_call_retrying(ctx, "iam", "PutRolePolicy", p, retry, RP_VISIBLE_S, NULL,
                                       err);
  rc_value_decref(p);
  return st;
}

static rc_status rp_create(struct rc_rctx *ctx, const struct rc_value *config,
                           struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  char *id = policy_id(ctx, config);
  char *role = NULL, *name = NULL;
  rc_status st;
  if (!split_id(id, &role, &name))
    st = rc_error_set(err, RC_EVAL, "aws_iam_role_policy: role and name are required");
  else
    st = put(ctx, role, name, config, err);
  if (!st)
    st = rc_res_read_one(ctx, rp_read_many, id, config, RP_VISIBLE_S, "IAM role policy",
                         out, err);
  rc_free(role);
  rc_free(name);
  rc_free(id);
  return st;
}

static rc_status rp_update(struct rc_rctx *ctx, const struct rc_value *prior,
                           const struct rc_value *config, struct rc_value **out,
                           struct rc_error *err)
{
  *out = NULL;
  rc_status st = put(ctx, rc_res_str(prior, "role"), rc_res_str(prior, "name"), config, err);
  if (!st)
    st = rc_res_read_one(ctx, rp_read_many, rc_res_str(prior, "id"), config, RP_VISIBLE_S,
                         "IAM role policy", out, err);
  return st;
}

static rc_status rp_delete(struct rc_rctx *ctx, const struct rc_value *state,
                           struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_aws_param(p, "RoleName", rc_res_str(state, "role"));
  rc_aws_param(p, "PolicyName", rc_res_str(state, "name"));
  rc_status st = rc_svcu_call(ctx, "iam", "DeleteRolePolicy", p, err);
  rc_value_decref(p);
  return st;
}

static rc_status rp_import(struct rc_rctx *ctx, const char *id, struct rc_value **out,
                           struct rc_error *err)
{
  return rc_res_read_one(ctx, rp_read_many, id, NULL, 0, "IAM role policy", out, err);
}

const struct rc_resource_type rc_rt_iam_role_policy = {
    .name = "aws_iam_role_policy",
    .schema = rp_schema,
    .read_many = rp_read_many,
    .find = rp_find,
    .create = rp_create,
    .update = rp_update,
    .delete = rp_delete,
    .import = rp_import,
};
