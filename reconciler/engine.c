/* engine — opening a working directory: configuration, state backend and
 * lock, the AWS client. */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rc_alloc.h"

static rc_status objstore_get(void *ud, const char *bucket, const char *key,
                              struct rc_buf *body, char *etag, size_t etag_sz,
                              struct rc_error *err)
{
  struct rc_s3_object o = {0};
  rc_status st = rc_aws_s3_get(ud, bucket, key, &o, err);
  if (st) return st;
  rc_buf_append(body, o.body ? o.body : "", o.len);
  snprintf(etag, etag_sz, "%s", o.etag);
  rc_free(o.body);
  return RC_OK;
}

static rc_status objstore_put(void *ud, const char *bucket, const char *key, const void *body,
                              size_t len, const char *if_match, bool if_none_match_star,
                              char *etag_out, size_t etag_sz, struct rc_error *err)
{
  char etag[128] = "";
  rc_status st = rc_aws_s3_put(ud, bucket, key, body, len, if_match, if_none_match_star, etag, err);
  if (!st && etag_out) snprintf(etag_out, etag_sz, "%s", etag);
  return st;
}

static rc_status objstore_del(void *ud, const char *bucket, const char *key,
                              struct rc_error *err)
{
  rc_status st = rc_aws_s3_delete(ud, bucket, key, err);
  return st == RC_NOT_FOUND ? RC_OK : st;
}

static const char *vstr(const struct rc_value *o, const char *k)
{
  const struct rc_value *v = o ? rc_value_get(o, k) : NULL;
  return v ? rc_value_str(v) : NULL;
}

static rc_status open_backend(struct rc_engine *e, struct rc_diags *ds, struct rc_error *err)
{
  const char *type = NULL;
  const struct rc_value *b = e->cfg ? rc_config_backend(e->cfg, &type) : NULL;
  if (!e->cfg) { /* state-only commands read just the backend block */
    e->backend_val = rc_config_read_backend(".", &e->backend_type, ds);
    b = e->backend_val;
    type = e->backend_type;
  }
  if (!b || !type || strcmp(type, "local") == 0) {
    const char *path = vstr(b, "path");
    e->backend = rc_state_local_new(path ? path : RC_STATE_LOCAL_DEFAULT);
    return RC_OK;
  }
  if (strcmp(type, "s3") != 0)
    return rc_error_set(err, RC_UNSUPPORTED,
                        "backend \"%s\" is not supported: recon has \"local\" and \"s3\"", type);
  struct rc_value *endpoints = rc_value_obj_new(RC_OBJECT);
  const char *ep = vstr(b, "endpoint");
  const struct rc_value *eps = rc_value_get(b, "endpoints");
  if (!ep && eps) ep = vstr(rc_value_is_seq(eps) ? rc_value_index(eps, 0) : eps, "s3");
  if (ep) rc_value_obj_put(endpoints, "s3", rc_value_string(ep));
  struct rc_aws_settings s = {.region = vstr(b, "region"),
                              .profile = vstr(b, "profile"),
                              .endpoints = endpoints};
  rc_status st = rc_aws_client_new(&s, &e->s3_client, err);
  rc_value_decref(endpoints);
  if (st) return st;
  struct rc_state_s3_config sc = {.bucket = vstr(b, "bucket"), .key = vstr(b, "key"),
                                  .region = s.region, .endpoint = ep};
  if (!sc.bucket || !sc.key)
    return rc_error_set(err, RC_USAGE, "backend \"s3\" needs bucket and key");
  struct rc_objstore os = {.ud = e->s3_client, .get = objstore_get, .put = objstore_put,
                           .del = objstore_del};
  e->backend = rc_state_s3_new(&sc, &os);
  return RC_OK;
}

struct rc_engine *rc_engine_open(const struct rc_engine_opts *opts, struct rc_diags *ds,
                                 struct rc_error *err)
{
  struct rc_engine *e = rc_calloc(1, sizeof *e);
  e->opts = *opts;
  if (e->opts.parallelism <= 0) e->opts.parallelism = 10;
  pthread_mutex_init(&e->mu, NULL);
  if (!opts->skip_config) {
    e->cfg = rc_config_load(".", &opts->vars, rc_engine_check_schema, e, ds);
    if (!e->cfg) goto fail;
  }
  if (open_backend(e, ds, err)) goto fail;
  if (opts->lock) {
    struct rc_state_lock_info holder = {0};
    if (rc_state_backend_lock(e->backend, opts->operation ? opts->operation : "plan",
                              opts->lock_timeout_s, opts->cancel, &holder, err))
      goto fail;
    e->locked = true;
    if (holder.stale)
      rc_diags_add(ds, RC_DIAG_WARNING, NULL, "Took over a stale state lock",
                   "The lock on the state was left by recon pid %ld (operation \"%s\", since "
                   "%s), which no longer runs on this host. Its work is recorded in the state "
                   "up to its last finished action; this run finishes the rest.",
                   holder.pid, holder.operation, holder.created);
  }
  if (rc_state_backend_read(e->backend, &e->state, err)) goto fail;
  e->stack = rc_strdup(rc_state_lineage(e->state));
  return e;
fail:
  rc_engine_close(e);
  return NULL;
}

void rc_engine_close(struct rc_engine *e)
{
  if (!e) return;
  if (e->backend) {
    struct rc_error ignored = {0};
    if (e->locked) rc_state_backend_unlock(e->backend, &ignored);
    rc_state_backend_free(e->backend);
  }
  rc_state_free(e->state);
  rc_config_free(e->cfg);
  rc_aws_client_free(e->aws);
  rc_aws_client_free(e->s3_client);
  rc_value_decref(e->default_tags);
  rc_free(e->stack);
  rc_free(e->region);
  rc_value_decref(e->backend_val);
  rc_free(e->backend_type);
  rc_free(e->evaluated);
  pthread_mutex_destroy(&e->mu);
  rc_free(e);
}

struct rc_config *rc_engine_config(struct rc_engine *e) { return e->cfg; }
struct rc_state *rc_engine_state(struct rc_engine *e) { return e->state; }
struct rc_aws_client *rc_engine_aws(struct rc_engine *e) { return e->aws; }
const char *rc_engine_stack(struct rc_engine *e) { return e->stack; }
bool rc_engine_state_moved(struct rc_engine *e) { return e->moved; }

rc_status rc_engine_save_state(struct rc_engine *e, struct rc_error *err)
{
  return rc_state_backend_write(e->backend, e->state, err);
}

/* The provider block and what it needs (variables, locals) are evaluated
 * first, so the client exists before the refresh. */
rc_status rc_engine__ensure_aws(struct rc_engine *e, struct rc_diags *ds, struct rc_error *err)
{
  if (e->aws) return RC_OK;
  size_t n = rc_config_node_count(e->cfg);
  if (!e->evaluated) e->evaluated = rc_calloc(n ? n : 1, sizeof(bool));
  size_t prov = (size_t)-1;
  for (size_t i = 0; i < n; i++)
    if (rc_config_node(e->cfg, i)->kind == RC_CN_PROVIDER &&
        rc_config_node(e->cfg, i)->module[0] == '\0')
      prov = i;
  if (prov != (size_t)-1) {
    /* evaluate the provider's dependency closure, in order */
    bool *need = rc_calloc(n, sizeof(bool));
    need[prov] = true;
    const size_t *order = rc_config_order(e->cfg);
    for (size_t k = n; k-- > 0;) {
      size_t i = order[k];
      if (!need[i]) continue;
      const struct rc_cnode *cn = rc_config_node(e->cfg, i);
      for (size_t d = 0; d < cn->ndeps; d++) need[cn->deps[d]] = true;
    }
    for (size_t k = 0; k < n; k++) {
      size_t i = order[k];
      if (!need[i] || e->evaluated[i]) continue;
      enum rc_cnode_kind kind = rc_config_node(e->cfg, i)->kind;
      if (kind == RC_CN_RESOURCE || kind == RC_CN_DATA) {
        rc_free(need);
        return rc_error_set(err, RC_EVAL,
                            "the provider configuration depends on %s: recon needs the provider "
                            "before any resource is read",
                            rc_config_node(e->cfg, i)->addr);
      }
      struct rc_instance_list none = {0};
      if (!rc_config_eval_node(e->cfg, i, true, &none, ds)) {
        rc_instance_list_free(&none);
        rc_free(need);
        return RC_EVAL;
      }
      rc_instance_list_free(&none);
      e->evaluated[i] = true;
    }
    rc_free(need);
  }
  const struct rc_value *p = rc_config_provider(e->cfg);
  struct rc_aws_settings s = {.max_parallel = e->opts.parallelism};
  s.region = vstr(p, "region");
  s.profile = vstr(p, "profile");
  const struct rc_value *eps = p ? rc_value_get(p, "endpoints") : NULL;
  if (eps && rc_value_is_seq(eps)) eps = rc_value_len(eps) ? rc_value_index(eps, 0) : NULL;
  s.endpoints = eps && rc_value_is_obj(eps) ? eps : NULL;
  const struct rc_value *ar = p ? rc_value_get(p, "assume_role") : NULL;
  if (ar && rc_value_is_seq(ar)) ar = rc_value_len(ar) ? rc_value_index(ar, 0) : NULL;
  s.assume_role_arn = vstr(ar, "role_arn");
  s.assume_role_session_name = vstr(ar, "session_name");
  s.assume_role_external_id = vstr(ar, "external_id");
  const struct rc_value *dt = p ? rc_value_get(p, "default_tags") : NULL;
  if (dt && rc_value_is_seq(dt)) dt = rc_value_len(dt) ? rc_value_index(dt, 0) : NULL;
  const struct rc_value *tags = dt ? rc_value_get(dt, "tags") : NULL;
  if (tags && rc_value_is_obj(tags)) e->default_tags = rc_value_unmark_deep(tags);
  rc_status st = rc_aws_client_new(&s, &e->aws, err);
  if (st) return st;
  e->region = rc_strdup(rc_aws_client_region(e->aws));
  return RC_OK;
}

void rc_engine__event(struct rc_engine *e, const struct rc_event *ev)
{
  if (!e->opts.event) return;
  pthread_mutex_lock(&e->mu);
  e->opts.event(e->opts.event_ud, ev);
  pthread_mutex_unlock(&e->mu);
}

static void progress_cb(void *ud, const char *address, const char *msg)
{
  struct rc_event ev = {.kind = RC_EV_PROGRESS, .address = address, .message = msg};
  rc_engine__event(ud, &ev);
}

void rc_engine__rctx(struct rc_engine *e, struct rc_rctx *ctx, const char *address)
{
  memset(ctx, 0, sizeof *ctx);
  ctx->aws = e->aws;
  ctx->stack = e->stack;
  ctx->address = address;
  ctx->default_tags = e->default_tags;
  ctx->region = e->region;
  ctx->progress = progress_cb;
  ctx->progress_ud = e;
  ctx->cancel = e->opts.cancel;
}

char *rc_engine__node_addr(const char *a)
{
  struct rc_buf b;
  rc_buf_init(&b, 0);
  while (*a) {
    if (*a == '[') {
      bool q = false;
      for (a++; *a && (q || *a != ']'); a++) {
        if (*a == '\\' && q && a[1]) a++;
        else if (*a == '"') q = !q;
      }
      if (*a) a++;
      continue;
    }
    rc_buf_putc(&b, *a++);
  }
  return rc_buf_detach(&b);
}
