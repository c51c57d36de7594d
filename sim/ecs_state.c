/* ecs_state.c — ECS's part of the state document (GET /_sim/state and the
 * -state file). Each object is written as DescribeX answers it (what the
 * tests and the demo read) plus a "_sim" member with every internal field —
 * visibility instants, the deployment engine's timers, all deployments and
 * events, the circuit breaker's memory — so that load(save()) resumes the
 * engine exactly where it stopped. Load reads only "_sim" and the ARN. */
#include <stdio.h>
#include <string.h>
#include "common/rc_alloc.h"
#include "ecs_int.h"
#include "svc_json.h"

static const char *js(const json_t *o, const char *k)
{
  return json_string_value(json_object_get(o, k));
}

static void jcopy(char *dst, size_t sz, const json_t *o, const char *k)
{
  const char *s = js(o, k);
  snprintf(dst, sz, "%s", s ? s : "");
}

static char *jdup(const json_t *o, const char *k)
{
  const char *s = js(o, k);
  return s ? rc_strdup(s) : NULL;
}

static int ji(const json_t *o, const char *k) { return (int)json_integer_value(json_object_get(o, k)); }
static uint64_t ju(const json_t *o, const char *k)
{
  return (uint64_t)json_integer_value(json_object_get(o, k));
}
static bool jb(const json_t *o, const char *k) { return json_is_true(json_object_get(o, k)); }
static json_t *jcp(const json_t *o, const char *k) /* new deep copy or NULL */
{
  json_t *v = json_object_get(o, k);
  return v && !json_is_null(v) ? json_deep_copy(v) : NULL;
}
static json_t *jnull(const json_t *v) { return v ? json_deep_copy(v) : json_null(); }
static json_t *jstr_or_null(const char *s) { return s ? json_string(s) : json_null(); }
static json_t *ju64(uint64_t v) { return json_integer((json_int_t)v); }

/* --- clusters --- */

static json_t *cluster_save(const struct ecs_cluster *cl)
{
  json_t *o = rc_ecs__cluster_json(cl, true);
  json_object_set_new(o, "_sim",
                      json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o}", "arn", cl->arn, "name",
                                cl->name, "status", cl->status, "insights", cl->insights,
                                "capacity_providers", jnull(cl->cps), "strategy",
                                jnull(cl->strategy), "tags", rc_sim_tags_to_json(&cl->tags),
                                "visible_at_ms", ju64(cl->visible_at)));
  return o;
}

static struct ecs_cluster *cluster_load(const json_t *s)
{
  if (!js(s, "arn")) return NULL;
  struct ecs_cluster *cl = rc_calloc(1, sizeof *cl);
  cl->arn = jdup(s, "arn");
  jcopy(cl->name, sizeof cl->name, s, "name");
  jcopy(cl->status, sizeof cl->status, s, "status");
  jcopy(cl->insights, sizeof cl->insights, s, "insights");
  cl->cps = jcp(s, "capacity_providers");
  cl->strategy = jcp(s, "strategy");
  if (!cl->cps) cl->cps = json_array();
  if (!cl->strategy) cl->strategy = json_array();
  rc_sim_tags_from_json(json_object_get(s, "tags"), &cl->tags);
  cl->visible_at = ju(s, "visible_at_ms");
  return cl;
}

/* --- task definitions --- */

static json_t *taskdef_save(const struct ecs_taskdef *td)
{
  json_t *o = rc_ecs__taskdef_json(td);
  json_object_set_new(o, "tags", rc_sim_tags_to_json(&td->tags));
  json_object_set_new(o, "_sim",
                      json_pack("{s:s,s:s,s:i,s:b,s:O,s:o,s:o,s:o,s:o}", "arn", td->arn, "family",
                                td->family, "revision", td->revision, "active", td->active,
                                "doc", td->doc, "registered_ms", ju64(td->registered_ms),
                                "deregistered_ms", ju64(td->deregistered_ms), "tags",
                                rc_sim_tags_to_json(&td->tags), "visible_at_ms",
                                ju64(td->visible_at)));
  return o;
}

static struct ecs_taskdef *taskdef_load(const json_t *s)
{
  if (!js(s, "arn") || !json_is_object(json_object_get(s, "doc"))) return NULL;
  struct ecs_taskdef *td = rc_calloc(1, sizeof *td);
  td->arn = jdup(s, "arn");
  jcopy(td->family, sizeof td->family, s, "family");
  td->revision = ji(s, "revision");
  td->active = jb(s, "active");
  td->doc = jcp(s, "doc");
  td->registered_ms = ju(s, "registered_ms");
  td->deregistered_ms = ju(s, "deregistered_ms");
  rc_sim_tags_from_json(json_object_get(s, "tags"), &td->tags);
  td->visible_at = ju(s, "visible_at_ms");
  return td;
}

/* --- services, their deployments and events --- */

static json_t *service_save(const struct ecs_service *s)
{
  json_t *o = rc_ecs__service_json(s, true);
  json_object_set(o, "deploymentHistory", s->history);
  json_t *deps = json_array(), *evs = json_array();
  for (size_t i = 0; i < s->deploys.n; i++) {
    const struct ecs_deploy *d = s->deploys.v[i];
    json_array_append_new(
        deps, json_pack("{s:s,s:s,s:o,s:i,s:s,s:o,s:i,s:o,s:o,s:b}", "id", d->id, "status",
                        d->status, "td_arn", jstr_or_null(d->td_arn), "desired", d->desired,
                        "rollout", d->rollout, "reason", jstr_or_null(d->reason), "failed",
                        d->failed, "created_ms", ju64(d->created_ms), "updated_ms",
                        ju64(d->updated_ms), "rollback", d->rollback));
  }
  for (size_t i = 0; i < s->events.n; i++) {
    const struct ecs_event *e = s->events.v[i];
    json_array_append_new(evs, json_pack("{s:s,s:o,s:s}", "id", e->id, "at_ms", ju64(e->at_ms),
                                         "msg", e->msg ? e->msg : ""));
  }
  json_t *x = json_object();
  json_object_set_new(x, "arn", json_string(s->arn));
  json_object_set_new(x, "name", json_string(s->name));
  json_object_set_new(x, "cluster_arn", json_string(s->cluster_arn));
  json_object_set_new(x, "status", json_string(s->status));
  json_object_set_new(x, "desired", json_integer(s->desired));
  json_object_set_new(x, "launch_type", json_string(s->launch_type));
  json_object_set_new(x, "cp_strategy", jnull(s->cp_strategy));
  json_object_set_new(x, "td_arn", jstr_or_null(s->td_arn));
  json_object_set_new(x, "netconf", jnull(s->netconf));
  json_object_set_new(x, "lbs", jnull(s->lbs));
  json_object_set_new(x, "min_pct", json_integer(s->min_pct));
  json_object_set_new(x, "max_pct", json_integer(s->max_pct));
  json_object_set_new(x, "cb_enable", json_boolean(s->cb_enable));
  json_object_set_new(x, "cb_rollback", json_boolean(s->cb_rollback));
  json_object_set_new(x, "grace", json_integer(s->grace));
  json_object_set_new(x, "exec", json_boolean(s->exec));
  json_object_set_new(x, "managed_tags", json_boolean(s->managed_tags));
  json_object_set_new(x, "propagate", json_string(s->propagate));
  json_object_set_new(x, "client_token", jstr_or_null(s->client_token));
  json_object_set_new(x, "role_arn", jstr_or_null(s->role_arn));
  json_object_set_new(x, "created_ms", ju64(s->created_ms));
  json_object_set_new(x, "visible_at_ms", ju64(s->visible_at));
  json_object_set_new(x, "tags", rc_sim_tags_to_json(&s->tags));
  json_object_set_new(x, "deployments", deps);
  json_object_set_new(x, "events", evs);
  json_object_set_new(x, "history", jnull(s->history));
  json_object_set_new(x, "steady", json_boolean(s->steady));
  json_object_set_new(x, "last_completed_td", jstr_or_null(s->last_completed_td));
  json_object_set_new(x, "next_subnet", json_integer((json_int_t)s->next_subnet));
  json_object_set_new(o, "_sim", x);
  return o;
}

static struct ecs_service *service_load(const json_t *x)
{
  if (!js(x, "arn") || !js(x, "cluster_arn")) return NULL;
  struct ecs_service *s = rc_calloc(1, sizeof *s);
  s->arn = jdup(x, "arn");
  jcopy(s->name, sizeof s->name, x, "name");
  s->cluster_arn = jdup(x, "cluster_arn");
  jcopy(s->status, sizeof s->status, x, "status");
  s->desired = ji(x, "desired");
  jcopy(s->launch_type, sizeof s->launch_type, x, "launch_type");
  s->cp_strategy = jcp(x, "cp_strategy");
  s->td_arn = jdup(x, "td_arn");
  s->netconf = jcp(x, "netconf");
  s->lbs = jcp(x, "lbs");
  if (!s->lbs) s->lbs = json_array();
  s->min_pct = ji(x, "min_pct");
  s->max_pct = ji(x, "max_pct");
  s->cb_enable = jb(x, "cb_enable");
  s->cb_rollback = jb(x, "cb_rollback");
  s->grace = ji(x, "grace");
  s->exec = jb(x, "exec");
  s->managed_tags = jb(x, "managed_tags");
  jcopy(s->propagate, sizeof s->propagate, x, "propagate");
  s->client_token = jdup(x, "client_token");
  s->role_arn = jdup(x, "role_arn");
  s->created_ms = ju(x, "created_ms");
  s->visible_at = ju(x, "visible_at_ms");
  rc_sim_tags_from_json(json_object_get(x, "tags"), &s->tags);
  size_t i;
  json_t *v;
  json_array_foreach(json_object_get(x, "deployments"), i, v)
  {
    struct ecs_deploy *d = rc_calloc(1, sizeof *d);
    jcopy(d->id, sizeof d->id, v, "id");
    jcopy(d->status, sizeof d->status, v, "status");
    d->td_arn = jdup(v, "td_arn");
    d->desired = ji(v, "desired");
    jcopy(d->rollout, sizeof d->rollout, v, "rollout");
    d->reason = jdup(v, "reason");
    d->failed = ji(v, "failed");
    d->created_ms = ju(v, "created_ms");
    d->updated_ms = ju(v, "updated_ms");
    d->rollback = jb(v, "rollback");
    rc_ecs__push(&s->deploys, d);
  }
  json_array_foreach(json_object_get(x, "events"), i, v)
  {
    struct ecs_event *e = rc_calloc(1, sizeof *e);
    jcopy(e->id, sizeof e->id, v, "id");
    e->at_ms = ju(v, "at_ms");
    e->msg = rc_strdup(js(v, "msg") ? js(v, "msg") : "");
    rc_ecs__push(&s->events, e);
  }
  s->history = jcp(x, "history");
  if (!s->history) s->history = json_array();
  s->steady = jb(x, "steady");
  s->last_completed_td = jdup(x, "last_completed_td");
  s->next_subnet = (size_t)json_integer_value(json_object_get(x, "next_subnet"));
  return s;
}

/* --- tasks --- */

static json_t *task_save(const struct ecs_task *t)
{
  json_t *o = rc_ecs__task_json(t, true);
  json_t *x = json_object();
  json_object_set_new(x, "arn", json_string(t->arn));
  json_object_set_new(x, "id", json_string(t->id));
  json_object_set_new(x, "cluster_arn", json_string(t->cluster_arn));
  json_object_set_new(x, "service", json_string(t->service));
  json_object_set_new(x, "deploy_id", json_string(t->deploy_id));
  json_object_set_new(x, "td_arn", jstr_or_null(t->td_arn));
  json_object_set_new(x, "image", jstr_or_null(t->image));
  json_object_set_new(x, "bad", json_boolean(t->bad));
  json_object_set_new(x, "phase", json_integer(t->phase));
  json_object_set_new(x, "desired_stop", json_boolean(t->desired_stop));
  json_object_set_new(x, "created_ms", ju64(t->created_ms));
  json_object_set_new(x, "pending_ms", ju64(t->pending_ms));
  json_object_set_new(x, "running_ms", ju64(t->running_ms));
  json_object_set_new(x, "stopping_ms", ju64(t->stopping_ms));
  json_object_set_new(x, "stopped_ms", ju64(t->stopped_ms));
  json_object_set_new(x, "next_ms", ju64(t->next_ms));
  json_object_set_new(x, "registered", json_boolean(t->registered));
  json_object_set_new(x, "failed_counted", json_boolean(t->failed_counted));
  json_object_set_new(x, "stop_code", json_string(t->stop_code));
  json_object_set_new(x, "stop_reason", jstr_or_null(t->stop_reason));
  json_object_set_new(x, "subnet", json_string(t->subnet));
  json_object_set_new(x, "az", json_string(t->az));
  json_object_set_new(x, "eni", json_string(t->eni));
  json_object_set_new(x, "ip", json_string(t->ip));
  json_object_set_new(x, "attach_id", json_string(t->attach_id));
  json_object_set_new(x, "launch_type", json_string(t->launch_type));
  json_object_set_new(x, "group", json_string(t->group));
  json_object_set_new(x, "started_by", json_string(t->started_by));
  json_object_set_new(x, "tags", rc_sim_tags_to_json(&t->tags));
  json_object_set_new(o, "_sim", x);
  return o;
}

static struct ecs_task *task_load(const json_t *x)
{
  if (!js(x, "arn") || !js(x, "cluster_arn")) return NULL;
  int phase = ji(x, "phase");
  if (phase < ECS_PROVISIONING || phase > ECS_STOPPED) return NULL;
  struct ecs_task *t = rc_calloc(1, sizeof *t);
  t->arn = jdup(x, "arn");
  jcopy(t->id, sizeof t->id, x, "id");
  t->cluster_arn = jdup(x, "cluster_arn");
  jcopy(t->service, sizeof t->service, x, "service");
  jcopy(t->deploy_id, sizeof t->deploy_id, x, "deploy_id");
  t->td_arn = jdup(x, "td_arn");
  t->image = jdup(x, "image");
  t->bad = jb(x, "bad");
  t->phase = (enum ecs_phase)phase;
  t->desired_stop = jb(x, "desired_stop");
  t->created_ms = ju(x, "created_ms");
  t->pending_ms = ju(x, "pending_ms");
  t->running_ms = ju(x, "running_ms");
  t->stopping_ms = ju(x, "stopping_ms");
  t->stopped_ms = ju(x, "stopped_ms");
  t->next_ms = ju(x, "next_ms");
  t->registered = jb(x, "registered");
  t->failed_counted = jb(x, "failed_counted");
  jcopy(t->stop_code, sizeof t->stop_code, x, "stop_code");
  t->stop_reason = jdup(x, "stop_reason");
  jcopy(t->subnet, sizeof t->subnet, x, "subnet");
  jcopy(t->az, sizeof t->az, x, "az");
  jcopy(t->eni, sizeof t->eni, x, "eni");
  jcopy(t->ip, sizeof t->ip, x, "ip");
  jcopy(t->attach_id, sizeof t->attach_id, x, "attach_id");
  jcopy(t->launch_type, sizeof t->launch_type, x, "launch_type");
  jcopy(t->group, sizeof t->group, x, "group");
  jcopy(t->started_by, sizeof t->started_by, x, "started_by");
  rc_sim_tags_from_json(json_object_get(x, "tags"), &t->tags);
  return t;
}

/* --- the service hooks --- */

json_t *rc_ecs__save(void)
{
  json_t *cls = json_array(), *tds = json_array(), *svcs = json_array(), *tasks = json_array();
  for (size_t i = 0; i < rc_ecs__clusters.n; i++)
    json_array_append_new(cls, cluster_save(rc_ecs__clusters.v[i]));
  for (size_t i = 0; i < rc_ecs__taskdefs.n; i++)
    json_array_append_new(tds, taskdef_save(rc_ecs__taskdefs.v[i]));
  for (size_t i = 0; i < rc_ecs__services.n; i++)
    json_array_append_new(svcs, service_save(rc_ecs__services.v[i]));
  for (size_t i = 0; i < rc_ecs__tasks.n; i++)
    json_array_append_new(tasks, task_save(rc_ecs__tasks.v[i]));
  return json_pack("{s:o,s:o,s:o,s:o}", "clusters", cls, "task_definitions", tds, "services",
                   svcs, "tasks", tasks);
}

rc_status rc_ecs__load(const json_t *st)
{
  static const char *const keys[] = {"clusters", "task_definitions", "services", "tasks"};
  rc_status rs = RC_OK;
  for (size_t k = 0; k < 4; k++) {
    json_t *arr = json_object_get(st, keys[k]), *o;
    size_t i;
    if (!arr) continue;
    if (!json_is_array(arr)) return RC_SYNTAX;
    json_array_foreach(arr, i, o)
    {
      const json_t *x = json_object_get(o, "_sim");
      void *p = NULL;
      struct ecs_vec *vec = NULL;
      switch (k) {
      case 0: p = cluster_load(x); vec = &rc_ecs__clusters; break;
      case 1: p = taskdef_load(x); vec = &rc_ecs__taskdefs; break;
      case 2: p = service_load(x); vec = &rc_ecs__services; break;
      default: p = task_load(x); vec = &rc_ecs__tasks; break;
      }
      if (p) rc_ecs__push(vec, p);
      else rs = RC_SYNTAX;
    }
  }
  return rs;
}
