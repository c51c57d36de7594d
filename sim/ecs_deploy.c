/* ecs_deploy.c — the ECS deployment engine. Each service's PRIMARY
 * deployment is driven to its desired count under minimumHealthyPercent and
 * maximumPercent: tasks go PROVISIONING → PENDING → RUNNING (-task-start-ms),
 * register in the service's target groups, and are judged by ELBv2's target
 * health (unhealthy when their image matches -unhealthy-image): unhealthy
 * tasks are stopped and replaced, counting failedTasks; old deployments'
 * tasks are stopped as new ones become healthy. The circuit breaker fails a
 * deployment after min(max(3, ceil(desired/2)), 200) failures and, with
 * rollback, starts a deployment of the last COMPLETED task definition.
 * Time is simulated as a sequence of events up to the clock, so a service
 * reaches the state it would have at each request however rarely it is
 * polled. */
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "common/rc_alloc.h"
#include "ecs_int.h"
#include "elbv2_sim.h"
#include "svc_json.h"

#define MAX_EVENTS 100
#define STOPPED_KEEP_MS 3600000u

const char *rc_ecs__phase_name(enum ecs_phase p)
{
  static const char *const n[] = {"PROVISIONING", "PENDING", "RUNNING", "DEACTIVATING",
                                  "STOPPED"};
  return n[p];
}

void rc_ecs__task_free(struct ecs_task *t)
{
  if (!t) return;
  rc_free(t->arn);
  rc_free(t->cluster_arn);
  rc_free(t->td_arn);
  rc_free(t->image);
  rc_free(t->stop_reason);
  rc_sim_tags_free(&t->tags);
  rc_free(t);
}

void rc_ecs__event(struct ecs_service *s, uint64_t now, const char *fmt, ...)
{
  struct ecs_event *e = rc_calloc(1, sizeof *e);
  rc_svcj_uuid(e->id);
  e->at_ms = now;
  struct rc_buf b;
  rc_buf_init(&b, 0);
  va_list ap;
  va_start(ap, fmt);
  rc_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  e->msg = rc_buf_detach(&b);
  s->events.v = rc_realloc(s->events.v, (s->events.n + 1) * sizeof *s->events.v);
  memmove(&s->events.v[1], &s->events.v[0], s->events.n * sizeof *s->events.v);
  s->events.v[0] = e;
  s->events.n++;
  while (s->events.n > MAX_EVENTS) {
    struct ecs_event *old = s->events.v[--s->events.n];
    rc_free(old->msg);
    rc_free(old);
  }
}

static uint64_t ms_at_least_1(int v) { return v > 0 ? (uint64_t)v : 1u; }

static void history_set(struct ecs_service *s, const struct ecs_deploy *d)
{
  size_t i;
  json_t *it;
  json_t *o = NULL;
  json_array_foreach(s->history, i, it) if (!strcmp(json_string_value(json_object_get(it, "id")),
                                                    d->id)) o = it;
  if (!o) {
    o = json_object();
    json_array_append_new(s->history, o);
  }
  json_object_set_new(o, "id", json_string(d->id));
  json_object_set_new(o, "taskDefinition", json_string(d->td_arn));
  json_object_set_new(o, "rolloutState", json_string(d->rollout));
  json_object_set_new(o, "rolloutStateReason", json_string(d->reason ? d->reason : ""));
  json_object_set_new(o, "failedTasks", json_integer(d->failed));
  json_object_set_new(o, "rollback", json_boolean(d->rollback));
}

static void set_reason(struct ecs_deploy *d, const char *fmt, const char *arg)
{
  rc_free(d->reason);
  d->reason = rc_asprintf(fmt, arg);
}

struct ecs_deploy *rc_ecs__deploy_start(struct ecs_service *s, const char *td_arn, uint64_t now,
                                        bool rollback)
{
  for (size_t i = 0; i < s->deploys.n; i++) {
    struct ecs_deploy *o = s->deploys.v[i];
    snprintf(o->status, sizeof o->status, "ACTIVE");
    o->desired = 0;
    o->updated_ms = now;
  }
  struct ecs_deploy *d = rc_calloc(1, sizeof *d);
  char digits[24];
  snprintf(digits, sizeof digits, "%019llu",
           (unsigned long long)(rc_sim_rand() % 10000000000000000000ULL));
  snprintf(d->id, sizeof d->id, "ecs-svc/%s", digits);
  snprintf(d->status, sizeof d->status, "PRIMARY");
  d->td_arn = rc_strdup(td_arn);
  d->desired = strcmp(s->status, "ACTIVE") == 0 ? s->desired : 0;
  snprintf(d->rollout, sizeof d->rollout, "IN_PROGRESS");
  set_reason(d, "ECS deployment %s in progress.", d->id);
  d->created_ms = d->updated_ms = now;
  d->rollback = rollback;
  s->deploys.v = rc_realloc(s->deploys.v, (s->deploys.n + 1) * sizeof *s->deploys.v);
  memmove(&s->deploys.v[1], &s->deploys.v[0], s->deploys.n * sizeof *s->deploys.v);
  s->deploys.v[0] = d;
  s->deploys.n++;
  rc_free(s->td_arn);
  s->td_arn = rc_strdup(td_arn);
  s->steady = false;
  history_set(s, d);
  return d;
}

static struct ecs_deploy *deploy_of(struct ecs_service *s, const char *id)
{
  for (size_t i = 0; i < s->deploys.n; i++)
    if (!strcmp(((struct ecs_deploy *)s->deploys.v[i])->id, id)) return s->deploys.v[i];
  return NULL;
}

static struct ecs_service *service_of(const struct ecs_task *t)
{
  for (size_t i = 0; i < rc_ecs__services.n; i++) {
    struct ecs_service *s = rc_ecs__services.v[i];
    if (!strcmp(s->name, t->service) && !strcmp(s->cluster_arn, t->cluster_arn) &&
        strcmp(s->status, "INACTIVE") != 0)
      return s;
  }
  return NULL;
}

static struct ecs_taskdef *td_by_arn(const char *arn)
{
  for (size_t i = 0; i < rc_ecs__taskdefs.n; i++)
    if (!strcmp(((struct ecs_taskdef *)rc_ecs__taskdefs.v[i])->arn, arn))
      return rc_ecs__taskdefs.v[i];
  return NULL;
}

static bool image_bad(const char *image)
{
  if (!rc_ecs__unhealthy_image || !*rc_ecs__unhealthy_image || !image) return false;
  regex_t re;
  if (regcomp(&re, rc_ecs__unhealthy_image, REG_EXTENDED | REG_NOSUB) != 0) return false;
  bool m = regexec(&re, image, 0, NULL, 0) == 0;
  regfree(&re);
  return m;
}

void rc_ecs__task_stop(struct ecs_task *t, uint64_t now, const char *code, const char *reason)
{
  if (t->desired_stop) return;
  t->desired_stop = true;
  snprintf(t->stop_code, sizeof t->stop_code, "%s", code);
  rc_free(t->stop_reason);
  t->stop_reason = rc_strdup(reason);
  t->stopping_ms = now;
  struct ecs_service *s = service_of(t);
  if (t->registered && s) {
    size_t i;
    json_t *lb;
    json_array_foreach(s->lbs, i, lb)
    {
      const char *tg = json_string_value(json_object_get(lb, "targetGroupArn"));
      int port = (int)json_integer_value(json_object_get(lb, "containerPort"));
      if (tg && rc_sim_elbv2_deregister(tg, t->ip, port, now) == RC_OK)
        rc_ecs__event(s, now, "(service %s) deregistered 1 targets in (target-group %s)",
                      s->name, tg);
    }
    t->registered = false;
  }
  t->phase = t->phase == ECS_STOPPED ? ECS_STOPPED : ECS_STOPPING;
  t->next_ms = now + ms_at_least_1(rc_ecs__task_stop_ms);
  if (s) s->steady = false;
}

static struct ecs_task *task_start(struct ecs_service *s, struct ecs_deploy *d, uint64_t now)
{
  struct ecs_cluster *cl = rc_ecs__cluster_by_arn(s->cluster_arn);
  struct ecs_taskdef *td = td_by_arn(d->td_arn);
  struct ecs_task *t = rc_calloc(1, sizeof *t);
  rc_sim_hex(32, t->id, sizeof t->id);
  t->arn = rc_asprintf("arn:aws:ecs:us-east-1:%s:task/%s/%s", RC_SIM_ACCOUNT,
                       cl ? cl->name : "default", t->id);
  const char *reg = strstr(s->cluster_arn, "arn:aws:ecs:") ? s->cluster_arn + 12 : NULL;
  if (reg && strchr(reg, ':')) {
    rc_free(t->arn);
    t->arn = rc_asprintf("arn:aws:ecs:%.*s:%s:task/%s/%s", (int)(strchr(reg, ':') - reg), reg,
                         RC_SIM_ACCOUNT, cl ? cl->name : "default", t->id);
  }
  t->cluster_arn = rc_strdup(s->cluster_arn);
  snprintf(t->service, sizeof t->service, "%s", s->name);
  snprintf(t->deploy_id, sizeof t->deploy_id, "%s", d->id);
  t->td_arn = rc_strdup(d->td_arn);
  size_t i;
  json_t *it;
  if (td)
    json_array_foreach(json_object_get(td->doc, "containerDefinitions"), i, it)
    {
      const char *img = json_string_value(json_object_get(it, "image"));
      if (!t->image) t->image = rc_strdup(img);
      if (image_bad(img)) t->bad = true;
    }
  t->phase = ECS_PROVISIONING;
  t->created_ms = now;
  t->next_ms = now + ms_at_least_1(rc_ecs__task_start_ms / 3);
  snprintf(t->launch_type, sizeof t->launch_type, "%s",
           s->launch_type[0] ? s->launch_type : "FARGATE");
  snprintf(t->group, sizeof t->group, "service:%s", s->name);
  snprintf(t->started_by, sizeof t->started_by, "%s", d->id);
  rc_svcj_uuid(t->attach_id);
  json_t *av = json_object_get(s->netconf, "awsvpcConfiguration");
  json_t *subs = json_object_get(av, "subnets");
  if (json_array_size(subs)) {
    const char *sub = json_string_value(json_array_get(subs, s->next_subnet++ % json_array_size(subs)));
    snprintf(t->subnet, sizeof t->subnet, "%s", sub ? sub : "");
    struct rc_sim_subnet_info si;
    if (sub && rc_sim_ec2_subnet_info(sub, &si) == RC_OK)
      snprintf(t->az, sizeof t->az, "%s", si.az);
    json_t *sgs = json_object_get(av, "securityGroups");
    const char *ids[16];
    size_t n = 0;
    json_array_foreach(sgs, i, it) if (n < 16 && json_string_value(it)) ids[n++] = json_string_value(it);
    char desc[128];
    snprintf(desc, sizeof desc, "arn:aws:ecs:%s:attachment/%s", "us-east-1", t->attach_id);
    if (sub && rc_sim_ec2_eni_create(sub, ids, n, desc, t->eni, sizeof t->eni, t->ip,
                                     sizeof t->ip) != RC_OK)
      t->eni[0] = t->ip[0] = '\0';
  }
  if (!strcmp(s->propagate, "SERVICE"))
    for (size_t k = 0; k < s->tags.n; k++) rc_sim_tags_set(&t->tags, s->tags.v[k].key, s->tags.v[k].value);
  else if (!strcmp(s->propagate, "TASK_DEFINITION") && td)
    for (size_t k = 0; k < td->tags.n; k++) rc_sim_tags_set(&t->tags, td->tags.v[k].key, td->tags.v[k].value);
  rc_ecs__push(&rc_ecs__tasks, t);
  return t;
}

/* Applies a task's due automatic transition at vt. */
static void task_advance(struct ecs_task *t, uint64_t vt)
{
  t->next_ms = 0;
  struct ecs_service *s = service_of(t);
  switch (t->phase) {
  case ECS_PROVISIONING:
    t->phase = ECS_PENDING;
    t->pending_ms = vt;
    t->next_ms = t->created_ms + ms_at_least_1(rc_ecs__task_start_ms);
    if (t->next_ms <= vt) t->next_ms = vt + 1;
    break;
  case ECS_PENDING:
    t->phase = ECS_RUNNING;
    t->running_ms = vt;
    t->next_ms = vt + (uint64_t)rc_sim_elbv2_health_delay_ms() + 1; /* health is known */
    if (s && json_array_size(s->lbs)) {
      size_t i;
      json_t *lb;
      json_array_foreach(s->lbs, i, lb)
      {
        const char *tg = json_string_value(json_object_get(lb, "targetGroupArn"));
        int port = (int)json_integer_value(json_object_get(lb, "containerPort"));
        if (tg && rc_sim_elbv2_register(tg, t->ip, port, !t->bad, vt) == RC_OK) {
          t->registered = true;
          rc_ecs__event(s, vt, "(service %s) registered 1 targets in (target-group %s)", s->name,
                        tg);
        }
      }
    }
    if (s) s->steady = false;
    break;
  case ECS_RUNNING:
    break; /* a health check moment: the controller looks */
  case ECS_STOPPING:
    t->phase = ECS_STOPPED;
    t->stopped_ms = vt;
    if (t->eni[0]) rc_sim_ec2_eni_delete(t->eni);
    break;
  case ECS_STOPPED:
    break;
  }
}

/* A running task's health at vt: 1 healthy, 0 unknown yet, -1 unhealthy. */
static int task_health(const struct ecs_service *s, const struct ecs_task *t, uint64_t vt,
                       const char **tg_out, int *port_out)
{
  if (t->phase != ECS_RUNNING || t->desired_stop) return 0;
  if (!json_array_size(s->lbs)) {
    if (!t->bad) return 1;
    return vt >= t->running_ms + (uint64_t)rc_sim_elbv2_health_delay_ms() ? -1 : 0;
  }
  size_t i;
  json_t *lb;
  int worst = 1;
  json_array_foreach(s->lbs, i, lb)
  {
    const char *tg = json_string_value(json_object_get(lb, "targetGroupArn"));
    int port = (int)json_integer_value(json_object_get(lb, "containerPort"));
    const char *st = tg ? rc_sim_elbv2_target_state(tg, t->ip, port, vt) : NULL;
    int h = st && !strcmp(st, "healthy") ? 1 : st && !strcmp(st, "unhealthy") ? -1 : 0;
    if (h < worst) {
      worst = h;
      if (tg_out) *tg_out = tg;
      if (port_out) *port_out = port;
    }
  }
  return worst;
}

static int threshold(int desired)
{
  int half = (desired + 1) / 2;
  int t = half > 3 ? half : 3;
  return t < 200 ? t : 200;
}

static void control(struct ecs_service *s, uint64_t vt)
{
  if (!strcmp(s->status, "INACTIVE") || s->deploys.n == 0) return;
  struct ecs_deploy *p = s->deploys.v[0];
  /* judge the running tasks */
  for (size_t i = 0; i < rc_ecs__tasks.n; i++) {
    struct ecs_task *t = rc_ecs__tasks.v[i];
    if (strcmp(t->service, s->name) || strcmp(t->cluster_arn, s->cluster_arn)) continue;
    const char *tg = NULL;
    int port = 0;
    if (task_health(s, t, vt, &tg, &port) >= 0) continue;
    struct ecs_deploy *d = deploy_of(s, t->deploy_id);
    if (d) {
      d->failed++;
      d->updated_ms = vt;
      history_set(s, d);
    }
    char reason[400];
    if (tg) {
      rc_ecs__event(s, vt, "(service %s) (task %s) (port %d) is unhealthy in (target-group %s) "
                    "due to (reason Health checks failed with these codes: [502]).", s->name,
                    t->id, port, tg);
      snprintf(reason, sizeof reason, "Task failed ELB health checks in (target-group %s)", tg);
    } else {
      snprintf(reason, sizeof reason, "Essential container in task exited");
    }
    rc_ecs__task_stop(t, vt, tg ? "ServiceSchedulerInitiated" : "EssentialContainerExited", reason);
    rc_ecs__event(s, vt, "(service %s) has stopped 1 running tasks: (task %s).", s->name, t->id);
  }
  /* the circuit breaker */
  if (!strcmp(p->rollout, "IN_PROGRESS") && s->cb_enable && p->failed >= threshold(p->desired) &&
      p->desired > 0) {
    snprintf(p->rollout, sizeof p->rollout, "FAILED");
    set_reason(p, "%s", "ECS deployment circuit breaker: tasks failed to start.");
    p->updated_ms = vt;
    history_set(s, p);
    rc_ecs__event(s, vt, "(service %s) (deployment %s) deployment failed: tasks failed to start.",
                  s->name, p->id);
    if (s->cb_rollback && s->last_completed_td) {
      const char *target = NULL;
      size_t i;
      json_t *h;
      json_array_foreach(s->history, i, h) if (!strcmp(json_string_value(json_object_get(h, "rolloutState")), "COMPLETED"))
          target = json_string_value(json_object_get(h, "id"));
      rc_ecs__event(s, vt, "(service %s) rolling back to deployment %s.", s->name,
                    target ? target : "");
      char *td = rc_strdup(s->last_completed_td);
      p = rc_ecs__deploy_start(s, td, vt, true);
      set_reason(p, "ECS deployment circuit breaker: rolling back to deploymentId %s.",
                 target ? target : "");
      history_set(s, p);
      rc_free(td);
    }
  }
  int desired = !strcmp(s->status, "ACTIVE") ? p->desired : 0;
  int max_total = desired * s->max_pct / 100;
  int min_healthy = (desired * s->min_pct + 99) / 100;
  int live_all = 0, live_p = 0, healthy_all = 0, healthy_p = 0, running_all = 0;
  for (size_t i = 0; i < rc_ecs__tasks.n; i++) {
    struct ecs_task *t = rc_ecs__tasks.v[i];
    if (strcmp(t->service, s->name) || strcmp(t->cluster_arn, s->cluster_arn) || t->desired_stop)
      continue;
    bool prim = !strcmp(t->deploy_id, p->id);
    int h = task_health(s, t, vt, NULL, NULL);
    live_all++;
    live_p += prim;
    healthy_all += h > 0;
    healthy_p += prim && h > 0;
    running_all += t->phase == ECS_RUNNING;
  }
  /* scale the primary down when above its count (newest first) */
  for (size_t i = rc_ecs__tasks.n; i-- > 0 && live_p > desired;) {
    struct ecs_task *t = rc_ecs__tasks.v[i];
    if (strcmp(t->service, s->name) || strcmp(t->cluster_arn, s->cluster_arn) ||
        t->desired_stop || strcmp(t->deploy_id, p->id))
      continue;
    bool was_healthy = task_health(s, t, vt, NULL, NULL) > 0;
    rc_ecs__task_stop(t, vt, "ServiceSchedulerInitiated", "Scaling activity initiated by (deployment " "ECS)");
    rc_ecs__event(s, vt, "(service %s) has stopped 1 running tasks: (task %s).", s->name, t->id);
    live_p--;
    live_all--;
    healthy_all -= was_healthy;
    healthy_p -= was_healthy;
  }
  /* start new tasks within maximumPercent */
  int room = max_total - live_all;
  int want = desired - live_p;
  int n = want < room ? want : room;
  if (n > 0) {
    struct rc_buf ids;
    rc_buf_init(&ids, 0);
    for (int k = 0; k < n; k++) {
      struct ecs_task *t = task_start(s, p, vt);
      rc_buf_printf(&ids, " (task %s)", t->id);
    }
    rc_ecs__event(s, vt, "(service %s) has started %d tasks:%s.", s->name, n, ids.ptr);
    rc_buf_free(&ids);
    live_all += n;
    live_p += n;
    s->steady = false;
  }
  /* stop old deployments' tasks: unhealthy ones at once, healthy ones down to minimumHealthy */
  int can_stop = healthy_all - min_healthy;
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < rc_ecs__tasks.n; i++) {
      struct ecs_task *t = rc_ecs__tasks.v[i];
      if (strcmp(t->service, s->name) || strcmp(t->cluster_arn, s->cluster_arn) ||
          t->desired_stop || !strcmp(t->deploy_id, p->id))
        continue;
      bool healthy = task_health(s, t, vt, NULL, NULL) > 0;
      if (pass == 0 && healthy) continue;
      if (pass == 1 && (!healthy || can_stop <= 0)) continue;
      if (healthy) can_stop--;
      rc_ecs__task_stop(t, vt, "ServiceSchedulerInitiated",
                        "Scaling activity initiated by (deployment ECS)");
      rc_ecs__event(s, vt, "(service %s) has stopped 1 running tasks: (task %s).", s->name, t->id);
      live_all--;
    }
  /* drop old deployments that have no task left */
  for (size_t i = s->deploys.n; i-- > 1;) {
    struct ecs_deploy *d = s->deploys.v[i];
    bool any = false;
    for (size_t k = 0; k < rc_ecs__tasks.n && !any; k++) {
      struct ecs_task *t = rc_ecs__tasks.v[k];
      any = !strcmp(t->deploy_id, d->id) && t->phase != ECS_STOPPED &&
            !strcmp(t->service, s->name);
    }
    if (any) continue;
    snprintf(d->status, sizeof d->status, "INACTIVE");
    history_set(s, d);
    memmove(&s->deploys.v[i], &s->deploys.v[i + 1], (s->deploys.n - i - 1) * sizeof *s->deploys.v);
    s->deploys.n--;
    rc_free(d->td_arn);
    rc_free(d->reason);
    rc_free(d);
  }
  if (!strcmp(s->status, "DRAINING")) {
    bool any = false;
    for (size_t k = 0; k < rc_ecs__tasks.n && !any; k++) {
      struct ecs_task *t = rc_ecs__tasks.v[k];
      any = !strcmp(t->service, s->name) && !strcmp(t->cluster_arn, s->cluster_arn) &&
            t->phase != ECS_STOPPED;
    }
    if (!any) snprintf(s->status, sizeof s->status, "INACTIVE");
    return;
  }
  /* completion and steady state */
  if (!strcmp(p->rollout, "IN_PROGRESS") && s->deploys.n == 1 && live_p == desired &&
      healthy_p == desired) {
    snprintf(p->rollout, sizeof p->rollout, "COMPLETED");
    set_reason(p, "ECS deployment %s completed.", p->id);
    p->updated_ms = vt;
    history_set(s, p);
    rc_free(s->last_completed_td);
    s->last_completed_td = rc_strdup(p->td_arn);
    rc_ecs__event(s, vt, "(service %s) (deployment %s) deployment completed.", s->name, p->id);
  }
  if (!s->steady && !strcmp(p->rollout, "COMPLETED") && s->deploys.n == 1 &&
      running_all == desired && live_all == desired && healthy_all == desired) {
    rc_ecs__event(s, vt, "(service %s) has reached a steady state.", s->name);
    s->steady = true;
  }
}

void rc_ecs__engine_tick(uint64_t now)
{
  for (int guard = 0; guard < 200000; guard++) {
    uint64_t vt = 0;
    for (size_t i = 0; i < rc_ecs__tasks.n; i++) {
      const struct ecs_task *t = rc_ecs__tasks.v[i];
      if (t->next_ms && t->next_ms <= now && (!vt || t->next_ms < vt)) vt = t->next_ms;
    }
    if (!vt) break;
    for (size_t i = 0; i < rc_ecs__tasks.n; i++) {
      struct ecs_task *t = rc_ecs__tasks.v[i];
      if (t->next_ms && t->next_ms <= vt) task_advance(t, vt);
    }
    for (size_t i = 0; i < rc_ecs__services.n; i++) control(rc_ecs__services.v[i], vt);
  }
  for (size_t i = 0; i < rc_ecs__services.n; i++) control(rc_ecs__services.v[i], now);
  /* forget tasks stopped long ago, as ECS does after about an hour */
  for (size_t i = rc_ecs__tasks.n; i-- > 0;) {
    struct ecs_task *t = rc_ecs__tasks.v[i];
    if (t->phase == ECS_STOPPED && t->stopped_ms + STOPPED_KEEP_MS < now) {
      rc_ecs__remove(&rc_ecs__tasks, t);
      rc_ecs__task_free(t);
    }
  }
}
