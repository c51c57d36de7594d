/* ecs_service — aws_ecs_service: the deploy path. CreateService with an
 * idempotency token and tags at birth, retried while IAM and listeners
 * propagate; UpdateService for the task definition (a rolling deployment),
 * counts, network, load balancers, deployment settings; a refresh is one
 * DescribeServices per cluster per 10 services (tags included). The wait
 * follows the PRIMARY deployment to steady state, reports progress and the
 * newest service event, and fails clearly when the circuit breaker rolls the
 * deployment back, returning the state of what really runs. Delete scales to
 * zero, deletes (force) and waits until INACTIVE. id = the service ARN. */
#include <stdio.h>
#include <string.h>

#include "rc_alloc.h"
#include "svcutil.h"

#define SVC_BATCH 10
#define SVC_VISIBLE_S 60
#define SVC_POLL_MS 1000

static const struct rc_attr cps_schema[] = {
    {.name = "base", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL, .default_json = "0"},
    {.name = "capacity_provider", .type = RC_T_STRING, .flags = RC_A_REQUIRED},
    {.name = "weight", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL, .default_json = "0"},
    {0}};

static const struct rc_attr cb_schema[] = {
    {.name = "enable", .type = RC_T_BOOL, .flags = RC_A_REQUIRED},
    {.name = "rollback", .type = RC_T_BOOL, .flags = RC_A_REQUIRED},
    {0}};

static const struct rc_attr dc_schema[] = {
    {.name = "type", .type = RC_T_STRING, .flags = RC_A_OPTIONAL, .default_json = "\"ECS\""},
    {0}};

static const struct rc_attr lb_schema[] = {
    {.name = "container_name", .type = RC_T_STRING, .flags = RC_A_REQUIRED},
    {.name = "container_port", .type = RC_T_NUMBER, .flags = RC_A_REQUIRED},
    {.name = "elb_name", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "target_group_arn", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {0}};

static const struct rc_attr net_schema[] = {
    {.name = "assign_public_ip", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    {.name = "security_groups", .type = RC_T_SET, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "subnets", .type = RC_T_SET, .elem = RC_T_STRING, .flags = RC_A_REQUIRED},
    {0}};

/* "arn:aws:ecs:r:a:task-definition/web:3" and "web:3" → "web:3" */
static struct rc_value *norm_td(const struct rc_value *v)
{
  const char *s = rc_value_str(v);
  const char *p = s ? strstr(s, ":task-definition/") : NULL;
  return p ? rc_value_string(p + strlen(":task-definition/")) : NULL;
}

/* cluster ARN and name compare equal: "arn:...:cluster/x" → "x" */
static struct rc_value *norm_cluster(const struct rc_value *v)
{
  const char *s = rc_value_str(v);
  const char *p = s && strncmp(s, "arn:", 4) == 0 ? strstr(s, ":cluster/") : NULL;
  return p ? rc_value_string(p + strlen(":cluster/")) : NULL;
}

static const struct rc_attr svc_schema[] = {
    {.name = "id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "arn", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "capacity_provider_strategy",
     .type = RC_T_BLOCK_SET,
     .flags = RC_A_OPTIONAL,
     .block = cps_schema},
    {.name = "cluster",
     .type = RC_T_STRING,
     .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW,
     .normalise = norm_cluster},
    {.name = "deployment_circuit_breaker",
     .type = RC_T_BLOCK_LIST,
     .flags = RC_A_OPTIONAL,
     .block = cb_schema,
     .max_items = 1},
    {.name = "deployment_controller",
     .type = RC_T_BLOCK_LIST,
     .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW,
     .block = dc_schema,
     .max_items = 1},
    {.name = "deployment_maximum_percent", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL, .default_json = "200"},
    {.name = "deployment_minimum_healthy_percent", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL, .default_json = "100"},
    {.name = "desired_count", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL, .default_json = "0"},
    {.name = "enable_ecs_managed_tags", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    {.name = "enable_execute_command", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    {.name = "force_delete", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL},
    {.name = "force_new_deployment", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL},
    {.name = "health_check_grace_period_seconds", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL},
    {.name = "iam_role", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "launch_type", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "load_balancer", .type = RC_T_BLOCK_SET, .flags = RC_A_OPTIONAL, .block = lb_schema},
    {.name = "name", .type = RC_T_STRING, .flags = RC_A_REQUIRED | RC_A_FORCE_NEW},
    {.name = "network_configuration",
     .type = RC_T_BLOCK_LIST,
     .flags = RC_A_OPTIONAL,
     .block = net_schema,
     .max_items = 1},
    {.name = "platform_version", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "propagate_tags", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "scheduling_strategy",
     .type = RC_T_STRING,
     .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW,
     .default_json = "\"REPLICA\""},
    RC_SVCU_TAGS,
    {.name = "task_definition", .type = RC_T_STRING, .flags = RC_A_OPTIONAL, .normalise = norm_td},
    {.name = "triggers", .type = RC_T_MAP, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "wait_for_steady_state", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    {0}};

/* ---------------- answer -> state ---------------- */

static const struct rc_value *primary_of(const struct rc_value *s)
{
  const struct rc_value *ds = rc_aws_list(s, "deployments");
  for (size_t i = 0; i < rc_value_len(ds); i++) {
    const char *st = rc_aws_str(rc_value_index(ds, i), "status");
    if (st && strcmp(st, "PRIMARY") == 0) return rc_value_index(ds, i);
  }
  return NULL;
}

static struct rc_value *svc_state(struct rc_rctx *ctx, const struct rc_value *s,
                                  const struct rc_value *prior)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  const char *arn = rc_aws_str(s, "serviceArn");
  rc_svcu_put_str(o, "id", arn);
  rc_svcu_put_str(o, "arn", arn);
  rc_svcu_put_str(o, "name", rc_aws_str(s, "serviceName"));
  rc_svcu_put_str(o, "cluster", rc_aws_str(s, "clusterArn"));
  /* what runs: the PRIMARY deployment's task definition */
  const struct rc_value *prim = primary_of(s);
  const char *td = prim && rc_aws_str(prim, "taskDefinition") ? rc_aws_str(prim, "taskDefinition")
                                                               : rc_aws_str(s, "taskDefinition");
  const char *ptd = prior ? rc_res_str(prior, "task_definition") : NULL;
  if (td && ptd && !strchr(ptd, ':')) { /* configured as a bare family: keep it so */
    const char *f = strstr(td, ":task-definition/");
    const char *c = f ? strrchr(td, ':') : NULL;
    if (f && c) {
      f += strlen(":task-definition/");
      rc_value_obj_put(o, "task_definition", rc_value_string_n(f, (size_t)(c - f)));
    } else {
      rc_svcu_put_str(o, "task_definition", td);
    }
  } else {
    rc_svcu_put_str(o, "task_definition", td);
  }
  rc_svcu_put_int(o, "desired_count", rc_value_get(s, "desiredCount"));
  rc_svcu_put_str(o, "launch_type", rc_aws_str(s, "launchType"));
  rc_svcu_put_str(o, "platform_version", rc_aws_str(s, "platformVersion"));
  rc_svcu_put_str(o, "iam_role", rc_aws_str(s, "roleArn"));
  rc_svcu_put_str(o, "scheduling_strategy", rc_aws_str(s, "schedulingStrategy"));
  const char *pt = rc_aws_str(s, "propagateTags");
  rc_svcu_put_str(o, "propagate_tags", pt ? pt : "NONE");
  rc_svcu_put_bool(o, "enable_ecs_managed_tags", rc_value_get(s, "enableECSManagedTags"), false);
  rc_svcu_put_bool(o, "enable_execute_command", rc_value_get(s, "enableExecuteCommand"), false);
  const struct rc_value *g = rc_value_get(s, "healthCheckGracePeriodSeconds");
  if (rc_svcu_int(g, 0) > 0 || (prior && rc_value_get(prior, "health_check_grace_period_seconds") &&
                                !rc_value_is_null(rc_value_get(prior, "health_check_grace_period_seconds"))))
    rc_value_obj_put(o, "health_check_grace_period_seconds", rc_value_int(rc_svcu_int(g, 0)));
  else
    rc_value_obj_put(o, "health_check_grace_period_seconds", rc_value_null());

  const struct rc_value *dc = rc_value_get(s, "deploymentConfiguration");
  rc_value_obj_put(o, "deployment_maximum_percent",
                   rc_value_int(rc_svcu_int(dc ? rc_value_get(dc, "maximumPercent") : NULL, 200)));
  rc_value_obj_put(o, "deployment_minimum_healthy_percent",
                   rc_value_int(rc_svcu_int(dc ? rc_value_get(dc, "minimumHealthyPercent") : NULL, 100)));
  struct rc_value *cbl = rc_value_seq_new(RC_TUPLE);
  const struct rc_value *cb = dc ? rc_value_get(dc, "deploymentCircuitBreaker") : NULL;
  const struct rc_value *pcb = prior ? rc_res_block(prior, "deployment_circuit_breaker") : NULL;
  if (cb && rc_value_is_obj(cb)) {
    bool en = rc_res_bool(cb, "enable", false), rb = rc_res_bool(cb, "rollback", false);
    if (en || rb || pcb) { /* off and not configured: AWS's default, no block */
      struct rc_value *e = rc_value_obj_new(RC_OBJECT);
      rc_value_obj_put(e, "enable", rc_value_bool(en));
      rc_value_obj_put(e, "rollback", rc_value_bool(rb));
      rc_value_seq_push(cbl, e);
    }
  }
  rc_value_obj_put(o, "deployment_circuit_breaker", cbl);
  struct rc_value *dcl = rc_value_seq_new(RC_TUPLE);
  const char *dct = rc_value_str(rc_value_path(s, "deploymentController.type"));
  if (dct) {
    struct rc_value *e = rc_value_obj_new(RC_OBJECT);
    rc_svcu_put_str(e, "type", dct);
    rc_value_seq_push(dcl, e);
  }
  rc_value_obj_put(o, "deployment_controller", dcl);

  struct rc_value *cps = rc_value_seq_new(RC_SET);
  const struct rc_value *cl = rc_aws_list(s, "capacityProviderStrategy");
  for (size_t i = 0; i < rc_value_len(cl); i++) {
    const struct rc_value *c = rc_value_index(cl, i);
    struct rc_value *e = rc_value_obj_new(RC_OBJECT);
    rc_svcu_put_str(e, "capacity_provider", rc_aws_str(c, "capacityProvider"));
    rc_value_obj_put(e, "weight", rc_value_int(rc_svcu_int(rc_value_get(c, "weight"), 0)));
    rc_value_obj_put(e, "base", rc_value_int(rc_svcu_int(rc_value_get(c, "base"), 0)));
    rc_value_seq_push(cps, e);
  }
  rc_value_obj_put(o, "capacity_provider_strategy", rc_value_seq_seal(cps));

  struct rc_value *lbs = rc_value_seq_new(RC_SET);
  const struct rc_value *ll = rc_aws_list(s, "loadBalancers");
  for (size_t i = 0; i < rc_value_len(ll); i++) {
    const struct rc_value *l = rc_value_index(ll, i);
    struct rc_value *e = rc_value_obj_new(RC_OBJECT);
    rc_svcu_put_str(e, "container_name", rc_aws_str(l, "containerName"));
    rc_svcu_put_int(e, "container_port", rc_value_get(l, "containerPort"));
    rc_svcu_put_str(e, "elb_name", rc_aws_str(l, "loadBalancerName"));
    rc_svcu_put_str(e, "target_group_arn", rc_aws_str(l, "targetGroupArn"));
    rc_value_seq_push(lbs, e);
  }
  rc_value_obj_put(o, "load_balancer", rc_value_seq_seal(lbs));

  struct rc_value *net = rc_value_seq_new(RC_TUPLE);
  const struct rc_value *av = rc_value_path(s, "networkConfiguration.awsvpcConfiguration");
  if (av && rc_value_is_obj(av)) {
    struct rc_value *e = rc_value_obj_new(RC_OBJECT);
    const char *ip = rc_aws_str(av, "assignPublicIp");
    rc_value_obj_put(e, "assign_public_ip", rc_value_bool(ip && strcmp(ip, "ENABLED") == 0));
    rc_value_obj_put(e, "security_groups", rc_svcu_str_set(rc_aws_list(av, "securityGroups")));
    rc_value_obj_put(e, "subnets", rc_svcu_str_set(rc_aws_list(av, "subnets")));
    rc_value_seq_push(net, e);
  }
  rc_value_obj_put(o, "network_configuration", net);

  /* configuration-only */
  rc_svcu_carry(o, prior, "force_delete");
  rc_svcu_carry(o, prior, "force_new_deployment");
  rc_svcu_carry(o, prior, "triggers");
  const struct rc_value *w = prior ? rc_value_get(prior, "wait_for_steady_state") : NULL;
  rc_svcu_put_bool(o, "wait_for_steady_state", w, false);
  struct rc_value *tags = rc_aws_tags_to_object(rc_aws_list(s, "tags"));
  rc_res_put_tags(ctx, o, tags);
  rc_value_decref(tags);
  return o;
}

/* ---------------- reads ---------------- */

/* the cluster part of a service ARN "arn:aws:ecs:r:a:service/cluster/name"
 * (new format), or NULL (old format: the default cluster) */
static char *cluster_of_arn(const char *arn)
{
  const char *p = arn ? strstr(arn, ":service/") : NULL;
  if (!p) return NULL;
  p += strlen(":service/");
  const char *slash = strchr(p, '/');
  return slash ? rc_strndup(p, (size_t)(slash - p)) : NULL;
}

static const char *item_cluster(const struct rc_read_item *it, char **owned)
{
  const char *c = it->prior ? rc_res_str(it->prior, "cluster") : NULL;
  if (c) return c;
  *owned = cluster_of_arn(it->id);
  return *owned ? *owned : "default";
}

static rc_status describe(struct rc_rctx *ctx, const char *cluster, const char *const *ids,
                          size_t n, struct rc_value **ans, struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *l = rc_value_seq_new(RC_TUPLE),
                  *inc = rc_value_seq_new(RC_TUPLE);
  rc_value_obj_put(p, "cluster", rc_value_string(cluster));
  for (size_t i = 0; i < n; i++) rc_value_seq_push(l, rc_value_string(ids[i]));
  rc_value_obj_put(p, "services", l);
  rc_value_seq_push(inc, rc_value_string("TAGS"));
  rc_value_obj_put(p, "include", inc);
  rc_status st = rc_aws_call(ctx->aws, "ecs", "DescribeServices", p, ans, err);
  rc_value_decref(p);
  return st;
}

static bool same_service(const struct rc_value *s, const char *id)
{
  const char *arn = rc_aws_str(s, "serviceArn"), *name = rc_aws_str(s, "serviceName");
  return (arn && strcmp(arn, id) == 0) || (name && strcmp(name, id) == 0);
}

static rc_status svc_read_many(struct rc_rctx *ctx, struct rc_read_item *items, size_t n)
{
  char **owned = rc_calloc(n ? n : 1, sizeof *owned);
  const char **cl = rc_calloc(n ? n : 1, sizeof *cl);
  bool *done = rc_calloc(n ? n : 1, sizeof *done);
  for (size_t i = 0; i < n; i++) {
    items[i].out = NULL;
    items[i].status = RC_OK;
    cl[i] = item_cluster(&items[i], &owned[i]);
    done[i] = !items[i].id;
  }
  rc_status st = RC_OK;
  for (size_t i = 0; i < n; i++) { /* batches: same cluster, 10 at a time */
    if (done[i]) continue;
    const char *ids[SVC_BATCH];
    size_t idx[SVC_BATCH], m = 0;
    for (size_t k = i; k < n && m < SVC_BATCH; k++)
      if (!done[k] && strcmp(cl[k], cl[i]) == 0) {
        ids[m] = items[k].id;
        idx[m++] = k;
        done[k] = true;
      }
    struct rc_value *ans = NULL;
    struct rc_error err = {0};
    rc_status s = describe(ctx, cl[i], ids, m, &ans, &err);
    if (s == RC_NOT_FOUND) { /* ClusterNotFoundException: so are its services */
      rc_value_decref(ans);
      continue;
    }
    for (size_t k = 0; k < m; k++) {
      struct rc_read_item *it = &items[idx[k]];
      if (s) {
        it->status = s;
        it->err = err;
        continue;
      }
      const struct rc_value *sl = rc_aws_list(ans, "services");
      for (size_t j = 0; j < rc_value_len(sl); j++) {
        const struct rc_value *sv = rc_value_index(sl, j);
        const char *status = rc_aws_str(sv, "status");
        if (!same_service(sv, it->id) || (status && strcmp(status, "INACTIVE") == 0)) continue;
        it->out = svc_state(ctx, sv, it->prior);
        break;
      }
    }
    if (s && !st) st = s;
    rc_value_decref(ans);
  }
  for (size_t i = 0; i < n; i++) rc_free(owned[i]);
  rc_free(owned);
  rc_free(cl);
  rc_free(done);
  return st;
}

/* find: the ACTIVE service of this name in the cluster (names are unique
 * per cluster) */
static rc_status svc_find(struct rc_rctx *ctx, const struct rc_value *config,
                          struct rc_value **out, struct rc_error *err)
{
  const char *cluster = rc_res_str(config, "cluster");
  struct rc_value *p = rc_value_copy(config);
  if (!cluster) rc_value_obj_put(p, "cluster", rc_value_string("default"));
  struct rc_read_item it = {.address = ctx->address, .id = rc_res_str(config, "name"), .prior = p};
  rc_status st = svc_read_many(ctx, &it, 1);
  rc_value_decref(p);
  *out = it.out;
  if (st && err && err->code == RC_OK) *err = it.err;
  return st;
}

/* ---------------- create / update ---------------- */

static struct rc_value *net_wire(const struct rc_value *config)
{
  const struct rc_value *n = rc_res_block(config, "network_configuration");
  if (!n) return NULL;
  struct rc_value *w = rc_value_obj_new(RC_OBJECT), *a = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(a, "subnets", rc_svcu_str_list(rc_value_get(n, "subnets")));
  const struct rc_value *sg = rc_value_get(n, "security_groups");
  if (sg && rc_value_is_seq(sg) && rc_value_len(sg))
    rc_value_obj_put(a, "securityGroups", rc_svcu_str_list(sg));
  rc_value_obj_put(a, "assignPublicIp", rc_value_string(rc_res_bool(n, "assign_public_ip", false)
                                                            ? "ENABLED"
                                                            : "DISABLED"));
  rc_value_obj_put(w, "awsvpcConfiguration", a);
  return w;
}

static struct rc_value *lbs_wire(const struct rc_value *config)
{
  const struct rc_value *l = rc_value_get(config, "load_balancer");
  struct rc_value *w = rc_value_seq_new(RC_TUPLE);
  for (size_t i = 0; l && rc_value_is_seq(l) && i < rc_value_len(l); i++) {
    const struct rc_value *e = rc_value_index(l, i);
    struct rc_value *o = rc_value_obj_new(RC_OBJECT);
    const char *s;
    if ((s = rc_res_str(e, "target_group_arn")) && *s)
      rc_value_obj_put(o, "targetGroupArn", rc_value_string(s));
    if ((s = rc_res_str(e, "elb_name")) && *s)
      rc_value_obj_put(o, "loadBalancerName", rc_value_string(s));
    rc_value_obj_put(o, "containerName", rc_value_string(rc_res_str(e, "container_name")));
    rc_value_obj_put(o, "containerPort", rc_value_int(rc_res_int(e, "container_port", 0)));
    rc_value_seq_push(w, o);
  }
  return w;
}

static struct rc_value *cps_wire(const struct rc_value *config)
{
  const struct rc_value *l = rc_value_get(config, "capacity_provider_strategy");
  struct rc_value *w = rc_value_seq_new(RC_TUPLE);
  for (size_t i = 0; l && rc_value_is_seq(l) && i < rc_value_len(l); i++) {
    const struct rc_value *e = rc_value_index(l, i);
    struct rc_value *o = rc_value_obj_new(RC_OBJECT);
    rc_value_obj_put(o, "capacityProvider", rc_value_string(rc_res_str(e, "capacity_provider")));
    rc_value_obj_put(o, "weight", rc_value_int(rc_res_int(e, "weight", 0)));
    rc_value_obj_put(o, "base", rc_value_int(rc_res_int(e, "base", 0)));
    rc_value_seq_push(w, o);
  }
  return w;
}

static struct rc_value *deploy_conf_wire(const struct rc_value *config)
{
  struct rc_value *d = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(d, "maximumPercent",
                   rc_value_int(rc_res_int(config, "deployment_maximum_percent", 200)));
  rc_value_obj_put(d, "minimumHealthyPercent",
                   rc_value_int(rc_res_int(config, "deployment_minimum_healthy_percent", 100)));
  const struct rc_value *cb = rc_res_block(config, "deployment_circuit_breaker");
  struct rc_value *c = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(c, "enable", rc_value_bool(cb && rc_res_bool(cb, "enable", false)));
  rc_value_obj_put(c, "rollback", rc_value_bool(cb && rc_res_bool(cb, "rollback", false)));
  rc_value_obj_put(d, "deploymentCircuitBreaker", c);
  return d;
}

/* the fields CreateService and UpdateService share */
static void common_wire(struct rc_value *p, const struct rc_value *config)
{
  const char *s;
  if ((s = rc_res_str(config, "task_definition")) && *s)
    rc_value_obj_put(p, "taskDefinition", rc_value_string(s));
  rc_value_obj_put(p, "desiredCount", rc_value_int(rc_res_int(config, "desired_count", 0)));
  struct rc_value *cps = cps_wire(config);
  if (rc_value_len(cps))
    rc_value_obj_put(p, "capacityProviderStrategy", cps);
  else
    rc_value_decref(cps);
  if ((s = rc_res_str(config, "platform_version")) && *s)
    rc_value_obj_put(p, "platformVersion", rc_value_string(s));
  struct rc_value *net = net_wire(config);
  if (net) rc_value_obj_put(p, "networkConfiguration", net);
  rc_value_obj_put(p, "deploymentConfiguration", deploy_conf_wire(config));
  const struct rc_value *g = rc_value_get(config, "health_check_grace_period_seconds");
  if (g && !rc_value_is_null(g))
    rc_value_obj_put(p, "healthCheckGracePeriodSeconds", rc_value_int(rc_svcu_int(g, 0)));
  rc_value_obj_put(p, "enableExecuteCommand",
                   rc_value_bool(rc_res_bool(config, "enable_execute_command", false)));
  rc_value_obj_put(p, "enableECSManagedTags",
                   rc_value_bool(rc_res_bool(config, "enable_ecs_managed_tags", false)));
  if ((s = rc_res_str(config, "propagate_tags")) && *s)
    rc_value_obj_put(p, "propagateTags", rc_value_string(s));
}

/* the errors the provider retries while IAM and listeners settle */
static const char *const propagation_errors[] = {
    "does not have an associated load balancer",
    "Unable to assume the service linked role",
    "Please verify that the ECS service role being passed has the proper permissions",
    "Unable to assume role",
    "ECS was unable to assume the role",
    NULL};

static rc_status svc_create(struct rc_rctx *ctx, const struct rc_value *config,
                            struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *ans = NULL;
  const char *s;
  rc_value_obj_put(p, "serviceName", rc_value_string(rc_res_str(config, "name")));
  if ((s = rc_res_str(config, "cluster")) && *s) rc_value_obj_put(p, "cluster", rc_value_string(s));
  common_wire(p, config);
  if ((s = rc_res_str(config, "launch_type")) && *s)
    rc_value_obj_put(p, "launchType", rc_value_string(s));
  if ((s = rc_res_str(config, "iam_role")) && *s) rc_value_obj_put(p, "role", rc_value_string(s));
  if ((s = rc_res_str(config, "scheduling_strategy")) && *s)
    rc_value_obj_put(p, "schedulingStrategy", rc_value_string(s));
  const struct rc_value *dc = rc_res_block(config, "deployment_controller");
  if (dc && rc_res_str(dc, "type")) {
    struct rc_value *o = rc_value_obj_new(RC_OBJECT);
    rc_value_obj_put(o, "type", rc_value_string(rc_res_str(dc, "type")));
    rc_value_obj_put(p, "deploymentController", o);
  }
  struct rc_value *lbs = lbs_wire(config);
  if (rc_value_len(lbs))
    rc_value_obj_put(p, "loadBalancers", lbs);
  else
    rc_value_decref(lbs);
  struct rc_value *tags = rc_res_birth_tags(ctx, config);
  rc_value_obj_put(p, "tags", rc_svcu_json_tags(tags, "key", "value"));
  rc_value_decref(tags);
  rc_value_obj_put(p, "clientToken", rc_value_string_steal(rc_svcu_token(ctx, "CreateService", 32)));
  rc_status st = rc_svcu_call_retrying(ctx, "ecs", "CreateService", p, propagation_errors,
                                       rc_res_timeout(ctx, "create", 120), &ans, err);
  rc_value_decref(p);
  const char *arn = ans ? rc_value_str(rc_value_path(ans, "service.serviceArn")) : NULL;
  if (!st && !arn) st = rc_error_set(err, RC_AWS, "CreateService answered without a serviceArn");
  if (!st) {
    struct rc_value *prior = rc_value_copy(config);
    if (!rc_res_str(config, "cluster"))
      rc_value_obj_put(prior, "cluster",
                       rc_value_string(rc_value_str(rc_value_path(ans, "service.clusterArn"))));
    st = rc_res_read_one(ctx, svc_read_many, arn, prior, SVC_VISIBLE_S, "ECS service",
                         out, err);
    rc_value_decref(prior);
  }
  rc_value_decref(ans);
  return st;
}

static bool changed(const struct rc_value *a, const struct rc_value *b, const char *key)
{
  const struct rc_value *x = rc_value_get(a, key), *y = rc_value_get(b, key);
  if (!x || rc_value_is_null(x)) return y && !rc_value_is_null(y);
  return !y || !rc_value_equal(x, y);
}

static rc_status svc_update(struct rc_rctx *ctx, const struct rc_value *prior,
                            const struct rc_value *config, struct rc_value **out,
                            struct rc_error *err)
{
  *out = NULL;
  const char *arn = rc_res_str(prior, "id");
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(p, "cluster", rc_value_string(rc_res_str(prior, "cluster")));
  rc_value_obj_put(p, "service", rc_value_string(arn));
  common_wire(p, config);
  /* load balancers are updatable in place; [] would detach them all */
  rc_value_obj_put(p, "loadBalancers", lbs_wire(config));
  if (rc_res_bool(config, "force_new_deployment", false) &&
      (changed(prior, config, "triggers") || changed(prior, config, "force_new_deployment") ||
       changed(prior, config, "task_definition")))
    rc_value_obj_put(p, "forceNewDeployment", rc_value_bool(true));
  rc_status st = rc_svcu_call_retrying(ctx, "ecs", "UpdateService", p, propagation_errors,
                                       rc_res_timeout(ctx, "update", 120), NULL, err);
  rc_value_decref(p);
  if (!st) st = rc_svcu_ecs_update_tags(ctx, arn, prior, config, err);
  if (!st)
    st = rc_res_read_one(ctx, svc_read_many, arn, config, SVC_VISIBLE_S, "ECS service",
                         out, err);
  return st;
}

/* ---------------- delete ---------------- */

static rc_status svc_delete(struct rc_rctx *ctx, const struct rc_value *state,
                            struct rc_error *err)
{
  const char *arn = rc_res_str(state, "id"), *cluster = rc_res_str(state, "cluster");
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  if (cluster) rc_value_obj_put(p, "cluster", rc_value_string(cluster));
  rc_value_obj_put(p, "service", rc_value_string(arn));
  struct rc_value *u = rc_value_copy(p);
  rc_value_obj_put(u, "desiredCount", rc_value_int(0));
  struct rc_error e = {0};
  rc_status st = rc_svcu_call(ctx, "ecs", "UpdateService", u, &e);
  rc_value_decref(u);
  if (st == RC_NOT_FOUND || strstr(e.aws_code, "ServiceNotActive")) {
    rc_value_decref(p);
    return RC_NOT_FOUND;
  }
  rc_value_obj_put(p, "force", rc_value_bool(true));
  static const char *const retry[] = {"UpdateInProgress", "currently being updated", NULL};
  st = rc_svcu_call_retrying(ctx, "ecs", "DeleteService", p, retry,
                             rc_res_timeout(ctx, "delete", 1200), NULL, err);
  rc_value_decref(p);
  if (st && strstr(err->aws_code, "ServiceNotActive")) {
    rc_error_clear(err);
    return RC_NOT_FOUND;
  }
  return st;
}

/* ---------------- waits ---------------- */

struct waitst {
  const struct rc_value *state;
  bool always;           /* wait_for_steady_state or a create that asked for it */
  bool deleting;
  char last_event[512];
  struct rc_value *live; /* the last DescribeServices item */
};

static const char *newest_event(const struct rc_value *s)
{
  const struct rc_value *ev = rc_aws_list(s, "events");
  return rc_value_len(ev) ? rc_aws_str(rc_value_index(ev, 0), "message") : NULL;
}

static bool same_td(const char *want, const char *have)
{
  if (!want || !have) return true;
  const char *w = strstr(want, ":task-definition/"), *h = strstr(have, ":task-definition/");
  w = w ? w + strlen(":task-definition/") : want;
  h = h ? h + strlen(":task-definition/") : have;
  if (!strchr(w, ':')) return strncmp(w, h, strlen(w)) == 0 && h[strlen(w)] == ':';
  return strcmp(w, h) == 0;
}

static rc_status rolled_back(struct rc_rctx *ctx, struct waitst *w, struct rc_error *err)
{
  (void)ctx;
  const struct rc_value *s = w->live;
  const char *tg = NULL;
  const struct rc_value *lbs = rc_aws_list(s, "loadBalancers");
  if (rc_value_len(lbs)) tg = rc_aws_str(rc_value_index(lbs, 0), "targetGroupArn");
  char events[600] = "";
  const struct rc_value *ev = rc_aws_list(s, "events");
  size_t at = 0;
  for (size_t i = 0; i < rc_value_len(ev) && i < 3 && at < sizeof events - 1; i++) {
    const char *m = rc_aws_str(rc_value_index(ev, i), "message");
    int k = snprintf(events + at, sizeof events - at, "%s%s", i ? " | " : "", m ? m : "");
    if (k < 0) break;
    at += (size_t)k;
  }
  const struct rc_value *prim = primary_of(s), *deps = rc_aws_list(s, "deployments");
  const char *reason = prim ? rc_aws_str(prim, "rolloutStateReason") : NULL;
  for (size_t i = 0; i < rc_value_len(deps); i++) { /* the failed deployment says why */
    const struct rc_value *d = rc_value_index(deps, i);
    const char *rs = rc_aws_str(d, "rolloutState");
    if (rs && strcmp(rs, "FAILED") == 0 && rc_aws_str(d, "rolloutStateReason"))
      reason = rc_aws_str(d, "rolloutStateReason");
  }
  if (tg)
    return rc_error_set(err, RC_AWS,
                        "deployment rolled back: tasks failed health checks on target group %s "
                        "(%s) - last events: %s",
                        tg, reason && *reason ? reason : "circuit breaker", events);
  return rc_error_set(err, RC_AWS, "deployment rolled back: tasks failed to start (%s) - last events: %s",
                      reason && *reason ? reason : "circuit breaker", events);
}

static rc_status poll_service(struct rc_rctx *ctx, void *ud, char *seen, size_t seen_sz,
                              struct rc_error *err)
{
  struct waitst *w = ud;
  const char *arn = rc_res_str(w->state, "id"), *cluster = rc_res_str(w->state, "cluster");
  struct rc_value *ans = NULL;
  rc_status st = describe(ctx, cluster ? cluster : "default", &arn, 1, &ans, err);
  if (st == RC_NOT_FOUND && w->deleting) {
    rc_value_decref(ans);
    return RC_OK;
  }
  if (st) {
    rc_value_decref(ans);
    return st;
  }
  const struct rc_value *sl = rc_aws_list(ans, "services"), *s = NULL;
  for (size_t i = 0; i < rc_value_len(sl); i++)
    if (same_service(rc_value_index(sl, i), arn)) s = rc_value_index(sl, i);
  if (!s) {
    rc_value_decref(ans);
    if (w->deleting) return RC_OK;
    snprintf(seen, seen_sz, "service not visible yet");
    return RC_NOT_READY;
  }
  rc_value_decref(w->live);
  w->live = rc_value_incref(s);
  rc_value_decref(ans);
  const char *status = rc_aws_str(s, "status");
  if (w->deleting) {
    snprintf(seen, seen_sz, "status %s", status ? status : "?");
    return status && strcmp(status, "INACTIVE") == 0 ? RC_OK : RC_NOT_READY;
  }
  const struct rc_value *prim = primary_of(s);
  const char *rollout = prim ? rc_aws_str(prim, "rolloutState") : NULL;
  const char *ptd = prim ? rc_aws_str(prim, "taskDefinition") : rc_aws_str(s, "taskDefinition");
  int64_t running = rc_svcu_int(rc_value_get(prim ? prim : s, "runningCount"), 0);
  int64_t desired = rc_svcu_int(rc_value_get(prim ? prim : s, "desiredCount"), 0);
  size_t ndeps = rc_value_len(rc_aws_list(s, "deployments"));
  const char *ev = newest_event(s);
  char msg[900];
  snprintf(msg, sizeof msg, "%lld of %lld tasks running, rollout %s", (long long)running,
           (long long)desired, rollout ? rollout : "unknown");
  if (ev && strcmp(ev, w->last_event) != 0) {
    snprintf(w->last_event, sizeof w->last_event, "%s", ev);
    size_t l = strlen(msg);
    snprintf(msg + l, sizeof msg - l, " - %s", ev);
  }
  if (ctx->progress) ctx->progress(ctx->progress_ud, ctx->address, msg);
  snprintf(seen, seen_sz, "%lld of %lld tasks running, rollout %s, %zu deployments",
           (long long)running, (long long)desired, rollout ? rollout : "unknown", ndeps);
  if (!same_td(rc_res_str(w->state, "task_definition"), ptd) ||
      (rollout && strcmp(rollout, "FAILED") == 0))
    return rolled_back(ctx, w, err);
  bool rolling = ndeps > 1 || (rollout && strcmp(rollout, "IN_PROGRESS") == 0);
  if (!w->always && !rolling) return RC_OK; /* nothing of ours to wait for */
  if (!w->always && ndeps <= 1 && running == desired) return RC_OK;
  bool done = (!rollout || strcmp(rollout, "COMPLETED") == 0) && running == desired && ndeps == 1;
  return done ? RC_OK : RC_NOT_READY;
}

static rc_status svc_wait(struct rc_rctx *ctx, enum rc_wait_for what, const struct rc_value *state,
                          struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  bool steady = rc_res_bool(state, "wait_for_steady_state", false);
  if (what == RC_WAIT_CREATE && !steady) return RC_OK; /* the provider does not wait */
  struct waitst w = {.state = state, .always = steady, .deleting = what == RC_WAIT_DELETE};
  const char *op = what == RC_WAIT_DELETE ? "delete" : what == RC_WAIT_CREATE ? "create" : "update";
  int timeout = rc_res_timeout(ctx, op, what == RC_WAIT_DELETE ? 1200 : 1200);
  rc_status st = rc_res_poll(ctx, what == RC_WAIT_DELETE ? "ECS service to become INACTIVE"
                                                         : "ECS service to reach a steady state",
                             timeout, SVC_POLL_MS, poll_service, &w, err);
  if (what != RC_WAIT_DELETE && w.live && st != RC_CANCELLED) {
    /* the truth for state: what runs now (a rollback shows here) */
    struct rc_value *o = svc_state(ctx, w.live, state);
    if (!st && rc_value_equal(o, state))
      rc_value_decref(o);
    else
      *out = o;
  }
  rc_value_decref(w.live);
  return st;
}

static rc_status svc_import(struct rc_rctx *ctx, const char *id, struct rc_value **out,
                            struct rc_error *err)
{
  /* "cluster/name" (the provider's import form) or an ARN */
  const char *slash = strchr(id, '/');
  if (slash && strncmp(id, "arn:", 4) != 0) {
    struct rc_value *prior = rc_value_obj_new(RC_OBJECT);
    rc_value_obj_put(prior, "cluster", rc_value_string_n(id, (size_t)(slash - id)));
    rc_status st =
        rc_res_read_one(ctx, svc_read_many, slash + 1, prior, 0, "ECS service", out, err);
    rc_value_decref(prior);
    return st;
  }
  return rc_res_read_one(ctx, svc_read_many, id, NULL, 0, "ECS service", out, err);
}

/* A service's target group must be behind a listener before CreateService
 * accepts it, and its tasks need the execution role's policies in place. */
static const char *const svc_after[] = {"aws_lb_listener", "aws_lb_listener_rule",
                                        "aws_iam_role_policy_attachment", "aws_iam_role_policy",
                                        NULL};

const struct rc_resource_type rc_rt_ecs_service = {
    .name = "aws_ecs_service",
    .flags = RC_RT_TAGGABLE,
    .schema = svc_schema,
    .apply_after = svc_after,
    .read_many = svc_read_many,
    .find = svc_find,
    .create = svc_create,
    .update = svc_update,
    .delete = svc_delete,
    .wait = svc_wait,
    .import = svc_import,
};
