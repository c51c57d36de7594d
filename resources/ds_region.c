/* ds_region — data "aws_region": the provider's region (or the one named),
 * its EC2 endpoint and description, from a local table like the
 * provider's endpoints data; no AWS call. */
#include <string.h>

#include "ec2util.h"
#include "rc_alloc.h"

static const struct rc_attr region_schema[] = {
    {.name = "id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "description", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "endpoint", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "name", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {0}};

static const char *const regions[][2] = {
    {"af-south-1", "Africa (Cape Town)"},       {"ap-east-1", "Asia Pacific (Hong Kong)"},
    {"ap-northeast-1", "Asia Pacific (Tokyo)"}, {"ap-northeast-2", "Asia Pacific (Seoul)"},
    {"ap-northeast-3", "Asia Pacific (Osaka)"}, {"ap-south-1", "Asia Pacific (Mumbai)"},
    {"ap-south-2", "Asia Pacific (Hyderabad)"}, {"ap-southeast-1", "Asia Pacific (Singapore)"},
    {"ap-southeast-2", "Asia Pacific (Sydney)"}, {"ap-southeast-3", "Asia Pacific (Jakarta)"},
    {"ap-southeast-4", "Asia Pacific (Melbourne)"}, {"ca-central-1", "Canada (Central)"},
    {"ca-west-1", "Canada West (Calgary)"},     {"eu-central-1", "Europe (Frankfurt)"},
    {"eu-central-2", "Europe (Zurich)"},       {"eu-north-1", "Europe (Stockholm)"},
    {"eu-south-1", "Europe (Milan)"},          {"eu-south-2", "Europe (Spain)"},
    {"eu-west-1", "Europe (Ireland)"},         {"eu-west-2", "Europe (London)"},
    {"eu-west-3", "Europe (Paris)"},           {"il-central-1", "Israel (Tel Aviv)"},
    {"me-central-1", "Middle East (UAE)"},     {"me-south-1", "Middle East (Bahrain)"},
    {"sa-east-1", "South America (Sao Paulo)"}, {"us-east-1", "US East (N. Virginia)"},
    {"us-east-2", "US East (Ohio)"},           {"us-west-1", "US West (N. California)"},
    {"us-west-2", "US West (Oregon)"},
};

static rc_status region_read(struct rc_rctx *ctx, const struct rc_value *config,
                             struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  const char *name = rc_res_str(config, "name");
  if (!name || !*name)
    name = ctx->region && *ctx->region ? ctx->region : rc_aws_client_region(ctx->aws);
  const char *desc = NULL;
  for (size_t i = 0; i < sizeof regions / sizeof *regions; i++)
    if (strcmp(regions[i][0], name) == 0) desc = regions[i][1];
  if (!desc && rc_res_str(config, "name"))
    return rc_error_set(err, RC_USAGE, "region %s not found", name);
  char *ep = rc_asprintf("ec2.%s.amazonaws.com", name);
  const char *want_ep = rc_res_str(config, "endpoint");
  if (want_ep && strcmp(want_ep, ep) != 0) {
    rc_free(ep);
    return rc_error_set(err, RC_USAGE, "region with endpoint %s not found", want_ep);
  }
  struct rc_value *o = rc_value_copy(config);
  rc_ec2u_put_str(o, "id", name);
  rc_ec2u_put_str(o, "name", name);
  rc_ec2u_put_str(o, "description", desc);
  rc_value_obj_put(o, "endpoint", rc_value_string_steal(ep));
  *out = o;
  return RC_OK;
}

const struct rc_resource_type rc_ds_region = {
    .name = "aws_region",
    .flags = RC_RT_DATA,
    .schema = region_schema,
    .read = region_read,
};
