/* svcutil — helpers for the service families outside EC2 (elbv2, iam, logs,
 * ecs: lb*.c, iam_*.c, log_group.c, ecs_*.c), internal to resources/: state
 * builders, canonical JSON and the IAM policy normaliser, tag lists in the
 * wire shapes of those services, idempotency tokens.
 *
 * Ownership: arguments borrowed; struct rc_value * and char * results are new
 * (rc_value_decref / rc_free). Objects handed to the put helpers must be under
 * construction (refcount 1). */
#ifndef RC_SVCUTIL_H
#define RC_SVCUTIL_H
#include <stdbool.h>
#include <stddef.h>
#include "rescommon.h"

/* schema rows shared by the taggable types of these families */
#define RC_SVCU_TAGS                                                                    \
  {.name = "tags", .type = RC_T_MAP, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL},      \
  {                                                                                     \
    .name = "tags_all", .type = RC_T_MAP, .elem = RC_T_STRING, .flags = RC_A_COMPUTED   \
  }

/* --- state builders --- */
void rc_svcu_put_str(struct rc_value *o, const char *key, const char *s); /* null if NULL/"" */
/* A number from a wire string or number; null when absent or not a number. */
void rc_svcu_put_int(struct rc_value *o, const char *key, const struct rc_value *v);
/* A bool from a wire "true"/"false" or bool; dflt when absent. */
void rc_svcu_put_bool(struct rc_value *o, const char *key, const struct rc_value *v, bool dflt);
/* o[key] = prior[key] (null when prior or the key is absent). */
void rc_svcu_carry(struct rc_value *o, const struct rc_value *prior, const char *key);
/* A set of the strings of a sequence (tuple/list), empty set when absent. */
struct rc_value *rc_svcu_str_set(const struct rc_value *seq);
/* A list of the strings of a sequence. */
struct rc_value *rc_svcu_str_list(const struct rc_value *seq);
/* 64-bit integer of a wire field (string or number), dflt when absent. */
int64_t rc_svcu_int(const struct rc_value *v, int64_t dflt);

/* --- calls --- */
/* An AWS call whose answer is not needed. */
rc_status rc_svcu_call(struct rc_rctx *ctx, const char *service, const char *op,
                       const struct rc_value *params, struct rc_error *err);
/* Calls op, retrying for up to timeout_s while the error's code or message
 * contains one of retry_on (NULL-terminated). Unlike rc_res_call_retrying,
 * RC_NOT_FOUND is final. out may be NULL. */
rc_status rc_svcu_call_retrying(struct rc_rctx *ctx, const char *service, const char *op,
                                const struct rc_value *params, const char *const *retry_on,
                                int timeout_s, struct rc_value **out, struct rc_error *err);
/* An idempotency token from ctx->idempotency_seed and salt: SHA-256 hex cut
 * to maxlen (<= 64) characters. Caller frees. */
char *rc_svcu_token(const struct rc_rctx *ctx, const char *salt, size_t maxlen);
/* The name to create: name, else name_prefix + a unique suffix derived from
 * the idempotency seed (stable across a retried apply), else NULL. */
char *rc_svcu_name(const struct rc_rctx *ctx, const struct rc_value *cfg, size_t maxlen);

/* --- JSON --- */
/* Canonical JSON text (keys sorted, compact); NULL when text is not JSON. */
char *rc_svcu_json_canon(const char *text);
/* Normaliser: canonical JSON of a string attribute. */
struct rc_value *rc_svcu_norm_json(const struct rc_value *v);
/* Normaliser for IAM policy documents: Statement as a list sorted by content,
 * Action/NotAction/Resource/NotResource/Principal/Condition values as sets
 * (a single value and a one-element list are equal), Principal "*" equal to
 * {"AWS": "*"}, empty Sid dropped, keys sorted. */
struct rc_value *rc_svcu_norm_policy(const struct rc_value *v);
char *rc_svcu_policy_canon(const char *text); /* NULL when not JSON */
/* Percent-decoding (IAM answers policy documents URL-encoded); '+' is kept. */
char *rc_svcu_url_decode(const char *s);

/* --- tags --- */
/* Query-protocol tags: <prefix>.member.N.Key / .Value (ELBv2, IAM). */
void rc_svcu_query_tags(struct rc_value *params, const char *prefix, const struct rc_value *tags);
/* JSON-protocol tags: a tuple of {kkey: k, vkey: v} (ECS: "key"/"value"). */
struct rc_value *rc_svcu_json_tags(const struct rc_value *tags, const char *kkey,
                                   const char *vkey);
/* A map copy of tags (JSON-protocol maps: Logs). */
struct rc_value *rc_svcu_tag_map(const struct rc_value *tags);
/* The tags to add (changed or new: object) and the keys to remove (tuple of
 * strings) to go from old to new. */
void rc_svcu_tags_diff(const struct rc_value *old_tags, const struct rc_value *new_tags,
                       struct rc_value **add, struct rc_value **del);

/* --- ECS (ecs_containers.c) --- */
/* Normaliser for container_definitions, the provider's reduction: containers
 * sorted by name; AWS's defaults removed (cpu 0, essential true, protocol
 * "tcp", hostPort 0 or equal to containerPort as awsvpc fills it); nulls,
 * empty lists and empty objects removed at every depth; environment,
 * secrets sorted by name; keys sorted. Not JSON: NULL (identity). */
struct rc_value *rc_svcu_norm_containers(const struct rc_value *v);
char *rc_svcu_containers_canon(const char *text); /* NULL when not a JSON array */
/* TagResource / UntagResource (ECS shapes) for the difference between
 * prior's tags_all and the configuration's tags_all. */
rc_status rc_svcu_ecs_update_tags(struct rc_rctx *ctx, const char *arn,
                                  const struct rc_value *prior, const struct rc_value *config,
                                  struct rc_error *err);
/* Normaliser for task-level cpu/memory: "1 vCPU" -> "1024", "2 GB" -> "2048",
 * numbers as strings. */
struct rc_value *rc_svcu_norm_units(const struct rc_value *v);

/* --- IAM --- */
/* The state of an aws_iam_role (also the aws_iam_role data source) from a
 * GetRole answer's Role element; prior carries configuration-only values. */
struct rc_value *rc_svcu_iam_role_state(struct rc_rctx *ctx, const struct rc_value *role,
                                        const struct rc_value *prior);

#endif
