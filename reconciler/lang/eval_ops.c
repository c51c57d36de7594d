/* eval_ops — HCL operators with Terraform's semantics: arithmetic exact on
 * int64 where it fits (else double), comparisons, equality on any values,
 * logic on bools, the conditional; primitive conversions (string ↔ number ↔
 * bool) where HCL does them. Unknown and sensitive marks propagate. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eval_int.h"
#include "rc_alloc.h"

/* --- primitive conversions --- */

struct rc_value *rc_eval__to_number(const struct rc_value *v)
{
  bool sens = rc_value_is_sensitive(v);
  if (rc_value_kind(v) == RC_NUMBER) return rc_value_incref(v);
  if (rc_value_kind(v) != RC_STRING) return NULL;
  const char *s = rc_value_str(v);
  size_t n = rc_value_strlen(v);
  if (n == 0 || n > 400 || strlen(s) != n) return NULL;
  /* HCL accepts decimal numbers only: no hex, no inf/nan, no spaces */
  for (size_t i = 0; i < n; i++)
    if (!strchr("0123456789+-.eE", s[i])) return NULL;
  char *end;
  errno = 0;
  long long ll = strtoll(s, &end, 10);
  if (*end == '\0' && errno == 0) return rc_eval__mark(rc_value_int(ll), sens);
  errno = 0;
  double d = strtod(s, &end);
  if (*end != '\0' || !isfinite(d)) return NULL;
  return rc_eval__mark(rc_value_number(d), sens);
}

struct rc_value *rc_eval__to_bool(const struct rc_value *v)
{
  bool sens = rc_value_is_sensitive(v);
  if (rc_value_kind(v) == RC_BOOL) return rc_value_incref(v);
  if (rc_value_kind(v) != RC_STRING) return NULL;
  if (strcmp(rc_value_str(v), "true") == 0) return rc_eval__mark(rc_value_bool(true), sens);
  if (strcmp(rc_value_str(v), "false") == 0) return rc_eval__mark(rc_value_bool(false), sens);
  return NULL;
}

struct rc_value *rc_eval__to_string(const struct rc_value *v)
{
  bool sens = rc_value_is_sensitive(v);
  switch (rc_value_kind(v)) {
  case RC_STRING:
    return rc_value_incref(v);
  case RC_NUMBER: {
    char tmp[64];
    rc_value_format_number(v, tmp, sizeof tmp);
    return rc_eval__mark(rc_value_string(tmp), sens);
  }
  case RC_BOOL:
    return rc_eval__mark(rc_value_string(rc_value_bool_get(v) ? "true" : "false"), sens);
  default:
    return NULL;
  }
}

/* --- operand checks --- */

static const char *side_name(int side) { return side == 0 ? "left operand" : "right operand"; }

/* Converts operand to the op's type; NULL after a diagnostic. Unknown passes. */
static struct rc_value *operand(struct rc_ev *ev, const struct rc_expr *x, struct rc_value *v,
                                enum rc_kind want, int side, bool unary)
{
  if (!rc_value_is_known(v)) return rc_value_incref(v);
  const char *what = want == RC_NUMBER ? "a number" : "a bool";
  if (rc_value_is_null(v)) {
    rc_diags_add(ev->ds, RC_DIAG_ERROR, &x->range, "Invalid operand",
                 "Unsuitable value for %s: %s is required, but a null value was given.",
                 unary ? "unary operand" : side_name(side), what);
    return NULL;
  }
  struct rc_value *c = want == RC_NUMBER ? rc_eval__to_number(v) : rc_eval__to_bool(v);
  if (!c)
    rc_diags_add(ev->ds, RC_DIAG_ERROR, &x->range, "Invalid operand",
                 "Unsuitable value for %s: %s is required.",
                 unary ? "unary operand" : side_name(side), what);
  return c;
}

/* --- unary --- */

struct rc_value *rc_eval__unary(struct rc_ev *ev, const struct rc_expr *e)
{
  struct rc_value *v = rc_eval__expr(ev, e->u.op.a, NULL);
  if (!v) return NULL;
  bool num = e->u.op.op == RC_OP_NEG;
  struct rc_value *c = operand(ev, e->u.op.a, v, num ? RC_NUMBER : RC_BOOL, 0, true);
  bool sens = rc_value_is_sensitive(v);
  rc_value_decref(v);
  if (!c) return NULL;
  struct rc_value *r;
  if (!rc_value_is_known(c))
    r = rc_value_unknown();
  else if (!num)
    r = rc_value_bool(!rc_value_bool_get(c));
  else if (rc_value_is_int(c) && rc_value_int_get(c) != INT64_MIN)
    r = rc_value_int(-rc_value_int_get(c));
  else
    r = rc_value_number(-rc_value_number_get(c));
  rc_value_decref(c);
  return rc_eval__mark(r, sens);
}

/* --- binary --- */

static struct rc_value *arith(struct rc_ev *ev, const struct rc_expr *e, const struct rc_value *a,
                              const struct rc_value *b)
{
  enum rc_op op = e->u.op.op;
  bool ints = rc_value_is_int(a) && rc_value_is_int(b);
  int64_t x = ints ? rc_value_int_get(a) : 0, y = ints ? rc_value_int_get(b) : 0, z;
  double da = rc_value_number_get(a), db = rc_value_number_get(b);
  switch (op) {
  case RC_OP_ADD:
    if (ints && !__builtin_add_overflow(x, y, &z)) return rc_value_int(z);
    return rc_value_number(da + db);
  case RC_OP_SUB:
    if (ints && !__builtin_sub_overflow(x, y, &z)) return rc_value_int(z);
    return rc_value_number(da - db);
  case RC_OP_MUL:
    if (ints && !__builtin_mul_overflow(x, y, &z)) return rc_value_int(z);
    return rc_value_number(da * db);
  case RC_OP_DIV:
  case RC_OP_MOD:
    if (db == 0) {
      rc_diags_add(ev->ds, RC_DIAG_ERROR, &e->range, "Operation failed",
                   "Error during operation: can't %s zero.",
                   op == RC_OP_DIV ? "divide by" : "compute the modulo of a number by");
      return NULL;
    }
    if (op == RC_OP_DIV) {
      if (ints && !(x == INT64_MIN && y == -1) && x % y == 0) return rc_value_int(x / y);
      return rc_value_number(da / db);
    }
    if (ints && !(x == INT64_MIN && y == -1)) return rc_value_int(x % y);
    return rc_value_number(fmod(da, db));
  default:
    break;
  }
  int c = 0;
  if (ints)
    c = (x > y) - (x < y);
  else
    c = (da > db) - (da < db);
  switch (op) {
  case RC_OP_LT: return rc_value_bool(c < 0);
  case RC_OP_LE: return rc_value_bool(c <= 0);
  case RC_OP_GT: return rc_value_bool(c > 0);
  default: return rc_value_bool(c >= 0);
  }
}

struct rc_value *rc_eval__binary(struct rc_ev *ev, const struct rc_expr *e)
{
  enum rc_op op = e->u.op.op;
  struct rc_value *a = rc_eval__expr(ev, e->u.op.a, NULL);
  if (!a) return NULL;
  struct rc_value *b = rc_eval__expr(ev, e->u.op.b, NULL);
  if (!b) {
    rc_value_decref(a);
    return NULL;
  }
  struct rc_value *r = NULL;
  if (op == RC_OP_EQ || op == RC_OP_NE) {
    bool sens = rc_value_has_sensitive(a) || rc_value_has_sensitive(b);
    if (!rc_value_is_wholly_known(a) || !rc_value_is_wholly_known(b)) {
      r = rc_value_unknown();
    } else {
      bool eq = rc_value_equal(a, b);
      r = rc_value_bool(op == RC_OP_EQ ? eq : !eq);
    }
    r = rc_eval__mark(r, sens);
    goto out;
  }
  bool logic = op == RC_OP_AND || op == RC_OP_OR;
  bool sens = rc_value_is_sensitive(a) || rc_value_is_sensitive(b);
  struct rc_value *ca = operand(ev, e->u.op.a, a, logic ? RC_BOOL : RC_NUMBER, 0, false);
  struct rc_value *cb = operand(ev, e->u.op.b, b, logic ? RC_BOOL : RC_NUMBER, 1, false);
  if (ca && cb) {
    /* hcl 2.20: a known left operand that decides && or || wins over an
     * unknown right one (false && x is false, true || x is true) */
    if (logic && rc_value_is_known(ca) && rc_value_bool_get(ca) == (op == RC_OP_OR))
      r = rc_value_bool(op == RC_OP_OR);
    else if (!rc_value_is_known(ca) || !rc_value_is_known(cb))
      r = rc_value_unknown();
    else if (op == RC_OP_AND)
      r = rc_value_bool(rc_value_bool_get(ca) && rc_value_bool_get(cb));
    else if (op == RC_OP_OR)
      r = rc_value_bool(rc_value_bool_get(ca) || rc_value_bool_get(cb));
    else
      r = arith(ev, e, ca, cb);
    r = rc_eval__mark(r, sens);
  }
  rc_value_decref(ca);
  rc_value_decref(cb);
out:
  rc_value_decref(a);
  rc_value_decref(b);
  return r;
}

/* --- conditional --- */

static bool is_prim(const struct rc_value *v)
{
  enum rc_kind k = rc_value_kind(v);
  return k == RC_STRING || k == RC_NUMBER || k == RC_BOOL;
}

/* HCL unifies the two result types: a string with a number or bool makes both
 * strings. Steals v. */
static struct rc_value *unify(struct rc_value *v, const struct rc_value *other)
{
  if (!rc_value_is_known(v) || !rc_value_is_known(other)) return v;
  if (is_prim(v) && is_prim(other) && rc_value_kind(v) != rc_value_kind(other) &&
      (rc_value_kind(v) == RC_STRING || rc_value_kind(other) == RC_STRING)) {
    struct rc_value *s = rc_eval__to_string(v);
    rc_value_decref(v);
    return s;
  }
  return v;
}

struct rc_value *rc_eval__cond(struct rc_ev *ev, const struct rc_expr *e)
{
  struct rc_value *c = rc_eval__expr(ev, e->u.cond.cond, NULL);
  if (!c) return NULL;
  /* HCL evaluates both results but reports only the chosen one's errors, so
   * `var.x != null ? var.x.a : ""` works */
  struct rc_diags td = {0}, fd = {0};
  struct rc_diags *saved = ev->ds;
  ev->ds = &td;
  struct rc_value *t = rc_eval__expr(ev, e->u.cond.then_e, NULL);
  ev->ds = &fd;
  struct rc_value *f = rc_eval__expr(ev, e->u.cond.else_e, NULL);
  ev->ds = saved;
  struct rc_value *r = NULL;
  bool sens = rc_value_is_sensitive(c);
  if (rc_value_is_null(c)) {
    rc_diags_add(ev->ds, RC_DIAG_ERROR, &e->u.cond.cond->range, "Null condition",
                 "The condition value is null. Conditions must either be true or false.");
    goto out;
  }
  if (!rc_value_is_known(c)) {
    rc_eval__merge_diags(ev->ds, &td);
    rc_eval__merge_diags(ev->ds, &fd);
    if (t && f && td.errors == 0 && fd.errors == 0) r = rc_eval__mark(rc_value_unknown(), sens);
    goto out;
  }
  struct rc_value *cb = rc_eval__to_bool(c);
  if (!cb) {
    rc_diags_add(ev->ds, RC_DIAG_ERROR, &e->u.cond.cond->range, "Incorrect condition type",
                 "The condition expression must be of type bool.");
    goto out;
  }
  bool which = rc_value_bool_get(cb);
  rc_value_decref(cb);
  rc_eval__merge_diags(ev->ds, which ? &td : &fd);
  if (which && t && td.errors == 0) {
    r = f ? unify(t, f) : t;
    t = NULL;
  } else if (!which && f && fd.errors == 0) {
    r = t ? unify(f, t) : f;
    f = NULL;
  }
  r = rc_eval__mark(r, sens);
out:
  rc_diags_free(&td);
  rc_diags_free(&fd);
  rc_value_decref(c);
  rc_value_decref(t);
  rc_value_decref(f);
  return r;
}
