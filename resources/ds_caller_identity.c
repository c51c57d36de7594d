/* ds_caller_identity — data "aws_caller_identity": STS GetCallerIdentity;
 * id is the account id, as the provider sets it. */
#include "ec2util.h"

static const struct rc_attr ci_schema[] = {
    {.name = "id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "account_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "arn", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "user_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {0}};

static rc_status ci_read(struct rc_rctx *ctx, const struct rc_value *config,
                         struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *ans = NULL;
  rc_status st = rc_aws_call(ctx->aws, "sts", "GetCallerIdentity", p, &ans, err);
  rc_value_decref(p);
  if (st) return st;
  struct rc_value *o = config ? rc_value_copy(config) : rc_value_obj_new(RC_OBJECT);
  rc_ec2u_put_str(o, "id", rc_aws_str(ans, "Account"));
  rc_ec2u_put_str(o, "account_id", rc_aws_str(ans, "Account"));
  rc_ec2u_put_str(o, "arn", rc_aws_str(ans, "Arn"));
  rc_ec2u_put_str(o, "user_id", rc_aws_str(ans, "UserId"));
  rc_value_decref(ans);
  *out = o;
  return RC_OK;
}

const struct rc_resource_type rc_ds_caller_identity = {
    .name = "aws_caller_identity",
    .flags = RC_RT_DATA,
    .schema = ci_schema,
    .read = ci_read,
};
