/* state — the state record (address → id + attributes, outputs) and its
 * backends: a local file (atomic, flock-locked) and S3 (conditional writes,
 * lock object). This layer includes nothing of resources/aws: the S3
 * backend talks to object storage through struct rc_objstore, which the
 * caller fills from its AWS client.
 *
 * Ownership, in jansson's words: arguments are borrowed (rc_state_put and
 * rc_state_output_set copy/incref what they keep); rc_state_find/_at/
 * _output_get return borrowed pointers valid until the next change to that
 * state; functions returning char* or struct rc_state* give the caller a
 * new object (rc_free / rc_state_free). A struct rc_state is not locked:
 * one thread at a time (the apply walker serialises its writes).
 *
 * The document (version 1):
 *   {"version": 1, "recon_version": "0.1.0", "lineage": "<uuid v4>",
 *    "serial": N, "salt": "<32 hex>",
 *    "resources": [{"address", "mode": "managed"|"data", "type", "id",
 *                   "attributes": {...}, "sensitive_attributes": [path...],
 *                   "dependencies": [address...], "create_before_destroy"}],
 *    "outputs": {"name": {"value": ..., "sensitive": bool,
 *                         "sensitive_attributes": [path...]}}}
 * Resources are written sorted by address (natural order: [2] before [10]).
 *
 * Secrets: a value marked sensitive (rc_value_is_sensitive), anywhere in
 * attributes or an output, is never written in clear. It is written as
 * {"sha256": "<hex of SHA-256(salt || canonical JSON of the value)>"} and
 * its path listed in sensitive_attributes. The salt is random per lineage
 * and kept in the document. Loading gives back that placeholder object,
 * marked sensitive; saving a placeholder again writes it unchanged.
 * rc_state_value_matches tells whether a clear value equals a stored one.
 * Paths are dotted: keys and decimal indexes ("tags.db_password",
 * "container.0.secret"), with '.' and '\' inside a key escaped by '\'. */
#ifndef RC_STATE_H
#define RC_STATE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rc_buf.h"
#include "rc_status.h"
#include "rc_value.h"

#define RC_STATE_FORMAT_VERSION 1

enum rc_state_mode { RC_STATE_MANAGED = 0, RC_STATE_DATA };

struct rc_state_resource {
  const char *address;          /* "module.vpc.aws_subnet.public[0]" */
  enum rc_state_mode mode;
  const char *type;             /* "aws_subnet" */
  const char *id;               /* may be "" (never NULL once stored) */
  struct rc_value *attributes;  /* an object; sensitive values marked; NULL = {} */
  const char *const *dependencies; /* addresses */
  size_t n_dependencies;
  bool create_before_destroy;
};

struct rc_state;

/* An empty state: fresh lineage (uuid v4), serial 0, fresh salt. */
struct rc_state *rc_state_new(void);
void rc_state_free(struct rc_state *st); /* NULL ok */
/* A deep-enough copy (values shared, they are immutable). */
struct rc_state *rc_state_dup(const struct rc_state *st);

const char *rc_state_lineage(const struct rc_state *st);
uint64_t rc_state_serial(const struct rc_state *st);
void rc_state_set_serial(struct rc_state *st, uint64_t serial);
/* The recon version that wrote the loaded document ("" for a new state). */
const char *rc_state_recon_version(const struct rc_state *st);

/* --- resources, kept sorted by address --- */
size_t rc_state_count(const struct rc_state *st);
const struct rc_state_resource *rc_state_at(const struct rc_state *st, size_t i);
const struct rc_state_resource *rc_state_find(const struct rc_state *st, const char *address);
/* Inserts or replaces the resource with r->address; copies everything
 * (strings duplicated, attributes incref'd). r->address/type must be set. */
void rc_state_put(struct rc_state *st, const struct rc_state_resource *r);
/* RC_NOT_FOUND when absent. */
rc_status rc_state_remove(struct rc_state *st, const char *address);
/* state mv: RC_NOT_FOUND when src is absent, RC_CONFLICT when dst exists.
 * Dependencies naming src elsewhere in the state are rewritten to dst. */
rc_status rc_state_move(struct rc_state *st, const char *src, const char *dst,
                        struct rc_error *err);

/* --- outputs, kept sorted by name --- */
/* Sets (replaces) an output; a sensitive output is stored marked sensitive
 * as a whole. value is borrowed (incref'd). */
void rc_state_output_set(struct rc_state *st, const char *name, const struct rc_value *value,
                         bool sensitive);
rc_status rc_state_output_remove(struct rc_state *st, const char *name); /* RC_NOT_FOUND */
void rc_state_outputs_clear(struct rc_state *st);
size_t rc_state_output_count(const struct rc_state *st);
const char *rc_state_output_name(const struct rc_state *st, size_t i);
/* Borrowed value, NULL when absent; *sensitive (may be NULL) gets the flag. */
const struct rc_value *rc_state_output_get(const struct rc_state *st, const char *name,
                                           bool *sensitive);

/* --- the document --- */
/* Serialises (sensitive values hashed); caller frees with rc_free. Pretty
 * printed, keys sorted: byte-identical for equal states. */
char *rc_state_to_json(const struct rc_state *st, size_t *len);
/* Parses a document. NULL with err set (RC_SYNTAX for bad JSON, RC_ERROR
 * for a valid JSON that is not a recon state, RC_UNSUPPORTED for another
 * format version, RC_TOO_BIG past RC_LIMIT_STATE_SIZE); never crashes on
 * any input. `origin` (may be NULL) names the file in messages. */
struct rc_state *rc_state_from_json(const char *text, size_t len, const char *origin,
                                    struct rc_error *err);

/* True when `stored` (from state, maybe a hashed placeholder) equals the
 * clear value `clear` (marks ignored): placeholders are compared by hash
 * with this state's salt, anything else with rc_value_equal. */
bool rc_state_value_matches(const struct rc_state *st, const struct rc_value *stored,
                            const struct rc_value *clear);
/* True when v is a hashed placeholder {"sha256": "<64 hex>"}. */
bool rc_state_is_hashed(const struct rc_value *v);

/* ---------------------------------------------------------------------
 * Locks. The lock info is what a holder writes into the lock file/object
 * (Terraform's shape): {"ID","Operation","Who","Version","Created","Path",
 * "PID","Host"}.
 * --------------------------------------------------------------------- */
struct rc_state_lock_info {
  char id[40];         /* uuid v4 */
  char operation[64];  /* "plan", "apply", "destroy", "state rm", ... */
  char who[256];       /* user@host */
  char version[32];    /* recon version */
  char created[40];    /* RFC 3339, UTC */
  char path[1024];     /* state path or s3://bucket/key */
  long pid;
  char host[256];
  bool stale;          /* holder is gone (same host, pid dead / lock free) */
};

/* ---------------------------------------------------------------------
 * Backends: one small vtable (curl's vtls style). Use the rc_state_backend_*
 * wrappers, not the ops directly.
 *
 * lock: takes the lock for the whole operation, waiting up to timeout_s
 *   seconds (0 = try once). RC_LOCKED when held by someone else, err naming
 *   the holder (pid, host, operation, time) and *holder (may be NULL)
 *   filled; a stale lock (dead holder) is RC_LOCKED too, with holder->stale
 *   and the message giving the exact command `recon force-unlock <ID>`.
 *   cancel (may be NULL) interrupts the wait (RC_CANCELLED).
 * unlock: releases our lock (no-op when not held).
 * read: *out = the stored state (caller frees); when nothing is stored yet,
 *   *out is rc_state_new() (fresh lineage, serial 0) and RC_OK.
 * write: increments st's serial (past the last serial read or written),
 *   then stores it: local atomically with a .backup of the state as it was
 *   before this backend's first write; S3 with If-Match/If-None-Match.
 *   RC_CONFLICT when the stored state changed under us (S3 412) or has
 *   another lineage; RC_IO on file errors.
 * force_unlock: removes the lock whose ID is id. RC_NOT_FOUND when no lock,
 *   RC_CONFLICT when the ID differs (message gives the current ID),
 *   RC_LOCKED when the local holder is alive and still holds flock.
 * --------------------------------------------------------------------- */
struct rc_state_backend;

struct rc_state_backend_ops {
  const char *name; /* "local", "s3" */
  rc_status (*lock)(struct rc_state_backend *b, const char *operation, double timeout_s,
                    volatile int *cancel, struct rc_state_lock_info *holder,
                    struct rc_error *err);
  rc_status (*unlock)(struct rc_state_backend *b, struct rc_error *err);
  rc_status (*read)(struct rc_state_backend *b, struct rc_state **out, struct rc_error *err);
  rc_status (*write)(struct rc_state_backend *b, struct rc_state *st, struct rc_error *err);
  rc_status (*force_unlock)(struct rc_state_backend *b, const char *id, struct rc_error *err);
  void (*free)(struct rc_state_backend *b);
};

struct rc_state_backend {
  const struct rc_state_backend_ops *ops;
};

const char *rc_state_backend_name(const struct rc_state_backend *b);
rc_status rc_state_backend_lock(struct rc_state_backend *b, const char *operation,
                                double timeout_s, volatile int *cancel,
                                struct rc_state_lock_info *holder, struct rc_error *err);
rc_status rc_state_backend_unlock(struct rc_state_backend *b, struct rc_error *err);
rc_status rc_state_backend_read(struct rc_state_backend *b, struct rc_state **out,
                                struct rc_error *err);
rc_status rc_state_backend_write(struct rc_state_backend *b, struct rc_state *st,
                                 struct rc_error *err);
rc_status rc_state_backend_force_unlock(struct rc_state_backend *b, const char *id,
                                        struct rc_error *err);
/* Unlocks if still locked, then frees. NULL ok. */
void rc_state_backend_free(struct rc_state_backend *b);

/* --- local --- */
#define RC_STATE_LOCAL_DEFAULT "recon.tfstate"
/* path: the state file (e.g. "<root module dir>/recon.tfstate" or the
 * backend "local" { path } value). The lock file is "<path>.lock", the
 * backup "<path>.backup". Nothing is touched until lock/read/write. */
struct rc_state_backend *rc_state_local_new(const char *path);

/* --- S3 --- */
/* Object storage, filled by the caller from its AWS client. Every function
 * returns RC_OK or an error with err set. Bodies and ETags are copied out.
 *  get: body appended to *body, etag (quoted as S3 sends it) copied into
 *       etag[etag_sz]; RC_NOT_FOUND when the key does not exist.
 *  put: if_match non-NULL → "If-Match: <etag>"; if_none_match_star →
 *       "If-None-Match: *". RC_CONFLICT on 412 Precondition Failed (and on
 *       409 ConditionalRequestConflict). New etag into etag_out.
 *  del: RC_OK also when already absent. */
struct rc_objstore {
  void *ud;
  rc_status (*get)(void *ud, const char *bucket, const char *key, struct rc_buf *body,
                   char *etag, size_t etag_sz, struct rc_error *err);
  rc_status (*put)(void *ud, const char *bucket, const char *key, const void *body,
                   size_t len, const char *if_match, bool if_none_match_star,
                   char *etag_out, size_t etag_sz, struct rc_error *err);
  rc_status (*del)(void *ud, const char *bucket, const char *key, struct rc_error *err);
};

struct rc_state_s3_config {
  const char *bucket;
  const char *key;      /* the state object; the lock is "<key>.tflock" */
  const char *region;   /* informational here: the objstore carries it */
  const char *endpoint; /* informational here */
};

/* store is copied (its ud is borrowed and must outlive the backend). */
struct rc_state_backend *rc_state_s3_new(const struct rc_state_s3_config *cfg,
                                         const struct rc_objstore *store);

#endif
