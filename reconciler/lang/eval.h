/* eval — the expression evaluator: HCL operators and conversions with
 * Terraform's semantics; unknown and sensitive marks propagate through every
 * operator and function.
 *
 * Ownership: rc_eval returns a new reference, or NULL after adding at least
 * one error diagnostic (with the offending range) to ds. */
#ifndef RC_EVAL_H
#define RC_EVAL_H
#include "ast.h"
#include "rc_diag.h"
#include "rc_value.h"

struct rc_scope;
/* Resolves a root name (var, local, module, data, count, each, path,
 * terraform, self, or a resource type). Returns a new reference, or NULL
 * after adding a diagnostic at range (e.g. `Reference to undeclared input
 * variable`). The returned value is the whole root object (e.g. all of var);
 * the evaluator applies the attribute traversals. */
typedef struct rc_value *(*rc_scope_lookup_fn)(void *ud, const char *root,
                                               const struct rc_expr *ref,
                                               const struct rc_range *range,
                                               struct rc_diags *ds);
struct rc_scope {
  rc_scope_lookup_fn lookup;
  void *ud;
  const char *base_dir;   /* for file(), templatefile(): the root module dir */
  const struct rc_scope *parent;
  bool plan_time;         /* root scope: uuid()/timestamp() are unknown */
  /* names bound by a for expression or a dynamic block iterator */
  const char *bind_name[2];
  struct rc_value *bind_val[2];
};

struct rc_value *rc_eval(const struct rc_expr *e, const struct rc_scope *scope,
                         struct rc_diags *ds);

/* The static names of a traversal from its root: for aws_vpc.main.id[0] (ref
 * = the outermost GETATTR/INDEX node given to a lookup) fills parts with
 * "aws_vpc","main","id","0" up to max and returns how many; ranges[i] (may be
 * NULL) gets the range of each part. A non-literal index stops the walk. */
size_t rc_eval_ref_parts(const struct rc_expr *ref, const char **parts,
                         struct rc_range *ranges, size_t max, char numbuf[][24]);

/* Renders template text (templatefile()) with vars (an object whose attributes
 * are the template's names). New reference, or NULL with *error set (caller
 * frees with rc_free). base_dir is for file() calls inside the template. */
struct rc_value *rc_eval_template_text(const char *text, size_t len, const char *filename,
                                       const struct rc_value *vars, const char *base_dir,
                                       bool plan_time, char **error);

#endif
