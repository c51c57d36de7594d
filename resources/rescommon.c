#include "rescommon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rc_alloc.h"
#include "rc_buf.h"

const char *rc_res_str(const struct rc_value *cfg, const char *name)
{
  const struct rc_value *v = rc_value_get(cfg, name);
  return v ? rc_value_str(v) : NULL;
}

bool rc_res_bool(const struct rc_value *cfg, const char *name, bool dflt)
{
  const struct rc_value *v = rc_value_get(cfg, name);
  if (!v) return dflt;
  if (rc_value_kind(v) == RC_BOOL) return rc_value_bool_get(v);
  const char *s = rc_value_str(v);
  if (s) return strcmp(s, "true") == 0;
  return dflt;
}

int64_t rc_res_int(const struct rc_value *cfg, const char *name, int64_t dflt)
{
  const struct rc_value *v = rc_value_get(cfg, name);
  if (!v) return dflt;
  if (rc_value_kind(v) == RC_NUMBER) return rc_value_int_get(v);
  const char *s = rc_value_str(v);
  if (s && *s) {
    char *end;
    long long n = strtoll(s, &end, 10);
    if (*end == '\0') return n;
  }
  return dflt;
}

const struct rc_value *rc_res_block(const struct rc_value *cfg, const char *name)
{
  const struct rc_value *v = rc_value_get(cfg, name);
  if (!v) return NULL;
  if (rc_value_is_seq(v)) return rc_value_len(v) ? rc_value_index(v, 0) : NULL;
  if (rc_value_is_obj(v)) return v;
  return NULL;
}

static bool tag_safe(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == ' ' || c == '_' || c == '.' || c == ':' || c == '=' || c == '-' || c == '@';
}

char *rc_res_address_encode(const char *a)
{
  struct rc_buf b;
  rc_buf_init(&b, 0);
  while (*a) {
    if (*a != '[') {
      if (tag_safe((unsigned char)*a))
        rc_buf_putc(&b, *a);
      else
        rc_buf_printf(&b, "+%02X", (unsigned char)*a);
      a++;
      continue;
    }
    a++;
    if (*a == '"') { /* ["key"]: the key is a quoted string with \-escapes */
      rc_buf_puts(&b, "/=");
      a++;
      while (*a && *a != '"') {
        unsigned char c = (unsigned char)*a;
        if (c == '\\' && a[1]) c = (unsigned char)*++a;
        if (tag_safe(c) && c != '=' && c != '.')
          rc_buf_putc(&b, (char)c);
        else
          rc_buf_printf(&b, "+%02X", c);
        a++;
      }
      if (*a == '"') a++;
    } else {
      rc_buf_putc(&b, '/');
      while (*a && *a != ']') rc_buf_putc(&b, *a++);
    }
    if (*a == ']') a++;
  }
  return rc_buf_detach(&b);
}

static int hexval(char c)
{
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/* reads one byte of encoded text at *p (a plain byte or +XX); -1 when invalid */
static int decode_byte(const char **p)
{
  if (**p != '+') return (unsigned char)*(*p)++;
  int h = hexval((*p)[1]), l = h < 0 ? -1 : hexval((*p)[2]);
  if (l < 0) return -1;
  *p += 3;
  return h * 16 + l;
}

char *rc_res_address_decode(const char *e)
{
  struct rc_buf b;
  rc_buf_init(&b, 0);
  while (*e) {
    if (*e != '/') {
      int c = decode_byte(&e);
      if (c < 0) goto bad;
      rc_buf_putc(&b, (char)c);
      continue;
    }
    e++;
    if (*e == '=') {
      e++;
      rc_buf_puts(&b, "[\"");
      while (*e && *e != '.' && *e != '/') {
        int c = decode_byte(&e);
        if (c < 0) goto bad;
        if (c == '"' || c == '\\') rc_buf_putc(&b, '\\');
        rc_buf_putc(&b, (char)c);
      }
      rc_buf_puts(&b, "\"]");
    } else {
      rc_buf_putc(&b, '[');
      if (!(*e >= '0' && *e <= '9')) goto bad;
      while (*e >= '0' && *e <= '9') rc_buf_putc(&b, *e++);
      rc_buf_putc(&b, ']');
    }
  }
  return rc_buf_detach(&b);
bad:
  rc_buf_free(&b);
  return NULL;
}

static void merge_tags(struct rc_value *into, const struct rc_value *tags)
{
  if (!tags || !rc_value_is_obj(tags)) return;
  for (size_t i = 0; i < rc_value_len(tags); i++) {
    const struct rc_value *v = rc_value_index(tags, i);
    if (rc_value_is_null(v)) continue;
    rc_value_obj_put(into, rc_value_key(tags, i), rc_value_unmark(v));
  }
}

struct rc_value *rc_res_tags_all(const struct rc_rctx *ctx, const struct rc_value *cfg)
{
  struct rc_value *t = rc_value_obj_new(RC_MAP);
  merge_tags(t, ctx->default_tags);
  merge_tags(t, rc_value_get(cfg, "tags"));
  return t;
}

struct rc_value *rc_res_birth_tags(const struct rc_rctx *ctx, const struct rc_value *cfg)
{
  struct rc_value *t = rc_res_tags_all(ctx, cfg);
  char *enc = rc_res_address_encode(ctx->address);
  rc_value_obj_put(t, RC_TAG_STACK, rc_value_string(ctx->stack));
  rc_value_obj_put(t, RC_TAG_ADDRESS, rc_value_string_steal(enc));
  return t;
}

struct rc_value *rc_res_visible_tags(const struct rc_value *aws_tags)
{
  struct rc_value *t = rc_value_obj_new(RC_MAP);
  for (size_t i = 0; aws_tags && i < rc_value_len(aws_tags); i++) {
    const char *k = rc_value_key(aws_tags, i);
    if (strncmp(k, "recon:", 6) == 0) continue;
    rc_value_obj_put(t, k, rc_value_incref(rc_value_index(aws_tags, i)));
  }
  return t;
}

void rc_res_put_tags(const struct rc_rctx *ctx, struct rc_value *state,
                     const struct rc_value *aws_tags)
{
  struct rc_value *all = rc_res_visible_tags(aws_tags);
  struct rc_value *mine = rc_value_obj_new(RC_MAP);
  for (size_t i = 0; i < rc_value_len(all); i++) {
    const char *k = rc_value_key(all, i);
    const struct rc_value *v = rc_value_index(all, i);
    const struct rc_value *d = ctx->default_tags ? rc_value_get(ctx->default_tags, k) : NULL;
    if (d && rc_value_equal(d, v)) continue;
    rc_value_obj_put(mine, k, rc_value_incref(v));
  }
  rc_value_obj_put(state, "tags", mine);
  rc_value_obj_put(state, "tags_all", all);
}

void rc_res_ec2_tag_spec(const struct rc_rctx *ctx, struct rc_value *params, int n,
                         const char *resource_type, const struct rc_value *cfg)
{
  struct rc_value *tags = rc_res_birth_tags(ctx, cfg);
  rc_aws_param_tag_spec(params, n, resource_type, tags);
  rc_value_decref(tags);
}

int rc_res_ec2_tag_filters(const struct rc_rctx *ctx, struct rc_value *params, int n)
{
  char *enc = rc_res_address_encode(ctx->address);
  rc_aws_paramf(params, "tag:" RC_TAG_STACK, "Filter.%d.Name", n);
  rc_aws_paramf(params, ctx->stack, "Filter.%d.Value.1", n);
  rc_aws_paramf(params, "tag:" RC_TAG_ADDRESS, "Filter.%d.Name", n + 1);
  rc_aws_paramf(params, enc, "Filter.%d.Value.1", n + 1);
  rc_free(enc);
  return n + 2;
}

rc_status rc_res_ec2_update_tags(struct rc_rctx *ctx, const char *id,
                                 const struct rc_value *old_tags,
                                 const struct rc_value *new_tags, struct rc_error *err)
{
  struct rc_value *add = rc_value_obj_new(RC_OBJECT), *del = rc_value_obj_new(RC_OBJECT);
  int na = 0, nd = 0;
  rc_aws_param(add, "ResourceId.1", id);
  rc_aws_param(del, "ResourceId.1", id);
  for (size_t i = 0; new_tags && i < rc_value_len(new_tags); i++) {
    const char *k = rc_value_key(new_tags, i);
    const struct rc_value *v = rc_value_index(new_tags, i);
    const struct rc_value *o = old_tags ? rc_value_get(old_tags, k) : NULL;
    if (o && rc_value_equal(o, v)) continue;
    na++;
    rc_aws_paramf(add, k, "Tag.%d.Key", na);
    rc_aws_paramf(add, rc_value_str(v) ? rc_value_str(v) : "", "Tag.%d.Value", na);
  }
  for (size_t i = 0; old_tags && i < rc_value_len(old_tags); i++) {
    const char *k = rc_value_key(old_tags, i);
    if (new_tags && rc_value_get(new_tags, k)) continue;
    nd++;
    rc_aws_paramf(del, k, "Tag.%d.Key", nd);
  }
  rc_status st = RC_OK;
  struct rc_value *out = NULL;
  if (nd) st = rc_aws_call(ctx->aws, "ec2", "DeleteTags", del, &out, err);
  rc_value_decref(out);
  out = NULL;
  if (!st && na) st = rc_aws_call(ctx->aws, "ec2", "CreateTags", add, &out, err);
  rc_value_decref(out);
  rc_value_decref(add);
  rc_value_decref(del);
  return st;
}

struct rc_value *rc_res_ec2_tags(const struct rc_value *item)
{
  return rc_aws_tags_to_object(rc_aws_list(item, "tagSet"));
}

int rc_res_timeout(const struct rc_rctx *ctx, const char *op, int dflt_seconds)
{
  const char *s = ctx->timeouts ? rc_res_str(ctx->timeouts, op) : NULL;
  if (!s || !*s) return dflt_seconds;
  double total = 0;
  const char *p = s;
  while (*p) {
    char *end;
    double n = strtod(p, &end);
    if (end == p) return dflt_seconds;
    switch (*end) {
    case 'h': total += n * 3600; break;
    case 'm': total += n * 60; break;
    case 's': total += n; break;
    default: return dflt_seconds;
    }
    p = end + 1;
  }
  return total > 0 ? (int)total : dflt_seconds;
}

int64_t rc_res_now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

rc_status rc_res_sleep(const struct rc_rctx *ctx, int ms)
{
  while (ms > 0) {
    if (ctx->cancel && *ctx->cancel) return RC_CANCELLED;
    int step = ms > 100 ? 100 : ms;
    struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)step * 1000000L};
    nanosleep(&ts, NULL);
    ms -= step;
  }
  return (ctx->cancel && *ctx->cancel) ? RC_CANCELLED : RC_OK;
}

rc_status rc_res_poll(struct rc_rctx *ctx, const char *what, int timeout_s, int interval_ms,
                      rc_res_poll_fn fn, void *ud, struct rc_error *err)
{
  int64_t deadline = rc_res_now_ms() + (int64_t)timeout_s * 1000;
  char seen[256] = "";
  for (;;) {
    struct rc_error e = {0};
    rc_status st = fn(ctx, ud, seen, sizeof seen, &e);
    if (st != RC_NOT_READY) {
      if (st && err && err->code == RC_OK) *err = e;
      return st;
    }
    if (rc_res_now_ms() >= deadline)
      return rc_error_set(err, RC_TIMEOUT, "timeout after %ds waiting for %s (last state: %s)",
                          timeout_s, what, seen[0] ? seen : "unknown");
    st = rc_res_sleep(ctx, interval_ms);
    if (st) return rc_error_set(err, st, "cancelled while waiting for %s", what);
  }
}

rc_status rc_res_read_one_ud(struct rc_rctx *ctx, rc_res_read_many_ud_fn read_many,
                             const void *ud, const char *id, const struct rc_value *prior,
                             int wait_s, const char *what, struct rc_value **out,
                             struct rc_error *err)
{
  int64_t deadline = rc_res_now_ms() + (int64_t)wait_s * 1000;
  *out = NULL;
  for (;;) {
    struct rc_read_item it = {.address = ctx->address, .id = id, .prior = prior};
    rc_status st = read_many(ctx, ud, &it, 1);
    if (st) {
      if (err && err->code == RC_OK) *err = it.err;
      return st;
    }
    if (it.out) {
      *out = it.out;
      return RC_OK;
    }
    if (rc_res_now_ms() >= deadline)
      return rc_error_set(err, RC_NOT_FOUND, "%s %s not found", what, id ? id : "");
    if (rc_res_sleep(ctx, 500)) return rc_error_set(err, RC_CANCELLED, "cancelled");
  }
}

struct plain_read {
  rc_res_read_many_fn fn;
};

static rc_status plain_read_many(struct rc_rctx *ctx, const void *ud,
                                 struct rc_read_item *items, size_t n)
{
  return ((const struct plain_read *)ud)->fn(ctx, items, n);
}

rc_status rc_res_read_one(struct rc_rctx *ctx, rc_res_read_many_fn read_many,
                          const char *id, const struct rc_value *prior, int wait_s,
                          const char *what, struct rc_value **out, struct rc_error *err)
{
  struct plain_read pr = {read_many};
  return rc_res_read_one_ud(ctx, plain_read_many, &pr, id, prior, wait_s, what, out, err);
}

rc_status rc_res_call_each(struct rc_rctx *ctx, const char *service, const char *op,
                           size_t n, rc_res_params_fn params, rc_res_answer_fn answer,
                           void *ud, struct rc_error *err)
{
  struct rc_aws_req *reqs = rc_calloc(n ? n : 1, sizeof *reqs);
  size_t *idx = rc_calloc(n ? n : 1, sizeof *idx);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    struct rc_value *p = params(ud, i);
    if (!p) continue;
    reqs[m] = (struct rc_aws_req){.service = service, .op = op, .params = p};
    idx[m++] = i;
  }
  rc_aws_call_many(ctx->aws, reqs, m);
  rc_status st = RC_OK;
  for (size_t k = 0; k < m; k++) {
    rc_status s = answer(ud, idx[k], &reqs[k]);
    if (s && !st) {
      st = s;
      if (err) *err = reqs[k].err;
    }
    rc_value_decref(reqs[k].out);
    rc_value_decref((struct rc_value *)reqs[k].params);
  }
  rc_free(idx);
  rc_free(reqs);
  return st;
}

struct each_read {
  struct rc_rctx *ctx;
  const struct rc_res_read_each *how;
  void *ud;
  struct rc_read_item *items;
};

static struct rc_value *each_params(void *ud, size_t i)
{
  struct each_read *r = ud;
  return r->how->params(r->ud, &r->items[i]);
}

static rc_status each_answer(void *ud, size_t i, const struct rc_aws_req *req)
{
  struct each_read *r = ud;
  struct rc_read_item *it = &r->items[i];
  if (req->status == RC_OK) {
    it->out = r->how->state(r->ctx, r->ud, it, req->out);
  } else if (!(r->how->gone ? r->how->gone(req) : req->status == RC_NOT_FOUND)) {
    it->status = req->status;
    it->err = req->err;
  }
  return it->status;
}

rc_status rc_res_read_each(struct rc_rctx *ctx, const struct rc_res_read_each *how,
                           void *ud, struct rc_read_item *items, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    items[i].out = NULL;
    items[i].status = RC_OK;
  }
  struct each_read r = {.ctx = ctx, .how = how, .ud = ud, .items = items};
  return rc_res_call_each(ctx, how->service, how->op, n, each_params, each_answer, &r,
                          NULL);
}

static bool matches_any(const struct rc_error *e, const char *const *retry_on)
{
  for (const char *const *r = retry_on; r && *r; r++)
    if (strstr(e->aws_code, *r) || strstr(e->msg, *r)) return true;
  return false;
}

rc_status rc_res_call_retry(struct rc_rctx *ctx, const char *service, const char *op,
                            const struct rc_value *params, const struct rc_res_retry *how,
                            struct rc_value **out, struct rc_error *err)
{
  int64_t deadline = rc_res_now_ms() + (int64_t)how->timeout_s * 1000;
  int delay = 250;
  for (;;) {
    struct rc_error e = {0};
    struct rc_value *ans = NULL;
    rc_status st = rc_aws_call(ctx->aws, service, op, params, &ans, &e);
    if (st == RC_OK) {
      if (out)
        *out = ans;
      else
        rc_value_decref(ans);
      return RC_OK;
    }
    rc_value_decref(ans);
    bool again = (how->not_found && st == RC_NOT_FOUND) || matches_any(&e, how->on);
    if (!again || rc_res_now_ms() + delay >= deadline) {
      if (err && err->code == RC_OK) *err = e;
      return st;
    }
    if (rc_res_sleep(ctx, delay)) {
      if (err && err->code == RC_OK) *err = e;
      return RC_CANCELLED;
    }
    delay = delay * 2 > how->max_delay_ms ? how->max_delay_ms : delay * 2;
  }
}

rc_status rc_res_call_retrying(struct rc_rctx *ctx, const char *service, const char *op,
                               const struct rc_value *params, const char *const *retry_on,
                               int timeout_s, struct rc_value **out, struct rc_error *err)
{
  const struct rc_res_retry how = {
      .on = retry_on, .not_found = true, .max_delay_ms = 5000, .timeout_s = timeout_s};
  *out = NULL;
  return rc_res_call_retry(ctx, service, op, params, &how, out, err);
}
