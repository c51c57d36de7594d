/* ec2util — helpers for the EC2 network family (vpc.c, subnet.c, igw.c, ...),
 * internal to resources/: a kind descriptor that drives the batched
 * Describe (ids as one filter, chunked, paginated), the read-back after a
 * create (retrying while EC2 is eventually consistent), adoption by the
 * recon:stack/recon:address tags, and small state builders.
 *
 * Ownership: arguments borrowed; struct rc_value * results are new
 * references. States handed to to_state/enrich are under construction
 * (refcount 1) and may be filled with rc_value_obj_put. */
#ifndef RC_EC2UTIL_H
#define RC_EC2UTIL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rescommon.h"

#define RC_EC2U_FILTER_MAX 200   /* values per filter EC2 accepts */
#define RC_EC2U_VISIBLE_S 60     /* read-after-create retry bound */

/* schema rows every taggable EC2 type shares */
#define RC_EC2U_ID {.name = "id", .type = RC_T_STRING, .flags = RC_A_COMPUTED}
#define RC_EC2U_TAGS                                                                    \
  {.name = "tags", .type = RC_T_MAP, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL},      \
  {                                                                                     \
    .name = "tags_all", .type = RC_T_MAP, .elem = RC_T_STRING, .flags = RC_A_COMPUTED   \
  }

struct rc_ec2u_kind {
  const char *describe_op; /* "DescribeVpcs" */
  const char *list_key;    /* "vpcSet" */
  const char *id_filter;   /* "vpc-id" */
  const char *id_key;      /* "vpcId": the id field of an answer item */
  /* Builds the state object from one answer item. prior: the last state or
   * the configuration (carry over what AWS does not return); may be NULL. */
  struct rc_value *(*to_state)(struct rc_rctx *ctx, const struct rc_value *item,
                               const struct rc_value *prior);
  /* Optional: completes n states at once with what Describe lacks (as few
   * calls as possible). */
  rc_status (*enrich)(struct rc_rctx *ctx, struct rc_value **states, size_t n,
                      struct rc_error *err);
  /* Optional: false for an item that is as good as gone (NAT "deleted"). */
  bool (*live)(const struct rc_value *item);
};

/* Describe every object whose id is in ids (one filter, chunks of 200,
 * paginated). Missing ids are simply absent. *list: a tuple of items. */
rc_status rc_ec2u_describe_ids(struct rc_rctx *ctx, const struct rc_ec2u_kind *k,
                               const char *const *ids, size_t n, struct rc_value **list,
                               struct rc_error *err);
/* read_many for a kind: one batched Describe, to_state, enrich. */
rc_status rc_ec2u_read_many(struct rc_rctx *ctx, const struct rc_ec2u_kind *k,
                            struct rc_read_item *items, size_t n);
/* One object by id. wait_s > 0: retry for that long while it is not visible
 * yet (after a create). RC_NOT_FOUND when absent. */
rc_status rc_ec2u_read_one(struct rc_rctx *ctx, const struct rc_ec2u_kind *k, const char *id,
                           const struct rc_value *prior, int wait_s, struct rc_value **out,
                           struct rc_error *err);
/* The live object tagged with ctx's stack and address, or *out = NULL. */
rc_status rc_ec2u_find_tagged(struct rc_rctx *ctx, const struct rc_ec2u_kind *k,
                              const struct rc_value *config, struct rc_value **out,
                              struct rc_error *err);
/* Describe with extra filters (params prepared by the caller: Filter.N...),
 * the live items only; *list a tuple. */
rc_status rc_ec2u_describe(struct rc_rctx *ctx, const struct rc_ec2u_kind *k,
                           const struct rc_value *params, struct rc_value **list,
                           struct rc_error *err);

/* One EC2 call whose answer is not needed. */
rc_status rc_ec2u_call(struct rc_rctx *ctx, const char *op, const struct rc_value *params,
                       struct rc_error *err);
/* Calls op, retrying while the error's code or message contains one of
 * retry_on (NULL-terminated; RC_DEPENDENCY too when retry_on is given) for up
 * to timeout_s. NotFound is not retried. */
rc_status rc_ec2u_call_retry(struct rc_rctx *ctx, const char *op, const struct rc_value *params,
                             const char *const *retry_on, int timeout_s, struct rc_error *err);
/* Delete by id: RC_OK also when it is already gone; retries the codes in
 * retry_on (e.g. DependencyViolation) for timeout_s. */
rc_status rc_ec2u_delete(struct rc_rctx *ctx, const char *op, const char *id_param,
                         const char *id, const char *const *retry_on, int timeout_s,
                         struct rc_error *err);

/* --- state builders --- */
void rc_ec2u_put_str(struct rc_value *o, const char *key, const char *s);    /* null if NULL/"" */
void rc_ec2u_put_bool(struct rc_value *o, const char *key, const char *s, bool dflt);
void rc_ec2u_put_int(struct rc_value *o, const char *key, const char *s);    /* null if absent */
/* Copies prior[key] (or null) into o: configuration-only values. */
void rc_ec2u_carry(struct rc_value *o, const struct rc_value *prior, const char *key);
/* Sets tags/tags_all from an item's tagSet. */
void rc_ec2u_put_tags(struct rc_rctx *ctx, struct rc_value *o, const struct rc_value *item);
/* "arn:aws:ec2:<region>:<owner>:<what>/<id>". rc_free. */
char *rc_ec2u_arn(struct rc_rctx *ctx, const char *owner, const char *what, const char *id);
/* An idempotency token (hex, at most maxlen chars) from ctx's seed and salt. */
void rc_ec2u_client_token(const struct rc_rctx *ctx, const char *salt, char *out, size_t maxlen);

/* --- normalisers --- */
/* "10.0.0.1/16" → "10.0.0.0/16"; lower-case IPv6; other strings unchanged. */
struct rc_value *rc_ec2u_norm_cidr(const struct rc_value *v);
/* Sets of CIDR strings canonicalised element-wise. */
struct rc_value *rc_ec2u_norm_cidr_set(const struct rc_value *v);

/* --- data sources --- */
/* Adds Filter.n.. for a data source's filter {name, values} blocks and its
 * tags map (tag:KEY = value); returns the next free filter number. */
int rc_ec2u_ds_filters(struct rc_value *params, int n, const struct rc_value *cfg);
/* Adds one Filter.n name = value when value is set; returns the next number. */
int rc_ec2u_filter1(struct rc_value *params, int n, const char *name, const char *value);

/* --- routes (aws_route_table's route blocks and aws_route) --- */
struct rc_ec2u_route_field {
  const char *block;  /* name in a route {} block: "cidr_block" */
  const char *attr;   /* name in aws_route: "destination_cidr_block" */
  const char *wire;   /* CreateRoute parameter: "DestinationCidrBlock" */
  const char *answer; /* routeSet item key: "destinationCidrBlock" (NULL: derived) */
  bool dest;          /* a destination, not a target */
};
extern const struct rc_ec2u_route_field rc_ec2u_route_fields[]; /* {NULL}-terminated */
/* AWS's route item as attributes (block names when block, else aws_route's);
 * every field present, null when unset. New ref. */
struct rc_value *rc_ec2u_route_obj(const struct rc_value *aws_route, bool block);
/* The destination of a route object ("10.0.0.0/16", "::/0", "pl-..."), or NULL. */
const char *rc_ec2u_route_dest(const struct rc_value *route, bool block);
/* Adds RouteTableId, the destination and the target of route as parameters. */
void rc_ec2u_route_params(struct rc_value *params, const char *rtb, const struct rc_value *route,
                          bool block, bool with_target);
/* True when the routeSet item is one the provider hides (local, propagated). */
bool rc_ec2u_route_hidden(const struct rc_value *aws_route);
/* --- security group permissions --- */
/* The provider's protocol form: lower case, "all"/"-1" → "-1", numbers of
 * named protocols → names ("6" → "tcp"). New ref (NULL: not a string). */
struct rc_value *rc_ec2u_norm_protocol(const struct rc_value *v);
/* IpPermissions.n with one peer: kind 'c' IPv4 CIDR, '6' IPv6 CIDR, 'p'
 * prefix list, 'g' security group. Ports are left out for protocol "-1". */
void rc_ec2u_sg_perm(struct rc_value *params, int n, const char *proto, int64_t from, int64_t to,
                     char kind, const char *peer, const char *desc);
/* CRC-32 (IEEE), as Go's hash/crc32.ChecksumIEEE: the provider's ids hash. */
uint32_t rc_ec2u_crc32(const char *s);

#endif
