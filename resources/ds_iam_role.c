/* ds_iam_role — data "aws_iam_role": a role by name (GetRole), with its
 * trust policy decoded from IAM's URL-encoding, its path, unique id,
 * boundary and tags (recon's own tags left out). */
#include "rc_alloc.h"
#include "svcutil.h"

static const struct rc_attr ds_role_schema[] = {
    {.name = "id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "arn", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "assume_role_policy",
     .type = RC_T_STRING,
     .flags = RC_A_COMPUTED | RC_A_JSON,
     .normalise = rc_svcu_norm_policy},
    {.name = "create_date", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "description", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "max_session_duration", .type = RC_T_NUMBER, .flags = RC_A_COMPUTED},
    {.name = "name", .type = RC_T_STRING, .flags = RC_A_REQUIRED},
    {.name = "path", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "permissions_boundary", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "tags", .type = RC_T_MAP, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "unique_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {0}};

static rc_status ds_role_read(struct rc_rctx *ctx, const struct rc_value *config,
                              struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  const char *name = rc_res_str(config, "name");
  if (!name || !*name) return rc_error_set(err, RC_USAGE, "data aws_iam_role: name is required");
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *ans = NULL;
  rc_aws_param(p, "RoleName", name);
  rc_status st = rc_aws_call(ctx->aws, "iam", "GetRole", p, &ans, err);
  rc_value_decref(p);
  const struct rc_value *r = ans ? rc_value_get(ans, "Role") : NULL;
  if (st == RC_NOT_FOUND)
    st = rc_error_set(err, RC_NOT_FOUND, "data aws_iam_role: no IAM role named %s", name);
  else if (!st && !r)
    st = rc_error_set(err, RC_AWS, "data aws_iam_role: GetRole answered no role for %s", name);
  if (!st) {
    /* the resource's state without its configuration-only attributes;
     * tags: every tag on the role but recon's own */
    struct rc_rctx quiet = *ctx;
    quiet.default_tags = NULL;
    struct rc_value *s = rc_svcu_iam_role_state(&quiet, r, NULL);
    rc_value_obj_del(s, "name_prefix");
    rc_value_obj_del(s, "force_detach_policies");
    rc_value_obj_del(s, "tags_all");
    *out = s;
  }
  rc_value_decref(ans);
  return st;
}

const struct rc_resource_type rc_ds_iam_role = {
    .name = "aws_iam_role",
    .flags = RC_RT_DATA,
    .schema = ds_role_schema,
    .read = ds_role_read,
};
