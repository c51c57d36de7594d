/* ds_availability_zones — data "aws_availability_zones": one
 * DescribeAvailabilityZones (state and filter {} blocks as filters,
 * exclude_names/exclude_zone_ids applied locally), names sorted as the
 * provider sorts them; id is the region. */
#include <stdlib.h>
#include <string.h>

#include "ec2util.h"
#include "rc_alloc.h"

static const struct rc_attr filter_block[] = {
    {.name = "name", .type = RC_T_STRING, .flags = RC_A_REQUIRED},
    {.name = "values", .type = RC_T_SET, .elem = RC_T_STRING, .flags = RC_A_REQUIRED},
    {0}};

static const struct rc_attr azs_schema[] = {
    {.name = "id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "all_availability_zones", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL},
    {.name = "exclude_names", .type = RC_T_SET, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "exclude_zone_ids", .type = RC_T_SET, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "filter", .type = RC_T_BLOCK_SET, .flags = RC_A_OPTIONAL, .block = filter_block},
    {.name = "group_names", .type = RC_T_SET, .elem = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "names", .type = RC_T_LIST, .elem = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "state", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "zone_ids", .type = RC_T_LIST, .elem = RC_T_STRING, .flags = RC_A_COMPUTED},
    {0}};

static bool in_set(const struct rc_value *set, const char *s)
{
  for (size_t i = 0; s && set && rc_value_is_seq(set) && i < rc_value_len(set); i++) {
    const char *e = rc_value_str(rc_value_index(set, i));
    if (e && strcmp(e, s) == 0) return true;
  }
  return false;
}

static int by_name(const void *a, const void *b)
{
  const char *x = rc_aws_str(*(const struct rc_value *const *)a, "zoneName");
  const char *y = rc_aws_str(*(const struct rc_value *const *)b, "zoneName");
  return strcmp(x ? x : "", y ? y : "");
}

static rc_status azs_read(struct rc_rctx *ctx, const struct rc_value *config,
                          struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *ans = NULL;
  if (rc_res_bool(config, "all_availability_zones", false))
    rc_aws_param(p, "AllAvailabilityZones", "true");
  int n = rc_ec2u_filter1(p, 1, "state", rc_res_str(config, "state"));
  rc_ec2u_ds_filters(p, n, config);
  rc_status st = rc_aws_call(ctx->aws, "ec2", "DescribeAvailabilityZones", p, &ans, err);
  rc_value_decref(p);
  if (st) return st;
  const struct rc_value *l = rc_aws_list(ans, "availabilityZoneInfo");
  size_t cnt = rc_value_len(l);
  const struct rc_value **zs = rc_calloc(cnt + 1, sizeof *zs);
  for (size_t i = 0; i < cnt; i++) zs[i] = rc_value_index(l, i);
  qsort(zs, cnt, sizeof *zs, by_name);
  struct rc_value *names = rc_value_seq_new(RC_LIST), *ids = rc_value_seq_new(RC_LIST);
  struct rc_value *groups = rc_value_seq_new(RC_SET);
  const struct rc_value *xn = rc_value_get(config, "exclude_names");
  const struct rc_value *xi = rc_value_get(config, "exclude_zone_ids");
  for (size_t i = 0; i < cnt; i++) {
    const char *name = rc_aws_str(zs[i], "zoneName"), *zid = rc_aws_str(zs[i], "zoneId");
    if (in_set(xn, name) || in_set(xi, zid)) continue;
    rc_value_seq_push(names, rc_value_string(name ? name : ""));
    rc_value_seq_push(ids, rc_value_string(zid ? zid : ""));
    const char *g = rc_aws_str(zs[i], "groupName");
    if (g) rc_value_seq_push(groups, rc_value_string(g));
  }
  rc_free(zs);
  rc_value_decref(ans);
  struct rc_value *o = rc_value_copy(config);
  const char *region = ctx->region && *ctx->region ? ctx->region : rc_aws_client_region(ctx->aws);
  rc_ec2u_put_str(o, "id", region);
  rc_value_obj_put(o, "names", names);
  rc_value_obj_put(o, "zone_ids", ids);
  rc_value_obj_put(o, "group_names", rc_value_seq_seal(groups));
  *out = o;
  return RC_OK;
}

const struct rc_resource_type rc_ds_availability_zones = {
    .name = "aws_availability_zones",
    .flags = RC_RT_DATA,
    .schema = azs_schema,
    .read = azs_read,
};
