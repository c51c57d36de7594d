/* rescommon — helpers shared by the resource type files (the files in resources/):
 * reading configuration values, tags (user, default_tags, recon's own),
 * the address tag encoding, EC2 tag specifications and tag-based lookups,
 * waits with timeouts, one-object reads over a type's read_many, concurrent
 * per-item calls and retried calls. Not used by the engine.
 *
 * Ownership: arguments borrowed; functions returning struct rc_value * return
 * new references. */
#ifndef RC_RESCOMMON_H
#define RC_RESCOMMON_H
#include <stdbool.h>
#include <stdint.h>
#include "resource.h"

#define RC_TAG_STACK "recon:stack"
#define RC_TAG_ADDRESS "recon:address"

/* --- configuration values (NULL / default when absent, null or unknown) --- */
const char *rc_res_str(const struct rc_value *cfg, const char *name);
bool rc_res_bool(const struct rc_value *cfg, const char *name, bool dflt);
int64_t rc_res_int(const struct rc_value *cfg, const char *name, int64_t dflt);
/* The first object of a nested block (tuple of objects), or NULL. */
const struct rc_value *rc_res_block(const struct rc_value *cfg, const char *name);

/* --- address tag: Terraform addresses hold [ ] and quotes, which ELBv2 and
 * IAM tags refuse (they allow letters, digits, spaces and _ . : / = + - @).
 * `[0]` becomes `/0`, `["api"]` becomes `/=api` with every byte of the key
 * outside [A-Za-z0-9 _.:=-@] written as +XX (hex). Decoding reverses it. --- */
char *rc_res_address_encode(const char *address); /* rc_free */
char *rc_res_address_decode(const char *encoded); /* rc_free; NULL when invalid */

/* --- tags --- */
/* tags_all: provider default_tags merged under the resource's tags. */
struct rc_value *rc_res_tags_all(const struct rc_rctx *ctx, const struct rc_value *cfg);
/* tags_all plus recon:stack and recon:address: what a resource is born with. */
struct rc_value *rc_res_birth_tags(const struct rc_rctx *ctx, const struct rc_value *cfg);
/* From AWS tags (an object), the user-visible ones: recon:* removed. */
struct rc_value *rc_res_visible_tags(const struct rc_value *aws_tags);
/* Sets "tags" and "tags_all" in a state object being built: tags_all = the
 * visible AWS tags; tags = those of tags_all that are not default_tags with
 * the same value, unless the configuration (prior) names them. */
void rc_res_put_tags(const struct rc_rctx *ctx, struct rc_value *state,
                     const struct rc_value *aws_tags);

/* --- EC2 --- */
/* TagSpecification.n for resource_type with the birth tags. */
void rc_res_ec2_tag_spec(const struct rc_rctx *ctx, struct rc_value *params, int n,
                         const char *resource_type, const struct rc_value *cfg);
/* Adds Filter.n (and n+1) selecting recon:stack and recon:address of ctx;
 * returns the next free filter number. */
int rc_res_ec2_tag_filters(const struct rc_rctx *ctx, struct rc_value *params, int n);
/* CreateTags/DeleteTags for the difference between two tags_all objects. */
rc_status rc_res_ec2_update_tags(struct rc_rctx *ctx, const char *id,
                                 const struct rc_value *old_tags,
                                 const struct rc_value *new_tags, struct rc_error *err);
/* EC2 list-of-items to an object {key: value} for tagSet. */
struct rc_value *rc_res_ec2_tags(const struct rc_value *item);

/* --- waiting --- */
/* Timeout for an operation from the timeouts {} block ("create", "update",
 * "delete": "10m", "30s", "1h"), else dflt_seconds. */
int rc_res_timeout(const struct rc_rctx *ctx, const char *op, int dflt_seconds);
/* Sleeps ms, waking early on cancel; returns RC_CANCELLED if cancelled. */
rc_status rc_res_sleep(const struct rc_rctx *ctx, int ms);
/* Milliseconds on a monotonic clock. */
int64_t rc_res_now_ms(void);
/* Polls fn every interval_ms until it returns RC_OK (done) or an error other
 * than RC_NOT_READY, or the timeout passes (RC_TIMEOUT, message built from
 * what, the last state fn reported in `seen`). fn returns RC_NOT_READY to go on. */
#define RC_NOT_READY RC_CONFLICT
typedef rc_status (*rc_res_poll_fn)(struct rc_rctx *ctx, void *ud, char *seen, size_t seen_sz,
                                    struct rc_error *err);
rc_status rc_res_poll(struct rc_rctx *ctx, const char *what, int timeout_s, int interval_ms,
                      rc_res_poll_fn fn, void *ud, struct rc_error *err);
/* A type's read_many, and the same with user data (ud borrowed). */
typedef rc_status (*rc_res_read_many_fn)(struct rc_rctx *ctx, struct rc_read_item *items,
                                         size_t n);
typedef rc_status (*rc_res_read_many_ud_fn)(struct rc_rctx *ctx, const void *ud,
                                            struct rc_read_item *items, size_t n);
/* One object by id through read_many (one item: ctx->address, id, prior);
 * wait_s > 0 retries every 500 ms while it is not visible yet. *out new, NULL
 * unless RC_OK; RC_NOT_FOUND "<what> <id> not found" when still absent at the
 * deadline; read_many's error (its item's message) otherwise. */
rc_status rc_res_read_one(struct rc_rctx *ctx, rc_res_read_many_fn read_many,
                          const char *id, const struct rc_value *prior, int wait_s,
                          const char *what, struct rc_value **out, struct rc_error *err);
rc_status rc_res_read_one_ud(struct rc_rctx *ctx, rc_res_read_many_ud_fn read_many,
                             const void *ud, const char *id, const struct rc_value *prior,
                             int wait_s, const char *what, struct rc_value **out,
                             struct rc_error *err);
/* --- concurrent calls --- */
/* n calls of service.op run together (rc_aws_call_many): params(ud, i) makes
 * call i's parameters (new; NULL: no call i), then answer(ud, i, req) sees
 * each call made, in order of i, and returns the error it stands for (RC_OK:
 * none). Returns the first such error, copying its call's message to *err
 * (err may be NULL). Answers and parameters are freed afterwards. */
typedef struct rc_value *(*rc_res_params_fn)(void *ud, size_t i);
typedef rc_status (*rc_res_answer_fn)(void *ud, size_t i, const struct rc_aws_req *req);
rc_status rc_res_call_each(struct rc_rctx *ctx, const char *service, const char *op,
                           size_t n, rc_res_params_fn params, rc_res_answer_fn answer,
                           void *ud, struct rc_error *err);
/* A read_many with one service.op call per item (ud borrowed, passed on):
 * params makes an item's parameters (new; NULL: no call, the item is gone);
 * state builds an item's state from its answer (new; NULL: gone). A failed
 * call for which gone() holds (NULL hook: RC_NOT_FOUND) leaves the item gone;
 * any other sets the item's status and error. Returns the first error. */
struct rc_res_read_each {
  const char *service, *op;
  struct rc_value *(*params)(void *ud, const struct rc_read_item *it);
  struct rc_value *(*state)(struct rc_rctx *ctx, void *ud, const struct rc_read_item *it,
                            const struct rc_value *answer);
  bool (*gone)(const struct rc_aws_req *req);
};
rc_status rc_res_read_each(struct rc_rctx *ctx, const struct rc_res_read_each *how,
                           void *ud, struct rc_read_item *items, size_t n);
/* Calls an AWS operation, retrying while the error's code or message
 * contains one of how->on (NULL-terminated, may be NULL) and, with
 * how->not_found, on RC_NOT_FOUND; waits 250 ms doubling up to
 * how->max_delay_ms, for up to how->timeout_s. out may be NULL (answer
 * dropped); *out is set only on RC_OK. */
struct rc_res_retry {
  const char *const *on;
  bool not_found;
  int max_delay_ms;
  int timeout_s;
};
rc_status rc_res_call_retry(struct rc_rctx *ctx, const char *service, const char *op,
                            const struct rc_value *params, const struct rc_res_retry *how,
                            struct rc_value **out, struct rc_error *err);
/* Calls an AWS operation, retrying RC_NOT_FOUND (eventual consistency after a
 * create) and errors whose code/message contains one of retry_on (NULL-
 * terminated, may be NULL) for up to timeout_s. */
rc_status rc_res_call_retrying(struct rc_rctx *ctx, const char *service, const char *op,
                               const struct rc_value *params, const char *const *retry_on,
                               int timeout_s, struct rc_value **out, struct rc_error *err);

#endif
