/* ecs_service.c — services (create with validation of the network
 * configuration and load balancers, update starting deployments, delete
 * through DRAINING to INACTIVE, describe, list) and tasks (list, describe,
 * stop). The engine that moves them is in ecs_deploy.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/rc_alloc.h"
#include "ecs_int.h"
#include "elbv2_sim.h"
#include "svc_json.h"

void rc_ecs__service_free(struct ecs_service *s)
{
  if (!s) return;
  rc_free(s->arn);
  rc_free(s->cluster_arn);
  json_decref(s->cp_strategy);
  rc_free(s->td_arn);
  json_decref(s->netconf);
  json_decref(s->lbs);
  rc_free(s->client_token);
  rc_free(s->role_arn);
  rc_sim_tags_free(&s->tags);
  for (size_t i = 0; i < s->deploys.n; i++) {
    struct ecs_deploy *d = s->deploys.v[i];
    rc_free(d->td_arn);
    rc_free(d->reason);
    rc_free(d);
  }
  rc_free(s->deploys.v);
  for (size_t i = 0; i < s->events.n; i++) {
    struct ecs_event *e = s->events.v[i];
    rc_free(e->msg);
    rc_free(e);
  }
  rc_free(s->events.v);
  json_decref(s->history);
  rc_free(s->last_completed_td);
  rc_free(s);
}

struct ecs_service *rc_ecs__service_find(const struct ecs_cluster *cl, const char *ref)
{
  struct ecs_service *found = NULL;
  for (size_t i = 0; ref && i < rc_ecs__services.n; i++) {
    struct ecs_service *s = rc_ecs__services.v[i];
    if (strcmp(s->cluster_arn, cl->arn) != 0) continue;
    if (strcmp(s->name, ref) != 0 && strcmp(s->arn, ref) != 0) continue;
    if (!found || strcmp(s->status, "INACTIVE") != 0) found = s; /* live one wins */
  }
  return found;
}

struct ecs_task *rc_ecs__task_find(const struct ecs_cluster *cl, const char *ref)
{
  for (size_t i = 0; ref && i < rc_ecs__tasks.n; i++) {
    struct ecs_task *t = rc_ecs__tasks.v[i];
    if (strcmp(t->cluster_arn, cl->arn) == 0 && (strcmp(t->id, ref) == 0 || strcmp(t->arn, ref) == 0))
      return t;
  }
  return NULL;
}

static json_t *deploy_json(const struct ecs_service *s, const struct ecs_deploy *d)
{
  int running = 0, pending = 0;
  for (size_t i = 0; i < rc_ecs__tasks.n; i++) {
    const struct ecs_task *t = rc_ecs__tasks.v[i];
    if (strcmp(t->deploy_id, d->id) != 0 || t->desired_stop) continue;
    if (t->phase == ECS_RUNNING) running++;
    else if (t->phase == ECS_PROVISIONING || t->phase == ECS_PENDING) pending++;
  }
  json_t *o = json_pack("{s:s,s:s,s:s,s:i,s:i,s:i,s:i,s:o,s:o,s:s,s:s}", "id", d->id, "status",
                        d->status, "taskDefinition", d->td_arn, "desiredCount", d->desired,
                        "pendingCount", pending, "runningCount", running, "failedTasks",
                        d->failed, "createdAt", rc_svcj_time(d->created_ms), "updatedAt",
                        rc_svcj_time(d->updated_ms), "rolloutState", d->rollout,
                        "rolloutStateReason", d->reason ? d->reason : "");
  if (s->launch_type[0]) {
    json_object_set_new(o, "launchType", json_string(s->launch_type));
  } else if (s->cp_strategy) {
    json_object_set(o, "capacityProviderStrategy", s->cp_strategy);
  }
  json_object_set_new(o, "platformVersion", json_string("1.4.0"));
  json_object_set_new(o, "platformFamily", json_string("Linux"));
  if (s->netconf) json_object_set(o, "networkConfiguration", s->netconf);
  return o;
}

json_t *rc_ecs__service_json(const struct ecs_service *s, bool tags)
{
  int running = 0, pending = 0;
  for (size_t i = 0; i < rc_ecs__tasks.n; i++) {
    const struct ecs_task *t = rc_ecs__tasks.v[i];
    if (strcmp(t->service, s->name) != 0 || strcmp(t->cluster_arn, s->cluster_arn) != 0 ||
        t->desired_stop)
      continue;
    if (t->phase == ECS_RUNNING) running++;
    else if (t->phase == ECS_PROVISIONING || t->phase == ECS_PENDING) pending++;
  }
  json_t *deps = json_array(), *events = json_array();
  for (size_t i = 0; i < s->deploys.n; i++)
    json_array_append_new(deps, deploy_json(s, s->deploys.v[i]));
  for (size_t i = 0; i < s->events.n && i < 100; i++) {
    const struct ecs_event *e = s->events.v[i];
    json_array_append_new(events, json_pack("{s:s,s:o,s:s}", "id", e->id, "createdAt",
                                            rc_svcj_time(e->at_ms), "message", e->msg));
  }
  json_t *o = json_pack(
      "{s:s,s:s,s:s,s:O,s:[],s:s,s:i,s:i,s:i,s:s,s:{s:{s:b,s:b},s:i,s:i},s:o,s:o,s:o,"
      "s:[],s:[],s:s,s:{s:s},s:s,s:b,s:s,s:b}",
      "serviceArn", s->arn, "serviceName", s->name, "clusterArn", s->cluster_arn,
      "loadBalancers", s->lbs, "serviceRegistries", "status", s->status, "desiredCount",
      s->desired, "runningCount", running, "pendingCount", pending, "taskDefinition", s->td_arn,
      "deploymentConfiguration", "deploymentCircuitBreaker", "enable", s->cb_enable, "rollback",
      s->cb_rollback, "maximumPercent", s->max_pct, "minimumHealthyPercent", s->min_pct,
      "deployments", deps, "events", events, "createdAt", rc_svcj_time(s->created_ms),
      "placementConstraints", "placementStrategy", "schedulingStrategy", "REPLICA",
      "deploymentController", "type", "ECS", "createdBy",
      "arn:aws:iam::" RC_SIM_ACCOUNT ":root", "enableECSManagedTags", s->managed_tags,
      "propagateTags", s->propagate, "enableExecuteCommand", s->exec);
  if (s->launch_type[0]) {
    json_object_set_new(o, "launchType", json_string(s->launch_type));
    json_object_set_new(o, "platformVersion", json_string("LATEST"));
    json_object_set_new(o, "platformFamily", json_string("Linux"));
  } else if (s->cp_strategy) {
    json_object_set(o, "capacityProviderStrategy", s->cp_strategy);
    json_object_set_new(o, "platformVersion", json_string("LATEST"));
  }
  if (s->netconf) json_object_set(o, "networkConfiguration", s->netconf);
  if (json_array_size(s->lbs) || s->grace)
    json_object_set_new(o, "healthCheckGracePeriodSeconds", json_integer(s->grace));
  if (s->role_arn) json_object_set_new(o, "roleArn", json_string(s->role_arn));
  if (tags) json_object_set_new(o, "tags", rc_svcj_tags_to_list(&s->tags, "key", "value"));
  return o;
}

/* The task definition's roles (and the service role) must be assumable by
 * ECS: a role younger than -consistency-delay-ms is not yet; answers. */
static bool roles_usable(struct rc_sim_call *c, const struct ecs_taskdef *td, const char *svc_role)
{
  static const char *const keys[] = {"executionRoleArn", "taskRoleArn"};
  for (size_t k = 0; k < 2; k++) {
    const char *role = json_string_value(json_object_get(td->doc, keys[k]));
    if (role && !rc_sim_iam_role_usable(role, c->now_ms)) {
      rc_sim_error(c, 400, "InvalidParameterException",
                   "ECS was unable to assume the role '%s' that was provided for this task. "
                   "Please verify that the role being passed has the proper trust relationship "
                   "and permissions and that your IAM user has permissions to pass this role.",
                   role);
      return false;
    }
  }
  if (svc_role && !rc_sim_iam_role_usable(svc_role, c->now_ms)) {
    rc_sim_error(c, 400, "InvalidParameterException",
                 "Unable to assume role and validate the specified targetGroupArn. Please verify "
                 "that the ECS service role being passed has the proper permissions.");
    return false;
  }
  return true;
}

/* networkConfiguration: subnets exist, groups exist; answers errors. */
static bool netconf_ok(struct rc_sim_call *c, const json_t *nc)
{
  json_t *av = json_object_get(nc, "awsvpcConfiguration");
  json_t *subs = json_object_get(av, "subnets");
  if (!json_is_array(subs) || json_array_size(subs) == 0) {
    rc_sim_error(c, 400, "InvalidParameterException", "subnets can not be empty.");
    return false;
  }
  size_t i;
  json_t *it;
  json_array_foreach(subs, i, it)
  {
    struct rc_sim_subnet_info si;
    const char *id = json_string_value(it);
    if (!id || rc_sim_ec2_subnet_info(id, &si) != RC_OK) {
      rc_sim_error(c, 400, "InvalidParameterException",
                   "Error retrieving subnet information for [%s]: The subnet ID '%s' does not "
                   "exist (ErrorCode: InvalidSubnetID.NotFound)", id ? id : "", id ? id : "");
      return false;
    }
  }
  json_array_foreach(json_object_get(av, "securityGroups"), i, it)
  {
    const char *id = json_string_value(it);
    if (!id || rc_sim_ec2_sg_vpc(id, NULL, 0) != RC_OK) {
      rc_sim_error(c, 400, "InvalidParameterException",
                   "Error retrieving security group information for [%s]: The security group "
                   "'%s' does not exist (ErrorCode: InvalidGroup.NotFound)", id ? id : "",
                   id ? id : "");
      return false;
    }
  }
  const char *pub = json_string_value(json_object_get(av, "assignPublicIp"));
  if (pub && strcmp(pub, "ENABLED") && strcmp(pub, "DISABLED")) {
    rc_sim_error(c, 400, "InvalidParameterException", "assignPublicIp must be ENABLED or DISABLED");
    return false;
  }
  return true;
}

/* Does the task definition have container name with port? */
static bool container_port(const struct ecs_taskdef *td, const char *name, long port)
{
  size_t i, k;
  json_t *it, *pm;
  json_array_foreach(json_object_get(td->doc, "containerDefinitions"), i, it)
  {
    const char *n = json_string_value(json_object_get(it, "name"));
    if (!n || strcmp(n, name) != 0) continue;
    json_array_foreach(json_object_get(it, "portMappings"), k, pm)
    if (json_integer_value(json_object_get(pm, "containerPort")) == port) return true;
  }
  return false;
}

static bool lbs_ok(struct rc_sim_call *c, const json_t *lbs, const struct ecs_taskdef *td)
{
  size_t i;
  json_t *it;
  json_array_foreach(lbs, i, it)
  {
    const char *tg = json_string_value(json_object_get(it, "targetGroupArn"));
    const char *cn = json_string_value(json_object_get(it, "containerName"));
    long port = (long)json_integer_value(json_object_get(it, "containerPort"));
    bool has_lb = false;
    if (!tg) {
      rc_sim_error(c, 400, "InvalidParameterException",
                   "Target group ARN must be specified for Application Load Balancers.");
      return false;
    }
    if (rc_sim_elbv2_tg_info(tg, NULL, &has_lb) != RC_OK) {
      rc_sim_error(c, 400, "InvalidParameterException",
                   "Unable to assume role and validate the specified targetGroupArn. Please "
                   "verify that the ECS service role being passed has the proper permissions.");
      return false;
    }
    if (!has_lb) {
      rc_sim_error(c, 400, "InvalidParameterException",
                   "The target group with targetGroupArn %s does not have an associated load "
                   "balancer.", tg);
      return false;
    }
    if (!cn || !container_port(td, cn, port)) {
      rc_sim_error(c, 400, "InvalidParameterException",
                   "The container %s did not have a container port %ld defined.", cn ? cn : "",
                   port);
      return false;
    }
  }
  return true;
}

static bool td_param(struct rc_sim_call *c, const char *ref, struct ecs_taskdef **out)
{
  struct ecs_taskdef *td = rc_ecs__taskdef_find(c, ref);
  if (!td) {
    rc_sim_error(c, 400, "ClientException", "TaskDefinition not found.");
    return false;
  }
  if (!td->active) {
    rc_sim_error(c, 400, "ClientException", "TaskDefinition is inactive");
    return false;
  }
  *out = td;
  return true;
}

/* deploymentConfiguration into s; answers errors. */
static bool dconf_param(struct rc_sim_call *c, struct ecs_service *s)
{
  json_t *dc = rc_svcj_get(c, "deploymentConfiguration");
  if (!dc) return true;
  json_t *v;
  if ((v = json_object_get(dc, "maximumPercent"))) s->max_pct = (int)json_integer_value(v);
  if ((v = json_object_get(dc, "minimumHealthyPercent"))) s->min_pct = (int)json_integer_value(v);
  json_t *cb = json_object_get(dc, "deploymentCircuitBreaker");
  if (cb) {
    s->cb_enable = json_is_true(json_object_get(cb, "enable"));
    s->cb_rollback = json_is_true(json_object_get(cb, "rollback"));
  }
  if (s->max_pct < 100 || s->max_pct > 200 || s->min_pct < 0 || s->min_pct > 100) {
    rc_sim_error(c, 400, "InvalidParameterException",
                 "The maximumPercent must be between 100 and 200 and minimumHealthyPercent "
                 "between 0 and 100.");
    return false;
  }
  return true;
}

static bool launch_ok(struct rc_sim_call *c, const char *lt, const json_t *cps,
                      const struct ecs_taskdef *td)
{
  if (lt && cps && json_array_size(cps)) {
    rc_sim_error(c, 400, "InvalidParameterException",
                 "Specifying both a launch type and capacity provider strategy is not supported. "
                 "Remove one and try again.");
    return false;
  }
  if (lt && strcmp(lt, "FARGATE") && strcmp(lt, "EC2") && strcmp(lt, "EXTERNAL")) {
    rc_sim_error(c, 400, "InvalidParameterException", "Invalid launch type: %s", lt);
    return false;
  }
  bool fargate = (lt && !strcmp(lt, "FARGATE")) || (cps && json_array_size(cps));
  if (fargate) {
    bool compat = false;
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(td->doc, "compatibilities"), i, it)
    if (json_string_value(it) && !strcmp(json_string_value(it), "FARGATE")) compat = true;
    if (!compat) {
      rc_sim_error(c, 400, "InvalidParameterException",
                   "Task definition does not support launch_type FARGATE.");
      return false;
    }
  }
  const char *nm = json_string_value(json_object_get(td->doc, "networkMode"));
  if (nm && !strcmp(nm, "awsvpc") && !rc_svcj_get(c, "networkConfiguration")) {
    rc_sim_error(c, 400, "InvalidParameterException",
                 "Network Configuration must be provided when networkMode 'awsvpc' is "
                 "specified.");
    return false;
  }
  return true;
}

void rc_ecs__op_create_service(struct rc_sim_call *c)
{
  struct ecs_cluster *cl = rc_ecs__cluster_param(c, true);
  if (!cl) return;
  const char *name = rc_svcj_need(c, "serviceName", "InvalidParameterException");
  if (!name) return;
  const char *token = rc_svcj_str(c, "clientToken");
  struct ecs_service *old = rc_ecs__service_find(cl, name);
  if (old && strcmp(old->status, "INACTIVE") != 0) {
    if (token && old->client_token && strcmp(token, old->client_token) == 0) {
      rc_sim_reply_json(c, json_pack("{s:o}", "service", rc_ecs__service_json(old, true)));
      return;
    }
    rc_sim_error(c, 400, "InvalidParameterException", "Creation of service was not idempotent.");
    return;
  }
  const char *tdref = rc_svcj_need(c, "taskDefinition", "InvalidParameterException");
  struct ecs_taskdef *td;
  if (!tdref || !td_param(c, tdref, &td)) return;
  const char *lt = rc_svcj_str(c, "launchType");
  json_t *cps = rc_svcj_get(c, "capacityProviderStrategy");
  if (!launch_ok(c, lt, cps, td)) return;
  json_t *nc = rc_svcj_get(c, "networkConfiguration");
  if (nc && !netconf_ok(c, nc)) return;
  json_t *lbs = rc_svcj_get(c, "loadBalancers");
  if (lbs && !lbs_ok(c, lbs, td)) return;
  if (!roles_usable(c, td, rc_svcj_str(c, "role"))) return;
  int64_t desired = 0;
  bool bad = false;
  rc_svcj_int(c, "desiredCount", &desired, &bad);
  if (bad || desired < 0) {
    rc_sim_error(c, 400, "InvalidParameterException", "desiredCount must be at least 0.");
    return;
  }
  struct ecs_service *s = rc_calloc(1, sizeof *s);
  snprintf(s->name, sizeof s->name, "%s", name);
  s->max_pct = 200;
  s->min_pct = 100;
  if (!dconf_param(c, s) || !rc_ecs__tags_param(c, rc_svcj_get(c, "tags"), &s->tags)) {
    rc_ecs__service_free(s);
    return;
  }
  s->arn = rc_sim_arn(c, "ecs", NULL, "service/%s/%s", cl->name, name);
  s->cluster_arn = rc_strdup(cl->arn);
  snprintf(s->status, sizeof s->status, "ACTIVE");
  s->desired = (int)desired;
  if (!lt && !(cps && json_array_size(cps)) && json_array_size(cl->strategy))
    cps = cl->strategy;
  if (cps && json_array_size(cps)) {
    s->cp_strategy = json_deep_copy(cps);
    size_t i;
    json_t *it;
    json_array_foreach(s->cp_strategy, i, it)
    {
      if (!json_object_get(it, "weight")) json_object_set_new(it, "weight", json_integer(0));
      if (!json_object_get(it, "base")) json_object_set_new(it, "base", json_integer(0));
    }
  } else {
    snprintf(s->launch_type, sizeof s->launch_type, "%s", lt ? lt : "EC2");
  }
  s->netconf = nc ? json_deep_copy(nc) : NULL;
  if (s->netconf) {
    json_t *av = json_object_get(s->netconf, "awsvpcConfiguration");
    if (av && !json_object_get(av, "assignPublicIp"))
      json_object_set_new(av, "assignPublicIp", json_string("DISABLED"));
    if (av && !json_object_get(av, "securityGroups"))
      json_object_set_new(av, "securityGroups", json_array());
  }
  s->lbs = lbs ? json_deep_copy(lbs) : json_array();
  int64_t g = 0;
  rc_svcj_int(c, "healthCheckGracePeriodSeconds", &g, NULL);
  s->grace = (int)g;
  s->exec = rc_svcj_bool(c, "enableExecuteCommand", false);
  s->managed_tags = rc_svcj_bool(c, "enableECSManagedTags", false);
  const char *pt = rc_svcj_str(c, "propagateTags");
  snprintf(s->propagate, sizeof s->propagate, "%s", pt ? pt : "NONE");
  s->client_token = rc_strdup(token);
  s->role_arn = rc_strdup(rc_svcj_str(c, "role"));
  s->created_ms = c->now_ms;
  s->visible_at = rc_sim_visible_at(c);
  s->history = json_array();
  rc_ecs__push(&rc_ecs__services, s);
  rc_ecs__deploy_start(s, td->arn, c->now_ms, false);
  rc_ecs__engine_tick(c->now_ms);
  rc_sim_reply_json(c, json_pack("{s:o}", "service", rc_ecs__service_json(s, true)));
}

static struct ecs_service *service_param(struct rc_sim_call *c, struct ecs_cluster *cl)
{
  const char *ref = rc_svcj_need(c, "service", "InvalidParameterException");
  if (!ref) return NULL;
  struct ecs_service *s = rc_ecs__service_find(cl, ref);
  if (!s || !(rc_sim_visible(c, s->visible_at) && rc_sim_arn_in_region(c, s->arn))) {
    rc_sim_error(c, 400, "ServiceNotFoundException", "Service not found.");
    return NULL;
  }
  return s;
}

void rc_ecs__op_update_service(struct rc_sim_call *c)
{
  struct ecs_cluster *cl = rc_ecs__cluster_param(c, true);
  if (!cl) return;
  struct ecs_service *s = service_param(c, cl);
  if (!s) return;
  if (strcmp(s->status, "ACTIVE") != 0) {
    rc_sim_error(c, 400, "ServiceNotActiveException", "Service was not ACTIVE.");
    return;
  }
  const char *tdref = rc_svcj_str(c, "taskDefinition");
  struct ecs_taskdef *td = rc_ecs__taskdef_find(c, s->td_arn);
  if (tdref && !td_param(c, tdref, &td)) return;
  if (!td) {
    rc_sim_error(c, 400, "ClientException", "TaskDefinition not found.");
    return;
  }
  if (tdref && !roles_usable(c, td, NULL)) return;
  json_t *nc = rc_svcj_get(c, "networkConfiguration");
  if (nc && !netconf_ok(c, nc)) return;
  json_t *lbs = rc_svcj_get(c, "loadBalancers");
  if (!lbs_ok(c, lbs ? lbs : s->lbs, td)) return;
  int64_t desired = s->desired;
  bool bad = false;
  rc_svcj_int(c, "desiredCount", &desired, &bad);
  if (bad || desired < 0) {
    rc_sim_error(c, 400, "InvalidParameterException", "desiredCount must be at least 0.");
    return;
  }
  struct ecs_service copy = *s;
  if (!dconf_param(c, &copy)) return;
  s->max_pct = copy.max_pct;
  s->min_pct = copy.min_pct;
  s->cb_enable = copy.cb_enable;
  s->cb_rollback = copy.cb_rollback;
  bool new_deploy = rc_svcj_bool(c, "forceNewDeployment", false) ||
                    strcmp(td->arn, s->td_arn) != 0;
  if (nc) {
    new_deploy = new_deploy || !json_equal(nc, s->netconf);
    json_decref(s->netconf);
    s->netconf = json_deep_copy(nc);
    json_t *av = json_object_get(s->netconf, "awsvpcConfiguration");
    if (av && !json_object_get(av, "assignPublicIp"))
      json_object_set_new(av, "assignPublicIp", json_string("DISABLED"));
  }
  if (lbs) {
    new_deploy = new_deploy || !json_equal(lbs, s->lbs);
    json_decref(s->lbs);
    s->lbs = json_deep_copy(lbs);
  }
  int64_t g;
  if (rc_svcj_int(c, "healthCheckGracePeriodSeconds", &g, NULL)) s->grace = (int)g;
  s->exec = rc_svcj_bool(c, "enableExecuteCommand", s->exec);
  const char *pt = rc_svcj_str(c, "propagateTags");
  if (pt) snprintf(s->propagate, sizeof s->propagate, "%s", pt);
  s->desired = (int)desired;
  if (new_deploy) {
    rc_ecs__deploy_start(s, td->arn, c->now_ms, false);
  } else if (s->deploys.n) {
    struct ecs_deploy *d = s->deploys.v[0];
    d->desired = s->desired;
    d->updated_ms = c->now_ms;
    s->steady = false;
  }
  rc_ecs__engine_tick(c->now_ms);
  rc_sim_reply_json(c, json_pack("{s:o}", "service", rc_ecs__service_json(s, false)));
}

void rc_ecs__op_delete_service(struct rc_sim_call *c)
{
  struct ecs_cluster *cl = rc_ecs__cluster_param(c, true);
  if (!cl) return;
  struct ecs_service *s = service_param(c, cl);
  if (!s) return;
  if (strcmp(s->status, "ACTIVE") != 0) {
    rc_sim_error(c, 400, "ServiceNotActiveException", "Service was not ACTIVE.");
    return;
  }
  if (s->desired > 0 && !rc_svcj_bool(c, "force", false)) {
    rc_sim_error(c, 400, "InvalidParameterException",
                 "The service cannot be stopped while it is scaled above 0.");
    return;
  }
  s->desired = 0;
  snprintf(s->status, sizeof s->status, "DRAINING");
  for (size_t i = 0; i < s->deploys.n; i++) ((struct ecs_deploy *)s->deploys.v[i])->desired = 0;
  rc_ecs__engine_tick(c->now_ms);
  rc_sim_reply_json(c, json_pack("{s:o}", "service", rc_ecs__service_json(s, false)));
}

void rc_ecs__op_describe_services(struct rc_sim_call *c)
{
  struct ecs_cluster *cl = rc_ecs__cluster_param(c, false);
  if (!cl) return;
  json_t *refs = rc_svcj_get(c, "services");
  if (!json_is_array(refs) || json_array_size(refs) == 0 || json_array_size(refs) > 10) {
    rc_sim_error(c, 400, "InvalidParameterException",
                 "services can not be empty and can have at most 10 elements.");
    return;
  }
  bool tags = rc_ecs__include_tags(c);
  size_t i;
  json_t *it;
  json_t *out = json_array(), *fail = json_array();
  json_array_foreach(refs, i, it)
  {
    const char *ref = json_string_value(it);
    struct ecs_service *s = rc_ecs__service_find(cl, ref);
    if (s && (rc_sim_visible(c, s->visible_at) && rc_sim_arn_in_region(c, s->arn))) {
      json_array_append_new(out, rc_ecs__service_json(s, tags));
    } else {
      char *arn = ref && !strncmp(ref, "arn:", 4)
                      ? rc_strdup(ref)
                      : rc_sim_arn(c, "ecs", NULL, "service/%s/%s", cl->name, ref ? ref : "");
      json_array_append_new(fail, json_pack("{s:s,s:s}", "arn", arn, "reason", "MISSING"));
      rc_free(arn);
    }
  }
  rc_sim_reply_json(c, json_pack("{s:o,s:o}", "services", out, "failures", fail));
}

static void paged(struct rc_sim_call *c, const char *key, json_t *all, long dflt)
{
  size_t start, limit;
  if (!rc_svcj_page(c, "maxResults", "nextToken", 1, 100, dflt, "InvalidParameterException",
                    &start, &limit)) {
    json_decref(all);
    return;
  }
  rc_ecs__reply_page(c, key, all, start, limit);
}

void rc_ecs__op_list_services(struct rc_sim_call *c)
{
  struct ecs_cluster *cl = rc_ecs__cluster_param(c, false);
  if (!cl) return;
  const char *lt = rc_svcj_str(c, "launchType");
  json_t *all = json_array();
  for (size_t i = 0; i < rc_ecs__services.n; i++) {
    const struct ecs_service *s = rc_ecs__services.v[i];
    if (strcmp(s->cluster_arn, cl->arn) || !strcmp(s->status, "INACTIVE")) continue;
    if (!(rc_sim_visible(c, s->visible_at) && rc_sim_arn_in_region(c, s->arn))) continue;
    if (lt && strcmp(lt, s->launch_type) != 0) continue;
    json_array_append_new(all, json_string(s->arn));
  }
  paged(c, "serviceArns", all, 10);
}

void rc_ecs__op_list_tasks(struct rc_sim_call *c)
{
  struct ecs_cluster *cl = rc_ecs__cluster_param(c, false);
  if (!cl) return;
  const char *svc = rc_svcj_str(c, "serviceName");
  const char *fam = rc_svcj_str(c, "family");
  const char *ds = rc_svcj_str(c, "desiredStatus");
  const char *sb = rc_svcj_str(c, "startedBy");
  bool want_stopped = ds && !strcmp(ds, "STOPPED");
  if (svc) {
    struct ecs_service *s = rc_ecs__service_find(cl, svc);
    if (!s) {
      rc_sim_error(c, 400, "ServiceNotFoundException", "Service not found.");
      return;
    }
    svc = s->name;
  }
  json_t *all = json_array();
  for (size_t i = 0; i < rc_ecs__tasks.n; i++) {
    const struct ecs_task *t = rc_ecs__tasks.v[i];
    if (strcmp(t->cluster_arn, cl->arn) || t->desired_stop != want_stopped) continue;
    if (svc && strcmp(t->service, svc) != 0) continue;
    if (sb && strcmp(t->started_by, sb) != 0) continue;
    if (fam) {
      const char *p = strstr(t->td_arn, "task-definition/");
      size_t fl = strlen(fam);
      if (!p || strncmp(p + 16, fam, fl) != 0 || p[16 + fl] != ':') continue;
    }
    json_array_append_new(all, json_string(t->arn));
  }
  paged(c, "taskArns", all, 100);
}

void rc_ecs__op_describe_tasks(struct rc_sim_call *c)
{
  struct ecs_cluster *cl = rc_ecs__cluster_param(c, false);
  if (!cl) return;
  json_t *refs = rc_svcj_get(c, "tasks");
  if (!json_is_array(refs) || json_array_size(refs) == 0 || json_array_size(refs) > 100) {
    rc_sim_error(c, 400, "InvalidParameterException",
                 "Tasks cannot be empty and can have at most 100 elements.");
    return;
  }
  bool tags = rc_ecs__include_tags(c);
  size_t i;
  json_t *it;
  json_t *out = json_array(), *fail = json_array();
  json_array_foreach(refs, i, it)
  {
    struct ecs_task *t = rc_ecs__task_find(cl, json_string_value(it));
    if (t)
      json_array_append_new(out, rc_ecs__task_json(t, tags));
    else
      json_array_append_new(fail, json_pack("{s:s,s:s}", "arn", json_string_value(it) ?
                                            json_string_value(it) : "", "reason", "MISSING"));
  }
  rc_sim_reply_json(c, json_pack("{s:o,s:o}", "tasks", out, "failures", fail));
}

void rc_ecs__op_stop_task(struct rc_sim_call *c)
{
  struct ecs_cluster *cl = rc_ecs__cluster_param(c, true);
  if (!cl) return;
  const char *ref = rc_svcj_need(c, "task", "InvalidParameterException");
  if (!ref) return;
  struct ecs_task *t = rc_ecs__task_find(cl, ref);
  if (!t) {
    rc_sim_error(c, 400, "InvalidParameterException", "The referenced task was not found.");
    return;
  }
  const char *reason = rc_svcj_str(c, "reason");
  if (!t->desired_stop)
    rc_ecs__task_stop(t, c->now_ms, "UserInitiated", reason ? reason : "Task stopped by user");
  rc_ecs__engine_tick(c->now_ms);
  rc_sim_reply_json(c, json_pack("{s:o}", "task", rc_ecs__task_json(t, false)));
}

json_t *rc_ecs__task_json(const struct ecs_task *t, bool tags)
{
  const char *last = rc_ecs__phase_name(t->phase);
  const char *att_status = t->phase == ECS_PROVISIONING ? "PRECREATED"
                           : t->phase == ECS_STOPPED    ? "DELETED"
                           : t->phase == ECS_STOPPING   ? "DELETED"
                                                        : "ATTACHED";
  json_t *details = json_pack("[{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s}]", "name", "subnetId",
                              "value", t->subnet, "name", "networkInterfaceId", "value", t->eni,
                              "name", "macAddress", "value", "0a:1b:2c:3d:4e:5f", "name",
                              "privateIPv4Address", "value", t->ip);
  json_t *container = json_pack("{s:s,s:s,s:s,s:s,s:s,s:[{s:s,s:s}],s:s}", "containerArn",
                                t->arn, "taskArn", t->arn, "name", "app", "image",
                                t->image ? t->image : "", "lastStatus", last,
                                "networkInterfaces", "attachmentId", t->attach_id,
                                "privateIpv4Address", t->ip, "healthStatus", "UNKNOWN");
  const struct ecs_taskdef *td = NULL;
  for (size_t i = 0; i < rc_ecs__taskdefs.n && !td; i++)
    if (!strcmp(((struct ecs_taskdef *)rc_ecs__taskdefs.v[i])->arn, t->td_arn))
      td = rc_ecs__taskdefs.v[i];
  const char *cname = NULL;
  if (td) cname = json_string_value(json_object_get(
              json_array_get(json_object_get(td->doc, "containerDefinitions"), 0), "name"));
  if (cname) json_object_set_new(container, "name", json_string(cname));
  json_t *o = json_pack(
      "{s:[{s:s,s:s,s:s,s:o}],s:[],s:s,s:s,s:s,s:[o],s:o,s:s,s:b,s:s,s:s,s:s,s:s,s:{s:[],s:[]},"
      "s:s,s:s,s:s,s:s,s:s,s:i,s:{s:i}}",
      "attachments", "id", t->attach_id, "type", "ElasticNetworkInterface", "status", att_status,
      "details", details, "attributes", "availabilityZone", t->az, "clusterArn", t->cluster_arn,
      "connectivity", t->phase >= ECS_PENDING ? "CONNECTED" : "DISCONNECTED", "containers",
      container, "createdAt", rc_svcj_time(t->created_ms), "desiredStatus",
      t->desired_stop ? "STOPPED" : "RUNNING", "enableExecuteCommand", false, "group", t->group,
      "healthStatus", "UNKNOWN", "lastStatus", last, "launchType", t->launch_type, "overrides",
      "containerOverrides", "inferenceAcceleratorOverrides", "platformVersion", "1.4.0",
      "platformFamily", "Linux", "startedBy", t->started_by, "taskArn", t->arn,
      "taskDefinitionArn", t->td_arn, "version", (int)t->phase + 1, "ephemeralStorage",
      "sizeInGiB", 20);
  if (td) {
    json_t *v;
    if ((v = json_object_get(td->doc, "cpu"))) json_object_set(o, "cpu", v);
    if ((v = json_object_get(td->doc, "memory"))) json_object_set(o, "memory", v);
  }
  if (t->phase >= ECS_PENDING && t->pending_ms)
    json_object_set_new(o, "connectivityAt", rc_svcj_time(t->pending_ms));
  if (t->running_ms && t->phase >= ECS_RUNNING) {
    json_object_set_new(o, "pullStartedAt", rc_svcj_time(t->pending_ms));
    json_object_set_new(o, "pullStoppedAt", rc_svcj_time(t->running_ms));
    json_object_set_new(o, "startedAt", rc_svcj_time(t->running_ms));
  }
  if (t->desired_stop) {
    json_object_set_new(o, "stopCode", json_string(t->stop_code));
    json_object_set_new(o, "stoppedReason", json_string(t->stop_reason ? t->stop_reason : ""));
    json_object_set_new(o, "stoppingAt", rc_svcj_time(t->stopping_ms));
  }
  if (t->phase == ECS_STOPPED) json_object_set_new(o, "stoppedAt", rc_svcj_time(t->stopped_ms));
  if (tags) json_object_set_new(o, "tags", rc_svcj_tags_to_list(&t->tags, "key", "value"));
  return o;
}
