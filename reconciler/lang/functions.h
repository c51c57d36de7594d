/* functions — Terraform's built-in functions, one table {name, fn, min_args,
 * max_args} (jq builtin.c function_list[]). Behaviour follows opentofu's
 * website/docs/language/functions/ one by one.
 *
 * Conventions for every function:
 *  - args are borrowed; the result is a new reference, or NULL after calling
 *    rc_func_error (the evaluator turns it into a diagnostic at the call's
 *    range, naming the function).
 *  - If any argument is unknown (or contains an unknown where the function
 *    must look inside), the result is rc_value_unknown(), except where
 *    Terraform's function can still answer (length of a tuple of unknowns).
 *  - If any argument is sensitive, the result is sensitive.
 *  - Non-deterministic functions (uuid, timestamp) return unknown at plan:
 *    ctx->plan_time is true then. */
#ifndef RC_FUNCTIONS_H
#define RC_FUNCTIONS_H
#include <stdbool.h>
#include <stddef.h>
#include "rc_value.h"

struct rc_func_ctx {
  const char *base_dir; /* root module directory: relative paths of file() etc. */
  bool plan_time;       /* true: uuid()/timestamp() are unknown */
  char *error;          /* set by rc_func_error; owned by the caller of fn */
  int error_arg;        /* index of the offending argument, -1 for the call */
  /* templatefile() needs the template engine; the evaluator provides it. */
  struct rc_value *(*render_template)(void *ud, const char *text, size_t len,
                                      const char *filename,
                                      const struct rc_value *vars, char **error);
  void *render_ud;
};

typedef struct rc_value *(*rc_func_fn)(struct rc_func_ctx *ctx, struct rc_value *const *args,
                                       size_t nargs);

struct rc_func {
  const char *name;
  rc_func_fn fn;
  int min_args;
  int max_args; /* -1: variadic */
};

/* NULL when there is no such function. */
const struct rc_func *rc_func_lookup(const char *name);
/* Closest function name to a misspelt one, or NULL. */
const char *rc_func_suggest(const char *name);
/* Records an error message for the current call; returns NULL for `return`. */
struct rc_value *rc_func_error(struct rc_func_ctx *ctx, int arg, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
