/* eval_template — string templates (interpolation, %{if}, %{for}), for
 * expressions (tuple and object forms, if-filter, `...` grouping) and the
 * template engine behind templatefile(). */
#include <stdio.h>
#include <string.h>

#include "eval_int.h"
#include "rc_alloc.h"
#include "rc_buf.h"
#include "rc_limits.h"

/* --- iteration shared by %{for} and for expressions --- */

struct iter {
  const struct rc_value *coll;
  size_t i, n;
  bool keyed; /* map/object: keys are strings */
};

/* Checks the collection; returns 1 to iterate, 0 for unknown (result is
 * unknown), -1 after an error. */
static int iter_start(struct rc_ev *ev, struct iter *it, const struct rc_value *coll,
                      const struct rc_range *range)
{
  memset(it, 0, sizeof *it);
  if (!rc_value_is_known(coll)) return 0;
  if (rc_value_is_null(coll)) {
    rc_diags_add(ev->ds, RC_DIAG_ERROR, range, "Iteration over null value",
                 "A null value cannot be used as the collection in a 'for' expression.");
    return -1;
  }
  if (!rc_value_is_seq(coll) && !rc_value_is_obj(coll)) {
    rc_diags_add(ev->ds, RC_DIAG_ERROR, range, "Iteration over non-iterable value",
                 "A value of type %s cannot be used as the collection in a 'for' expression.",
                 rc_value_kind_name(rc_value_kind(coll)));
    return -1;
  }
  it->coll = coll;
  it->n = rc_value_len(coll);
  it->keyed = rc_value_is_obj(coll);
  return 1;
}

/* The key and value of element i (new references). */
static void iter_kv(const struct iter *it, size_t i, struct rc_value **k, struct rc_value **v)
{
  bool sens = rc_value_is_sensitive(it->coll);
  const struct rc_value *val = rc_value_index(it->coll, i);
  *v = rc_eval__mark(rc_value_incref(val), sens);
  if (it->keyed)
    *k = rc_value_string(rc_value_key(it->coll, i));
  else if (rc_value_kind(it->coll) == RC_SET)
    *k = rc_value_incref(*v);
  else
    *k = rc_value_int((int64_t)i);
}

/* --- templates --- */

/* Appends one interpolated value; sets *unknown / *sens. false after an error. */
static bool append_part(struct rc_ev *ev, struct rc_buf *out, const struct rc_expr *part,
                        struct rc_value *v, bool *unknown, bool *sens)
{
  *sens |= rc_value_has_sensitive(v);
  if (!rc_value_is_known(v)) {
    *unknown = true;
    return true;
  }
  if (rc_value_is_null(v)) {
    rc_diags_add(ev->ds, RC_DIAG_ERROR, &part->range, "Invalid template interpolation value",
                 "The expression result is null. Cannot include a null value in a string "
                 "template.");
    return false;
  }
  struct rc_value *s = rc_eval__to_string(v);
  if (!s) {
    rc_diags_add(ev->ds, RC_DIAG_ERROR, &part->range, "Invalid template interpolation value",
                 "Cannot include the given value in a string template: string required, but "
                 "have %s.",
                 rc_value_kind_name(rc_value_kind(v)));
    return false;
  }
  if (!*unknown && rc_buf_append(out, rc_value_str(s), rc_value_strlen(s)) != RC_OK) {
    rc_value_decref(s);
    rc_diags_add(ev->ds, RC_DIAG_ERROR, &part->range, "Template result too long",
                 "The template produced a string longer than the buffer limit.");
    return false;
  }
  rc_value_decref(s);
  return true;
}

static struct rc_value *eval_parts(struct rc_ev *ev, const struct rc_expr *e);

static struct rc_value *eval_tmpl_if(struct rc_ev *ev, const struct rc_expr *e)
{
  struct rc_value *c = rc_eval__expr(ev, e->u.tmpl_if.cond, NULL);
  if (!c) return NULL;
  bool sens = rc_value_is_sensitive(c);
  if (!rc_value_is_known(c)) {
    rc_value_decref(c);
    return rc_eval__mark(rc_value_unknown(), sens);
  }
  struct rc_value *b = rc_value_is_null(c) ? NULL : rc_eval__to_bool(c);
  rc_value_decref(c);
  if (!b) {
    rc_diags_add(ev->ds, RC_DIAG_ERROR, &e->u.tmpl_if.cond->range, "Invalid 'if' condition",
                 "The 'if' condition must be a bool value.");
    return NULL;
  }
  bool which = rc_value_bool_get(b);
  rc_value_decref(b);
  const struct rc_expr *part = which ? e->u.tmpl_if.then_part : e->u.tmpl_if.else_part;
  if (!part) return rc_eval__mark(rc_value_string(""), sens);
  return rc_eval__mark(eval_parts(ev, part), sens);
}

static struct rc_value *eval_tmpl_for(struct rc_ev *ev, const struct rc_expr *e)
{
  struct rc_value *coll = rc_eval__expr(ev, e->u.tmpl_for.coll, NULL);
  if (!coll) return NULL;
  struct iter it;
  int st = iter_start(ev, &it, coll, &e->u.tmpl_for.coll->range);
  if (st <= 0) {
    bool sens = rc_value_is_sensitive(coll);
    rc_value_decref(coll);
    return st == 0 ? rc_eval__mark(rc_value_unknown(), sens) : NULL;
  }
  struct rc_buf out;
  rc_buf_init(&out, 0);
  bool unknown = false, sens = rc_value_is_sensitive(coll), ok = true;
  for (size_t i = 0; i < it.n && ok; i++) {
    struct rc_value *k, *v;
    iter_kv(&it, i, &k, &v);
    struct rc_value *r = rc_eval__bound(ev, e->u.tmpl_for.body, e->u.tmpl_for.key_var, k,
                                        e->u.tmpl_for.val_var, v);
    if (!r || !append_part(ev, &out, e->u.tmpl_for.body, r, &unknown, &sens)) ok = false;
    rc_value_decref(r);
    rc_value_decref(k);
    rc_value_decref(v);
  }
  rc_value_decref(coll);
  struct rc_value *res = NULL;
  if (ok) res = rc_eval__mark(unknown ? rc_value_unknown() : rc_value_string_n(out.ptr, out.len), sens);
  rc_buf_free(&out);
  return res;
}

/* A TEMPLATE node always as a string (or unknown). */
static struct rc_value *eval_parts(struct rc_ev *ev, const struct rc_expr *e)
{
  if (e->kind != RC_E_TEMPLATE) {
    struct rc_value *v = rc_eval__expr(ev, e, NULL);
    if (!v) return NULL;
    struct rc_buf out;
    rc_buf_init(&out, 0);
    bool unknown = false, sens = false;
    struct rc_value *r = NULL;
    if (append_part(ev, &out, e, v, &unknown, &sens))
      r = rc_eval__mark(unknown ? rc_value_unknown() : rc_value_string_n(out.ptr, out.len), sens);
    rc_buf_free(&out);
    rc_value_decref(v);
    return r;
  }
  struct rc_buf out;
  rc_buf_init(&out, 0);
  bool unknown = false, sens = false, ok = true;
  for (size_t i = 0; i < e->u.tmpl.n; i++) {
    const struct rc_expr *p = e->u.tmpl.parts[i];
    struct rc_value *v = rc_eval__expr(ev, p, NULL);
    if (!v) {
      ok = false;
      continue; /* keep going to report every bad interpolation */
    }
    if (!append_part(ev, &out, p, v, &unknown, &sens)) ok = false;
    rc_value_decref(v);
  }
  struct rc_value *r = NULL;
  if (ok) r = rc_eval__mark(unknown ? rc_value_unknown() : rc_value_string_n(out.ptr, out.len), sens);
  rc_buf_free(&out);
  return r;
}

struct rc_value *rc_eval__template(struct rc_ev *ev, const struct rc_expr *e)
{
  if (e->kind == RC_E_TMPL_IF) return eval_tmpl_if(ev, e);
  if (e->kind == RC_E_TMPL_FOR) return eval_tmpl_for(ev, e);
  /* "${x}" alone yields x unchanged, as HCL's TemplateWrapExpr */
  if (e->u.tmpl.n == 1) {
    const struct rc_expr *p = e->u.tmpl.parts[0];
    if (p->kind != RC_E_LITERAL && p->kind != RC_E_TMPL_IF && p->kind != RC_E_TMPL_FOR &&
        p->kind != RC_E_TEMPLATE)
      return rc_eval__expr(ev, p, NULL);
  }
  return eval_parts(ev, e);
}

/* --- for expressions --- */

struct rc_value *rc_eval__for(struct rc_ev *ev, const struct rc_expr *e)
{
  struct rc_value *coll = rc_eval__expr(ev, e->u.forx.coll, NULL);
  if (!coll) return NULL;
  struct iter it;
  int st = iter_start(ev, &it, coll, &e->u.forx.coll->range);
  bool sens = rc_value_is_sensitive(coll);
  if (st <= 0) {
    rc_value_decref(coll);
    return st == 0 ? rc_eval__mark(rc_value_unknown(), sens) : NULL;
  }
  bool objform = e->u.forx.key != NULL;
  struct rc_value *out = objform ? rc_value_obj_new(RC_OBJECT) : rc_value_seq_new(RC_TUPLE);
  bool unknown = false, ok = true;
  const char *kn = e->u.forx.key_var, *vn = e->u.forx.val_var;
  for (size_t i = 0; i < it.n && ok; i++) {
    struct rc_value *k, *v, *c = NULL, *kk = NULL, *vv = NULL;
    iter_kv(&it, i, &k, &v);
    if (e->u.forx.cond) {
      c = rc_eval__bound(ev, e->u.forx.cond, kn, k, vn, v);
      if (!c) {
        ok = false;
        goto next;
      }
      if (!rc_value_is_known(c)) {
        unknown = true;
        sens |= rc_value_is_sensitive(c);
        goto next;
      }
      struct rc_value *b = rc_value_is_null(c) ? NULL : rc_eval__to_bool(c);
      if (!b) {
        rc_diags_add(ev->ds, RC_DIAG_ERROR, &e->u.forx.cond->range, "Invalid 'for' condition",
                     rc_value_is_null(c) ? "The value of the 'if' clause must not be null."
                                         : "The 'if' clause value is invalid: bool required.");
        ok = false;
        goto next;
      }
      bool keep = rc_value_bool_get(b);
      rc_value_decref(b);
      if (!keep) goto next;
    }
    vv = rc_eval__bound(ev, e->u.forx.val, kn, k, vn, v);
    if (!vv) {
      ok = false;
      goto next;
    }
    if (!objform) {
      rc_value_seq_push(out, vv);
      vv = NULL;
      goto next;
    }
    kk = rc_eval__bound(ev, e->u.forx.key, kn, k, vn, v);
    if (!kk) {
      ok = false;
      goto next;
    }
    if (!rc_value_is_known(kk)) {
      unknown = true;
      goto next;
    }
    struct rc_value *ks = rc_value_is_null(kk) ? NULL : rc_eval__to_string(kk);
    if (!ks) {
      rc_diags_add(ev->ds, RC_DIAG_ERROR, &e->u.forx.key->range, "Invalid object key",
                   rc_value_is_null(kk) ? "Key expression in 'for' expression must not produce a "
                                          "null value."
                                        : "The key expression produced an invalid result: "
                                          "string required.");
      ok = false;
      goto next;
    }
    sens |= rc_value_is_sensitive(ks);
    const char *key = rc_value_str(ks);
    const struct rc_value *prev = rc_value_get(out, key);
    if (e->u.forx.group) {
      struct rc_value *g = prev ? rc_value_copy(prev) : rc_value_seq_new(RC_TUPLE);
      rc_value_seq_push(g, vv);
      vv = NULL;
      rc_value_obj_put(out, key, g);
    } else if (prev) {
      rc_diags_add(ev->ds, RC_DIAG_ERROR, &e->u.forx.key->range, "Duplicate object key",
                   "Two different items produced the key \"%s\" in this 'for' expression. If "
                   "duplicates are expected, use the ellipsis (...) after the value expression "
                   "to enable grouping by key.",
                   key);
      ok = false;
    } else {
      rc_value_obj_put(out, key, vv);
      vv = NULL;
    }
    rc_value_decref(ks);
  next:
    rc_value_decref(k);
    rc_value_decref(v);
    rc_value_decref(c);
    rc_value_decref(kk);
    rc_value_decref(vv);
  }
  rc_value_decref(coll);
  if (!ok) {
    rc_value_decref(out);
    return NULL;
  }
  if (unknown) {
    rc_value_decref(out);
    return rc_eval__mark(rc_value_unknown(), sens);
  }
  return rc_eval__mark(out, sens);
}

/* --- templatefile() --- */

struct tmpl_vars {
  const struct rc_value *vars;
};

static struct rc_value *tmpl_lookup(void *ud, const char *root, const struct rc_expr *ref,
                                    const struct rc_range *range, struct rc_diags *ds)
{
  const struct tmpl_vars *tv = ud;
  const struct rc_value *v = tv->vars ? rc_value_get(tv->vars, root) : NULL;
  if (!v) {
    rc_diags_add(ds, RC_DIAG_ERROR, range, "Unknown variable",
                 "There is no variable named \"%s\".", root);
    return NULL;
  }
  return rc_value_incref(v);
}

/* Parses template text. The parser exposes expression parsing only, so the
 * text is wrapped in a heredoc (which has template semantics); *shift gets
 * the bytes added before the text, and a trailing newline added to close the
 * heredoc is removed from the tree again. */
#define TMPL_MARK "RC_TEMPLATE_END_7f3a"
static struct rc_expr *parse_template_text(struct rc_fileset *fs, const char *name,
                                           const char *text, size_t len, struct rc_arena *a,
                                           struct rc_diags *ds, const struct rc_file **fout)
{
  bool nl = len > 0 && text[len - 1] == '\n';
  struct rc_buf b;
  rc_buf_init(&b, 0);
  rc_buf_puts(&b, "<<" TMPL_MARK "\n");
  rc_buf_append(&b, text, len);
  if (!nl) rc_buf_putc(&b, '\n');
  rc_buf_puts(&b, TMPL_MARK "\n");
  const struct rc_file *f = rc_fileset_add(fs, name, b.ptr, b.len);
  rc_buf_free(&b);
  *fout = f;
  struct rc_expr *e = rc_parse_expr(f, a, ds);
  if (!e || nl || e->kind != RC_E_TEMPLATE || e->u.tmpl.n == 0) return e;
  struct rc_expr *last = e->u.tmpl.parts[e->u.tmpl.n - 1];
  if (last->kind != RC_E_LITERAL || rc_value_kind(last->u.literal) != RC_STRING) return e;
  size_t l = rc_value_strlen(last->u.literal);
  if (l == 0 || rc_value_str(last->u.literal)[l - 1] != '\n') return e;
  if (l == 1) {
    e->u.tmpl.n--;
  } else {
    struct rc_value *nv = rc_value_string_n(rc_value_str(last->u.literal), l - 1);
    rc_arena_own_value(a, nv);
    last->u.literal = nv;
  }
  return e;
}

struct rc_value *rc_eval_template_text(const char *text, size_t len, const char *filename,
                                       const struct rc_value *vars, const char *base_dir,
                                       bool plan_time, char **error)
{
  if (vars && !rc_value_is_obj(vars)) {
    *error = rc_strdup("the vars argument must be an object or map");
    return NULL;
  }
  struct rc_fileset fs = {0};
  const struct rc_file *f = NULL;
  struct rc_arena *a = rc_arena_new();
  struct rc_diags ds = {0};
  struct rc_value *r = NULL;
  struct rc_expr *e = parse_template_text(&fs, filename ? filename : "<template>", text, len,
                                          a, &ds, &f);
  if (e && !rc_diags_has_errors(&ds)) {
    struct tmpl_vars tv = {vars};
    struct rc_scope scope = {.lookup = tmpl_lookup, .ud = &tv, .base_dir = base_dir,
                             .plan_time = plan_time};
    r = rc_eval(e, &scope, &ds);
  }
  if (!r) {
    const struct rc_diag *d = NULL;
    for (size_t i = 0; i < ds.n && !d; i++)
      if (ds.items[i].severity == RC_DIAG_ERROR) d = &ds.items[i];
    int line = 0, col = 0;
    if (d && d->range.file) rc_file_linecol(d->range.file, d->range.start, &line, &col);
    *error = d ? rc_asprintf("%s:%d,%d: %s%s%s", f->name, line > 1 ? line - 1 : 1, col, d->summary,
                             d->detail ? "; " : "", d->detail ? d->detail : "")
               : rc_strdup("the template could not be rendered");
  }
  rc_diags_free(&ds);
  rc_arena_free(a);
  rc_fileset_free(&fs);
  return r;
}
