/* elbv2_int.h — ELBv2's state, shared by the sim/elbv2_*.c files only.
 * Load balancers, target groups and listeners live in vectors of pointers
 * owned here; rules belong to their listener (the default rule is implicit:
 * it answers the listener's default actions). Every object starts with
 * struct elb_res so tags and visibility are handled once. Target health is
 * computed lazily from the registration/deregistration instants and the
 * clock, so no tick is needed. All access happens under the sim lock. */
#ifndef RC_SIM_ELBV2_INT_H
#define RC_SIM_ELBV2_INT_H
#include "sim.h"

#define ELB_XMLNS "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"

struct elb_res {
  char *arn;
  struct rc_sim_tags tags;
  uint64_t visible_at;
  uint64_t created_ms;
};

struct elb_vec {
  void **v;
  size_t n;
};
void rc_elb__push(struct elb_vec *vec, void *p);
void rc_elb__remove(struct elb_vec *vec, const void *p);

struct elb_subnet {
  char id[40];
  char az[48];
  char eni[40];
};

struct elb_lb {
  struct elb_res r;
  char name[40];
  char id[20];
  char dns[160];
  char scheme[20];
  char type[16];
  char ip_type[16];
  char vpc[48];
  struct elb_subnet *subnets;
  size_t n_subnets;
  char **sgs;
  size_t n_sgs;
  uint64_t active_at;
  struct rc_sim_tags attrs;
};

struct elb_target {
  char id[64];
  int port;
  char az[32];
  uint64_t registered_ms;
  bool healthy;        /* what its health checks will find */
  uint64_t drain_ms;   /* 0: registered; else when deregistration began */
  uint64_t gone_ms;    /* when a draining target disappears */
};

struct elb_tg {
  struct elb_res r;
  char name[40];
  char protocol[12];
  int port;
  char vpc[40];
  char target_type[12];
  char protocol_version[8];
  char hc_protocol[12];
  char hc_port[16];
  bool hc_enabled;
  int hc_interval, hc_timeout, healthy_th, unhealthy_th;
  char hc_path[256];
  char matcher[64];
  struct elb_target *targets;
  size_t n_targets;
  struct rc_sim_tags attrs;
};

struct elb_fwd {
  char *tg_arn;
  int weight;
};

struct elb_action {
  char type[24];
  int order;
  char *tg_arn;
  struct elb_fwd *fwd;
  size_t n_fwd;
  bool stick;
  int stick_dur;
  char *r_proto, *r_port, *r_host, *r_path, *r_query, *r_status;
  char *f_body, *f_status, *f_ctype;
};

struct elb_cond {
  char field[32];
  char **values;
  size_t n;
};

struct elb_rule {
  struct elb_res r;
  int priority;
  struct elb_cond *conds;
  size_t n_conds;
  struct elb_action *acts;
  size_t n_acts;
};

struct elb_listener {
  struct elb_res r;
  struct elb_lb *lb;
  int port;
  char protocol[12];
  char *ssl_policy;
  char *cert;
  struct elb_action *acts;
  size_t n_acts;
  char *default_rule_arn;
  struct elb_vec rules; /* struct elb_rule *, non-default */
};

extern struct elb_vec rc_elb__lbs, rc_elb__tgs, rc_elb__listeners;
extern int rc_elb__alb_delay_ms, rc_elb__health_ms, rc_elb__drain_ms;

/* Whether the call sees r: visible (consistency delay) and of its region. */
bool rc_elb__seen(const struct rc_sim_call *c, const struct elb_res *r);
/* Lookups by ARN among visible objects; NULL when absent. */
struct elb_lb *rc_elb__lb_find(const struct rc_sim_call *c, const char *arn);
struct elb_tg *rc_elb__tg_find(const struct rc_sim_call *c, const char *arn);
struct elb_listener *rc_elb__listener_find(const struct rc_sim_call *c, const char *arn);
struct elb_rule *rc_elb__rule_find(const struct rc_sim_call *c, const char *arn,
                                   struct elb_listener **owner);
/* Any taggable object by ARN (tags, visibility); NULL when absent. */
struct elb_res *rc_elb__res_find(const struct rc_sim_call *c, const char *arn);
/* Sets arn/visibility/times of a new object. */
void rc_elb__res_init(struct rc_sim_call *c, struct elb_res *r, char *arn_steal);
void rc_elb__res_free(struct elb_res *r);
void rc_elb__lb_free(struct elb_lb *lb);
void rc_elb__tg_free(struct elb_tg *tg);
void rc_elb__listener_free(struct elb_listener *l);
/* The load balancers (ARNs, at most max) whose listeners or rules use tg. */
size_t rc_elb__tg_lbs(const struct elb_tg *tg, const struct elb_lb **out, size_t max);
bool rc_elb__tg_in_use(const struct elb_tg *tg);
/* Tags.member.N from the call; TooManyTags answered → false. */
bool rc_elb__tags_param(struct rc_sim_call *c, struct rc_sim_tags *out);
/* Attributes: Attributes.member.N.Key/Value checked against the defaults'
 * keys (unknown → ValidationError with what, "Load balancer"/"Target group"). */
bool rc_elb__attrs_modify(struct rc_sim_call *c, struct rc_sim_tags *attrs, const char *what);
/* The attribute key of the call, if given, is an integer within lo..hi;
 * else InvalidConfigurationRequest with msg is answered → false. */
bool rc_elb__attr_in_range(struct rc_sim_call *c, const char *key, long lo, long hi,
                           const char *msg);
/* The answer of Describe/Modify*Attributes: all of attrs. */
void rc_elb__attrs_reply(struct rc_sim_call *c, const struct rc_sim_tags *attrs);
/* PageSize/Marker over n items: answers errors, returns false. */
bool rc_elb__page(struct rc_sim_call *c, size_t *start, size_t *limit);
void rc_elb__marker(struct rc_sim_call *c, size_t start, size_t shown, size_t total);
/* "Name.member.N" lists. */
size_t rc_elb__list(const struct rc_sim_call *c, const char *prefix, const char ***out);

/* Listener/rule actions (elbv2_listener.c). */
void rc_elb__actions_free(struct elb_action *a, size_t n);
bool rc_elb__actions_use_tg(const struct elb_action *a, size_t n, const char *tg_arn);

/* Targets (elbv2_tg.c): state name, reason, description at now. */
const char *rc_elb__target_state(const struct elb_tg *tg, const struct elb_target *t,
                                 uint64_t now, const char **reason, const char **desc);

/* JSON of everything for the state export (elbv2_*.c writers). */
json_t *rc_elb__lb_json(const struct elb_lb *lb);
json_t *rc_elb__tg_json(const struct elb_tg *tg, uint64_t now);
json_t *rc_elb__listener_json(const struct elb_listener *l);
/* The service's save/load hooks (elbv2_state.c): every field, so that
 * load(save()) rebuilds the same objects; load appends to what is there. */
json_t *rc_elb__save(void);
rc_status rc_elb__load(const json_t *st);

/* The operations (elbv2_lb.c, elbv2_tg.c, elbv2_listener.c). */
void rc_elb__op_create_lb(struct rc_sim_call *c);
void rc_elb__op_describe_lbs(struct rc_sim_call *c);
void rc_elb__op_delete_lb(struct rc_sim_call *c);
void rc_elb__op_describe_lb_attrs(struct rc_sim_call *c);
void rc_elb__op_modify_lb_attrs(struct rc_sim_call *c);
void rc_elb__op_set_sgs(struct rc_sim_call *c);
void rc_elb__op_set_subnets(struct rc_sim_call *c);
void rc_elb__op_create_tg(struct rc_sim_call *c);
void rc_elb__op_describe_tgs(struct rc_sim_call *c);
void rc_elb__op_modify_tg(struct rc_sim_call *c);
void rc_elb__op_delete_tg(struct rc_sim_call *c);
void rc_elb__op_describe_tg_attrs(struct rc_sim_call *c);
void rc_elb__op_modify_tg_attrs(struct rc_sim_call *c);
void rc_elb__op_register(struct rc_sim_call *c);
void rc_elb__op_deregister(struct rc_sim_call *c);
void rc_elb__op_describe_health(struct rc_sim_call *c);
void rc_elb__op_create_listener(struct rc_sim_call *c);
void rc_elb__op_describe_listeners(struct rc_sim_call *c);
void rc_elb__op_modify_listener(struct rc_sim_call *c);
void rc_elb__op_delete_listener(struct rc_sim_call *c);
void rc_elb__op_create_rule(struct rc_sim_call *c);
void rc_elb__op_describe_rules(struct rc_sim_call *c);
void rc_elb__op_modify_rule(struct rc_sim_call *c);
void rc_elb__op_delete_rule(struct rc_sim_call *c);
void rc_elb__op_set_rule_priorities(struct rc_sim_call *c);

#endif
