/* ecs.c — ECS (JSON 1.1, AmazonEC2ContainerServiceV20141113): the service
 * row and flags, clusters (settings, capacity providers), tags of every
 * taggable kind, lookups and the state export. Task definitions are in
 * ecs_taskdef.c, services and tasks in ecs_service.c, the deployment engine
 * in ecs_deploy.c. */
#include <stdio.h>
#include <string.h>
#include "common/rc_alloc.h"
#include "ecs_int.h"
#include "svc_json.h"

struct ecs_vec rc_ecs__clusters, rc_ecs__taskdefs, rc_ecs__services, rc_ecs__tasks;
int rc_ecs__task_start_ms = 1000, rc_ecs__task_stop_ms = 500;
char *rc_ecs__unhealthy_image;

void rc_ecs__push(struct ecs_vec *vec, void *p)
{
  vec->v = rc_realloc(vec->v, (vec->n + 1) * sizeof *vec->v);
  vec->v[vec->n++] = p;
}

void rc_ecs__remove(struct ecs_vec *vec, const void *p)
{
  for (size_t i = 0; i < vec->n; i++) {
    if (vec->v[i] != p) continue;
    memmove(&vec->v[i], &vec->v[i + 1], (vec->n - i - 1) * sizeof *vec->v);
    vec->n--;
    return;
  }
}

static void cluster_free(struct ecs_cluster *cl)
{
  rc_free(cl->arn);
  json_decref(cl->cps);
  json_decref(cl->strategy);
  rc_sim_tags_free(&cl->tags);
  rc_free(cl);
}

static void taskdef_free(struct ecs_taskdef *td)
{
  rc_free(td->arn);
  json_decref(td->doc);
  rc_sim_tags_free(&td->tags);
  rc_free(td);
}

struct ecs_cluster *rc_ecs__cluster_by_arn(const char *arn)
{
  for (size_t i = 0; arn && i < rc_ecs__clusters.n; i++) {
    struct ecs_cluster *cl = rc_ecs__clusters.v[i];
    if (strcmp(cl->arn, arn) == 0) return cl;
  }
  return NULL;
}

static struct ecs_cluster *cluster_lookup(const struct rc_sim_call *c, const char *ref)
{
  for (size_t i = 0; i < rc_ecs__clusters.n; i++) {
    struct ecs_cluster *cl = rc_ecs__clusters.v[i];
    if ((strcmp(cl->name, ref) == 0 || strcmp(cl->arn, ref) == 0) &&
        (rc_sim_visible(c, cl->visible_at) && rc_sim_arn_in_region(c, cl->arn)))
      return cl;
  }
  return NULL;
}

struct ecs_cluster *rc_ecs__cluster_param(struct rc_sim_call *c, bool active_only)
{
  const char *ref = rc_svcj_str(c, "cluster");
  if (!ref || !*ref) ref = "default";
  struct ecs_cluster *cl = cluster_lookup(c, ref);
  if (!cl || (active_only && strcmp(cl->status, "ACTIVE") != 0)) {
    rc_sim_error(c, 400, "ClusterNotFoundException", "Cluster not found.");
    return NULL;
  }
  return cl;
}

bool rc_ecs__tags_param(struct rc_sim_call *c, const json_t *list, struct rc_sim_tags *out)
{
  if (!rc_svcj_tags_from_list(list, "key", "value", out)) {
    rc_sim_error(c, 400, "InvalidParameterException", "Invalid tags: each tag needs a key.");
    return false;
  }
  if (out->n > 50) {
    rc_sim_error(c, 400, "InvalidParameterException",
                 "Tag limit exceeded. A resource can have at most 50 tags.");
    return false;
  }
  return true;
}

json_t *rc_ecs__cluster_json(const struct ecs_cluster *cl, bool tags)
{
  int services = 0, running = 0, pending = 0;
  for (size_t i = 0; i < rc_ecs__services.n; i++) {
    const struct ecs_service *s = rc_ecs__services.v[i];
    if (strcmp(s->cluster_arn, cl->arn) == 0 && strcmp(s->status, "ACTIVE") == 0) services++;
  }
  for (size_t i = 0; i < rc_ecs__tasks.n; i++) {
    const struct ecs_task *t = rc_ecs__tasks.v[i];
    if (strcmp(t->cluster_arn, cl->arn) != 0) continue;
    if (t->phase == ECS_RUNNING) running++;
    if (t->phase == ECS_PROVISIONING || t->phase == ECS_PENDING) pending++;
  }
  json_t *o = json_pack("{s:s,s:s,s:s,s:i,s:i,s:i,s:i,s:[],s:[{s:s,s:s}],s:O,s:O,s:[]}",
                        "clusterArn", cl->arn, "clusterName", cl->name, "status", cl->status,
                        "registeredContainerInstancesCount", 0, "runningTasksCount", running,
                        "pendingTasksCount", pending, "activeServicesCount", services,
                        "statistics", "settings", "name", "containerInsights", "value",
                        cl->insights, "capacityProviders", cl->cps,
                        "defaultCapacityProviderStrategy", cl->strategy, "attachments");
  if (tags) json_object_set_new(o, "tags", rc_svcj_tags_to_list(&cl->tags, "key", "value"));
  return o;
}

/* settings [{name: containerInsights, value}] into cl; answers errors. */
static bool settings_param(struct rc_sim_call *c, struct ecs_cluster *cl)
{
  size_t i;
  json_t *it;
  json_array_foreach(rc_svcj_get(c, "settings"), i, it)
  {
    const char *n = json_string_value(json_object_get(it, "name"));
    const char *v = json_string_value(json_object_get(it, "value"));
    if (!n || strcmp(n, "containerInsights") != 0 || !v ||
        (strcmp(v, "enabled") && strcmp(v, "disabled") && strcmp(v, "enhanced"))) {
      rc_sim_error(c, 400, "InvalidParameterException",
                   "Invalid setting. Only the containerInsights setting with the value enabled, "
                   "enhanced or disabled is supported.");
      return false;
    }
    snprintf(cl->insights, sizeof cl->insights, "%s", v);
  }
  return true;
}

/* capacityProviders / defaultCapacityProviderStrategy into cl. */
static bool cps_param(struct rc_sim_call *c, struct ecs_cluster *cl)
{
  json_t *cps = rc_svcj_get(c, "capacityProviders");
  json_t *st = rc_svcj_get(c, "defaultCapacityProviderStrategy");
  size_t i;
  json_t *it;
  json_array_foreach(cps, i, it)
  {
    const char *n = json_string_value(it);
    if (!n || (strcmp(n, "FARGATE") && strcmp(n, "FARGATE_SPOT"))) {
      rc_sim_error(c, 400, "InvalidParameterException",
                   "The specified capacity provider '%s' is not in an ACTIVE state. Specify a "
                   "valid capacity provider and try again.", n ? n : "");
      return false;
    }
  }
  json_array_foreach(st, i, it)
  {
    const char *n = json_string_value(json_object_get(it, "capacityProvider"));
    bool listed = false;
    size_t k;
    json_t *x;
    json_array_foreach(cps, k, x) if (n && json_string_value(x) &&
                                      strcmp(json_string_value(x), n) == 0) listed = true;
    if (!listed) {
      rc_sim_error(c, 400, "InvalidParameterException",
                   "The specified capacity provider strategy cannot contain a capacity provider "
                   "that is not associated with the cluster. Associate the capacity provider "
                   "with the cluster or specify a valid capacity provider and try again.");
      return false;
    }
  }
  if (cps) {
    json_decref(cl->cps);
    cl->cps = json_is_array(cps) ? json_deep_copy(cps) : json_array();
  }
  if (st) {
    json_decref(cl->strategy);
    cl->strategy = json_is_array(st) ? json_deep_copy(st) : json_array();
    json_array_foreach(cl->strategy, i, it)
    {
      if (!json_object_get(it, "weight")) json_object_set_new(it, "weight", json_integer(0));
      if (!json_object_get(it, "base")) json_object_set_new(it, "base", json_integer(0));
    }
  }
  return true;
}

static void op_create_cluster(struct rc_sim_call *c)
{
  const char *name = rc_svcj_str(c, "clusterName");
  if (!name || !*name) name = "default";
  size_t len = strlen(name);
  bool ok = len <= 255;
  for (const char *p = name; ok && *p; p++)
    ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
         *p == '-' || *p == '_';
  if (!ok) {
    rc_sim_error(c, 400, "InvalidParameterException",
                 "Cluster name can only contain alphanumeric characters, hyphens and "
                 "underscores, and be up to 255 characters long.");
    return;
  }
  struct ecs_cluster *cl = NULL;
  for (size_t i = 0; i < rc_ecs__clusters.n; i++) {
    struct ecs_cluster *o = rc_ecs__clusters.v[i];
    if (strcmp(o->name, name) == 0 && rc_sim_arn_in_region(c, o->arn)) cl = o;
  }
  bool fresh = !cl;
  if (fresh) {
    cl = rc_calloc(1, sizeof *cl);
    snprintf(cl->name, sizeof cl->name, "%s", name);
    cl->arn = rc_sim_arn(c, "ecs", NULL, "cluster/%s", name);
    cl->cps = json_array();
    cl->strategy = json_array();
    cl->visible_at = rc_sim_visible_at(c);
  }
  /* creating an existing cluster answers it (and revives an INACTIVE one) */
  snprintf(cl->status, sizeof cl->status, "ACTIVE");
  if (fresh) snprintf(cl->insights, sizeof cl->insights, "disabled");
  struct rc_sim_tags tags = {0};
  if (!settings_param(c, cl) || !cps_param(c, cl) ||
      !rc_ecs__tags_param(c, rc_svcj_get(c, "tags"), &tags)) {
    rc_sim_tags_free(&tags);
    if (fresh) cluster_free(cl);
    return;
  }
  for (size_t i = 0; i < tags.n; i++) rc_sim_tags_set(&cl->tags, tags.v[i].key, tags.v[i].value);
  rc_sim_tags_free(&tags);
  if (fresh) rc_ecs__push(&rc_ecs__clusters, cl);
  rc_sim_reply_json(c, json_pack("{s:o}", "cluster", rc_ecs__cluster_json(cl, true)));
}

bool rc_ecs__include_tags(const struct rc_sim_call *c)
{
  size_t i;
  json_t *it;
  json_array_foreach(rc_svcj_get(c, "include"), i, it) if (json_string_value(it) &&
                                                           strcmp(json_string_value(it), "TAGS") == 0)
      return true;
  return false;
}

static void op_describe_clusters(struct rc_sim_call *c)
{
  json_t *refs = rc_svcj_get(c, "clusters");
  json_t *out = json_array(), *fail = json_array();
  bool tags = rc_ecs__include_tags(c);
  if (!refs || json_array_size(refs) == 0) {
    struct ecs_cluster *cl = cluster_lookup(c, "default");
    if (cl)
      json_array_append_new(out, rc_ecs__cluster_json(cl, tags));
    else
      json_array_append_new(fail, json_pack("{s:s,s:s}", "arn",
                                            "arn:aws:ecs:us-east-1:123456789012:cluster/default",
                                            "reason", "MISSING"));
  }
  size_t i;
  json_t *it;
  json_array_foreach(refs, i, it)
  {
    const char *ref = json_string_value(it);
    struct ecs_cluster *cl = ref ? cluster_lookup(c, ref) : NULL;
    if (cl) {
      json_array_append_new(out, rc_ecs__cluster_json(cl, tags));
    } else {
      char *arn = ref && strncmp(ref, "arn:", 4) == 0 ? rc_strdup(ref)
                                                        : rc_sim_arn(c, "ecs", NULL, "cluster/%s",
                                                                     ref ? ref : "");
      json_array_append_new(fail, json_pack("{s:s,s:s}", "arn", arn, "reason", "MISSING"));
      rc_free(arn);
    }
  }
  rc_sim_reply_json(c, json_pack("{s:o,s:o}", "clusters", out, "failures", fail));
}

static void op_update_cluster(struct rc_sim_call *c)
{
  struct ecs_cluster *cl = rc_ecs__cluster_param(c, true);
  if (!cl || !settings_param(c, cl)) return;
  rc_sim_reply_json(c, json_pack("{s:o}", "cluster", rc_ecs__cluster_json(cl, false)));
}

static void op_update_cluster_settings(struct rc_sim_call *c)
{
  op_update_cluster(c);
}

static void op_put_cps(struct rc_sim_call *c)
{
  struct ecs_cluster *cl = rc_ecs__cluster_param(c, true);
  if (!cl) return;
  if (!rc_svcj_get(c, "capacityProviders") || !rc_svcj_get(c, "defaultCapacityProviderStrategy")) {
    rc_svcj_need(c, rc_svcj_get(c, "capacityProviders") ? "defaultCapacityProviderStrategy"
                                                        : "capacityProviders",
                 "InvalidParameterException");
    return;
  }
  if (!cps_param(c, cl)) return;
  rc_sim_reply_json(c, json_pack("{s:o}", "cluster", rc_ecs__cluster_json(cl, false)));
}

static void op_delete_cluster(struct rc_sim_call *c)
{
  struct ecs_cluster *cl = rc_ecs__cluster_param(c, true);
  if (!cl) return;
  for (size_t i = 0; i < rc_ecs__services.n; i++) {
    const struct ecs_service *s = rc_ecs__services.v[i];
    if (strcmp(s->cluster_arn, cl->arn) == 0 && strcmp(s->status, "INACTIVE") != 0) {
      rc_sim_error(c, 400, "ClusterContainsServicesException",
                   "The Cluster cannot be deleted while Services are active.");
      return;
    }
  }
  for (size_t i = 0; i < rc_ecs__tasks.n; i++) {
    const struct ecs_task *t = rc_ecs__tasks.v[i];
    if (strcmp(t->cluster_arn, cl->arn) == 0 && t->phase != ECS_STOPPED) {
      rc_sim_error(c, 400, "ClusterContainsTasksException",
                   "The Cluster cannot be deleted while Tasks are active.");
      return;
    }
  }
  snprintf(cl->status, sizeof cl->status, "INACTIVE");
  rc_sim_reply_json(c, json_pack("{s:o}", "cluster", rc_ecs__cluster_json(cl, false)));
}

void rc_ecs__reply_page(struct rc_sim_call *c, const char *key, json_t *all, size_t start,
                        size_t limit)
{
  json_t *page = json_array();
  for (size_t i = start; i < json_array_size(all) && json_array_size(page) < limit; i++)
    json_array_append(page, json_array_get(all, i));
  json_t *o = json_pack("{s:o}", key, page);
  if (start + limit < json_array_size(all)) {
    char tok[40];
    rc_sim_page_token(start + limit, tok, sizeof tok);
    json_object_set_new(o, "nextToken", json_string(tok));
  }
  json_decref(all);
  rc_sim_reply_json(c, o);
}

static void op_list_clusters(struct rc_sim_call *c)
{
  size_t start, limit;
  if (!rc_svcj_page(c, "maxResults", "nextToken", 1, 100, 100, "InvalidParameterException",
                    &start, &limit))
    return;
  json_t *arr = json_array();
  size_t seen = 0;
  bool more = false;
  for (size_t i = 0; i < rc_ecs__clusters.n; i++) {
    struct ecs_cluster *cl = rc_ecs__clusters.v[i];
    if (strcmp(cl->status, "ACTIVE") != 0 || !(rc_sim_visible(c, cl->visible_at) && rc_sim_arn_in_region(c, cl->arn))) continue;
    if (seen++ < start) continue;
    if (json_array_size(arr) == limit) {
      more = true;
      break;
    }
    json_array_append_new(arr, json_string(cl->arn));
  }
  json_t *o = json_pack("{s:o}", "clusterArns", arr);
  if (more) {
    char tok[40];
    rc_sim_page_token(start + limit, tok, sizeof tok);
    json_object_set_new(o, "nextToken", json_string(tok));
  }
  rc_sim_reply_json(c, o);
}

/* The tags of the resource an ARN names, else answered. */
static struct rc_sim_tags *tags_of(struct rc_sim_call *c, const char *arn)
{
  if (!arn) {
    rc_svcj_need(c, "resourceArn", "InvalidParameterException");
    return NULL;
  }
  for (size_t i = 0; i < rc_ecs__clusters.n; i++) {
    struct ecs_cluster *x = rc_ecs__clusters.v[i];
    if (strcmp(x->arn, arn) == 0) return &x->tags;
  }
  for (size_t i = 0; i < rc_ecs__taskdefs.n; i++) {
    struct ecs_taskdef *x = rc_ecs__taskdefs.v[i];
    if (strcmp(x->arn, arn) == 0) return &x->tags;
  }
  for (size_t i = 0; i < rc_ecs__services.n; i++) {
    struct ecs_service *x = rc_ecs__services.v[i];
    if (strcmp(x->arn, arn) == 0 && strcmp(x->status, "INACTIVE") != 0) return &x->tags;
  }
  for (size_t i = 0; i < rc_ecs__tasks.n; i++) {
    struct ecs_task *x = rc_ecs__tasks.v[i];
    if (strcmp(x->arn, arn) == 0) return &x->tags;
  }
  if (strncmp(arn, "arn:aws:ecs:", 12) != 0)
    rc_sim_error(c, 400, "InvalidParameterException", "Invalid resource ARN: %s", arn);
  else
    rc_sim_error(c, 400, "InvalidParameterException", "The specified resource is not found.");
  return NULL;
}

static void op_tag_resource(struct rc_sim_call *c)
{
  struct rc_sim_tags *t = tags_of(c, rc_svcj_str(c, "resourceArn"));
  if (!t) return;
  struct rc_sim_tags add = {0};
  if (rc_ecs__tags_param(c, rc_svcj_get(c, "tags"), &add)) {
    for (size_t i = 0; i < add.n; i++) rc_sim_tags_set(t, add.v[i].key, add.v[i].value);
    rc_sim_reply_json(c, NULL);
  }
  rc_sim_tags_free(&add);
}

static void op_untag_resource(struct rc_sim_call *c)
{
  struct rc_sim_tags *t = tags_of(c, rc_svcj_str(c, "resourceArn"));
  if (!t) return;
  size_t i;
  json_t *k;
  json_array_foreach(rc_svcj_get(c, "tagKeys"), i, k) if (json_string_value(k))
      rc_sim_tags_del(t, json_string_value(k), NULL);
  rc_sim_reply_json(c, NULL);
}

static void op_list_tags(struct rc_sim_call *c)
{
  struct rc_sim_tags *t = tags_of(c, rc_svcj_str(c, "resourceArn"));
  if (t) rc_sim_reply_json(c, json_pack("{s:o}", "tags", rc_svcj_tags_to_list(t, "key", "value")));
}

static void ecs_reset(void)
{
  for (size_t i = 0; i < rc_ecs__tasks.n; i++) rc_ecs__task_free(rc_ecs__tasks.v[i]);
  for (size_t i = 0; i < rc_ecs__services.n; i++) rc_ecs__service_free(rc_ecs__services.v[i]);
  for (size_t i = 0; i < rc_ecs__taskdefs.n; i++) taskdef_free(rc_ecs__taskdefs.v[i]);
  for (size_t i = 0; i < rc_ecs__clusters.n; i++) cluster_free(rc_ecs__clusters.v[i]);
  struct ecs_vec *vs[] = {&rc_ecs__tasks, &rc_ecs__services, &rc_ecs__taskdefs, &rc_ecs__clusters};
  for (size_t i = 0; i < 4; i++) {
    rc_free(vs[i]->v);
    vs[i]->v = NULL;
    vs[i]->n = 0;
  }
}

static void ecs_tick(uint64_t now) { rc_ecs__engine_tick(now); }

static const struct rc_sim_op ecs_ops[] = {
    {"CreateCluster", op_create_cluster, false},
    {"DescribeClusters", op_describe_clusters, false},
    {"UpdateCluster", op_update_cluster, false},
    {"UpdateClusterSettings", op_update_cluster_settings, false},
    {"PutClusterCapacityProviders", op_put_cps, false},
    {"DeleteCluster", op_delete_cluster, false},
    {"ListClusters", op_list_clusters, false},
    {"RegisterTaskDefinition", rc_ecs__op_register_td, false},
    {"DescribeTaskDefinition", rc_ecs__op_describe_td, false},
    {"DeregisterTaskDefinition", rc_ecs__op_deregister_td, false},
    {"ListTaskDefinitions", rc_ecs__op_list_tds, false},
    {"ListTaskDefinitionFamilies", rc_ecs__op_list_families, false},
    {"CreateService", rc_ecs__op_create_service, false},
    {"UpdateService", rc_ecs__op_update_service, false},
    {"DeleteService", rc_ecs__op_delete_service, false},
    {"DescribeServices", rc_ecs__op_describe_services, false},
    {"ListServices", rc_ecs__op_list_services, false},
    {"ListTasks", rc_ecs__op_list_tasks, false},
    {"DescribeTasks", rc_ecs__op_describe_tasks, false},
    {"StopTask", rc_ecs__op_stop_task, false},
    {"TagResource", op_tag_resource, false},
    {"UntagResource", op_untag_resource, false},
    {"ListTagsForResource", op_list_tags, false},
    {NULL, NULL, false},
};

static const struct rc_sim_flag ecs_flags[] = {
    {"task-start-ms", RC_SIM_FLAG_INT, &rc_ecs__task_start_ms,
     "ECS tasks take this long from PROVISIONING to RUNNING (default 1000)"},
    {"task-stop-ms", RC_SIM_FLAG_INT, &rc_ecs__task_stop_ms,
     "ECS tasks take this long to stop (default 500)"},
    {"unhealthy-image", RC_SIM_FLAG_STRING, &rc_ecs__unhealthy_image,
     "ECS tasks whose image matches this POSIX extended REGEX fail health checks"},
    {NULL, RC_SIM_FLAG_INT, NULL, NULL},
};

const struct rc_sim_service rc_sim_svc_ecs = {
    .name = "ecs",
    .protocol = RC_SIM_JSON,
    .target_prefix = "AmazonEC2ContainerServiceV20141113",
    .ops = ecs_ops,
    .throttle_code = "ThrottlingException",
    .throttle_status = 400,
    .flags = ecs_flags,
    .reset = ecs_reset,
    .save = rc_ecs__save,
    .load = rc_ecs__load,
    .tick = ecs_tick,
};
