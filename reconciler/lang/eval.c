/* eval — expression evaluation: names, traversals (attribute, index, splat),
 * function calls (with can/try), tuple and object constructors. Operators live
 * in eval_ops.c, templates and for expressions in eval_template.c. */
#include "eval.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "eval_int.h"
#include "functions.h"
#include "rc_alloc.h"
#include "rc_buf.h"
#include "rc_limits.h"
#include "rc_suggest.h"

struct rc_value *rc_eval__mark(struct rc_value *v, bool sens)
{
  if (!v || !sens || rc_value_is_sensitive(v)) return v;
  struct rc_value *m = rc_value_mark_sensitive(v);
  rc_value_decref(v);
  return m;
}

const struct rc_scope *rc_eval__root(const struct rc_scope *s)
{
  while (s && s->parent) s = s->parent;
  return s;
}

struct rc_value *rc_eval__bound(struct rc_ev *ev, const struct rc_expr *e, const char *n0,
                                struct rc_value *v0, const char *n1, struct rc_value *v1)
{
  struct rc_scope child = {0};
  child.parent = ev->scope;
  child.base_dir = ev->scope ? ev->scope->base_dir : NULL;
  child.bind_name[0] = n0;
  child.bind_val[0] = v0;
  child.bind_name[1] = n1;
  child.bind_val[1] = v1;
  const struct rc_scope *saved = ev->scope;
  ev->scope = &child;
  struct rc_value *r = rc_eval__expr(ev, e, NULL);
  ev->scope = saved;
  return r;
}

void rc_eval__merge_diags(struct rc_diags *to, const struct rc_diags *from)
{
  size_t kept = 0;
  for (size_t i = 0; i < from->n; i++) {
    const struct rc_diag *d = &from->items[i];
    size_t at = to->n;
    kept += d->severity == RC_DIAG_ERROR;
    if (d->detail)
      rc_diags_add(to, d->severity, &d->range, d->summary, "%s", d->detail);
    else
      rc_diags_add(to, d->severity, &d->range, d->summary, NULL);
    if (d->context && to->n > at) rc_diags_set_context(to, at, d->context);
  }
  /* errors past the kept limit still count */
  if (from->errors > kept) to->errors += from->errors - kept;
}

/* --- names --- */

static struct rc_value *eval_variable(struct rc_ev *ev, const struct rc_expr *e,
                                      const struct rc_expr *outer)
{
  const char *name = e->u.var.name;
  for (const struct rc_scope *s = ev->scope; s; s = s->parent)
    for (int i = 0; i < 2; i++)
      if (s->bind_name[i] && strcmp(s->bind_name[i], name) == 0)
        return rc_value_incref(s->bind_val[i]);
  const struct rc_scope *root = rc_eval__root(ev->scope);
  if (!root || !root->lookup) {
    rc_diags_add(ev->ds, RC_DIAG_ERROR, &e->range, "Variables not allowed",
                 "Variables may not be used here (found \"%s\").", name);
    return NULL;
  }
  return root->lookup(root->ud, name, outer ? outer : e, &e->range, ev->ds);
}

size_t rc_eval_ref_parts(const struct rc_expr *ref, const char **parts, struct rc_range *ranges,
                         size_t max, char numbuf[][24])
{
  /* walk down to the root, remembering the chain (at most max deep) */
  const struct rc_expr *chain[64];
  size_t n = 0;
  const struct rc_expr *e = ref;
  while (e && (e->kind == RC_E_GETATTR || e->kind == RC_E_INDEX)) {
    if (n < 64) chain[n++] = e;
    e = e->kind == RC_E_GETATTR ? e->u.getattr.obj : e->u.index.obj;
  }
  if (!e || e->kind != RC_E_VARIABLE || max == 0) return 0;
  size_t out = 0;
  parts[out] = e->u.var.name;
  if (ranges) ranges[out] = e->range;
  out++;
  size_t nums = 0;
  while (n > 0 && out < max) {
    const struct rc_expr *t = chain[--n];
    if (t->kind == RC_E_GETATTR) {
      parts[out] = t->u.getattr.name;
      if (ranges) ranges[out] = t->u.getattr.name_range;
    } else {
      const struct rc_expr *k = t->u.index.key;
      if (k->kind != RC_E_LITERAL) break;
      const struct rc_value *kv = k->u.literal;
      if (rc_value_kind(kv) == RC_STRING) {
        parts[out] = rc_value_str(kv);
      } else if (rc_value_kind(kv) == RC_NUMBER && numbuf) {
        rc_value_format_number(kv, numbuf[nums], 24);
        parts[out] = numbuf[nums++];
      } else {
        break;
      }
      if (ranges) ranges[out] = k->range;
    }
    out++;
  }
  return out;
}

/* --- traversals --- */

static const char *kind_article(const struct rc_value *v)
{
  switch (rc_value_kind(v)) {
  case RC_STRING: return "string";
  case RC_NUMBER: return "number";
  case RC_BOOL: return "bool";
  default: return rc_value_kind_name(rc_value_kind(v));
  }
}

static struct rc_value *get_attr(struct rc_ev *ev, const struct rc_value *obj, const char *name,
                                 const struct rc_range *range)
{
  if (!rc_value_is_known(obj)) return rc_eval__mark(rc_value_unknown(), rc_value_is_sensitive(obj));
  bool sens = rc_value_is_sensitive(obj);
  switch (rc_value_kind(obj)) {
  case RC_NULL:
    rc_diags_add(ev->ds, RC_DIAG_ERROR, range, "Attempt to get attribute from null value",
                 "This value is null, so it does not have any attributes.");
    return NULL;
  case RC_OBJECT:
  case RC_MAP: {
    const struct rc_value *v = rc_value_get(obj, name);
    if (v) return rc_eval__mark(rc_value_incref(v), sens);
    size_t n = rc_value_len(obj);
    const char **cands = rc_calloc(n + 1, sizeof *cands);
    for (size_t i = 0; i < n; i++) cands[i] = rc_value_key(obj, i);
    const char *s = rc_suggest(name, cands, n);
    char hint[300] = "";
    if (s) snprintf(hint, sizeof hint, " Did you mean \"%s\"?", s);
    if (rc_value_kind(obj) == RC_MAP)
      rc_diags_add(ev->ds, RC_DIAG_ERROR, range, "Missing map element",
                   "This map does not have an element with the key \"%s\".%s", name, hint);
    else
      rc_diags_add(ev->ds, RC_DIAG_ERROR, range, "Unsupported attribute",
                   "This object does not have an attribute named \"%s\".%s", name, hint);
    rc_free(cands);
    return NULL;
  }
  case RC_LIST:
  case RC_TUPLE:
  case RC_SET:
    rc_diags_add(ev->ds, RC_DIAG_ERROR, range, "Unsupported attribute",
                 "Can't access attributes on a %s of objects. Did you mean to access attribute "
                 "\"%s\" for a specific element of the %s, or across all elements of the %s?",
                 rc_value_kind(obj) == RC_SET ? "set" : "list", name,
                 rc_value_kind(obj) == RC_SET ? "set" : "list",
                 rc_value_kind(obj) == RC_SET ? "set" : "list");
    return NULL;
  default:
    rc_diags_add(ev->ds, RC_DIAG_ERROR, range, "Unsupported attribute",
                 "Can't access attributes on a primitive-typed value (%s).", kind_article(obj));
    return NULL;
  }
}

static struct rc_value *get_index(struct rc_ev *ev, const struct rc_value *obj,
                                  const struct rc_value *key, const struct rc_range *range)
{
  bool sens = rc_value_is_sensitive(obj) || rc_value_is_sensitive(key);
  if (!rc_value_is_known(obj) || !rc_value_is_known(key))
    return rc_eval__mark(rc_value_unknown(), sens);
  if (rc_value_is_null(key)) {
    rc_diags_add(ev->ds, RC_DIAG_ERROR, range, "Invalid index",
                 "Can't use a null value as an indexing key.");
    return NULL;
  }
  switch (rc_value_kind(obj)) {
  case RC_NULL:
    rc_diags_add(ev->ds, RC_DIAG_ERROR, range, "Invalid index",
                 "This value is null, so it does not have any indices.");
    return NULL;
  case RC_LIST:
  case RC_TUPLE: {
    struct rc_value *n = rc_eval__to_number(key);
    if (!n || !rc_value_is_int(n)) {
      rc_value_decref(n);
      rc_diags_add(ev->ds, RC_DIAG_ERROR, range, "Invalid index",
                   "The given key does not identify an element in this collection value: "
                   "a whole number is required.");
      return NULL;
    }
    int64_t i = rc_value_int_get(n);
    rc_value_decref(n);
    if (i < 0 || (uint64_t)i >= rc_value_len(obj)) {
      rc_diags_add(ev->ds, RC_DIAG_ERROR, range, "Invalid index",
                   "The given key does not identify an element in this collection value: %s.",
                   i < 0 ? "a negative number is not a valid index for a sequence"
                         : "the given index is greater than or equal to the length of the "
                           "collection");
      return NULL;
    }
    return rc_eval__mark(rc_value_incref(rc_value_index(obj, (size_t)i)), sens);
  }
  case RC_MAP:
  case RC_OBJECT: {
    struct rc_value *s = rc_eval__to_string(key);
    if (!s) {
      rc_diags_add(ev->ds, RC_DIAG_ERROR, range, "Invalid index",
                   "The given key does not identify an element in this collection value: "
                   "string required.");
      return NULL;
    }
    const struct rc_value *v = rc_value_get(obj, rc_value_str(s));
    if (!v) {
      if (rc_value_kind(obj) == RC_OBJECT)
        rc_diags_add(ev->ds, RC_DIAG_ERROR, range, "Invalid index",
                     "The given key does not identify an element in this collection value. "
                     "This object does not have an attribute named \"%s\".",
                     rc_value_str(s));
      else
        rc_diags_add(ev->ds, RC_DIAG_ERROR, range, "Invalid index",
                     "The given key does not identify an element in this collection value.");
      rc_value_decref(s);
      return NULL;
    }
    rc_value_decref(s);
    return rc_eval__mark(rc_value_incref(v), sens);
  }
  case RC_SET:
    rc_diags_add(ev->ds, RC_DIAG_ERROR, range, "Invalid index",
                 "Elements of a set are identified only by their value and don't have any "
                 "separate index or key to select with, so it's only possible to perform "
                 "operations across all elements of the set.");
    return NULL;
  default:
    rc_diags_add(ev->ds, RC_DIAG_ERROR, range, "Invalid index",
                 "This value does not have any indices.");
    return NULL;
  }
}

static struct rc_value *eval_splat(struct rc_ev *ev, const struct rc_expr *e)
{
  struct rc_value *src = rc_eval__expr(ev, e->u.splat.src, NULL);
  if (!src) return NULL;
  bool sens = rc_value_is_sensitive(src);
  if (!rc_value_is_known(src)) return src;
  if (rc_value_is_null(src)) {
    rc_value_decref(src);
    return rc_eval__mark(rc_value_seq_new(RC_TUPLE), sens);
  }
  const struct rc_value *saved = ev->splat_item;
  struct rc_value *out = NULL;
  if (rc_value_is_seq(src)) {
    out = rc_value_seq_new(rc_value_kind(src) == RC_TUPLE ? RC_TUPLE : RC_LIST);
    for (size_t i = 0; i < rc_value_len(src); i++) {
      ev->splat_item = rc_value_index(src, i);
      struct rc_value *r = rc_eval__expr(ev, e->u.splat.each, NULL);
      if (!r) {
        rc_value_decref(out);
        out = NULL;
        break;
      }
      rc_value_seq_push(out, r);
    }
  } else {
    /* a single value: treated as a one-element tuple */
    ev->splat_item = src;
    struct rc_value *r = rc_eval__expr(ev, e->u.splat.each, NULL);
    if (r) {
      out = rc_value_seq_new(RC_TUPLE);
      rc_value_seq_push(out, r);
    }
  }
  ev->splat_item = saved;
  rc_value_decref(src);
  return rc_eval__mark(out, sens);
}

/* --- calls --- */

static bool collect_errors(const struct rc_diags *scratch, struct rc_buf *msg)
{
  for (size_t i = 0; i < scratch->n; i++)
    if (scratch->items[i].severity == RC_DIAG_ERROR) {
      rc_buf_printf(msg, "\n- %s", scratch->items[i].summary);
      if (scratch->items[i].detail) rc_buf_printf(msg, ": %s", scratch->items[i].detail);
    }
  return scratch->errors > 0;
}

static struct rc_value *eval_can(struct rc_ev *ev, const struct rc_expr *e)
{
  if (e->u.call.n != 1 || e->u.call.expand_last) {
    rc_diags_add(ev->ds, RC_DIAG_ERROR, &e->range,
                 e->u.call.n < 1 ? "Not enough function arguments" : "Too many function arguments",
                 "Function \"can\" expects exactly one argument.");
    return NULL;
  }
  struct rc_diags scratch = {0};
  struct rc_diags *saved = ev->ds;
  ev->ds = &scratch;
  struct rc_value *v = rc_eval__expr(ev, e->u.call.args[0], NULL);
  ev->ds = saved;
  bool failed = !v || scratch.errors > 0;
  rc_diags_free(&scratch);
  if (failed) {
    rc_value_decref(v);
    return rc_value_bool(false);
  }
  bool known = rc_value_is_wholly_known(v);
  rc_value_decref(v);
  return known ? rc_value_bool(true) : rc_value_unknown();
}

static struct rc_value *eval_try(struct rc_ev *ev, const struct rc_expr *e)
{
  if (e->u.call.n < 1) {
    rc_diags_add(ev->ds, RC_DIAG_ERROR, &e->range, "Not enough function arguments",
                 "Function \"try\" expects at least one argument.");
    return NULL;
  }
  struct rc_buf msg;
  rc_buf_init(&msg, 64 * 1024);
  struct rc_diags *saved = ev->ds;
  for (size_t i = 0; i < e->u.call.n; i++) {
    struct rc_diags scratch = {0};
    ev->ds = &scratch;
    struct rc_value *v = rc_eval__expr(ev, e->u.call.args[i], NULL);
    ev->ds = saved;
    if (v && scratch.errors == 0) {
      rc_diags_free(&scratch);
      rc_buf_free(&msg);
      if (!rc_value_is_wholly_known(v)) {
        bool sens = rc_value_has_sensitive(v);
        rc_value_decref(v);
        return rc_eval__mark(rc_value_unknown(), sens);
      }
      return v;
    }
    rc_value_decref(v);
    collect_errors(&scratch, &msg);
    rc_diags_free(&scratch);
  }
  rc_diags_add(ev->ds, RC_DIAG_ERROR, &e->range, "Error in function call",
               "Call to function \"try\" failed: no expression succeeded:%s\n\nAt least one "
               "expression must produce a successful result.",
               msg.ptr);
  rc_buf_free(&msg);
  return NULL;
}

static struct rc_value *render_template_cb(void *ud, const char *text, size_t len,
                                           const char *filename, const struct rc_value *vars,
                                           char **error)
{
  const struct rc_scope *root = ud;
  return rc_eval_template_text(text, len, filename, vars, root ? root->base_dir : NULL,
                               root ? root->plan_time : false, error);
}

/* sensitive(), nonsensitive() and issensitive() decide their result's mark
 * themselves; every other function's result is sensitive when an argument is. */
static bool f_handles_marks(const char *name)
{
  return strcmp(name, "nonsensitive") == 0 || strcmp(name, "issensitive") == 0;
}

static struct rc_value *eval_call(struct rc_ev *ev, const struct rc_expr *e)
{
  const char *name = e->u.call.name;
  if (strcmp(name, "can") == 0) return eval_can(ev, e);
  if (strcmp(name, "try") == 0) return eval_try(ev, e);
  if (strcmp(name, "templatestring") == 0 && e->u.call.n >= 1 &&
      (e->u.call.args[0]->kind == RC_E_TEMPLATE || e->u.call.args[0]->kind == RC_E_LITERAL)) {
    rc_diags_add(ev->ds, RC_DIAG_ERROR, &e->u.call.args[0]->range, "Invalid template expression",
                 "The templatestring function's first argument must be a reference to a string "
                 "value from elsewhere (for example a variable or a data source attribute), not "
                 "a literal template.");
    return NULL;
  }
  const struct rc_func *f = rc_func_lookup(name);
  if (!f) {
    const char *colons = strstr(name, "::");
    const char *s = colons ? NULL : rc_func_suggest(name);
    if (colons && strncmp(name, "provider::", 10) == 0)
      rc_diags_add(ev->ds, RC_DIAG_ERROR, &e->u.call.name_range, "Call to unknown function",
                   "There is no function named \"%s\". recon implements only the aws "
                   "provider's functions provider::aws::arn_build, provider::aws::arn_parse and "
                   "provider::aws::trim_iam_role_path.",
                   name);
    else if (s)
      rc_diags_add(ev->ds, RC_DIAG_ERROR, &e->u.call.name_range, "Call to unknown function",
                   "There is no function named \"%s\". Did you mean \"%s\"?", name, s);
    else if (colons)
      rc_diags_add(ev->ds, RC_DIAG_ERROR, &e->u.call.name_range, "Call to unknown function",
                   "There is no function named \"%s\". Provider-defined functions are not "
                   "supported.", name);
    else
      rc_diags_add(ev->ds, RC_DIAG_ERROR, &e->u.call.name_range, "Call to unknown function",
                   "There is no function named \"%s\".", name);
    return NULL;
  }
  /* evaluate arguments, expanding the last one when written `f(x...)` */
  size_t n = e->u.call.n, cap = n + 1, nargs = 0;
  struct rc_value **args = rc_calloc(cap, sizeof *args);
  const struct rc_expr **arg_expr = rc_calloc(cap, sizeof *arg_expr);
  struct rc_value *result = NULL;
  bool ok = true, any_sens = false;
  for (size_t i = 0; i < n && ok; i++) {
    struct rc_value *v = rc_eval__expr(ev, e->u.call.args[i], NULL);
    if (!v) {
      ok = false;
      break;
    }
    if (i == n - 1 && e->u.call.expand_last) {
      if (!rc_value_is_known(v)) {
        rc_value_decref(v);
        result = rc_value_unknown();
        ok = false;
        break;
      }
      if (rc_value_is_null(v) || !rc_value_is_seq(v)) {
        rc_diags_add(ev->ds, RC_DIAG_ERROR, &e->u.call.args[i]->range,
                     "Invalid expanding argument value",
                     rc_value_is_null(v) ? "The expanding argument (indicated by ...) must not "
                                           "be null."
                                         : "The expanding argument (indicated by ...) must be of "
                                           "a tuple, list, or set type.");
        rc_value_decref(v);
        ok = false;
        break;
      }
      size_t m = rc_value_len(v);
      if (nargs + m > RC_LIMIT_FUNC_ARGS) {
        rc_diags_add(ev->ds, RC_DIAG_ERROR, &e->range, "Too many function arguments",
                     "A function call may have at most %d arguments.", RC_LIMIT_FUNC_ARGS);
        rc_value_decref(v);
        ok = false;
        break;
      }
      cap = nargs + m + 1;
      args = rc_realloc(args, cap * sizeof *args);
      arg_expr = rc_realloc(arg_expr, cap * sizeof *arg_expr);
      for (size_t j = 0; j < m; j++) {
        args[nargs] = rc_eval__mark(rc_value_incref(rc_value_index(v, j)),
                                    rc_value_is_sensitive(v));
        arg_expr[nargs++] = e->u.call.args[i];
      }
      any_sens |= rc_value_is_sensitive(v);
      rc_value_decref(v);
    } else {
      any_sens |= rc_value_is_sensitive(v);
      args[nargs] = v;
      arg_expr[nargs++] = e->u.call.args[i];
    }
  }
  if (ok && (int)nargs < f->min_args) {
    rc_diags_add(ev->ds, RC_DIAG_ERROR, &e->range, "Not enough function arguments",
                 "Function \"%s\" expects %s%d argument%s. Missing value for argument %zu.", name,
                 f->max_args == f->min_args ? "" : "at least ", f->min_args,
                 f->min_args == 1 ? "" : "s", nargs + 1);
    ok = false;
  } else if (ok && f->max_args >= 0 && (int)nargs > f->max_args) {
    rc_diags_add(ev->ds, RC_DIAG_ERROR,
                 nargs > 0 && arg_expr[f->max_args] ? &arg_expr[f->max_args]->range : &e->range,
                 "Too many function arguments", "Function \"%s\" expects only %d argument%s.",
                 name, f->max_args, f->max_args == 1 ? "" : "s");
    ok = false;
  }
  if (ok) {
    const struct rc_scope *root = rc_eval__root(ev->scope);
    struct rc_func_ctx ctx = {0};
    ctx.base_dir = ev->scope ? ev->scope->base_dir : NULL;
    ctx.plan_time = root ? root->plan_time : false;
    ctx.error_arg = -1;
    ctx.render_template = render_template_cb;
    struct rc_scope tmp_root = {0};
    if (root) tmp_root = *root;
    tmp_root.base_dir = ctx.base_dir;
    ctx.render_ud = &tmp_root;
    result = f->fn(&ctx, args, nargs);
    if (!result) {
      const char *msg = ctx.error ? ctx.error : "unknown error";
      if (ctx.error_arg >= 0 && (size_t)ctx.error_arg < nargs &&
          strncmp(msg, "Invalid value for", 17) == 0)
        rc_diags_add(ev->ds, RC_DIAG_ERROR, &arg_expr[ctx.error_arg]->range,
                     "Invalid function argument", "%s%s", msg, /* names the parameter */
                     msg[0] && msg[strlen(msg) - 1] == '.' ? "" : ".");
      else if (ctx.error_arg >= 0 && (size_t)ctx.error_arg < nargs)
        rc_diags_add(ev->ds, RC_DIAG_ERROR, &arg_expr[ctx.error_arg]->range,
                     "Invalid function argument",
                     "Invalid value for argument %d of \"%s\": %s.", ctx.error_arg + 1, name,
                     msg);
      else
        rc_diags_add(ev->ds, RC_DIAG_ERROR, &e->range, "Error in function call",
                     "Call to function \"%s\" failed: %s.", name, msg);
    } else if (!f_handles_marks(name)) {
      result = rc_eval__mark(result, any_sens);
    }
    rc_free(ctx.error);
  }
  for (size_t i = 0; i < nargs; i++) rc_value_decref(args[i]);
  rc_free(args);
  rc_free(arg_expr);
  return result;
}

/* --- constructors --- */

static struct rc_value *eval_tuple(struct rc_ev *ev, const struct rc_expr *e)
{
  struct rc_value *t = rc_value_seq_new(RC_TUPLE);
  for (size_t i = 0; i < e->u.tuple.n; i++) {
    struct rc_value *v = rc_eval__expr(ev, e->u.tuple.items[i], NULL);
    if (!v) {
      rc_value_decref(t);
      return NULL;
    }
    rc_value_seq_push(t, v);
  }
  return t;
}

static struct rc_value *eval_object(struct rc_ev *ev, const struct rc_expr *e)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  bool unknown_key = false, sens_key = false;
  for (size_t i = 0; i < e->u.object.n; i++) {
    const struct rc_expr *ke = e->u.object.keys[i];
    struct rc_value *k;
    /* a bare name used as a key (`{ a = 1 }`) is a literal string already; a
     * key written as a lone traversal (`{ foo.bar = 1 }`) is an error in HCL */
    if (ke->kind == RC_E_VARIABLE) {
      k = rc_value_string(ke->u.var.name);
    } else {
      k = rc_eval__expr(ev, ke, NULL);
    }
    if (!k) {
      rc_value_decref(o);
      return NULL;
    }
    struct rc_value *v = rc_eval__expr(ev, e->u.object.vals[i], NULL);
    if (!v) {
      rc_value_decref(k);
      rc_value_decref(o);
      return NULL;
    }
    if (!rc_value_is_known(k)) {
      unknown_key = true;
      rc_value_decref(k);
      rc_value_decref(v);
      continue;
    }
    struct rc_value *ks = rc_value_is_null(k) ? NULL : rc_eval__to_string(k);
    if (!ks) {
      rc_diags_add(ev->ds, RC_DIAG_ERROR, &ke->range,
                   rc_value_is_null(k) ? "Null value as key" : "Incorrect key type",
                   rc_value_is_null(k) ? "Can't use a null value as a key."
                                       : "Can't use this value as a key: string required.");
      rc_value_decref(k);
      rc_value_decref(v);
      rc_value_decref(o);
      return NULL;
    }
    sens_key |= rc_value_is_sensitive(k);
    rc_value_obj_put(o, rc_value_str(ks), v);
    rc_value_decref(ks);
    rc_value_decref(k);
  }
  if (unknown_key) {
    rc_value_decref(o);
    return rc_eval__mark(rc_value_unknown(), sens_key);
  }
  return rc_eval__mark(o, sens_key);
}

/* --- dispatch --- */

struct rc_value *rc_eval__expr(struct rc_ev *ev, const struct rc_expr *e,
                               const struct rc_expr *outer)
{
  if (!e) return rc_value_null();
  if (ev->depth >= RC_LIMIT_NESTING) {
    rc_diags_add(ev->ds, RC_DIAG_ERROR, &e->range, "Expression too deeply nested",
                 "Expressions may be nested at most %d levels deep.", RC_LIMIT_NESTING);
    return NULL;
  }
  ev->depth++;
  struct rc_value *r = NULL;
  switch (e->kind) {
  case RC_E_LITERAL:
    r = rc_value_incref(e->u.literal);
    break;
  case RC_E_TEMPLATE:
  case RC_E_TMPL_IF:
  case RC_E_TMPL_FOR:
    r = rc_eval__template(ev, e);
    break;
  case RC_E_VARIABLE:
    r = eval_variable(ev, e, outer);
    break;
  case RC_E_GETATTR: {
    struct rc_value *o = rc_eval__expr(ev, e->u.getattr.obj, outer ? outer : e);
    if (o) r = get_attr(ev, o, e->u.getattr.name, &e->u.getattr.name_range);
    rc_value_decref(o);
    break;
  }
  case RC_E_INDEX: {
    struct rc_value *o = rc_eval__expr(ev, e->u.index.obj, outer ? outer : e);
    if (!o) break;
    struct rc_value *k = rc_eval__expr(ev, e->u.index.key, NULL);
    if (k) {
      struct rc_range rg = e->u.index.key->range;
      r = get_index(ev, o, k, &rg);
    }
    rc_value_decref(k);
    rc_value_decref(o);
    break;
  }
  case RC_E_SPLAT:
    r = eval_splat(ev, e);
    break;
  case RC_E_SPLAT_ITEM:
    r = ev->splat_item ? rc_value_incref(ev->splat_item) : rc_value_null();
    break;
  case RC_E_CALL:
    r = eval_call(ev, e);
    break;
  case RC_E_TUPLE:
    r = eval_tuple(ev, e);
    break;
  case RC_E_OBJECT:
    r = eval_object(ev, e);
    break;
  case RC_E_FOR:
    r = rc_eval__for(ev, e);
    break;
  case RC_E_COND:
    r = rc_eval__cond(ev, e);
    break;
  case RC_E_UNARY:
    r = rc_eval__unary(ev, e);
    break;
  case RC_E_BINARY:
    r = rc_eval__binary(ev, e);
    break;
  case RC_E_PAREN:
    r = rc_eval__expr(ev, e->u.paren.inner, NULL);
    break;
  }
  ev->depth--;
  return r;
}

struct rc_value *rc_eval(const struct rc_expr *e, const struct rc_scope *scope,
                         struct rc_diags *ds)
{
  struct rc_ev ev = {.scope = scope, .ds = ds};
  size_t before = ds->errors;
  struct rc_value *v = rc_eval__expr(&ev, e, NULL);
  if (v && ds->errors > before) {
    rc_value_decref(v);
    v = NULL;
  }
  if (!v && ds->errors == before)
    rc_diags_add(ds, RC_DIAG_ERROR, e ? &e->range : NULL, "Invalid expression",
                 "The expression could not be evaluated.");
  return v;
}
