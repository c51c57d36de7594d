/* ecs_cluster_capacity_providers — aws_ecs_cluster_capacity_providers: the
 * capacity providers (FARGATE, FARGATE_SPOT, ...) of a cluster and its
 * default strategy, set with PutClusterCapacityProviders (idempotent: the
 * create needs no find), read from DescribeClusters (one call per 100
 * clusters), removed by putting empty lists. Retries the conflicts ECS
 * answers while the cluster is being updated. id = the cluster name. */
#include <string.h>

#include "rc_alloc.h"
#include "svcutil.h"

#define CCP_BATCH 100
#define CCP_RETRY_S 120

static const struct rc_attr strategy_schema[] = {
    {.name = "base", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL, .default_json = "0"},
    {.name = "capacity_provider", .type = RC_T_STRING, .flags = RC_A_REQUIRED},
    {.name = "weight", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL, .default_json = "0"},
    {0}};

/* a cluster ARN and its name compare equal */
static struct rc_value *norm_cluster(const struct rc_value *v)
{
  const char *s = rc_value_str(v);
  const char *p = s && strncmp(s, "arn:", 4) == 0 ? strstr(s, ":cluster/") : NULL;
  return p ? rc_value_string(p + strlen(":cluster/")) : NULL;
}

static const struct rc_attr ccp_schema[] = {
    {.name = "id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "capacity_providers", .type = RC_T_SET, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "cluster_name",
     .type = RC_T_STRING,
     .flags = RC_A_REQUIRED | RC_A_FORCE_NEW,
     .normalise = norm_cluster},
    {.name = "default_capacity_provider_strategy",
     .type = RC_T_BLOCK_SET,
     .flags = RC_A_OPTIONAL,
     .block = strategy_schema},
    {0}};

static struct rc_value *ccp_state(const struct rc_value *c)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  const char *name = rc_aws_str(c, "clusterName");
  rc_svcu_put_str(o, "id", name);
  rc_svcu_put_str(o, "cluster_name", name);
  rc_value_obj_put(o, "capacity_providers", rc_svcu_str_set(rc_aws_list(c, "capacityProviders")));
  struct rc_value *s = rc_value_seq_new(RC_SET);
  const struct rc_value *l = rc_aws_list(c, "defaultCapacityProviderStrategy");
  for (size_t i = 0; i < rc_value_len(l); i++) {
    const struct rc_value *e = rc_value_index(l, i);
    struct rc_value *x = rc_value_obj_new(RC_OBJECT);
    rc_value_obj_put(x, "base", rc_value_int(rc_svcu_int(rc_value_get(e, "base"), 0)));
    rc_svcu_put_str(x, "capacity_provider", rc_aws_str(e, "capacityProvider"));
    rc_value_obj_put(x, "weight", rc_value_int(rc_svcu_int(rc_value_get(e, "weight"), 0)));
    rc_value_seq_push(s, x);
  }
  rc_value_obj_put(o, "default_capacity_provider_strategy", rc_value_seq_seal(s));
  return o;
}

/* the name of a cluster id (a name or an ARN) */
static const char *name_of(const char *id)
{
  const char *p = id ? strstr(id, ":cluster/") : NULL;
  return p ? p + strlen(":cluster/") : id;
}

static rc_status ccp_read_many(struct rc_rctx *ctx, struct rc_read_item *items, size_t n)
{
  rc_status st = RC_OK;
  for (size_t i = 0; i < n; i++) {
    items[i].out = NULL;
    items[i].status = RC_OK;
  }
  for (size_t i = 0; i < n; i += CCP_BATCH) {
    size_t m = n - i < CCP_BATCH ? n - i : CCP_BATCH;
    struct rc_value *p = rc_value_obj_new(RC_OBJECT), *l = rc_value_seq_new(RC_TUPLE), *ans = NULL;
    for (size_t k = 0; k < m; k++)
      if (items[i + k].id) rc_value_seq_push(l, rc_value_string(items[i + k].id));
    rc_value_obj_put(p, "clusters", l);
    struct rc_error err = {0};
    rc_status s = rc_aws_call(ctx->aws, "ecs", "DescribeClusters", p, &ans, &err);
    rc_value_decref(p);
    const struct rc_value *cl = rc_aws_list(ans, "clusters");
    for (size_t k = 0; k < m; k++) {
      struct rc_read_item *it = &items[i + k];
      if (s && s != RC_NOT_FOUND) {
        it->status = s;
        it->err = err;
        continue;
      }
      for (size_t j = 0; !s && it->id && j < rc_value_len(cl); j++) {
        const struct rc_value *c = rc_value_index(cl, j);
        const char *status = rc_aws_str(c, "status");
        const char *nm = rc_aws_str(c, "clusterName"), *arn = rc_aws_str(c, "clusterArn");
        bool same = (nm && strcmp(nm, name_of(it->id)) == 0) || (arn && strcmp(arn, it->id) == 0);
        if (!same || (status && strcmp(status, "INACTIVE") == 0)) continue;
        it->out = ccp_state(c);
        break;
      }
    }
    if (s && s != RC_NOT_FOUND && !st) st = s;
    rc_value_decref(ans);
  }
  return st;
}

static rc_status put(struct rc_rctx *ctx, const char *cluster, const struct rc_value *config,
                     bool fresh, struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(p, "cluster", rc_value_string(cluster));
  rc_value_obj_put(p, "capacityProviders",
                   rc_svcu_str_list(config ? rc_value_get(config, "capacity_providers") : NULL));
  struct rc_value *s = rc_value_seq_new(RC_TUPLE);
  const struct rc_value *l = config ? rc_value_get(config, "default_capacity_provider_strategy") : NULL;
  for (size_t i = 0; l && rc_value_is_seq(l) && i < rc_value_len(l); i++) {
    const struct rc_value *e = rc_value_index(l, i);
    struct rc_value *x = rc_value_obj_new(RC_OBJECT);
    rc_value_obj_put(x, "capacityProvider", rc_value_string(rc_res_str(e, "capacity_provider")));
    rc_value_obj_put(x, "weight", rc_value_int(rc_res_int(e, "weight", 0)));
    rc_value_obj_put(x, "base", rc_value_int(rc_res_int(e, "base", 0)));
    rc_value_seq_push(s, x);
  }
  rc_value_obj_put(p, "defaultCapacityProviderStrategy", s);
  /* the provider's retries: the cluster is busy with another update; a
   * cluster created a moment ago may not be visible yet */
  static const char *const retry[] = {"UpdateInProgressException", "ResourceInUseException",
                                      "in progress", NULL};
  static const char *const retry_new[] = {"UpdateInProgressException", "ResourceInUseException",
                                          "in progress", "ClusterNotFound", NULL};
  rc_status st = rc_svcu_call_retrying(ctx, "ecs", "PutClusterCapacityProviders", p,
                                       fresh ? retry_new : retry, CCP_RETRY_S, NULL, err);
  rc_value_decref(p);
  return st;
}

static rc_status ccp_create(struct rc_rctx *ctx, const struct rc_value *config,
                            struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  const char *cluster = name_of(rc_res_str(config, "cluster_name"));
  rc_status st = put(ctx, cluster, config, true, err);
  if (!st)
    st = rc_res_read_one(ctx, ccp_read_many, cluster, NULL, 0, "ECS cluster", out, err);
  return st;
}

static rc_status ccp_update(struct rc_rctx *ctx, const struct rc_value *prior,
                            const struct rc_value *config, struct rc_value **out,
                            struct rc_error *err)
{
  *out = NULL;
  const char *cluster = rc_res_str(prior, "id");
  rc_status st = put(ctx, cluster, config, false, err);
  if (!st)
    st = rc_res_read_one(ctx, ccp_read_many, cluster, NULL, 0, "ECS cluster", out, err);
  return st;
}

static rc_status ccp_delete(struct rc_rctx *ctx, const struct rc_value *state,
                            struct rc_error *err)
{
  rc_status st = put(ctx, rc_res_str(state, "id"), NULL, false, err);
  if (st == RC_NOT_FOUND || (st && strstr(err->aws_code, "ClusterNotFound"))) {
    rc_error_clear(err);
    return RC_OK;
  }
  return st;
}

static rc_status ccp_import(struct rc_rctx *ctx, const char *id, struct rc_value **out,
                            struct rc_error *err)
{
  return rc_res_read_one(ctx, ccp_read_many, name_of(id), NULL, 0, "ECS cluster", out,
                         err);
}

const struct rc_resource_type rc_rt_ecs_cluster_capacity_providers = {
    .name = "aws_ecs_cluster_capacity_providers",
    .schema = ccp_schema,
    .read_many = ccp_read_many,
    .create = ccp_create,
    .update = ccp_update,
    .delete = ccp_delete,
    .import = ccp_import,
};
