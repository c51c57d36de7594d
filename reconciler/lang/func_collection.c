/* func_collection.c — the collection functions that read or combine lists,
 * tuples, maps and objects: alltrue anytrue chunklist coalesce coalescelist
 * compact concat contains distinct element flatten index keys length lookup
 * matchkeys merge one (cty stdlib/collection.go, opentofu's funcs). */
#include <string.h>

#include "func_internal.h"

RC_FUNC_DEFINE(alltrue, "list:list(bool)", 0)
{
  for (size_t i = 0; i < rc_value_len(args[0]); i++)
    if (!rc_value_bool_get(rc_value_index(args[0], i))) return rc_value_bool(false);
  return rc_value_bool(true);
}

RC_FUNC_DEFINE(anytrue, "list:list(bool)", 0)
{
  for (size_t i = 0; i < rc_value_len(args[0]); i++)
    if (rc_value_bool_get(rc_value_index(args[0], i))) return rc_value_bool(true);
  return rc_value_bool(false);
}

RC_FUNC_DEFINE(chunklist, "list:list(any),size:number", RC_FN_PARTIAL)
{
  int64_t size;
  if (!rc_func__get_int(args[1], &size) || size < 0)
    return rc_func_error(ctx, 1, "the size argument must be positive");
  size_t n = rc_value_len(args[0]);
  struct rc_value *r = rc_value_seq_new(RC_LIST);
  if (size == 0) {
    rc_value_seq_push(r, rc_value_incref(args[0]));
    return r;
  }
  for (size_t i = 0; i < n; i += (size_t)size) {
    struct rc_value *chunk = rc_value_seq_new(RC_LIST);
    for (size_t j = i; j < n && j < i + (size_t)size; j++)
      rc_value_seq_push(chunk, rc_value_incref(rc_value_index(args[0], j)));
    rc_value_seq_push(r, chunk);
  }
  return r;
}

/* Converts every value to their unified type; NULL after an error. */
struct rc_value **rc_func__unify(struct rc_func_ctx *ctx, struct rc_value *const *vals,
                                      size_t n, const char *what)
{
  struct rc_type **ts = rc_malloc((n ? n : 1) * sizeof *ts);
  for (size_t i = 0; i < n; i++) ts[i] = rc_type_of(vals[i]);
  struct rc_type *u = rc_type_unify(ts, n);
  for (size_t i = 0; i < n; i++) rc_type_free(ts[i]);
  rc_free(ts);
  if (!u) {
    rc_func_error(ctx, -1, "all %s must have the same type", what);
    return NULL;
  }
  struct rc_value **out = rc_calloc(n ? n : 1, sizeof *out);
  for (size_t i = 0; i < n; i++) {
    char *err = NULL;
    out[i] = rc_convert(vals[i], u, &err);
    if (!out[i]) {
      rc_func_error(ctx, (int)i, "%s", err);
      rc_free(err);
      for (size_t k = 0; k < i; k++) rc_value_decref(out[k]);
      rc_free(out);
      rc_type_free(u);
      return NULL;
    }
  }
  rc_type_free(u);
  return out;
}

void rc_func__free_values(struct rc_value **v, size_t n)
{
  for (size_t i = 0; i < n; i++) rc_value_decref(v[i]);
  rc_free(v);
}

RC_FUNC_DEFINE(coalesce, "...vals:any?!", RC_FN_PARTIAL)
{
  struct rc_value **u = rc_func__unify(ctx, args, nargs, "arguments");
  if (!u) return NULL;
  struct rc_value *r = NULL;
  for (size_t i = 0; i < nargs && !r; i++) {
    if (!rc_value_is_known(u[i])) r = rc_value_unknown();
    else if (rc_value_is_null(u[i])) continue;
    else if (rc_value_kind(u[i]) == RC_STRING && rc_value_strlen(u[i]) == 0) continue;
    else r = rc_value_incref(u[i]);
  }
  rc_func__free_values(u, nargs);
  return r ? r : rc_func_error(ctx, -1, "no non-null, non-empty-string arguments");
}

RC_FUNC_DEFINE(coalescelist, "...vals:any?!", RC_FN_PARTIAL)
{
  for (size_t i = 0; i < nargs; i++) {
    if (!rc_value_is_known(args[i])) return rc_value_unknown();
    if (rc_value_is_null(args[i])) continue;
    if (!rc_value_is_seq(args[i]))
      return rc_func_error(ctx, (int)i, "coalescelist arguments must be lists or tuples, got %s",
                           rc_value_kind_name(rc_value_kind(args[i])));
    if (rc_value_len(args[i]) > 0) return rc_value_incref(args[i]);
  }
  return rc_func_error(ctx, -1, "no non-null arguments");
}

RC_FUNC_DEFINE(compact, "list:list(string)", 0)
{
  struct rc_value *r = rc_value_seq_new(RC_LIST);
  for (size_t i = 0; i < rc_value_len(args[0]); i++) {
    const struct rc_value *e = rc_value_index(args[0], i);
    if (!rc_value_is_null(e) && rc_value_strlen(e) > 0) rc_value_seq_push(r, rc_value_incref(e));
  }
  return r;
}

RC_FUNC_DEFINE(concat, "...seqs:any", RC_FN_PARTIAL)
{
  bool all_lists = true;
  for (size_t a = 0; a < nargs; a++) {
    if (!rc_value_is_seq(args[a]))
      return rc_func_error(ctx, (int)a, "all arguments must be lists or tuples; got %s",
                           rc_value_kind_name(rc_value_kind(args[a])));
    if (rc_value_kind(args[a]) != RC_LIST) all_lists = false;
  }
  if (all_lists && nargs > 1)
    for (size_t a = 1; a < nargs && all_lists; a++)
      if (rc_value_len(args[a]) && rc_value_len(args[0]) &&
          !rc_convert_same_type(rc_value_index(args[a], 0), rc_value_index(args[0], 0)))
        all_lists = false;
  struct rc_value *r = rc_value_seq_new(all_lists && nargs ? RC_LIST : RC_TUPLE);
  for (size_t a = 0; a < nargs; a++)
    for (size_t i = 0; i < rc_value_len(args[a]); i++)
      rc_value_seq_push(r, rc_value_incref(rc_value_index(args[a], i)));
  return r;
}

RC_FUNC_DEFINE(contains, "list:any,value:any?", RC_FN_PARTIAL)
{
  if (!rc_value_is_seq(args[0])) return rc_func_error(ctx, 0, "argument must be list, tuple, or set");
  if (!rc_value_is_wholly_known(args[1])) return rc_value_unknown();
  bool unknown = false;
  for (size_t i = 0; i < rc_value_len(args[0]); i++) {
    const struct rc_value *e = rc_value_index(args[0], i);
    if (!rc_value_is_wholly_known(e)) {
      unknown = true;
      continue;
    }
    if (rc_value_equal(e, args[1])) return rc_value_bool(true);
    if (rc_value_kind(e) == RC_STRING && rc_value_kind(args[1]) == RC_NUMBER) {
      /* the value converts to the list's element type as in cty */
      struct rc_value *c = rc_convert_to_string(args[1], NULL);
      bool eq = c && rc_value_equal(e, c);
      rc_value_decref(c);
      if (eq) return rc_value_bool(true);
    }
  }
  return unknown ? rc_value_unknown() : rc_value_bool(false);
}

RC_FUNC_DEFINE(distinct, "list:list(any)", 0)
{
  struct rc_value *r = rc_value_seq_new(RC_LIST);
  size_t n = rc_value_len(args[0]);
  for (size_t i = 0; i < n; i++) {
    const struct rc_value *e = rc_value_index(args[0], i);
    bool seen = false;
    for (size_t j = 0; j < i && !seen; j++) seen = rc_value_equal(e, rc_value_index(args[0], j));
    if (!seen) rc_value_seq_push(r, rc_value_incref(e));
  }
  return r;
}

RC_FUNC_DEFINE(element, "list:any,index:number", RC_FN_PARTIAL)
{
  const struct rc_value *l = args[0];
  if (rc_value_kind(l) == RC_SET)
    return rc_func_error(ctx, 0, "cannot read elements from set");
  if (!rc_value_is_seq(l)) return rc_func_error(ctx, 0, "list or tuple required");
  int64_t idx;
  if (!rc_func__get_int(args[1], &idx)) return rc_func_error(ctx, 1, "invalid index");
  size_t n = rc_value_len(l);
  if (n == 0) return rc_func_error(ctx, -1, "cannot use element function with an empty list");
  if (idx < 0) return rc_func_error(ctx, 1, "cannot use element function with a negative index");
  return rc_value_incref(rc_value_index(l, (size_t)idx % n));
}

static bool flatten_into(struct rc_value *out, const struct rc_value *v, int depth)
{
  for (size_t i = 0; i < rc_value_len(v); i++) {
    const struct rc_value *e = rc_value_index(v, i);
    if (!rc_value_is_known(e)) return false;
    if (rc_value_is_seq(e) && depth < 256) {
      if (!flatten_into(out, e, depth + 1)) return false;
    } else {
      rc_value_seq_push(out, rc_value_incref(e));
    }
  }
  return true;
}

RC_FUNC_DEFINE(flatten, "list:any", RC_FN_PARTIAL)
{
  if (!rc_value_is_seq(args[0]))
    return rc_func_error(ctx, 0, "can only flatten lists, sets and tuples");
  struct rc_value *r = rc_value_seq_new(RC_TUPLE);
  if (!flatten_into(r, args[0], 0)) {
    rc_value_decref(r);
    return rc_value_unknown();
  }
  return r;
}

RC_FUNC_DEFINE(index, "list:any,value:any", 0)
{
  if (!rc_value_is_seq(args[0]) || rc_value_kind(args[0]) == RC_SET)
    return rc_func_error(ctx, 0, "argument must be a list or tuple");
  for (size_t i = 0; i < rc_value_len(args[0]); i++)
    if (rc_value_equal(rc_value_index(args[0], i), args[1])) return rc_value_int((int64_t)i);
  return rc_func_error(ctx, -1, "item not found");
}

RC_FUNC_DEFINE(keys, "inputMap:any", RC_FN_PARTIAL)
{
  if (!rc_value_is_obj(args[0])) return rc_func_error(ctx, 0, "must have map or object type");
  struct rc_value *r = rc_value_seq_new(RC_LIST);
  for (size_t i = 0; i < rc_value_len(args[0]); i++)
    rc_value_seq_push(r, rc_value_string(rc_value_key(args[0], i)));
  return r;
}

RC_FUNC_DEFINE(values, "mapping:any", RC_FN_PARTIAL)
{
  if (!rc_value_is_obj(args[0])) return rc_func_error(ctx, 0, "must have map or object type");
  struct rc_value *r = rc_value_seq_new(rc_value_kind(args[0]) == RC_MAP ? RC_LIST : RC_TUPLE);
  for (size_t i = 0; i < rc_value_len(args[0]); i++)
    rc_value_seq_push(r, rc_value_incref(rc_value_index(args[0], i)));
  return r;
}

RC_FUNC_DEFINE(length, "value:any", RC_FN_PARTIAL)
{
  const struct rc_value *v = args[0];
  if (rc_value_kind(v) == RC_STRING)
    return rc_value_int((int64_t)rc_func__utf8_len(rc_value_str(v), rc_value_strlen(v)));
  if (rc_value_is_seq(v) || rc_value_is_obj(v)) {
    if (rc_value_kind(v) == RC_SET && !rc_value_is_wholly_known(v)) return rc_value_unknown();
    return rc_value_int((int64_t)rc_value_len(v));
  }
  return rc_func_error(ctx, 0, "argument must be a string, a collection type, or a structural type");
}

RC_FUNC_DEFINE(lookup, "inputMap:any,key:string,default:any?!", RC_FN_PARTIAL)
{
  if (!rc_value_is_obj(args[0]))
    return rc_func_error(ctx, 0, "the given value is not a map or object");
  const struct rc_value *v = rc_value_get(args[0], rc_value_str(args[1]));
  if (v) return rc_value_incref(v);
  if (nargs == 3) return rc_value_incref(args[2]);
  return rc_func_error(ctx, -1, "lookup failed to find key \"%s\"", rc_value_str(args[1]));
}

RC_FUNC_DEFINE(matchkeys, "values:list(any),keys:list(any),searchset:list(any)", 0)
{
  if (rc_value_len(args[0]) != rc_value_len(args[1]))
    return rc_func_error(ctx, -1, "length of keys and values should be equal");
  struct rc_value *r = rc_value_seq_new(RC_LIST);
  for (size_t i = 0; i < rc_value_len(args[1]); i++) {
    const struct rc_value *k = rc_value_index(args[1], i);
    for (size_t j = 0; j < rc_value_len(args[2]); j++) {
      const struct rc_value *s = rc_value_index(args[2], j);
      bool eq = rc_value_equal(k, s);
      if (!eq && rc_value_kind(k) != rc_value_kind(s)) { /* compare as strings, as cty unifies */
        struct rc_value *a = rc_convert_to_string(k, NULL), *b = rc_convert_to_string(s, NULL);
        eq = a && b && rc_value_equal(a, b);
        rc_value_decref(a);
        rc_value_decref(b);
      }
      if (eq) {
        rc_value_seq_push(r, rc_value_incref(rc_value_index(args[0], i)));
        break;
      }
    }
  }
  return r;
}

RC_FUNC_DEFINE(merge, "...maps:any?", RC_FN_PARTIAL)
{
  bool all_maps = true;
  for (size_t a = 0; a < nargs; a++) {
    if (rc_value_is_null(args[a])) continue;
    if (!rc_value_is_obj(args[a]))
      return rc_func_error(ctx, (int)a, "arguments must be maps or objects, got \"%s\"",
                           rc_value_kind_name(rc_value_kind(args[a])));
    if (rc_value_kind(args[a]) != RC_MAP) all_maps = false;
  }
  struct rc_value *r = rc_value_obj_new(all_maps ? RC_MAP : RC_OBJECT);
  for (size_t a = 0; a < nargs; a++)
    for (size_t i = 0; i < rc_value_len(args[a]); i++)
      rc_value_obj_put(r, rc_value_key(args[a], i), rc_value_incref(rc_value_index(args[a], i)));
  return r;
}

RC_FUNC_DEFINE(one, "list:any", RC_FN_PARTIAL)
{
  if (!rc_value_is_seq(args[0]))
    return rc_func_error(ctx, 0, "must be a list, set, or tuple value");
  size_t n = rc_value_len(args[0]);
  if (n == 0) return rc_value_null();
  if (n == 1) return rc_value_incref(rc_value_index(args[0], 0));
  return rc_func_error(ctx, 0, "must be a list, set, or tuple value with either zero or one "
                               "elements");
}
