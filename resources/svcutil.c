#include "svcutil.h"

#include <stdlib.h>
#include <string.h>

#include "aws/sigv4.h"
#include "rc_alloc.h"
#include "rc_buf.h"

void rc_svcu_put_str(struct rc_value *o, const char *key, const char *s)
{
  rc_value_obj_put(o, key, s && *s ? rc_value_string(s) : rc_value_null());
}

int64_t rc_svcu_int(const struct rc_value *v, int64_t dflt)
{
  if (!v || rc_value_is_null(v)) return dflt;
  if (rc_value_kind(v) == RC_NUMBER) return rc_value_int_get(v);
  const char *s = rc_value_str(v);
  if (!s || !*s) return dflt;
  char *end;
  long long n = strtoll(s, &end, 10);
  return *end ? dflt : n;
}

void rc_svcu_put_int(struct rc_value *o, const char *key, const struct rc_value *v)
{
  if (v && rc_value_kind(v) == RC_NUMBER) {
    rc_value_obj_put(o, key, rc_value_incref(v));
    return;
  }
  const char *s = v ? rc_value_str(v) : NULL;
  if (s && *s) {
    char *end;
    long long n = strtoll(s, &end, 10);
    if (*end == '\0') {
      rc_value_obj_put(o, key, rc_value_int(n));
      return;
    }
  }
  rc_value_obj_put(o, key, rc_value_null());
}

void rc_svcu_put_bool(struct rc_value *o, const char *key, const struct rc_value *v, bool dflt)
{
  bool b = dflt;
  if (v && rc_value_kind(v) == RC_BOOL)
    b = rc_value_bool_get(v);
  else if (v && rc_value_str(v))
    b = strcmp(rc_value_str(v), "true") == 0;
  rc_value_obj_put(o, key, rc_value_bool(b));
}

void rc_svcu_carry(struct rc_value *o, const struct rc_value *prior, const char *key)
{
  const struct rc_value *v = prior ? rc_value_get(prior, key) : NULL;
  rc_value_obj_put(o, key, v && rc_value_is_known(v) ? rc_value_incref(v) : rc_value_null());
}

static struct rc_value *str_seq(const struct rc_value *seq, enum rc_kind kind)
{
  struct rc_value *s = rc_value_seq_new(kind);
  for (size_t i = 0; seq && rc_value_is_seq(seq) && i < rc_value_len(seq); i++) {
    const struct rc_value *e = rc_value_index(seq, i);
    if (rc_value_str(e)) rc_value_seq_push(s, rc_value_incref(e));
  }
  return rc_value_seq_seal(s);
}

struct rc_value *rc_svcu_str_set(const struct rc_value *seq)
{
  return str_seq(seq, RC_SET);
}

struct rc_value *rc_svcu_str_list(const struct rc_value *seq)
{
  return str_seq(seq, RC_LIST);
}

rc_status rc_svcu_call(struct rc_rctx *ctx, const char *service, const char *op,
                       const struct rc_value *params, struct rc_error *err)
{
  struct rc_value *out = NULL;
  rc_status st = rc_aws_call(ctx->aws, service, op, params, &out, err);
  rc_value_decref(out);
  return st;
}

rc_status rc_svcu_call_retrying(struct rc_rctx *ctx, const char *service, const char *op,
                                const struct rc_value *params, const char *const *retry_on,
                                int timeout_s, struct rc_value **out, struct rc_error *err)
{
  const struct rc_res_retry how = {
      .on = retry_on, .not_found = false, .max_delay_ms = 3000, .timeout_s = timeout_s};
  return rc_res_call_retry(ctx, service, op, params, &how, out, err);
}

char *rc_svcu_token(const struct rc_rctx *ctx, const char *salt, size_t maxlen)
{
  char *in = rc_asprintf("%s|%s", ctx->idempotency_seed ? ctx->idempotency_seed : "",
                         salt ? salt : "");
  char hex[65];
  rc_sigv4_sha256_hex(in, strlen(in), hex);
  rc_free(in);
  if (maxlen > 64) maxlen = 64;
  return rc_strndup(hex, maxlen);
}

char *rc_svcu_name(const struct rc_rctx *ctx, const struct rc_value *cfg, size_t maxlen)
{
  const char *n = rc_res_str(cfg, "name");
  if (n && *n) return rc_strdup(n);
  const char *p = rc_res_str(cfg, "name_prefix");
  if (!p) p = "terraform-";
  size_t pl = strlen(p);
  size_t room = maxlen > pl ? maxlen - pl : 0;
  if (room > 26) room = 26; /* the provider's unique suffix length */
  char *tok = rc_svcu_token(ctx, "name", room);
  char *r = rc_asprintf("%s%s", p, tok);
  rc_free(tok);
  return r;
}

/* ---------------- JSON ---------------- */

char *rc_svcu_json_canon(const char *text)
{
  if (!text) return NULL;
  struct rc_value *v = rc_value_parse_json(text, strlen(text), NULL);
  if (!v) return NULL;
  char *s = rc_value_dump_json(v); /* objects keep their keys sorted */
  rc_value_decref(v);
  return s;
}

struct rc_value *rc_svcu_norm_json(const struct rc_value *v)
{
  const char *s = rc_value_str(v);
  char *c = s ? rc_svcu_json_canon(s) : NULL;
  return c ? rc_value_string_steal(c) : NULL;
}

/* a string or a sequence of strings (or other scalars) as a sorted, unique
 * sequence; one element collapses to itself */
static struct rc_value *value_set(const struct rc_value *v)
{
  if (!rc_value_is_seq(v)) return rc_value_incref(v);
  struct rc_value *s = rc_value_seq_new(RC_SET);
  for (size_t i = 0; i < rc_value_len(v); i++)
    rc_value_seq_push(s, rc_value_incref(rc_value_index(v, i)));
  rc_value_seq_seal(s);
  if (rc_value_len(s) == 1) {
    struct rc_value *one = rc_value_incref(rc_value_index(s, 0));
    rc_value_decref(s);
    return one;
  }
  struct rc_value *t = rc_value_seq_new(RC_TUPLE); /* dump as a JSON array */
  for (size_t i = 0; i < rc_value_len(s); i++)
    rc_value_seq_push(t, rc_value_incref(rc_value_index(s, i)));
  rc_value_decref(s);
  return t;
}

/* {k: value-or-list} with every value as a set */
static struct rc_value *map_of_sets(const struct rc_value *m)
{
  if (!rc_value_is_obj(m)) return value_set(m);
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  for (size_t i = 0; i < rc_value_len(m); i++)
    rc_value_obj_put(o, rc_value_key(m, i), value_set(rc_value_index(m, i)));
  return o;
}

static struct rc_value *norm_principal(const struct rc_value *p)
{
  const char *s = rc_value_str(p);
  if (s && strcmp(s, "*") == 0) {
    struct rc_value *o = rc_value_obj_new(RC_OBJECT);
    rc_value_obj_put(o, "AWS", rc_value_string("*"));
    return o;
  }
  return map_of_sets(p);
}

static struct rc_value *norm_statement(const struct rc_value *st)
{
  if (!rc_value_is_obj(st)) return rc_value_incref(st);
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  for (size_t i = 0; i < rc_value_len(st); i++) {
    const char *k = rc_value_key(st, i);
    const struct rc_value *v = rc_value_index(st, i);
    struct rc_value *n;
    if (rc_value_is_null(v)) continue;
    if (strcmp(k, "Sid") == 0 && rc_value_str(v) && !rc_value_str(v)[0]) continue;
    if (strcmp(k, "Action") == 0 || strcmp(k, "NotAction") == 0 ||
        strcmp(k, "Resource") == 0 || strcmp(k, "NotResource") == 0)
      n = value_set(v);
    else if (strcmp(k, "Principal") == 0 || strcmp(k, "NotPrincipal") == 0)
      n = norm_principal(v);
    else if (strcmp(k, "Condition") == 0 && rc_value_is_obj(v)) {
      n = rc_value_obj_new(RC_OBJECT);
      for (size_t j = 0; j < rc_value_len(v); j++)
        rc_value_obj_put(n, rc_value_key(v, j), map_of_sets(rc_value_index(v, j)));
    } else
      n = rc_value_incref(v);
    rc_value_obj_put(o, k, n);
  }
  return o;
}

static int cmp_dump(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

char *rc_svcu_policy_canon(const char *text)
{
  if (!text) return NULL;
  struct rc_value *v = rc_value_parse_json(text, strlen(text), NULL);
  if (!v) return NULL;
  if (!rc_value_is_obj(v)) {
    char *s = rc_value_dump_json(v);
    rc_value_decref(v);
    return s;
  }
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  for (size_t i = 0; i < rc_value_len(v); i++) {
    const char *k = rc_value_key(v, i);
    const struct rc_value *e = rc_value_index(v, i);
    if (strcmp(k, "Statement") != 0) {
      rc_value_obj_put(o, k, rc_value_incref(e));
      continue;
    }
    size_t n = rc_value_is_seq(e) ? rc_value_len(e) : 1;
    char **dumps = rc_calloc(n ? n : 1, sizeof *dumps);
    for (size_t j = 0; j < n; j++) {
      struct rc_value *s = norm_statement(rc_value_is_seq(e) ? rc_value_index(e, j) : e);
      dumps[j] = rc_value_dump_json(s);
      rc_value_decref(s);
    }
    qsort(dumps, n, sizeof *dumps, cmp_dump);
    struct rc_value *list = rc_value_seq_new(RC_TUPLE);
    for (size_t j = 0; j < n; j++) {
      rc_value_seq_push(list, rc_value_parse_json(dumps[j], strlen(dumps[j]), NULL));
      rc_free(dumps[j]);
    }
    rc_free(dumps);
    rc_value_obj_put(o, k, list);
  }
  char *s = rc_value_dump_json(o);
  rc_value_decref(o);
  rc_value_decref(v);
  return s;
}

struct rc_value *rc_svcu_norm_policy(const struct rc_value *v)
{
  const char *s = rc_value_str(v);
  char *c = s ? rc_svcu_policy_canon(s) : NULL;
  return c ? rc_value_string_steal(c) : NULL;
}

static int hexv(char c)
{
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char *rc_svcu_url_decode(const char *s)
{
  if (!s) return NULL;
  struct rc_buf b;
  rc_buf_init(&b, 0);
  for (; *s; s++) {
    int h, l;
    if (*s == '%' && (h = hexv(s[1])) >= 0 && (l = hexv(s[2])) >= 0) {
      rc_buf_putc(&b, (char)(h * 16 + l));
      s += 2;
    } else {
      rc_buf_putc(&b, *s);
    }
  }
  return rc_buf_detach(&b);
}

/* ---------------- tags ---------------- */

void rc_svcu_query_tags(struct rc_value *params, const char *prefix, const struct rc_value *tags)
{
  int n = 0;
  for (size_t i = 0; tags && rc_value_is_obj(tags) && i < rc_value_len(tags); i++) {
    const struct rc_value *v = rc_value_index(tags, i);
    if (rc_value_is_null(v)) continue;
    n++;
    rc_aws_paramf(params, rc_value_key(tags, i), "%s.member.%d.Key", prefix, n);
    rc_aws_paramf(params, rc_value_str(v) ? rc_value_str(v) : "", "%s.member.%d.Value", prefix,
                  n);
  }
}

struct rc_value *rc_svcu_json_tags(const struct rc_value *tags, const char *kkey,
                                   const char *vkey)
{
  struct rc_value *l = rc_value_seq_new(RC_TUPLE);
  for (size_t i = 0; tags && rc_value_is_obj(tags) && i < rc_value_len(tags); i++) {
    const struct rc_value *v = rc_value_index(tags, i);
    if (rc_value_is_null(v)) continue;
    struct rc_value *t = rc_value_obj_new(RC_OBJECT);
    rc_value_obj_put(t, kkey, rc_value_string(rc_value_key(tags, i)));
    rc_value_obj_put(t, vkey, rc_value_string(rc_value_str(v) ? rc_value_str(v) : ""));
    rc_value_seq_push(l, t);
  }
  return l;
}

struct rc_value *rc_svcu_tag_map(const struct rc_value *tags)
{
  struct rc_value *m = rc_value_obj_new(RC_OBJECT);
  for (size_t i = 0; tags && rc_value_is_obj(tags) && i < rc_value_len(tags); i++) {
    const struct rc_value *v = rc_value_index(tags, i);
    if (!rc_value_is_null(v)) rc_value_obj_put(m, rc_value_key(tags, i), rc_value_unmark(v));
  }
  return m;
}

void rc_svcu_tags_diff(const struct rc_value *old_tags, const struct rc_value *new_tags,
                       struct rc_value **add, struct rc_value **del)
{
  *add = rc_value_obj_new(RC_OBJECT);
  *del = rc_value_seq_new(RC_TUPLE);
  for (size_t i = 0; new_tags && i < rc_value_len(new_tags); i++) {
    const char *k = rc_value_key(new_tags, i);
    const struct rc_value *v = rc_value_index(new_tags, i);
    const struct rc_value *o = old_tags ? rc_value_get(old_tags, k) : NULL;
    if (o && rc_value_equal(o, v)) continue;
    rc_value_obj_put(*add, k, rc_value_unmark(v));
  }
  for (size_t i = 0; old_tags && i < rc_value_len(old_tags); i++) {
    const char *k = rc_value_key(old_tags, i);
    if (new_tags && rc_value_get(new_tags, k)) continue;
    rc_value_seq_push(*del, rc_value_string(k));
  }
}

/* TagResource / UntagResource for the difference of tags_all (ECS shapes) */
rc_status rc_svcu_ecs_update_tags(struct rc_rctx *ctx, const char *arn,
                                const struct rc_value *prior, const struct rc_value *config,
                                struct rc_error *err)
{
  struct rc_value *want = rc_res_tags_all(ctx, config), *add, *del;
  rc_svcu_tags_diff(rc_value_get(prior, "tags_all"), want, &add, &del);
  rc_status st = RC_OK;
  if (rc_value_len(del)) {
    struct rc_value *p = rc_value_obj_new(RC_OBJECT);
    rc_value_obj_put(p, "resourceArn", rc_value_string(arn));
    rc_value_obj_put(p, "tagKeys", rc_value_incref(del));
    st = rc_svcu_call(ctx, "ecs", "UntagResource", p, err);
    rc_value_decref(p);
  }
  if (!st && rc_value_len(add)) {
    struct rc_value *p = rc_value_obj_new(RC_OBJECT);
    rc_value_obj_put(p, "resourceArn", rc_value_string(arn));
    rc_value_obj_put(p, "tags", rc_svcu_json_tags(add, "key", "value"));
    st = rc_svcu_call(ctx, "ecs", "TagResource", p, err);
    rc_value_decref(p);
  }
  rc_value_decref(add);
  rc_value_decref(del);
  rc_value_decref(want);
  return st;
}

/* ---------------- IAM ---------------- */

struct rc_value *rc_svcu_iam_role_state(struct rc_rctx *ctx, const struct rc_value *r,
                                        const struct rc_value *prior)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  const char *name = rc_aws_str(r, "RoleName");
  rc_svcu_put_str(o, "id", name);
  rc_svcu_put_str(o, "name", name);
  rc_svcu_put_str(o, "arn", rc_aws_str(r, "Arn"));
  rc_svcu_put_str(o, "unique_id", rc_aws_str(r, "RoleId"));
  rc_svcu_put_str(o, "create_date", rc_aws_str(r, "CreateDate"));
  rc_svcu_put_str(o, "path", rc_aws_str(r, "Path"));
  char *doc = rc_svcu_url_decode(rc_aws_str(r, "AssumeRolePolicyDocument"));
  rc_svcu_put_str(o, "assume_role_policy", doc);
  rc_free(doc);
  rc_svcu_put_str(o, "description", rc_aws_str(r, "Description"));
  const struct rc_value *ms = rc_value_get(r, "MaxSessionDuration");
  rc_value_obj_put(o, "max_session_duration", rc_value_int(rc_svcu_int(ms, 3600)));
  const struct rc_value *pb = rc_value_get(r, "PermissionsBoundary");
  rc_svcu_put_str(o, "permissions_boundary", pb ? rc_aws_str(pb, "PermissionsBoundaryArn") : NULL);
  rc_svcu_carry(o, prior, "name_prefix");
  const struct rc_value *fd = prior ? rc_value_get(prior, "force_detach_policies") : NULL;
  rc_svcu_put_bool(o, "force_detach_policies", fd, false);
  struct rc_value *tags = rc_aws_tags_to_object(rc_aws_list(r, "Tags"));
  rc_res_put_tags(ctx, o, tags);
  rc_value_decref(tags);
  return o;
}
