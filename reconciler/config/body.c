/* body — a resource, data or provider body evaluated into an object:
 * attributes as values, nested blocks as tuples of objects keyed by block
 * type (objects for the provider's single blocks), `dynamic` blocks expanded,
 * `timeouts {}` set aside, meta-arguments skipped. */
#include <string.h>

#include "config_int.h"
#include "rc_alloc.h"

static bool is_meta_attr(const char *n)
{
  return strcmp(n, "count") == 0 || strcmp(n, "for_each") == 0 ||
         strcmp(n, "depends_on") == 0 || strcmp(n, "provider") == 0;
}

static bool is_meta_block(const char *n)
{
  return strcmp(n, "lifecycle") == 0 || strcmp(n, "provisioner") == 0 ||
         strcmp(n, "connection") == 0;
}

static struct rc_value *body_obj(const struct rc_env *env, const struct rc_scope *scope,
                                 const struct rc_body *b, bool top, bool tuples,
                                 struct rc_value **timeouts, struct rc_diags *ds, int depth);

/* Appends one generated/plain block object to the tuple under name in o.
 * An unknown marker (dynamic over unknown) turns the whole entry unknown. */
static void put_block(struct rc_value *o, const char *name, struct rc_value *steal, bool tuples)
{
  if (!tuples) {
    rc_value_obj_put(o, name, steal);
    return;
  }
  const struct rc_value *prev = rc_value_get(o, name);
  if (prev && !rc_value_is_known(prev)) {
    rc_value_decref(steal);
    return;
  }
  if (!rc_value_is_known(steal)) {
    rc_value_obj_put(o, name, steal);
    return;
  }
  struct rc_value *t = prev ? rc_value_copy(prev) : rc_value_seq_new(RC_TUPLE);
  rc_value_seq_push(t, steal);
  rc_value_obj_put(o, name, t);
}

static bool expand_dynamic(const struct rc_env *env, const struct rc_scope *scope,
                           const struct rc_block *d, struct rc_value *o, bool tuples,
                           struct rc_diags *ds, int depth)
{
  const char *name = d->labels[0];
  const char *it = name;
  const struct rc_expr *fe = NULL;
  const struct rc_block *content = NULL;
  for (size_t i = 0; i < d->body.nattrs; i++) {
    const struct rc_attribute *a = &d->body.attrs[i];
    if (strcmp(a->name, "for_each") == 0) {
      fe = a->expr;
    } else if (strcmp(a->name, "iterator") == 0) {
      if (a->expr->kind != RC_E_VARIABLE) {
        rc_diags_add(ds, RC_DIAG_ERROR, &a->expr->range, "Invalid expression",
                     "The iterator argument must be a single name, like iterator = rule.");
        return false;
      }
      it = a->expr->u.var.name;
    } else if (strcmp(a->name, "labels") != 0) {
      rc_diags_add(ds, RC_DIAG_ERROR, &a->name_range, "Unsupported argument",
                   "An argument named \"%s\" is not expected here. A dynamic block takes "
                   "for_each, iterator, labels and a content block.",
                   a->name);
      return false;
    }
  }
  for (size_t i = 0; i < d->body.nblocks; i++) {
    if (strcmp(d->body.blocks[i].type, "content") == 0 && !content) {
      content = &d->body.blocks[i];
    } else {
      rc_diags_add(ds, RC_DIAG_ERROR, &d->body.blocks[i].type_range,
                   content ? "Duplicate content block" : "Unsupported block type",
                   content ? "Only one content block is allowed in a dynamic block."
                           : "Blocks of type \"%s\" are not expected here; a dynamic block takes "
                             "one content block.",
                   d->body.blocks[i].type);
      return false;
    }
  }
  if (!fe || !content) {
    rc_diags_add(ds, RC_DIAG_ERROR, &d->type_range, "Missing required argument",
                 !fe ? "The argument \"for_each\" is required, but no definition was found."
                     : "A dynamic block needs a content block.");
    return false;
  }
  struct rc_value *coll = rc_eval(fe, scope, ds);
  if (!coll) return false;
  if (!rc_value_is_known(coll)) {
    rc_value_decref(coll);
    put_block(o, name, rc_value_unknown(), tuples);
    return true;
  }
  if (rc_value_is_null(coll) || (!rc_value_is_seq(coll) && !rc_value_is_obj(coll))) {
    rc_diags_add(ds, RC_DIAG_ERROR, &fe->range, "Invalid dynamic for_each value",
                 "Cannot use a %s value in for_each. An iterable collection is required.",
                 rc_value_is_null(coll) ? "null" : rc_value_kind_name(rc_value_kind(coll)));
    rc_value_decref(coll);
    return false;
  }
  bool ok = true;
  bool keyed = rc_value_is_obj(coll);
  if (tuples && !rc_value_get(o, name)) rc_value_obj_put(o, name, rc_value_seq_new(RC_TUPLE));
  for (size_t i = 0; i < rc_value_len(coll) && ok; i++) {
    struct rc_value *iv = rc_value_obj_new(RC_OBJECT);
    struct rc_value *val = rc_value_incref(rc_value_index(coll, i));
    if (rc_value_is_sensitive(coll)) {
      struct rc_value *m = rc_value_mark_sensitive(val);
      rc_value_decref(val);
      val = m;
    }
    struct rc_value *key = keyed ? rc_value_string(rc_value_key(coll, i))
                                 : rc_value_kind(coll) == RC_SET ? rc_value_incref(val)
                                                                 : rc_value_int((int64_t)i);
    rc_value_obj_put(iv, "key", key);
    rc_value_obj_put(iv, "value", val);
    struct rc_scope child = {0};
    child.parent = scope;
    child.base_dir = scope->base_dir;
    child.bind_name[0] = it;
    child.bind_val[0] = iv;
    struct rc_value *bo = body_obj(env, &child, &content->body, false, true, NULL, ds, depth + 1);
    rc_value_decref(iv);
    if (!bo) {
      ok = false;
      break;
    }
    put_block(o, name, bo, tuples);
  }
  rc_value_decref(coll);
  return ok;
}

static struct rc_value *body_obj(const struct rc_env *env, const struct rc_scope *scope,
                                 const struct rc_body *b, bool top, bool tuples,
                                 struct rc_value **timeouts, struct rc_diags *ds, int depth)
{
  if (depth > 64) {
    rc_diags_add(ds, RC_DIAG_ERROR, &b->range, "Blocks too deeply nested",
                 "Nested blocks may be at most 64 levels deep.");
    return NULL;
  }
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  bool ok = true;
  for (size_t i = 0; i < b->nattrs; i++) {
    const struct rc_attribute *a = &b->attrs[i];
    if (top && is_meta_attr(a->name)) continue;
    struct rc_value *v = rc_eval(a->expr, scope, ds);
    if (!v) {
      ok = false;
      continue;
    }
    rc_value_obj_put(o, a->name, v);
  }
  for (size_t i = 0; i < b->nblocks; i++) {
    const struct rc_block *x = &b->blocks[i];
    if (top && is_meta_block(x->type)) continue;
    if (strcmp(x->type, "dynamic") == 0 && x->nlabels == 1) {
      if (!expand_dynamic(env, scope, x, o, tuples, ds, depth)) ok = false;
      continue;
    }
    struct rc_value *bo = body_obj(env, scope, &x->body, false, true, NULL, ds, depth + 1);
    if (!bo) {
      ok = false;
      continue;
    }
    if (top && timeouts && strcmp(x->type, "timeouts") == 0) {
      rc_value_decref(*timeouts);
      *timeouts = bo;
      continue;
    }
    put_block(o, x->type, bo, tuples);
  }
  if (!ok) {
    rc_value_decref(o);
    return NULL;
  }
  return o;
}

struct rc_value *rc_config__body_object(const struct rc_env *env, const struct rc_scope *scope,
                                        const struct rc_body *b, bool resource,
                                        struct rc_value **timeouts, struct rc_diags *ds)
{
  return body_obj(env, scope, b, true, resource, timeouts, ds, 0);
}
