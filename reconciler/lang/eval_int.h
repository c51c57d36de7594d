/* eval_int — helpers shared by the evaluator's files (eval.c: traversal,
 * calls, collections; eval_ops.c: operators and primitive conversions;
 * eval_template.c: templates, for expressions, templatefile).
 *
 * Ownership: every function returning struct rc_value * returns a new
 * reference, or NULL after adding an error to ev->ds. Arguments borrowed. */
#ifndef RC_EVAL_INT_H
#define RC_EVAL_INT_H
#include <stdbool.h>
#include "eval.h"

struct rc_ev {
  const struct rc_scope *scope;   /* innermost */
  struct rc_diags *ds;
  int depth;
  const struct rc_value *splat_item; /* current element inside a splat */
};

struct rc_value *rc_eval__expr(struct rc_ev *ev, const struct rc_expr *e,
                               const struct rc_expr *outer);
/* Evaluates e in a child scope binding up to two names. */
struct rc_value *rc_eval__bound(struct rc_ev *ev, const struct rc_expr *e, const char *n0,
                                struct rc_value *v0, const char *n1, struct rc_value *v1);

/* Operators (eval_ops.c). */
struct rc_value *rc_eval__unary(struct rc_ev *ev, const struct rc_expr *e);
struct rc_value *rc_eval__binary(struct rc_ev *ev, const struct rc_expr *e);
struct rc_value *rc_eval__cond(struct rc_ev *ev, const struct rc_expr *e);

/* Templates and for expressions (eval_template.c). */
struct rc_value *rc_eval__template(struct rc_ev *ev, const struct rc_expr *e);
struct rc_value *rc_eval__for(struct rc_ev *ev, const struct rc_expr *e);

/* Primitive conversions as HCL does them: NULL when v cannot convert (v must
 * be known and not null). Marks are kept. */
struct rc_value *rc_eval__to_number(const struct rc_value *v);
struct rc_value *rc_eval__to_bool(const struct rc_value *v);
struct rc_value *rc_eval__to_string(const struct rc_value *v);

/* Steals v; returns it marked sensitive when sens. */
struct rc_value *rc_eval__mark(struct rc_value *v, bool sens);

/* Copies every diagnostic of from into to. */
void rc_eval__merge_diags(struct rc_diags *to, const struct rc_diags *from);

/* Root scope of a chain. */
const struct rc_scope *rc_eval__root(const struct rc_scope *s);

#endif
