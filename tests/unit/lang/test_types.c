/* Type constraints from expressions and conversion with path errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "ast.h"
#include "rc_alloc.h"
#include "rc_buf.h"
#include "types.h"

/* Parses type text; returns the rendered type or the first error summary+detail. */
static char *type_of(const char *src, struct rc_type **out)
{
  struct rc_fileset fs = {0};
  const struct rc_file *f = rc_fileset_add(&fs, "t.tf", src, strlen(src));
  struct rc_arena *a = rc_arena_new();
  struct rc_diags ds = {0};
  struct rc_expr *e = rc_parse_expr(f, a, &ds);
  char *r = NULL;
  struct rc_type *t = e ? rc_types_from_expr(e, &ds) : NULL;
  if (t) {
    r = rc_types_render(t);
  } else {
    r = rc_asprintf("%s: %s", ds.n ? ds.items[0].summary : "?",
                    ds.n && ds.items[0].detail ? ds.items[0].detail : "");
  }
  if (out) *out = t;
  else rc_type_free(t);
  rc_diags_free(&ds);
  rc_arena_free(a);
  rc_fileset_free(&fs);
  return r;
}

static void expect_type(const char *src, const char *want)
{
  char *got = type_of(src, NULL);
  if (strcmp(got, want) != 0) fail_msg("%s → %s, want %s", src, got, want);
  rc_free(got);
}

static void expect_error(const char *src, const char *want)
{
  char *got = type_of(src, NULL);
  if (strncmp(got, want, strlen(want)) != 0) fail_msg("%s → %s, want %s", src, got, want);
  rc_free(got);
}

static void test_types__parse(void **state)
{
  (void)state;
  expect_type("string", "string");
  expect_type("number", "number");
  expect_type("bool", "bool");
  expect_type("any", "any");
  expect_type("list(string)", "list(string)");
  expect_type("set(number)", "set(number)");
  expect_type("map(list(string))", "map(list(string))");
  expect_type("tuple([string, number])", "tuple([string,number])");
  expect_type("\"string\"", "string");
  expect_type("\"list\"", "list(any)");
  expect_type("map", "map(any)");
  char *o = type_of("object({b = number, a = optional(string, \"x\")})", NULL);
  assert_non_null(strstr(o, "object("));
  assert_non_null(strstr(o, "a="));
  rc_free(o);
}

static void test_types__errors(void **state)
{
  (void)state;
  expect_error("strin", "Invalid type specification: The keyword \"strin\" is not a valid type specification. Did you mean \"string\"?");
  expect_error("lst(string)", "Invalid type specification: Keyword \"lst\" is not a valid type constructor. Did you mean \"list\"?");
  expect_error("list(string, number)", "Invalid type specification");
  expect_error("optional(string)", "Invalid type specification: Keyword \"optional\" is valid only");
  expect_error("object(string)", "Invalid type specification");
  expect_error("tuple(string)", "Invalid type specification");
  expect_error("1 + 2", "Invalid type specification");
}

static struct rc_value *json(const char *s)
{
  return rc_value_parse_json(s, strlen(s), NULL);
}

static void test_types__convert(void **state)
{
  (void)state;
  struct rc_type *t = NULL;
  char *r = type_of("object({cidr = string, azs = list(string), n = optional(number, 3)})", &t);
  rc_free(r);
  assert_non_null(t);
  struct rc_value *v = json("{\"cidr\":\"10.0.0.0/16\",\"azs\":[\"a\",\"b\"],\"extra\":1}");
  char *err = NULL;
  struct rc_value *c = rc_types_convert(v, t, &err);
  assert_non_null(c);
  assert_int_equal(rc_value_int_get(rc_value_get(c, "n")), 3);
  assert_null(rc_value_get(c, "extra"));
  assert_int_equal(rc_value_kind(rc_value_get(c, "azs")), RC_LIST);
  rc_value_decref(c);
  rc_value_decref(v);
  v = json("{\"cidr\":[1],\"azs\":[]}");
  c = rc_types_convert(v, t, &err);
  assert_null(c);
  assert_non_null(strstr(err, "attribute \"cidr\""));
  assert_non_null(strstr(err, "string required"));
  rc_free(err);
  rc_value_decref(v);
  v = json("{\"azs\":[]}");
  c = rc_types_convert(v, t, &err);
  assert_null(c);
  assert_non_null(strstr(err, "cidr"));
  rc_free(err);
  rc_value_decref(v);
  rc_type_free(t);

  r = type_of("number", &t);
  rc_free(r);
  v = rc_value_string("42");
  c = rc_types_convert(v, t, &err);
  assert_true(rc_value_is_int(c) && rc_value_int_get(c) == 42);
  rc_value_decref(c);
  rc_value_decref(v);
  v = rc_value_string("abc");
  assert_null(rc_types_convert(v, t, &err));
  rc_free(err);
  rc_value_decref(v);
  rc_type_free(t);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_types__parse),
      cmocka_unit_test(test_types__errors),
      cmocka_unit_test(test_types__convert),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
