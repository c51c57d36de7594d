/* ds_ecs_task_definition — data "aws_ecs_task_definition": the revision
 * that DescribeTaskDefinition resolves task_definition to (a family gives
 * its latest ACTIVE revision; family:revision or an ARN that revision). */
#include <string.h>

#include "rc_alloc.h"
#include "svcutil.h"

static const struct rc_attr ds_td_schema[] = {
    {.name = "id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "arn", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "arn_without_revision", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "execution_role_arn", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "family", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "network_mode", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "revision", .type = RC_T_NUMBER, .flags = RC_A_COMPUTED},
    {.name = "status", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "task_definition", .type = RC_T_STRING, .flags = RC_A_REQUIRED},
    {.name = "task_role_arn", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {0}};

/* "does not exist" answers of DescribeTaskDefinition are ClientExceptions */
static bool missing(rc_status st, const struct rc_error *e)
{
  return st == RC_NOT_FOUND ||
         (st && (strstr(e->msg, "does not exist") || strstr(e->msg, "Unable to describe")));
}

static rc_status ds_td_read(struct rc_rctx *ctx, const struct rc_value *config,
                            struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  const char *want = rc_res_str(config, "task_definition");
  if (!want || !*want)
    return rc_error_set(err, RC_USAGE, "data aws_ecs_task_definition: task_definition is required");
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *ans = NULL;
  rc_value_obj_put(p, "taskDefinition", rc_value_string(want));
  struct rc_error e = {0};
  rc_status st = rc_aws_call(ctx->aws, "ecs", "DescribeTaskDefinition", p, &ans, &e);
  rc_value_decref(p);
  const struct rc_value *td = ans ? rc_value_get(ans, "taskDefinition") : NULL;
  if (missing(st, &e))
    st = rc_error_set(err, RC_NOT_FOUND,
                      "data aws_ecs_task_definition: no task definition %s (%s)", want, e.msg);
  else if (st)
    *err = e;
  else if (!td)
    st = rc_error_set(err, RC_AWS, "DescribeTaskDefinition answered nothing for %s", want);
  if (!st) {
    struct rc_value *o = rc_value_obj_new(RC_OBJECT);
    const char *arn = rc_aws_str(td, "taskDefinitionArn");
    rc_svcu_put_str(o, "id", arn);
    rc_svcu_put_str(o, "arn", arn);
    const char *c = arn ? strrchr(arn, ':') : NULL;
    const char *slash = arn ? strstr(arn, ":task-definition/") : NULL;
    if (c && slash && c > slash)
      rc_value_obj_put(o, "arn_without_revision", rc_value_string_n(arn, (size_t)(c - arn)));
    else
      rc_svcu_put_str(o, "arn_without_revision", arn);
    rc_svcu_put_str(o, "execution_role_arn", rc_aws_str(td, "executionRoleArn"));
    rc_svcu_put_str(o, "family", rc_aws_str(td, "family"));
    rc_svcu_put_str(o, "network_mode", rc_aws_str(td, "networkMode"));
    rc_svcu_put_int(o, "revision", rc_value_get(td, "revision"));
    rc_svcu_put_str(o, "status", rc_aws_str(td, "status"));
    rc_svcu_put_str(o, "task_definition", want);
    rc_svcu_put_str(o, "task_role_arn", rc_aws_str(td, "taskRoleArn"));
    *out = o;
  }
  rc_value_decref(ans);
  return st;
}

const struct rc_resource_type rc_ds_ecs_task_definition = {
    .name = "aws_ecs_task_definition",
    .flags = RC_RT_DATA,
    .schema = ds_td_schema,
    .read = ds_td_read,
};
