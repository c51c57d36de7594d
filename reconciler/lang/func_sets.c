/* func_sets.c — range, reverse, slice, sort, sum, transpose, zipmap and the
 * set functions (setintersection setproduct setsubtract setunion), after cty
 * stdlib/collection.go and set.go. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "func_internal.h"
#include "rc_limits.h"

RC_FUNC_DEFINE(range, "...params:number", 0)
{
  double start = 0, end, step = 1;
  if (nargs == 1) {
    end = rc_value_number_get(args[0]);
    step = end < 0 ? -1 : 1;
  } else {
    start = rc_value_number_get(args[0]);
    end = rc_value_number_get(args[1]);
    step = end < start ? -1 : 1;
    if (nargs == 3) step = rc_value_number_get(args[2]);
  }
  if (nargs > 3) return rc_func_error(ctx, -1, "must have one, two, or three arguments");
  if (step == 0) return rc_func_error(ctx, 2, "step must not be zero");
  bool down = step < 0;
  if (down && end > start)
    return rc_func_error(ctx, 1, "end must be less than start when step is negative");
  if (!down && end < start)
    return rc_func_error(ctx, 1, "end must be greater than start when step is positive");
  struct rc_value *r = rc_value_seq_new(RC_LIST);
  size_t count = 0;
  for (double num = start; down ? num > end : num < end; num = start + step * (double)count) {
    if (count >= RC_LIMIT_RANGE_ELEMS) {
      rc_value_decref(r);
      return rc_func_error(ctx, -1, "more than %d values were generated; either decrease the "
                                    "difference between start and end or use a smaller step",
                           RC_LIMIT_RANGE_ELEMS);
    }
    rc_value_seq_push(r, rc_value_number(num));
    count++;
  }
  return r;
}

RC_FUNC_DEFINE(reverse, "list:any", RC_FN_PARTIAL)
{
  enum rc_kind k = rc_value_kind(args[0]);
  if (k == RC_SET) return rc_func_error(ctx, 0, "can only reverse list or tuple values, not set");
  if (k != RC_LIST && k != RC_TUPLE) return rc_func_error(ctx, 0, "can only reverse list or tuple values");
  struct rc_value *r = rc_value_seq_new(k);
  for (size_t i = rc_value_len(args[0]); i > 0; i--)
    rc_value_seq_push(r, rc_value_incref(rc_value_index(args[0], i - 1)));
  return r;
}

RC_FUNC_DEFINE(slice, "list:any,start_index:number,end_index:number", RC_FN_PARTIAL)
{
  enum rc_kind k = rc_value_kind(args[0]);
  if (k != RC_LIST && k != RC_TUPLE) return rc_func_error(ctx, 0, "must be a list or tuple value");
  int64_t s, e, n = (int64_t)rc_value_len(args[0]);
  if (!rc_func__get_int(args[1], &s)) return rc_func_error(ctx, 1, "invalid start index");
  if (!rc_func__get_int(args[2], &e)) return rc_func_error(ctx, 2, "invalid end index");
  if (s < 0) return rc_func_error(ctx, 1, "start index must not be less than zero");
  if (e > n) return rc_func_error(ctx, 2, "end index must not be greater than the length of the list");
  if (s > e) return rc_func_error(ctx, 1, "start index must not be greater than end index");
  struct rc_value *r = rc_value_seq_new(k);
  for (int64_t i = s; i < e; i++) rc_value_seq_push(r, rc_value_incref(rc_value_index(args[0], (size_t)i)));
  return r;
}

static int cmp_str(const void *a, const void *b)
{
  return rc_value_compare(*(struct rc_value *const *)a, *(struct rc_value *const *)b);
}

RC_FUNC_DEFINE(sort, "list:list(string)", 0)
{
  size_t n = rc_value_len(args[0]);
  struct rc_value **items = rc_malloc((n ? n : 1) * sizeof *items);
  for (size_t i = 0; i < n; i++) {
    items[i] = (struct rc_value *)rc_value_index(args[0], i);
    if (rc_value_is_null(items[i])) {
      rc_free(items);
      return rc_func_error(ctx, 0, "given list element %zu is null; a null collection cannot be "
                                   "sorted", i);
    }
  }
  qsort(items, n, sizeof *items, cmp_str);
  struct rc_value *r = rc_value_seq_new(RC_LIST);
  for (size_t i = 0; i < n; i++) rc_value_seq_push(r, rc_value_incref(items[i]));
  rc_free(items);
  return r;
}

RC_FUNC_DEFINE(sum, "list:any", 0)
{
  if (!rc_value_is_seq(args[0]))
    return rc_func_error(ctx, 0, "argument must be list, set, or tuple. Received %s",
                         rc_value_kind_name(rc_value_kind(args[0])));
  size_t n = rc_value_len(args[0]);
  if (n == 0) return rc_func_error(ctx, 0, "cannot sum an empty list");
  int64_t isum = 0;
  double dsum = 0;
  bool exact = true;
  for (size_t i = 0; i < n; i++) {
    char *err = NULL;
    const struct rc_value *e = rc_value_index(args[0], i);
    if (rc_value_is_null(e)) return rc_func_error(ctx, 0, "argument must be list, set, or tuple of number values");
    struct rc_value *num = rc_convert_to_number(e, &err);
    rc_free(err);
    if (!num) return rc_func_error(ctx, 0, "argument must be list, set, or tuple of number values");
    if (exact && rc_value_is_int(num) && !__builtin_add_overflow(isum, rc_value_int_get(num), &isum))
      ;
    else
      exact = false;
    dsum += rc_value_number_get(num);
    rc_value_decref(num);
  }
  return exact ? rc_value_int(isum) : rc_value_number(dsum);
}

RC_FUNC_DEFINE(transpose, "values:map(list(string))", 0)
{
  struct rc_value *r = rc_value_obj_new(RC_MAP);
  for (size_t i = 0; i < rc_value_len(args[0]); i++) {
    const struct rc_value *l = rc_value_index(args[0], i);
    for (size_t j = 0; j < rc_value_len(l); j++) {
      const struct rc_value *e = rc_value_index(l, j);
      if (rc_value_is_null(e)) continue;
      const struct rc_value *cur = rc_value_get(r, rc_value_str(e));
      struct rc_value *nl = cur ? rc_value_copy(cur) : rc_value_seq_new(RC_LIST);
      rc_value_seq_push(nl, rc_value_string(rc_value_key(args[0], i)));
      rc_value_obj_put(r, rc_value_str(e), nl);
    }
  }
  return r;
}

RC_FUNC_DEFINE(zipmap, "keys:list(string),values:any", RC_FN_PARTIAL)
{
  enum rc_kind k = rc_value_kind(args[1]);
  if (k != RC_LIST && k != RC_TUPLE) return rc_func_error(ctx, 1, "must be a list or tuple value");
  size_t nk = rc_value_len(args[0]), nv = rc_value_len(args[1]);
  if (nk != nv)
    return rc_func_error(ctx, -1, "number of keys (%zu) does not match number of values (%zu)", nk, nv);
  for (size_t i = 0; i < nk; i++) {
    const struct rc_value *key = rc_value_index(args[0], i);
    if (!rc_value_is_known(key)) return rc_value_unknown();
    if (rc_value_is_null(key)) return rc_func_error(ctx, 0, "keys list has null value at index %zu", i);
  }
  struct rc_value *r = rc_value_obj_new(k == RC_LIST ? RC_MAP : RC_OBJECT);
  for (size_t i = 0; i < nk; i++)
    rc_value_obj_put(r, rc_value_str(rc_value_index(args[0], i)), rc_value_incref(rc_value_index(args[1], i)));
  return r;
}

/* The sets given, their elements converted to one unified element type. */
static struct rc_value **unified_sets(struct rc_func_ctx *ctx, struct rc_value *const *args,
                                      size_t nargs)
{
  for (size_t a = 0; a < nargs; a++)
    if (!rc_value_is_seq(args[a])) {
      rc_func_error(ctx, (int)a, "set of any single type required");
      return NULL;
    }
  struct rc_value **sets = rc_malloc(nargs * sizeof *sets);
  for (size_t a = 0; a < nargs; a++) {
    sets[a] = rc_convert_to_set(args[a], NULL);
    if (!sets[a]) {
      rc_func__free_values(sets, a);
      rc_func_error(ctx, (int)a, "given sets must all have compatible element types");
      return NULL;
    }
  }
  struct rc_value **u = rc_func__unify(ctx, sets, nargs, "given sets' elements");
  rc_func__free_values(sets, nargs);
  if (!u) {
    if (ctx->error) {
      rc_free(ctx->error);
      ctx->error = NULL;
    }
    rc_func_error(ctx, -1, "given sets must all have compatible element types");
    return NULL;
  }
  for (size_t a = 0; a < nargs; a++) {
    struct rc_value *s = rc_func__seq_as(u[a], RC_SET);
    rc_value_decref(u[a]);
    u[a] = s;
  }
  return u;
}

static bool set_has(const struct rc_value *set, const struct rc_value *v)
{
  for (size_t i = 0; i < rc_value_len(set); i++)
    if (rc_value_equal(rc_value_index(set, i), v)) return true;
  return false;
}

RC_FUNC_DEFINE(setunion, "first_set:any,...other_sets:any", 0)
{
  struct rc_value **u = unified_sets(ctx, args, nargs);
  if (!u) return NULL;
  struct rc_value *r = rc_value_seq_new(RC_SET);
  for (size_t a = 0; a < nargs; a++)
    for (size_t i = 0; i < rc_value_len(u[a]); i++) rc_value_seq_push(r, rc_value_incref(rc_value_index(u[a], i)));
  rc_func__free_values(u, nargs);
  return rc_value_seq_seal(r);
}

RC_FUNC_DEFINE(setintersection, "first_set:any,...other_sets:any", 0)
{
  struct rc_value **u = unified_sets(ctx, args, nargs);
  if (!u) return NULL;
  struct rc_value *r = rc_value_seq_new(RC_SET);
  for (size_t i = 0; i < rc_value_len(u[0]); i++) {
    const struct rc_value *e = rc_value_index(u[0], i);
    bool all = true;
    for (size_t a = 1; a < nargs && all; a++) all = set_has(u[a], e);
    if (all) rc_value_seq_push(r, rc_value_incref(e));
  }
  rc_func__free_values(u, nargs);
  return rc_value_seq_seal(r);
}

RC_FUNC_DEFINE(setsubtract, "a:any,b:any", 0)
{
  struct rc_value **u = unified_sets(ctx, args, nargs);
  if (!u) return NULL;
  struct rc_value *r = rc_value_seq_new(RC_SET);
  for (size_t i = 0; i < rc_value_len(u[0]); i++)
    if (!set_has(u[1], rc_value_index(u[0], i))) rc_value_seq_push(r, rc_value_incref(rc_value_index(u[0], i)));
  rc_func__free_values(u, nargs);
  return rc_value_seq_seal(r);
}

RC_FUNC_DEFINE(setproduct, "...sets:any", 0)
{
  bool any_set = false;
  size_t total = 1;
  for (size_t a = 0; a < nargs; a++) {
    if (!rc_value_is_seq(args[a]))
      return rc_func_error(ctx, (int)a, "a set or a list is required");
    if (rc_value_kind(args[a]) == RC_SET) any_set = true;
    size_t n = rc_value_len(args[a]);
    if (n && total > (size_t)RC_LIMIT_COUNT / n)
      return rc_func_error(ctx, -1, "the product has more than %d elements", RC_LIMIT_COUNT);
    total *= n;
  }
  struct rc_value *r = rc_value_seq_new(any_set ? RC_SET : RC_LIST);
  size_t *idx = rc_calloc(nargs ? nargs : 1, sizeof *idx);
  for (size_t k = 0; k < total; k++) {
    struct rc_value *t = rc_value_seq_new(RC_TUPLE);
    for (size_t a = 0; a < nargs; a++) rc_value_seq_push(t, rc_value_incref(rc_value_index(args[a], idx[a])));
    rc_value_seq_push(r, t);
    for (size_t a = nargs; a > 0; a--) {
      if (++idx[a - 1] < rc_value_len(args[a - 1])) break;
      idx[a - 1] = 0;
    }
  }
  rc_free(idx);
  return rc_value_seq_seal(r);
}
