/* s3.c — the S3 backend, through struct rc_objstore (filled by the caller
 * from its AWS client; this layer knows no HTTP).
 *
 * The state object is read with GET (its ETag remembered) and written with
 * PutObject "If-Match: <etag>", or "If-None-Match: *" when there was none:
 * a write that lost a race fails with RC_CONFLICT, never overwrites. The
 * lock is the object "<key>.tflock", created with "If-None-Match: *" and
 * holding the lock info; deleted on unlock (Terraform's use_lockfile). */
#include <string.h>
#include <time.h>

#include "rc_alloc.h"
#include "rc_limits.h"
#include "state.h"
#include "state_int.h"

struct s3 {
  struct rc_state_backend base;
  struct rc_objstore store;
  char *bucket, *key, *lock_key, *where; /* where: "s3://bucket/key" */
  bool locked;
  struct rc_state_lock_info mine;
  bool have_etag;
  char etag[256];
  char *lineage;
  uint64_t serial;
};

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap(double s)
{
  struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
  nanosleep(&ts, NULL);
}

/* Reads the lock object. RC_NOT_FOUND when there is none; h zeroed when
 * its body is not lock info. */
static rc_status read_lock(struct s3 *S, struct rc_state_lock_info *h, struct rc_error *err)
{
  struct rc_buf body;
  rc_buf_init(&body, 1024 * 1024);
  char etag[256] = "";
  struct rc_error e;
  rc_error_clear(&e);
  rc_status st = S->store.get(S->store.ud, S->bucket, S->lock_key, &body, etag, sizeof etag, &e);
  if (st == RC_OK) {
    if (!rc_state__lock_info_parse(body.ptr, body.len, h)) memset(h, 0, sizeof *h);
  } else if (st != RC_NOT_FOUND) {
    rc_error_set(err, st, "cannot read lock s3://%s/%s: %s", S->bucket, S->lock_key, e.msg);
  }
  rc_buf_free(&body);
  return st;
}

static rc_status s3_lock(struct rc_state_backend *b, const char *operation, double timeout_s,
                         volatile int *cancel, struct rc_state_lock_info *holder,
                         struct rc_error *err)
{
  struct s3 *S = (struct s3 *)b;
  if (S->locked) return RC_OK;
  rc_state__lock_info_init(&S->mine, operation, S->where);
  char *body = rc_state__lock_info_json(&S->mine);
  double start = now_s();
  rc_status st;
  for (;;) {
    char etag[256];
    struct rc_error e;
    rc_error_clear(&e);
    st = S->store.put(S->store.ud, S->bucket, S->lock_key, body, strlen(body), NULL, true, etag,
                      sizeof etag, &e);
    if (st == RC_OK) {
      S->locked = true;
      break;
    }
    if (st != RC_CONFLICT) {
      st = rc_error_set(err, st, "cannot create lock s3://%s/%s: %s", S->bucket, S->lock_key,
                        e.msg);
      break;
    }
    struct rc_state_lock_info h;
    memset(&h, 0, sizeof h);
    st = read_lock(S, &h, err);
    if (st == RC_NOT_FOUND) continue; /* released between our put and get: try again */
    if (st != RC_OK) break;
    h.stale = h.id[0] && rc_state__holder_dead(&h);
    double waited = now_s() - start;
    if (h.stale || waited >= timeout_s) {
      if (holder) *holder = h;
      st = rc_state__locked_error(err, S->where, &h, timeout_s > 0 && !h.stale ? waited : 0);
      break;
    }
    if (cancel && *cancel) {
      st = rc_error_set(err, RC_CANCELLED, "cancelled while waiting for the lock on %s",
                        S->where);
      break;
    }
    double left = timeout_s - waited;
    nap(left < 0.25 ? left : 0.25);
  }
  rc_free(body);
  return st;
}

static rc_status delete_lock(struct s3 *S, struct rc_error *err)
{
  struct rc_error e;
  rc_error_clear(&e);
  rc_status st = S->store.del(S->store.ud, S->bucket, S->lock_key, &e);
  if (st != RC_OK)
    return rc_error_set(err, st, "cannot delete lock s3://%s/%s: %s", S->bucket, S->lock_key,
                        e.msg);
  return RC_OK;
}

static rc_status s3_unlock(struct rc_state_backend *b, struct rc_error *err)
{
  struct s3 *S = (struct s3 *)b;
  if (!S->locked) return RC_OK;
  S->locked = false;
  struct rc_state_lock_info h;
  memset(&h, 0, sizeof h);
  rc_status st = read_lock(S, &h, err);
  if (st == RC_NOT_FOUND)
    return rc_error_set(err, RC_CONFLICT, "our lock %s on %s was removed by someone else",
                        S->mine.id, S->where);
  if (st != RC_OK) return st;
  if (strcmp(h.id, S->mine.id) != 0)
    return rc_error_set(err, RC_CONFLICT,
                        "the lock on %s is no longer ours (now %s, pid %ld on %s); left in place",
                        S->where, h.id, h.pid, h.host);
  return delete_lock(S, err);
}

static rc_status s3_force_unlock(struct rc_state_backend *b, const char *id,
                                 struct rc_error *err)
{
  struct s3 *S = (struct s3 *)b;
  struct rc_state_lock_info h;
  memset(&h, 0, sizeof h);
  rc_status st = read_lock(S, &h, err);
  if (st == RC_NOT_FOUND)
    return rc_error_set(err, RC_NOT_FOUND, "state %s is not locked", S->where);
  if (st != RC_OK) return st;
  if (strcmp(h.id, id) != 0)
    return rc_error_set(err, RC_CONFLICT,
                        "lock ID \"%s\" does not match the lock on %s (ID %s, pid %ld on %s)", id,
                        S->where, h.id[0] ? h.id : "?", h.pid, h.host);
  if (S->locked && strcmp(S->mine.id, id) == 0) S->locked = false;
  return delete_lock(S, err);
}

static void remember(struct s3 *S, const struct rc_state *st)
{
  rc_free(S->lineage);
  S->lineage = rc_strdup(rc_state_lineage(st));
  S->serial = rc_state_serial(st);
}

static rc_status s3_read(struct rc_state_backend *b, struct rc_state **out, struct rc_error *err)
{
  struct s3 *S = (struct s3 *)b;
  struct rc_buf body;
  rc_buf_init(&body, RC_LIMIT_STATE_SIZE);
  char etag[256] = "";
  struct rc_error e;
  rc_error_clear(&e);
  rc_status st = S->store.get(S->store.ud, S->bucket, S->key, &body, etag, sizeof etag, &e);
  if (st == RC_NOT_FOUND) {
    S->have_etag = false;
    *out = rc_state_new();
    rc_buf_free(&body);
    return RC_OK;
  }
  if (st != RC_OK) {
    rc_buf_free(&body);
    return rc_error_set(err, st, "cannot read state %s: %s", S->where, e.msg);
  }
  struct rc_state *s = rc_state_from_json(body.ptr, body.len, S->where, err);
  rc_buf_free(&body);
  if (!s) return err ? err->code : RC_ERROR;
  snprintf(S->etag, sizeof S->etag, "%s", etag);
  S->have_etag = true;
  remember(S, s);
  *out = s;
  return RC_OK;
}

static rc_status s3_write(struct rc_state_backend *b, struct rc_state *st, struct rc_error *err)
{
  struct s3 *S = (struct s3 *)b;
  if (S->lineage && strcmp(S->lineage, rc_state_lineage(st)) != 0)
    return rc_error_set(err, RC_CONFLICT,
                        "refusing to write state with lineage %s over %s (lineage %s)",
                        rc_state_lineage(st), S->where, S->lineage);
  uint64_t serial = rc_state_serial(st);
  if (S->lineage && S->serial > serial) serial = S->serial;
  rc_state_set_serial(st, serial + 1);
  size_t len = 0;
  char *text = rc_state_to_json(st, &len);
  char etag[256] = "";
  struct rc_error e;
  rc_error_clear(&e);
  rc_status s = S->store.put(S->store.ud, S->bucket, S->key, text, len,
                             S->have_etag ? S->etag : NULL, !S->have_etag, etag, sizeof etag, &e);
  rc_free(text);
  if (s == RC_CONFLICT)
    return rc_error_set(err, RC_CONFLICT,
                        "state %s was changed by someone else since recon read it (conditional "
                        "write refused: %s); not overwriting it — run again to work from the "
                        "current state",
                        S->where, e.msg[0] ? e.msg : "precondition failed");
  if (s != RC_OK) return rc_error_set(err, s, "cannot write state %s: %s", S->where, e.msg);
  snprintf(S->etag, sizeof S->etag, "%s", etag);
  S->have_etag = true;
  remember(S, st);
  return RC_OK;
}

static void s3_free(struct rc_state_backend *b)
{
  struct s3 *S = (struct s3 *)b;
  rc_free(S->bucket);
  rc_free(S->key);
  rc_free(S->lock_key);
  rc_free(S->where);
  rc_free(S->lineage);
  rc_free(S);
}

static const struct rc_state_backend_ops s3_ops = {
    .name = "s3",
    .lock = s3_lock,
    .unlock = s3_unlock,
    .read = s3_read,
    .write = s3_write,
    .force_unlock = s3_force_unlock,
    .free = s3_free,
};

struct rc_state_backend *rc_state_s3_new(const struct rc_state_s3_config *cfg,
                                         const struct rc_objstore *store)
{
  struct s3 *S = rc_calloc(1, sizeof *S);
  S->base.ops = &s3_ops;
  S->store = *store;
  S->bucket = rc_strdup(cfg->bucket ? cfg->bucket : "");
  S->key = rc_strdup(cfg->key ? cfg->key : "");
  S->lock_key = rc_asprintf("%s.tflock", S->key);
  S->where = rc_asprintf("s3://%s/%s", S->bucket, S->key);
  return &S->base;
}
