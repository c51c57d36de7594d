/* types — Terraform type constraints written as expressions in a variable's
 * `type` argument (string, number, bool, any, list(T), set(T), map(T),
 * tuple([T, ...]), object({a = T, b = optional(T, default)}), and the legacy
 * quoted "string" / "list" / "map"), turned into convert.h's struct rc_type;
 * and the conversion of a value to such a type with Terraform's messages.
 *
 * Ownership: rc_types_from_expr returns a type the caller frees with
 * rc_type_free; the expression is borrowed. Values are borrowed, results are
 * new references; error strings are rc_malloc'd (caller rc_free). */
#ifndef RC_TYPES_H
#define RC_TYPES_H
#include <stdbool.h>
#include "ast.h"
#include "convert.h"
#include "rc_diag.h"

/* The type written as e, or NULL after adding an "Invalid type
 * specification" diagnostic (with "did you mean" for a misspelt keyword).
 * optional() is accepted only directly inside object({...}); its default is
 * a constant expression converted to the attribute's type. */
struct rc_type *rc_types_from_expr(const struct rc_expr *e, struct rc_diags *ds);

/* v converted to t (defaults of optional attributes filled in), or NULL with
 * *err naming the path ("attribute \"cidr\": string required"). */
struct rc_value *rc_types_convert(const struct rc_value *v, const struct rc_type *t, char **err);

/* The constraint as written ("list(string)"); caller frees. */
char *rc_types_render(const struct rc_type *t);

#endif
