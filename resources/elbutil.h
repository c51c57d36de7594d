/* elbutil — helpers of the ELBv2 family (lb.c, lb_target_group.c,
 * lb_listener.c, lb_listener_rule.c), internal to resources/: the batched
 * refresh shared by the four types (Describe* by ARNs, 20 per call, with a
 * per-ARN fallback when a batch names a deleted object; DescribeTags per 20
 * ARNs; an optional per-object attribute read run concurrently), recon's tag
 * checks, tag updates, names, the attributes kept one to one as arguments
 * (lb.c, lb_target_group.c), and the listener/rule actions (lb_actions.c):
 * wire building, answer parsing and the normaliser that makes configuration
 * and AWS's answer compare equal.
 *
 * Ownership: arguments borrowed; struct rc_value * results are new. */
#ifndef RC_ELBUTIL_H
#define RC_ELBUTIL_H
#include <stdbool.h>
#include <stddef.h>
#include "svcutil.h"

#define RC_ELBU_BATCH 20
#define RC_ELBU_VISIBLE_S 60

/* How one ELBv2 object kind is read. */
struct rc_elbu_kind {
  const char *what;       /* "load balancer" (messages) */
  const char *op;         /* DescribeLoadBalancers */
  const char *arn_param;  /* LoadBalancerArns (→ .member.N) */
  const char *list_key;   /* LoadBalancers */
  const char *arn_key;    /* LoadBalancerArn */
  /* optional per-object attribute read: DescribeLoadBalancerAttributes with
   * LoadBalancerArn=arn; NULL: none */
  const char *attr_op, *attr_param;
  /* state from the object, its attributes (object key → string, or NULL),
   * its AWS tags (object) and the prior state (may be NULL) */
  struct rc_value *(*state)(struct rc_rctx *ctx, const struct rc_value *obj,
                            const struct rc_value *attrs, const struct rc_value *tags,
                            const struct rc_value *prior);
};

/* The read_many of a kind: ids are ARNs. */
rc_status rc_elbu_read_many(struct rc_rctx *ctx, const struct rc_elbu_kind *k,
                            struct rc_read_item *items, size_t n);
/* One object by ARN; wait_s > 0 retries while it is not visible yet. NOT_FOUND
 * when absent. */
rc_status rc_elbu_read_one(struct rc_rctx *ctx, const struct rc_elbu_kind *k, const char *arn,
                           const struct rc_value *prior, int wait_s, struct rc_value **out,
                           struct rc_error *err);
/* find(): the object answered by op with Names.member.1=name (NOT_FOUND →
 * none), kept only when its tags are this stack's and address's. strict
 * (before a create: ELBv2's creates answer an existing object of the same
 * name and settings instead of failing): one that is not ours is an
 * RC_CONFLICT error rather than none. */
rc_status rc_elbu_find_by_name(struct rc_rctx *ctx, const struct rc_elbu_kind *k,
                               const char *name, const struct rc_value *config, bool strict,
                               struct rc_value **out, struct rc_error *err);
/* find() for things without a name (listeners, rules): the objects answered
 * by op with parent_param=parent_arn (paginated), the one carrying this
 * stack's and address's tags. */
rc_status rc_elbu_find_by_tags(struct rc_rctx *ctx, const struct rc_elbu_kind *k,
                               const char *parent_param, const char *parent_arn,
                               const struct rc_value *config, struct rc_value **out,
                               struct rc_error *err);

/* true when AWS tags (object) carry ctx's recon:stack and recon:address */
bool rc_elbu_ours(const struct rc_rctx *ctx, const struct rc_value *tags);
/* AddTags / RemoveTags for the difference between prior's tags_all and the
 * configuration's. */
rc_status rc_elbu_update_tags(struct rc_rctx *ctx, const char *arn, const struct rc_value *prior,
                              const struct rc_value *config, struct rc_error *err);
/* Tags.member.N: user tags, default_tags and recon's (birth tags). */
void rc_elbu_birth_tags(struct rc_rctx *ctx, struct rc_value *params, const struct rc_value *cfg);
/* name, else name_prefix (else dflt_prefix) + a suffix stable for this
 * plan, at most 32 characters. Caller frees. */
char *rc_elbu_name(const struct rc_rctx *ctx, const struct rc_value *cfg, const char *dflt_prefix);
/* An ELBv2 attribute list (Attributes: [{Key, Value}]) as an object. */
struct rc_value *rc_elbu_attrs(const struct rc_value *list);
/* Attributes.member.N.Key/Value from an object of key → string. */
void rc_elbu_attr_params(struct rc_value *params, const struct rc_value *attrs);
/* --- attributes mapped one to one (aws_lb, aws_lb_target_group) --- */
enum rc_elbu_akind { RC_ELBU_A_BOOL, RC_ELBU_A_INT, RC_ELBU_A_STR };
/* An argument kept as one ELBv2 attribute; bits: the variants (load balancer
 * types, target group kinds) it applies to. Tables end with name NULL. */
struct rc_elbu_attr {
  const char *name, *key;
  enum rc_elbu_akind kind;
  unsigned bits;
};
/* The schema default of an argument as a value (null when none). */
struct rc_value *rc_elbu_attr_dflt(const struct rc_attr *schema, const char *name);
/* A value of kind k from a wire attribute string (s may be NULL). */
struct rc_value *rc_elbu_attr_from_wire(enum rc_elbu_akind k, const char *s);
/* Puts each table argument into state o: from the answered attributes when
 * it applies to bits and was answered, else prior's known non-null value,
 * else the schema default (the provider suppresses the others). */
void rc_elbu_attrs_state(struct rc_value *o, const struct rc_elbu_attr *table, unsigned bits,
                         const struct rc_attr *schema, const struct rc_value *attrs,
                         const struct rc_value *prior);
/* A string of an integer */
struct rc_value *rc_elbu_istr(int64_t v);
/* true when a and b hold equal strings (NULL and "" equal) */
bool rc_elbu_same(const char *a, const char *b);

/* --- actions and conditions (lb_actions.c) --- */
/* Schema of an action block (default_action / action). */
extern const struct rc_attr rc_elbu_action_schema[];
/* Schema of a rule condition block. */
extern const struct rc_attr rc_elbu_condition_schema[];
/* Normaliser of action lists: orders filled from the position, blocks of
 * other types dropped, a forward to one target group without stickiness
 * written as target_group_arn, forward target groups sorted, redirect
 * defaults filled. */
struct rc_value *rc_elbu_norm_actions(const struct rc_value *v);
/* Normaliser of condition sets: every field present (empty when unused),
 * values as sets, an empty query key as null. */
struct rc_value *rc_elbu_norm_conditions(const struct rc_value *v);
/* <prefix>.member.N... from the configured action list. */
void rc_elbu_action_params(struct rc_value *params, const char *prefix,
                           const struct rc_value *actions);
/* The action list of an answer (DefaultActions / Actions), sorted by Order;
 * prior_actions (the configured list, may be NULL) decides between
 * target_group_arn and a forward block for a single target group. */
struct rc_value *rc_elbu_actions_state(const struct rc_value *wire,
                                       const struct rc_value *prior_actions);
/* Conditions.member.N... from the configured condition set. */
void rc_elbu_condition_params(struct rc_value *params, const struct rc_value *conditions);
/* The condition set of a DescribeRules answer's rule. */
struct rc_value *rc_elbu_conditions_state(const struct rc_value *wire);

#endif
