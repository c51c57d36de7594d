/* func_test_util — helpers for the built-in function tests: build values
 * from JSON, call a function by name (arguments stolen), compare results by
 * their jsonencode text, assert error messages. */
#ifndef FUNC_TEST_UTIL_H
#define FUNC_TEST_UTIL_H
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include "func_internal.h"
#include "functions.h"
#include "rc_alloc.h"

static char *g_err;
static int g_err_arg;
static bool g_plan_time;
static const char *g_base_dir;

/* A value from JSON text (arrays are tuples, objects objects). */
static __attribute__((unused)) struct rc_value *J(const char *json)
{
  struct rc_value *v = rc_value_parse_json(json, strlen(json), NULL);
  assert_non_null(v);
  return v;
}
static __attribute__((unused)) struct rc_value *S(const char *s) { return rc_value_string(s); }
static __attribute__((unused)) struct rc_value *N(double d) { return rc_value_number(d); }
static __attribute__((unused)) struct rc_value *B(bool b) { return rc_value_bool(b); }
static __attribute__((unused)) struct rc_value *U(void) { return rc_value_unknown(); }
static __attribute__((unused)) struct rc_value *NUL(void) { return rc_value_null(); }
/* A list / set / map from JSON. */
static __attribute__((unused)) struct rc_value *LIST(const char *json)
{
  struct rc_value *t = J(json), *l = rc_convert_to_list(t, NULL);
  assert_non_null(l);
  rc_value_decref(t);
  return l;
}
static __attribute__((unused)) struct rc_value *SET(const char *json)
{
  struct rc_value *t = J(json), *l = rc_convert_to_set(t, NULL);
  assert_non_null(l);
  rc_value_decref(t);
  return l;
}
static __attribute__((unused)) struct rc_value *MAP(const char *json)
{
  struct rc_value *t = J(json), *l = rc_convert_to_map(t, NULL);
  assert_non_null(l);
  rc_value_decref(t);
  return l;
}
/* Steals v, returns it marked sensitive. */
static __attribute__((unused)) struct rc_value *SENS(struct rc_value *v)
{
  struct rc_value *m = rc_value_mark_sensitive(v);
  rc_value_decref(v);
  return m;
}
/* A tuple of the given values (stolen), NULL-terminated. */
static __attribute__((unused)) struct rc_value *TUP(struct rc_value *first, ...)
{
  struct rc_value *t = rc_value_seq_new(RC_TUPLE);
  va_list ap;
  va_start(ap, first);
  for (struct rc_value *v = first; v; v = va_arg(ap, struct rc_value *)) rc_value_seq_push(t, v);
  va_end(ap);
  return t;
}

static __attribute__((unused)) struct rc_value *call_n(const char *name, size_t n, struct rc_value **args)
{
  const struct rc_func *f = rc_func_lookup(name);
  if (!f) fail_msg("no function %s", name);
  struct rc_func_ctx ctx = {.base_dir = g_base_dir, .plan_time = g_plan_time, .error_arg = -1};
  struct rc_value *r = f->fn(&ctx, args, n);
  rc_free(g_err);
  g_err = ctx.error;
  g_err_arg = ctx.error_arg;
  for (size_t i = 0; i < n; i++) rc_value_decref(args[i]);
  return r;
}

/* CALL("name", arg, arg, ...) — arguments stolen. */
#define CALL(name, ...)                                                                        \
  ({                                                                                           \
    struct rc_value *a_[] = {__VA_ARGS__};                                                     \
    call_n(name, sizeof a_ / sizeof *a_, a_);                                                  \
  })
#define CALL0(name) call_n(name, 0, NULL)

/* Asserts r is a value whose jsonencode text is want; consumes r. */
static __attribute__((unused)) void expect_json_impl(const char *want, struct rc_value *r, const char *file, int line)
{
  if (!r) fail_msg("%s:%d: expected %s, got error: %s", file, line, want, g_err ? g_err : "?");
  struct rc_buf b;
  rc_buf_init(&b, 0);
  rc_func__json_encode(r, &b);
  if (strcmp(b.ptr, want) != 0) fail_msg("%s:%d: expected %s, got %s", file, line, want, b.ptr);
  rc_buf_free(&b);
  rc_value_decref(r);
}
#define EXPECT(want, r) expect_json_impl(want, r, __FILE__, __LINE__)

/* Asserts r is a string equal to want; consumes r. */
static __attribute__((unused)) void expect_str_impl(const char *want, struct rc_value *r, const char *file, int line)
{
  if (!r) fail_msg("%s:%d: expected \"%s\", got error: %s", file, line, want, g_err ? g_err : "?");
  if (rc_value_kind(r) != RC_STRING) fail_msg("%s:%d: expected a string, got %s", file, line, rc_value_kind_name(rc_value_kind(r)));
  if (strcmp(rc_value_str(r), want) != 0)
    fail_msg("%s:%d: expected \"%s\", got \"%s\"", file, line, want, rc_value_str(r));
  rc_value_decref(r);
}
#define EXPECT_STR(want, r) expect_str_impl(want, r, __FILE__, __LINE__)

/* Asserts the call failed with a message containing want. */
static __attribute__((unused)) void expect_err_impl(const char *want, struct rc_value *r, const char *file, int line)
{
  if (r) {
    struct rc_buf b;
    rc_buf_init(&b, 0);
    rc_func__json_encode(r, &b);
    fail_msg("%s:%d: expected error \"%s\", got value %s", file, line, want, b.ptr);
  }
  if (!g_err || !strstr(g_err, want))
    fail_msg("%s:%d: expected error containing \"%s\", got \"%s\"", file, line, want, g_err ? g_err : "(none)");
}
#define EXPECT_ERR(want, r) expect_err_impl(want, r, __FILE__, __LINE__)

/* Asserts r is unknown (sens: and marked sensitive); consumes r. */
static __attribute__((unused)) void expect_unknown_impl(struct rc_value *r, const char *file, int line)
{
  if (!r) fail_msg("%s:%d: expected unknown, got error: %s", file, line, g_err ? g_err : "?");
  if (rc_value_is_known(r)) fail_msg("%s:%d: expected an unknown value", file, line);
  rc_value_decref(r);
}
#define EXPECT_UNKNOWN(r) expect_unknown_impl(r, __FILE__, __LINE__)

/* Asserts r is sensitive and its unmarked JSON is want; consumes r. */
static __attribute__((unused)) void expect_sens_impl(const char *want, struct rc_value *r, const char *file, int line)
{
  if (!r) fail_msg("%s:%d: expected sensitive %s, got error: %s", file, line, want, g_err ? g_err : "?");
  if (!rc_value_is_sensitive(r)) fail_msg("%s:%d: expected a sensitive result", file, line);
  expect_json_impl(want, rc_value_unmark_deep(r), file, line);
  rc_value_decref(r);
}
#define EXPECT_SENS(want, r) expect_sens_impl(want, r, __FILE__, __LINE__)

static __attribute__((unused)) int teardown_err(void **state)
{
  (void)state;
  rc_free(g_err);
  g_err = NULL;
  return 0;
}

#endif
