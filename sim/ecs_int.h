/* ecs_int.h — ECS's state, shared by the sim/ecs_*.c files only.
 * Clusters, task definitions, services and tasks are vectors of pointers
 * owned here. A service owns its deployments (newest first) and events
 * (newest first); tasks point to their cluster by ARN and to their service by
 * name. Request sub-documents (networkConfiguration, loadBalancers,
 * capacityProviderStrategy) are kept as jansson copies owned by their
 * object. The deployment engine (ecs_deploy.c) advances everything in
 * virtual time up to the clock on each tick. All under the sim lock. */
#ifndef RC_SIM_ECS_INT_H
#define RC_SIM_ECS_INT_H
#include "sim.h"

struct ecs_vec {
  void **v;
  size_t n;
};
void rc_ecs__push(struct ecs_vec *vec, void *p);
void rc_ecs__remove(struct ecs_vec *vec, const void *p);

struct ecs_cluster {
  char *arn;
  char name[256];
  char status[16];          /* ACTIVE, INACTIVE */
  char insights[16];        /* containerInsights: enabled/disabled */
  json_t *cps;              /* capacityProviders (array) */
  json_t *strategy;         /* defaultCapacityProviderStrategy (array) */
  struct rc_sim_tags tags;
  uint64_t visible_at;
};

struct ecs_taskdef {
  char *arn;
  char family[256];
  int revision;
  bool active;
  json_t *doc;              /* the described document with defaults, no status */
  uint64_t registered_ms, deregistered_ms;
  struct rc_sim_tags tags;
  uint64_t visible_at;
};

struct ecs_deploy {
  char id[40];
  char status[12];          /* PRIMARY, ACTIVE, INACTIVE */
  char *td_arn;
  int desired;
  char rollout[16];         /* IN_PROGRESS, COMPLETED, FAILED */
  char *reason;
  int failed;
  uint64_t created_ms, updated_ms;
  bool rollback;            /* started by the circuit breaker */
};

struct ecs_event {
  char id[40];
  uint64_t at_ms;
  char *msg;
};

struct ecs_service {
  char *arn;
  char name[256];
  char *cluster_arn;
  char status[12];          /* ACTIVE, DRAINING, INACTIVE */
  int desired;
  char launch_type[16];     /* "" when a capacity provider strategy is used */
  json_t *cp_strategy;      /* or NULL */
  char *td_arn;             /* the primary deployment's */
  json_t *netconf;          /* networkConfiguration or NULL */
  json_t *lbs;              /* loadBalancers array (never NULL) */
  int min_pct, max_pct;
  bool cb_enable, cb_rollback;
  int grace;
  bool exec, managed_tags;
  char propagate[16];
  char *client_token;
  char *role_arn;
  uint64_t created_ms, visible_at;
  struct rc_sim_tags tags;
  struct ecs_vec deploys;   /* struct ecs_deploy *, PRIMARY first */
  struct ecs_vec events;    /* struct ecs_event *, newest first */
  json_t *history;          /* every deployment ever, for the state export */
  bool steady;              /* the steady-state event was sent for the present state */
  char *last_completed_td;
  size_t next_subnet;
};

enum ecs_phase { ECS_PROVISIONING, ECS_PENDING, ECS_RUNNING, ECS_STOPPING, ECS_STOPPED };

struct ecs_task {
  char *arn;
  char id[40];
  char *cluster_arn;
  char service[256];
  char deploy_id[40];
  char *td_arn;
  char *image;              /* first essential container's */
  bool bad;                 /* image matches -unhealthy-image */
  enum ecs_phase phase;
  bool desired_stop;
  uint64_t created_ms, pending_ms, running_ms, stopping_ms, stopped_ms;
  uint64_t next_ms;         /* next automatic transition; 0: none */
  bool registered;          /* in its service's target groups */
  bool failed_counted;
  char stop_code[32];
  char *stop_reason;
  char subnet[40];
  char az[48];
  char eni[40];
  char ip[48];
  char attach_id[40];
  char launch_type[16];
  char group[300];
  char started_by[64];
  struct rc_sim_tags tags;
};

extern struct ecs_vec rc_ecs__clusters, rc_ecs__taskdefs, rc_ecs__services, rc_ecs__tasks;
extern int rc_ecs__task_start_ms, rc_ecs__task_stop_ms;
extern char *rc_ecs__unhealthy_image;

/* The cluster named by a "cluster" member (name or ARN; absent: "default").
 * Answers ClusterNotFoundException and returns NULL when missing/inactive. */
struct ecs_cluster *rc_ecs__cluster_param(struct rc_sim_call *c, bool active_only);
struct ecs_cluster *rc_ecs__cluster_by_arn(const char *arn);
/* name, family:rev, or ARN → the task definition (family alone: latest ACTIVE). */
struct ecs_taskdef *rc_ecs__taskdef_find(const struct rc_sim_call *c, const char *ref);
/* name or ARN within a cluster; INACTIVE included. */
struct ecs_service *rc_ecs__service_find(const struct ecs_cluster *cl, const char *ref);
struct ecs_task *rc_ecs__task_find(const struct ecs_cluster *cl, const char *ref);

/* Answers for the describe calls (new objects). */
json_t *rc_ecs__cluster_json(const struct ecs_cluster *cl, bool tags);
json_t *rc_ecs__taskdef_json(const struct ecs_taskdef *td);
json_t *rc_ecs__service_json(const struct ecs_service *s, bool tags);
json_t *rc_ecs__task_json(const struct ecs_task *t, bool tags);

/* true when the request's "include" list names TAGS */
bool rc_ecs__include_tags(const struct rc_sim_call *c);
/* Answers {key: all[start .. start+limit), nextToken when more}; steals all. */
void rc_ecs__reply_page(struct rc_sim_call *c, const char *key, json_t *all, size_t start,
                        size_t limit);
/* Tags as ECS sends them: [{"key","value"}]; false and answered when bad. */
bool rc_ecs__tags_param(struct rc_sim_call *c, const json_t *list, struct rc_sim_tags *out);

/* --- the engine (ecs_deploy.c) --- */
/* Starts a new PRIMARY deployment of td_arn (the others become ACTIVE). */
struct ecs_deploy *rc_ecs__deploy_start(struct ecs_service *s, const char *td_arn, uint64_t now,
                                        bool rollback);
void rc_ecs__event(struct ecs_service *s, uint64_t now, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Stops a task now (desired STOPPED) with a code and reason. */
void rc_ecs__task_stop(struct ecs_task *t, uint64_t now, const char *code, const char *reason);
/* Advances every service and task to now. */
void rc_ecs__engine_tick(uint64_t now);
void rc_ecs__task_free(struct ecs_task *t);
void rc_ecs__service_free(struct ecs_service *s);
const char *rc_ecs__phase_name(enum ecs_phase p);

/* The service's save/load hooks (ecs_state.c): describe-shaped objects with
 * a "_sim" member holding every internal field; load appends. */
json_t *rc_ecs__save(void);
rc_status rc_ecs__load(const json_t *st);

/* Operations of the kind files. */
void rc_ecs__op_register_td(struct rc_sim_call *c);
void rc_ecs__op_describe_td(struct rc_sim_call *c);
void rc_ecs__op_deregister_td(struct rc_sim_call *c);
void rc_ecs__op_list_tds(struct rc_sim_call *c);
void rc_ecs__op_list_families(struct rc_sim_call *c);
void rc_ecs__op_create_service(struct rc_sim_call *c);
void rc_ecs__op_update_service(struct rc_sim_call *c);
void rc_ecs__op_delete_service(struct rc_sim_call *c);
void rc_ecs__op_describe_services(struct rc_sim_call *c);
void rc_ecs__op_list_services(struct rc_sim_call *c);
void rc_ecs__op_list_tasks(struct rc_sim_call *c);
void rc_ecs__op_describe_tasks(struct rc_sim_call *c);
void rc_ecs__op_stop_task(struct rc_sim_call *c);

#endif
