/* ecs_cluster — aws_ecs_cluster: CreateCluster with settings and tags at
 * birth; settings and configuration through UpdateCluster, tags through
 * TagResource / UntagResource. A refresh is one DescribeClusters per 100
 * clusters with SETTINGS, CONFIGURATIONS and TAGS included. id = the ARN. */
#include <string.h>

#include "rc_alloc.h"
#include "svcutil.h"

#define CL_BATCH 100
#define CL_VISIBLE_S 60

static const struct rc_attr setting_schema[] = {
    {.name = "name", .type = RC_T_STRING, .flags = RC_A_REQUIRED},
    {.name = "value", .type = RC_T_STRING, .flags = RC_A_REQUIRED},
    {0}};

static const struct rc_attr exec_cmd_schema[] = {
    {.name = "kms_key_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "logging", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {0}};

static const struct rc_attr configuration_schema[] = {
    {.name = "execute_command_configuration",
     .type = RC_T_BLOCK_LIST,
     .flags = RC_A_OPTIONAL,
     .block = exec_cmd_schema,
     .max_items = 1},
    {0}};

static const struct rc_attr scd_schema[] = {
    {.name = "namespace", .type = RC_T_STRING, .flags = RC_A_REQUIRED},
    {0}};

static const struct rc_attr cluster_schema[] = {
    {.name = "id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "arn", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "configuration",
     .type = RC_T_BLOCK_LIST,
     .flags = RC_A_OPTIONAL,
     .block = configuration_schema,
     .max_items = 1},
    {.name = "name", .type = RC_T_STRING, .flags = RC_A_REQUIRED | RC_A_FORCE_NEW},
    {.name = "service_connect_defaults",
     .type = RC_T_BLOCK_LIST,
     .flags = RC_A_OPTIONAL,
     .block = scd_schema,
     .max_items = 1},
    {.name = "setting",
     .type = RC_T_BLOCK_SET,
     .flags = RC_A_OPTIONAL | RC_A_COMPUTED,
     .block = setting_schema},
    RC_SVCU_TAGS,
    {0}};

/* settings in state: those the configuration names, and any that differ
 * from AWS's default ("containerInsights" = "disabled") */
static struct rc_value *settings_state(const struct rc_value *aws, const struct rc_value *prior)
{
  const struct rc_value *want = prior ? rc_value_get(prior, "setting") : NULL;
  struct rc_value *s = rc_value_seq_new(RC_SET);
  for (size_t i = 0; i < rc_value_len(aws); i++) {
    const struct rc_value *e = rc_value_index(aws, i);
    const char *n = rc_aws_str(e, "name"), *v = rc_aws_str(e, "value");
    if (!n) continue;
    bool named = false;
    for (size_t k = 0; want && rc_value_is_seq(want) && k < rc_value_len(want); k++) {
      const char *wn = rc_res_str(rc_value_index(want, k), "name");
      if (wn && strcmp(wn, n) == 0) named = true;
    }
    if (!named && v && strcmp(v, "disabled") == 0) continue;
    struct rc_value *o = rc_value_obj_new(RC_OBJECT);
    rc_svcu_put_str(o, "name", n);
    rc_svcu_put_str(o, "value", v);
    rc_value_seq_push(s, o);
  }
  return rc_value_seq_seal(s);
}

static struct rc_value *cluster_state(struct rc_rctx *ctx, const struct rc_value *c,
                                      const struct rc_value *prior)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  const char *arn = rc_aws_str(c, "clusterArn");
  rc_svcu_put_str(o, "id", arn);
  rc_svcu_put_str(o, "arn", arn);
  rc_svcu_put_str(o, "name", rc_aws_str(c, "clusterName"));
  rc_value_obj_put(o, "setting", settings_state(rc_aws_list(c, "settings"), prior));
  struct rc_value *conf = rc_value_seq_new(RC_TUPLE);
  const struct rc_value *ecc = rc_value_path(c, "configuration.executeCommandConfiguration");
  if (ecc && rc_value_is_obj(ecc)) {
    struct rc_value *e = rc_value_obj_new(RC_OBJECT), *l = rc_value_seq_new(RC_TUPLE),
                    *cf = rc_value_obj_new(RC_OBJECT);
    rc_svcu_put_str(e, "kms_key_id", rc_aws_str(ecc, "kmsKeyId"));
    rc_svcu_put_str(e, "logging", rc_aws_str(ecc, "logging"));
    rc_value_seq_push(l, e);
    rc_value_obj_put(cf, "execute_command_configuration", l);
    rc_value_seq_push(conf, cf);
  }
  rc_value_obj_put(o, "configuration", conf);
  struct rc_value *scd = rc_value_seq_new(RC_TUPLE);
  const char *ns = rc_value_str(rc_value_path(c, "serviceConnectDefaults.namespace"));
  if (ns) {
    struct rc_value *e = rc_value_obj_new(RC_OBJECT);
    rc_svcu_put_str(e, "namespace", ns);
    rc_value_seq_push(scd, e);
  }
  rc_value_obj_put(o, "service_connect_defaults", scd);
  struct rc_value *tags = rc_aws_tags_to_object(rc_aws_list(c, "tags"));
  rc_res_put_tags(ctx, o, tags);
  rc_value_decref(tags);
  return o;
}

static struct rc_value *describe_params(void)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *inc = rc_value_seq_new(RC_TUPLE);
  rc_value_seq_push(inc, rc_value_string("SETTINGS"));
  rc_value_seq_push(inc, rc_value_string("CONFIGURATIONS"));
  rc_value_seq_push(inc, rc_value_string("TAGS"));
  rc_value_obj_put(p, "include", inc);
  return p;
}

static rc_status cluster_read_many(struct rc_rctx *ctx, struct rc_read_item *items, size_t n)
{
  rc_status st = RC_OK;
  for (size_t i = 0; i < n; i++) {
    items[i].out = NULL;
    items[i].status = RC_OK;
  }
  for (size_t at = 0; at < n; at += CL_BATCH) {
    size_t m = n - at < CL_BATCH ? n - at : CL_BATCH;
    struct rc_value *p = describe_params(), *ids = rc_value_seq_new(RC_TUPLE), *ans = NULL;
    for (size_t i = 0; i < m; i++)
      if (items[at + i].id) rc_value_seq_push(ids, rc_value_string(items[at + i].id));
    rc_value_obj_put(p, "clusters", ids);
    struct rc_error err = {0};
    rc_status s = rc_aws_call(ctx->aws, "ecs", "DescribeClusters", p, &ans, &err);
    rc_value_decref(p);
    if (s) {
      for (size_t i = 0; i < m; i++) {
        items[at + i].status = s;
        items[at + i].err = err;
      }
      if (!st) st = s;
      rc_value_decref(ans);
      continue;
    }
    const struct rc_value *cl = rc_aws_list(ans, "clusters");
    for (size_t k = 0; k < rc_value_len(cl); k++) {
      const struct rc_value *c = rc_value_index(cl, k);
      const char *arn = rc_aws_str(c, "clusterArn"), *name = rc_aws_str(c, "clusterName");
      const char *status = rc_aws_str(c, "status");
      if (status && strcmp(status, "INACTIVE") == 0) continue; /* deleted */
      for (size_t i = 0; i < m; i++) {
        struct rc_read_item *it = &items[at + i];
        if (it->out || !it->id) continue;
        if ((arn && strcmp(it->id, arn) == 0) || (name && strcmp(it->id, name) == 0))
          it->out = cluster_state(ctx, c, it->prior);
      }
    }
    rc_value_decref(ans);
  }
  return st;
}

static rc_status cluster_find(struct rc_rctx *ctx, const struct rc_value *config,
                              struct rc_value **out, struct rc_error *err)
{
  rc_status st = rc_res_read_one(ctx, cluster_read_many, rc_res_str(config, "name"),
                                 config, 0, "ECS cluster", out, err);
  if (st == RC_NOT_FOUND) {
    rc_error_clear(err);
    st = RC_OK;
  }
  return st;
}

static struct rc_value *settings_wire(const struct rc_value *config)
{
  const struct rc_value *s = rc_value_get(config, "setting");
  struct rc_value *l = rc_value_seq_new(RC_TUPLE);
  for (size_t i = 0; s && rc_value_is_seq(s) && i < rc_value_len(s); i++) {
    const struct rc_value *e = rc_value_index(s, i);
    struct rc_value *o = rc_value_obj_new(RC_OBJECT);
    rc_value_obj_put(o, "name", rc_value_string(rc_res_str(e, "name")));
    rc_value_obj_put(o, "value", rc_value_string(rc_res_str(e, "value")));
    rc_value_seq_push(l, o);
  }
  return l;
}

static struct rc_value *configuration_wire(const struct rc_value *config)
{
  const struct rc_value *c = rc_res_block(config, "configuration");
  const struct rc_value *e = c ? rc_res_block(c, "execute_command_configuration") : NULL;
  if (!e) return NULL;
  struct rc_value *w = rc_value_obj_new(RC_OBJECT), *o = rc_value_obj_new(RC_OBJECT);
  const char *s;
  if ((s = rc_res_str(e, "kms_key_id")) && *s) rc_value_obj_put(o, "kmsKeyId", rc_value_string(s));
  if ((s = rc_res_str(e, "logging")) && *s) rc_value_obj_put(o, "logging", rc_value_string(s));
  rc_value_obj_put(w, "executeCommandConfiguration", o);
  return w;
}

static rc_status cluster_create(struct rc_rctx *ctx, const struct rc_value *config,
                                struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  const char *name = rc_res_str(config, "name");
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *ans = NULL;
  rc_value_obj_put(p, "clusterName", rc_value_string(name));
  struct rc_value *set = settings_wire(config);
  if (rc_value_len(set))
    rc_value_obj_put(p, "settings", set);
  else
    rc_value_decref(set);
  struct rc_value *conf = configuration_wire(config);
  if (conf) rc_value_obj_put(p, "configuration", conf);
  const struct rc_value *scd = rc_res_block(config, "service_connect_defaults");
  if (scd && rc_res_str(scd, "namespace")) {
    struct rc_value *o = rc_value_obj_new(RC_OBJECT);
    rc_value_obj_put(o, "namespace", rc_value_string(rc_res_str(scd, "namespace")));
    rc_value_obj_put(p, "serviceConnectDefaults", o);
  }
  struct rc_value *tags = rc_res_birth_tags(ctx, config);
  rc_value_obj_put(p, "tags", rc_svcu_json_tags(tags, "key", "value"));
  rc_value_decref(tags);
  rc_status st = rc_aws_call(ctx->aws, "ecs", "CreateCluster", p, &ans, err);
  rc_value_decref(p);
  const char *arn = ans ? rc_value_str(rc_value_path(ans, "cluster.clusterArn")) : NULL;
  if (!st)
    st = rc_res_read_one(ctx, cluster_read_many, arn ? arn : name, config, CL_VISIBLE_S,
                         "ECS cluster", out, err);
  rc_value_decref(ans);
  return st;
}

static rc_status cluster_update(struct rc_rctx *ctx, const struct rc_value *prior,
                                const struct rc_value *config, struct rc_value **out,
                                struct rc_error *err)
{
  *out = NULL;
  const char *arn = rc_res_str(prior, "id");
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(p, "cluster", rc_value_string(arn));
  rc_value_obj_put(p, "settings", settings_wire(config));
  struct rc_value *conf = configuration_wire(config);
  if (conf) rc_value_obj_put(p, "configuration", conf);
  rc_status st = rc_svcu_call(ctx, "ecs", "UpdateCluster", p, err);
  rc_value_decref(p);
  if (!st) st = rc_svcu_ecs_update_tags(ctx, arn, prior, config, err);
  if (!st)
    st = rc_res_read_one(ctx, cluster_read_many, arn, config, CL_VISIBLE_S, "ECS cluster",
                         out, err);
  return st;
}

static rc_status cluster_delete(struct rc_rctx *ctx, const struct rc_value *state,
                                struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(p, "cluster", rc_value_string(rc_res_str(state, "id")));
  /* services and tasks being deleted in parallel take a moment to go */
  static const char *const retry[] = {"ClusterContainsServices", "ClusterContainsTasks",
                                      "ClusterContainsContainerInstances",
                                      "ResourceInUse", "UpdateInProgress", NULL};
  rc_status st = rc_svcu_call_retrying(ctx, "ecs", "DeleteCluster", p, retry,
                                       rc_res_timeout(ctx, "delete", 600), NULL, err);
  rc_value_decref(p);
  return st;
}

static rc_status cluster_import(struct rc_rctx *ctx, const char *id, struct rc_value **out,
                                struct rc_error *err)
{
  return rc_res_read_one(ctx, cluster_read_many, id, NULL, 0, "ECS cluster", out, err);
}

const struct rc_resource_type rc_rt_ecs_cluster = {
    .name = "aws_ecs_cluster",
    .flags = RC_RT_TAGGABLE,
    .schema = cluster_schema,
    .read_many = cluster_read_many,
    .find = cluster_find,
    .create = cluster_create,
    .update = cluster_update,
    .delete = cluster_delete,
    .import = cluster_import,
};
