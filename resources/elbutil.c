#include "elbutil.h"

#include <stdio.h>
#include <string.h>

#include "rc_alloc.h"

/* ---------------- small helpers ---------------- */

struct rc_value *rc_elbu_istr(int64_t v)
{
  char b[32];
  snprintf(b, sizeof b, "%lld", (long long)v);
  return rc_value_string(b);
}

bool rc_elbu_same(const char *a, const char *b)
{
  if (!a || !*a) return !b || !*b;
  return b && strcmp(a, b) == 0;
}

struct rc_value *rc_elbu_attrs(const struct rc_value *list)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  for (size_t i = 0; list && rc_value_is_seq(list) && i < rc_value_len(list); i++) {
    const struct rc_value *e = rc_value_index(list, i);
    const char *k = rc_aws_str(e, "Key"), *v = rc_aws_str(e, "Value");
    if (k) rc_value_obj_put(o, k, rc_value_string(v ? v : ""));
  }
  return o;
}

void rc_elbu_attr_params(struct rc_value *params, const struct rc_value *attrs)
{
  for (size_t i = 0; attrs && i < rc_value_len(attrs); i++) {
    const char *v = rc_value_str(rc_value_index(attrs, i));
    rc_aws_paramf(params, rc_value_key(attrs, i), "Attributes.member.%zu.Key", i + 1);
    rc_aws_paramf(params, v ? v : "", "Attributes.member.%zu.Value", i + 1);
  }
}

char *rc_elbu_name(const struct rc_rctx *ctx, const struct rc_value *cfg, const char *dflt_prefix)
{
  const char *n = rc_res_str(cfg, "name");
  if (n && *n) return rc_strdup(n);
  const char *p = rc_res_str(cfg, "name_prefix");
  if (!p || !*p) p = dflt_prefix;
  size_t pl = strlen(p);
  size_t room = pl < 32 ? 32 - pl : 0;
  if (room > 26) room = 26;
  char *tok = rc_svcu_token(ctx, "name", room);
  char *r = rc_asprintf("%s%s", p, tok);
  rc_free(tok);
  return r;
}

bool rc_elbu_ours(const struct rc_rctx *ctx, const struct rc_value *tags)
{
  char *enc = rc_res_address_encode(ctx->address);
  const char *s = tags ? rc_res_str(tags, RC_TAG_STACK) : NULL;
  const char *a = tags ? rc_res_str(tags, RC_TAG_ADDRESS) : NULL;
  bool yes = s && a && strcmp(s, ctx->stack) == 0 && strcmp(a, enc) == 0;
  rc_free(enc);
  return yes;
}

void rc_elbu_birth_tags(struct rc_rctx *ctx, struct rc_value *params, const struct rc_value *cfg)
{
  struct rc_value *tags = rc_res_birth_tags(ctx, cfg);
  rc_svcu_query_tags(params, "Tags", tags);
  rc_value_decref(tags);
}

rc_status rc_elbu_update_tags(struct rc_rctx *ctx, const char *arn, const struct rc_value *prior,
                              const struct rc_value *config, struct rc_error *err)
{
  struct rc_value *want = rc_res_tags_all(ctx, config), *add, *del;
  rc_svcu_tags_diff(rc_value_get(prior, "tags_all"), want, &add, &del);
  rc_status st = RC_OK;
  if (rc_value_len(del)) {
    struct rc_value *p = rc_value_obj_new(RC_OBJECT);
    rc_aws_param(p, "ResourceArns.member.1", arn);
    for (size_t i = 0; i < rc_value_len(del); i++)
      rc_aws_paramf(p, rc_value_str(rc_value_index(del, i)), "TagKeys.member.%zu", i + 1);
    st = rc_svcu_call(ctx, "elbv2", "RemoveTags", p, err);
    rc_value_decref(p);
  }
  if (!st && rc_value_len(add)) {
    struct rc_value *p = rc_value_obj_new(RC_OBJECT);
    rc_aws_param(p, "ResourceArns.member.1", arn);
    rc_svcu_query_tags(p, "Tags", add);
    st = rc_svcu_call(ctx, "elbv2", "AddTags", p, err);
    rc_value_decref(p);
  }
  rc_value_decref(add);
  rc_value_decref(del);
  rc_value_decref(want);
  return st;
}

/* ---------------- batched reads ---------------- */

static struct rc_value *arns_params(const char *key, const char *const *arns, size_t n)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  for (size_t i = 0; i < n; i++) rc_aws_paramf(p, arns[i], "%s.member.%zu", key, i + 1);
  return p;
}

/* objects of an answer into found (arn → object) */
static void collect(struct rc_value *found, const struct rc_value *ans, const char *list_key,
                    const char *arn_key)
{
  const struct rc_value *l = rc_aws_list(ans, list_key);
  for (size_t i = 0; i < rc_value_len(l); i++) {
    const struct rc_value *o = rc_value_index(l, i);
    const char *arn = rc_aws_str(o, arn_key);
    if (arn) rc_value_obj_put(found, arn, rc_value_incref(o));
  }
}

/* one ARN per call (batched's fallback): the objects into found */
struct one_each {
  const char *key, *list_key, *arn_key;
  const char *const *arns;
  struct rc_value *found;
};

static struct rc_value *one_params(void *ud, size_t i)
{
  const struct one_each *o = ud;
  return arns_params(o->key, o->arns + i, 1);
}

static rc_status one_answer(void *ud, size_t i, const struct rc_aws_req *r)
{
  const struct one_each *o = ud;
  if (r->status == RC_OK) collect(o->found, r->out, o->list_key, o->arn_key);
  return r->status == RC_NOT_FOUND ? RC_OK : r->status;
}

/* One op over arns in batches of 20; a batch answering NotFound is asked
 * again one ARN per call, concurrently, so one deleted object does not hide
 * the others. */
static rc_status batched(struct rc_rctx *ctx, const char *op, const char *key,
                         const char *list_key, const char *arn_key, const char *const *arns,
                         size_t n, struct rc_value *found, struct rc_error *err)
{
  for (size_t i = 0; i < n; i += RC_ELBU_BATCH) {
    size_t m = n - i < RC_ELBU_BATCH ? n - i : RC_ELBU_BATCH;
    struct rc_value *p = arns_params(key, arns + i, m), *ans = NULL;
    struct rc_error e = {0};
    rc_status st = rc_aws_call(ctx->aws, "elbv2", op, p, &ans, &e);
    rc_value_decref(p);
    if (st == RC_OK) {
      collect(found, ans, list_key, arn_key);
      rc_value_decref(ans);
      continue;
    }
    rc_value_decref(ans);
    if (st != RC_NOT_FOUND) {
      if (err) *err = e;
      return st;
    }
    if (m == 1) continue; /* gone */
    struct one_each o = {key, list_key, arn_key, arns + i, found};
    rc_status worst =
        rc_res_call_each(ctx, "elbv2", op, m, one_params, one_answer, &o, err);
    if (worst) return worst;
  }
  return RC_OK;
}

/* tags of arns: *tags an object arn → tags object */
static rc_status read_tags(struct rc_rctx *ctx, const char *const *arns, size_t n,
                           struct rc_value **tags, struct rc_error *err)
{
  struct rc_value *descs = rc_value_obj_new(RC_OBJECT);
  rc_status st = batched(ctx, "DescribeTags", "ResourceArns", "TagDescriptions", "ResourceArn",
                         arns, n, descs, err);
  *tags = rc_value_obj_new(RC_OBJECT);
  for (size_t i = 0; i < rc_value_len(descs); i++)
    rc_value_obj_put(*tags, rc_value_key(descs, i),
                     rc_aws_tags_to_object(rc_aws_list(rc_value_index(descs, i), "Tags")));
  rc_value_decref(descs);
  return st;
}

/* attribute reads: found's objects, attributes into attrs (arn → object) */
struct attr_each {
  const struct rc_elbu_kind *k;
  const struct rc_value *found;
  struct rc_value *attrs;
};

static struct rc_value *attr_params(void *ud, size_t i)
{
  const struct attr_each *a = ud;
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_aws_param(p, a->k->attr_param, rc_value_key(a->found, i));
  return p;
}

static rc_status attr_answer(void *ud, size_t i, const struct rc_aws_req *r)
{
  const struct attr_each *a = ud;
  if (r->status == RC_OK)
    rc_value_obj_put(a->attrs, rc_value_key(a->found, i),
                     rc_elbu_attrs(rc_aws_list(r->out, "Attributes")));
  return r->status == RC_NOT_FOUND ? RC_OK : r->status;
}

/* attributes of each found object, concurrently: *attrs arn → object; an
 * object deleted meanwhile is removed from found */
static rc_status read_attrs(struct rc_rctx *ctx, const struct rc_elbu_kind *k,
                            struct rc_value *found, struct rc_value **attrs, struct rc_error *err)
{
  *attrs = rc_value_obj_new(RC_OBJECT);
  size_t n = rc_value_len(found);
  if (!k->attr_op || n == 0) return RC_OK;
  struct attr_each a = {k, found, *attrs};
  return rc_res_call_each(ctx, "elbv2", k->attr_op, n, attr_params, attr_answer, &a, err);
}

rc_status rc_elbu_read_many(struct rc_rctx *ctx, const struct rc_elbu_kind *k,
                            struct rc_read_item *items, size_t n)
{
  const char **arns = rc_calloc(n ? n : 1, sizeof *arns);
  size_t na = 0;
  for (size_t i = 0; i < n; i++) {
    items[i].out = NULL;
    items[i].status = RC_OK;
    if (items[i].id && *items[i].id) arns[na++] = items[i].id;
  }
  struct rc_value *found = rc_value_obj_new(RC_OBJECT), *tags = NULL, *attrs = NULL;
  struct rc_error err = {0};
  rc_status st = batched(ctx, k->op, k->arn_param, k->list_key, k->arn_key, arns, na, found, &err);
  rc_free(arns);
  if (!st) {
    size_t nf = rc_value_len(found);
    const char **fa = rc_calloc(nf ? nf : 1, sizeof *fa);
    for (size_t i = 0; i < nf; i++) fa[i] = rc_value_key(found, i);
    st = read_tags(ctx, fa, nf, &tags, &err);
    rc_free(fa);
  }
  if (!st) st = read_attrs(ctx, k, found, &attrs, &err);
  for (size_t i = 0; i < n; i++) {
    struct rc_read_item *it = &items[i];
    if (st) {
      it->status = st;
      it->err = err;
      continue;
    }
    const struct rc_value *o = it->id ? rc_value_get(found, it->id) : NULL;
    if (!o) continue;
    const struct rc_value *a = k->attr_op ? rc_value_get(attrs, it->id) : NULL;
    if (k->attr_op && !a) continue; /* deleted between the calls */
    const struct rc_value *t = rc_value_get(tags, it->id);
    it->out = k->state(ctx, o, a, t, it->prior);
  }
  rc_value_decref(found);
  rc_value_decref(tags);
  rc_value_decref(attrs);
  return st;
}

static rc_status kind_read_many(struct rc_rctx *ctx, const void *k,
                                struct rc_read_item *items, size_t n)
{
  return rc_elbu_read_many(ctx, k, items, n);
}

rc_status rc_elbu_read_one(struct rc_rctx *ctx, const struct rc_elbu_kind *k, const char *arn,
                           const struct rc_value *prior, int wait_s, struct rc_value **out,
                           struct rc_error *err)
{
  return rc_res_read_one_ud(ctx, kind_read_many, k, arn, prior, wait_s, k->what, out,
                            err);
}

/* the full state of a candidate whose tags say it is ours, else NULL */
static rc_status adopt(struct rc_rctx *ctx, const struct rc_elbu_kind *k, const char *const *arns,
                       size_t n, const struct rc_value *config, struct rc_value **out,
                       struct rc_error *err)
{
  struct rc_value *tags = NULL;
  rc_status st = read_tags(ctx, arns, n, &tags, err);
  for (size_t i = 0; !st && i < n && !*out; i++)
    if (rc_elbu_ours(ctx, rc_value_get(tags, arns[i])))
      st = rc_elbu_read_one(ctx, k, arns[i], config, 0, out, err);
  rc_value_decref(tags);
  if (st == RC_NOT_FOUND) {
    rc_error_clear(err);
    st = RC_OK;
  }
  return st;
}

rc_status rc_elbu_find_by_name(struct rc_rctx *ctx, const struct rc_elbu_kind *k,
                               const char *name, const struct rc_value *config, bool strict,
                               struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *ans = NULL;
  rc_aws_param(p, "Names.member.1", name);
  rc_status st = rc_aws_call(ctx->aws, "elbv2", k->op, p, &ans, err);
  rc_value_decref(p);
  if (st == RC_NOT_FOUND) {
    rc_error_clear(err);
    rc_value_decref(ans);
    return RC_OK;
  }
  const struct rc_value *l = rc_aws_list(ans, k->list_key);
  const char *arn = rc_value_len(l) ? rc_aws_str(rc_value_index(l, 0), k->arn_key) : NULL;
  if (!st && arn) st = adopt(ctx, k, &arn, 1, config, out, err);
  if (!st && arn && !*out && strict)
    st = rc_error_set(err, RC_CONFLICT,
                      "a %s named %s already exists and is not %s of stack %s (its recon tags "
                      "differ); choose another name or import it",
                      k->what, name, ctx->address, ctx->stack);
  rc_value_decref(ans);
  return st;
}

rc_status rc_elbu_find_by_tags(struct rc_rctx *ctx, const struct rc_elbu_kind *k,
                               const char *parent_param, const char *parent_arn,
                               const struct rc_value *config, struct rc_value **out,
                               struct rc_error *err)
{
  *out = NULL;
  if (!parent_arn) return RC_OK;
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *list = NULL;
  rc_aws_param(p, parent_param, parent_arn);
  rc_status st = rc_aws_call_all(ctx->aws, "elbv2", k->op, p, k->list_key, &list, err);
  rc_value_decref(p);
  if (st == RC_NOT_FOUND) { /* the parent is gone: so is what it held */
    rc_error_clear(err);
    rc_value_decref(list);
    return RC_OK;
  }
  size_t n = rc_value_len(list);
  const char **arns = rc_calloc(n ? n : 1, sizeof *arns);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    const struct rc_value *o = rc_value_index(list, i);
    const char *a = rc_aws_str(o, k->arn_key);
    const char *isdef = rc_aws_str(o, "IsDefault");
    if (a && !(isdef && strcmp(isdef, "true") == 0)) arns[m++] = a;
  }
  for (size_t i = 0; !st && i < m && !*out; i += RC_ELBU_BATCH)
    st = adopt(ctx, k, arns + i, m - i < RC_ELBU_BATCH ? m - i : RC_ELBU_BATCH, config, out, err);
  rc_free(arns);
  rc_value_decref(list);
  return st;
}

/* ---------------- attributes mapped one to one ---------------- */

struct rc_value *rc_elbu_attr_dflt(const struct rc_attr *schema, const char *name)
{
  const struct rc_attr *a = rc_schema_attr(schema, name);
  if (!a || !a->default_json) return rc_value_null();
  struct rc_value *v = rc_value_parse_json(a->default_json, strlen(a->default_json), NULL);
  return v ? v : rc_value_null();
}

struct rc_value *rc_elbu_attr_from_wire(enum rc_elbu_akind k, const char *s)
{
  if (k == RC_ELBU_A_BOOL) return rc_value_bool(s && strcmp(s, "true") == 0);
  if (k == RC_ELBU_A_INT) {
    struct rc_value *tmp = rc_value_string(s ? s : ""), *o = rc_value_obj_new(RC_OBJECT);
    rc_svcu_put_int(o, "v", tmp);
    struct rc_value *r = rc_value_incref(rc_value_get(o, "v"));
    rc_value_decref(o);
    rc_value_decref(tmp);
    return r;
  }
  return s && *s ? rc_value_string(s) : rc_value_null();
}

void rc_elbu_attrs_state(struct rc_value *o, const struct rc_elbu_attr *table, unsigned bits,
                         const struct rc_attr *schema, const struct rc_value *attrs,
                         const struct rc_value *prior)
{
  for (const struct rc_elbu_attr *x = table; x->name; x++) {
    const char *s = (x->bits & bits) ? rc_res_str(attrs, x->key) : NULL;
    if (s) {
      rc_value_obj_put(o, x->name, rc_elbu_attr_from_wire(x->kind, s));
      continue;
    }
    /* not this variant's (the provider suppresses it) or not answered: as configured */
    const struct rc_value *pv = prior ? rc_value_get(prior, x->name) : NULL;
    rc_value_obj_put(o, x->name,
                     pv && rc_value_is_known(pv) && !rc_value_is_null(pv)
                         ? rc_value_incref(pv)
                         : rc_elbu_attr_dflt(schema, x->name));
  }
}
