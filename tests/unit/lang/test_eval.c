/* Evaluator: operators, precedence, unknown/sensitive propagation,
 * conversions, templates, for, splat, can/try, calls and every error kind. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "ast.h"
#include "eval.h"
#include "rc_alloc.h"
#include "rc_buf.h"

static struct rc_value *vars;

static struct rc_value *lookup(void *ud, const char *root, const struct rc_expr *ref,
                               const struct rc_range *range, struct rc_diags *ds)
{
  (void)ud;
  (void)ref;
  if (strcmp(root, "var") == 0) return rc_value_incref(vars);
  rc_diags_add(ds, RC_DIAG_ERROR, range, "Unknown variable", "There is no variable named \"%s\".",
               root);
  return NULL;
}

static int setup(void **state)
{
  (void)state;
  const char *json = "{\"s\":\"str\",\"n\":5,\"list\":[1,2,3],\"objs\":[{\"id\":\"a\"},{\"id\":\"b\"}],"
                     "\"m\":{\"a\":1,\"b\":2},\"nul\":null,\"one\":{\"id\":\"x\"},"
                     "\"dup\":[\"a\",\"b\",\"a\"]}";
  struct rc_value *v = rc_value_parse_json(json, strlen(json), NULL);
  vars = rc_value_copy(v);
  rc_value_decref(v);
  rc_value_obj_put(vars, "unk", rc_value_unknown());
  struct rc_value *pw = rc_value_string("hunter2");
  rc_value_obj_put(vars, "sec", rc_value_mark_sensitive(pw));
  rc_value_decref(pw);
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  rc_value_decref(vars);
  return 0;
}

/* Evaluates src; returns the value (or NULL) and the first error in err. */
static struct rc_value *ev2(const char *src, char *err, size_t errsz)
{
  struct rc_fileset fs = {0};
  const struct rc_file *f = rc_fileset_add(&fs, "test.tf", src, strlen(src));
  struct rc_arena *a = rc_arena_new();
  struct rc_diags ds = {0};
  struct rc_value *v = NULL;
  struct rc_expr *e = rc_parse_expr(f, a, &ds);
  if (e && !rc_diags_has_errors(&ds)) {
    struct rc_scope scope = {.lookup = lookup, .base_dir = "."};
    v = rc_eval(e, &scope, &ds);
  }
  if (err) {
    err[0] = '\0';
    for (size_t i = 0; i < ds.n; i++)
      if (ds.items[i].severity == RC_DIAG_ERROR) {
        snprintf(err, errsz, "%s: %s", ds.items[i].summary,
                 ds.items[i].detail ? ds.items[i].detail : "");
        break;
      }
  }
  if (v) assert_false(rc_diags_has_errors(&ds));
  rc_diags_free(&ds);
  rc_arena_free(a);
  rc_fileset_free(&fs);
  return v;
}

static struct rc_value *ev(const char *src)
{
  char err[1024];
  struct rc_value *v = ev2(src, err, sizeof err);
  if (!v) fail_msg("eval of %s failed: %s", src, err);
  return v;
}

/* Renders the result of src as HCL-like text. */
static void check(const char *src, const char *want)
{
  struct rc_value *v = ev(src);
  struct rc_buf b;
  rc_buf_init(&b, 0);
  rc_value_render(v, &b);
  if (strcmp(b.ptr, want) != 0) fail_msg("%s gave %s, want %s", src, b.ptr, want);
  rc_buf_free(&b);
  rc_value_decref(v);
}

static void check_err(const char *src, const char *want_prefix)
{
  char err[2048];
  struct rc_value *v = ev2(src, err, sizeof err);
  if (v) {
    rc_value_decref(v);
    fail_msg("%s succeeded, want error %s", src, want_prefix);
  }
  if (strncmp(err, want_prefix, strlen(want_prefix)) != 0)
    fail_msg("%s: error \"%s\", want \"%s...\"", src, err, want_prefix);
}

static void test_eval__arithmetic(void **state)
{
  (void)state;
  check("1 + 2 * 3", "7");
  check("(1 + 2) * 3", "9");
  check("10 / 4", "2.5");
  check("10 / 5", "2");
  check("7 % 3", "1");
  check("-7 % 3", "-1");
  check("-(2 - 5)", "3");
  check("9223372036854775807 + 0", "9223372036854775807");
  check("\"1\" + 1", "2");
  check("\"2.5\" * 2", "5");
  check("0.1 + 0.2 == 0.30000000000000004", "true");
  check_err("1 / 0", "Operation failed: Error during operation: can't divide by zero");
  check_err("1 % 0", "Operation failed");
  check_err("\"a\" + 1", "Invalid operand: Unsuitable value for left operand: a number is required");
  check_err("1 + true", "Invalid operand: Unsuitable value for right operand");
  check_err("var.nul + 1", "Invalid operand");
  check_err("-\"x\"", "Invalid operand");
}

static void test_eval__comparison_and_logic(void **state)
{
  (void)state;
  check("1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 4 == false", "true");
  check("\"10\" > 9", "true");
  check("1 == 1.0", "true");
  check("\"1\" == 1", "false");
  check("[1, 2] == [1, 2]", "true");
  check("{a = 1} != {a = 2}", "true");
  check("null == null", "true");
  check("var.nul == null", "true");
  check("true || false && false", "true");
  check("!true || !false", "true");
  check("\"true\" && true", "true");
  check("1 + 2 == 3 ? \"y\" : \"n\"", "\"y\"");
  check_err("1 && true", "Invalid operand: Unsuitable value for left operand: a bool is required");
  check_err("!1", "Invalid operand");
}

static void test_eval__unknown_propagation(void **state)
{
  (void)state;
  check("var.unk + 1", "(known after apply)");
  check("var.unk == 1", "(known after apply)");
  check("var.unk && false", "(known after apply)");
  check("!var.unk", "(known after apply)");
  check("var.unk ? 1 : 2", "(known after apply)");
  check("\"a-${var.unk}-b\"", "(known after apply)");
  check("[for x in var.unk : x]", "(known after apply)");
  check("var.unk[*].id", "(known after apply)");
  check("var.unk.attr", "(known after apply)");
  check("var.unk[0]", "(known after apply)");
  check("var.list[var.unk]", "(known after apply)");
  check("[var.unk, 1]", "[(known after apply), 1]");
  check("[1, 2] == [1, var.unk]", "(known after apply)");
  check("can(var.unk)", "(known after apply)");
  check("try(var.unk, 1)", "(known after apply)");
  check("{for k, v in var.m : k => var.unk}", "{ a = (known after apply), b = (known after apply) }");
  check("length(var.list)", "3");
}

static bool sensitive_of(const char *src)
{
  struct rc_value *v = ev(src);
  bool s = rc_value_is_sensitive(v);
  rc_value_decref(v);
  return s;
}

static void test_eval__sensitive_propagation(void **state)
{
  (void)state;
  assert_true(sensitive_of("var.sec"));
  assert_true(sensitive_of("\"x${var.sec}\""));
  assert_true(sensitive_of("var.sec == \"hunter2\""));
  assert_true(sensitive_of("var.sec != \"\" ? 1 : 2"));
  assert_true(sensitive_of("upper(var.sec)"));
  assert_true(sensitive_of("{for k, v in {a = var.sec} : k => v}[\"a\"]"));
  assert_false(sensitive_of("var.s"));
  assert_false(sensitive_of("var.s == \"x\""));
  assert_true(sensitive_of("[var.sec][0]"));
  check("var.sec", "(sensitive value)");
}

static void test_eval__templates(void **state)
{
  (void)state;
  check("\"a${1 + 1}b\"", "\"a2b\"");
  check("\"${var.n}\"", "5");
  check("\"n=${var.n} b=${true}\"", "\"n=5 b=true\"");
  check("\"%{if var.n > 3}big%{else}small%{endif}\"", "\"big\"");
  check("\"%{for x in var.list}${x},%{endfor}\"", "\"1,2,3,\"");
  check("\"%{for k, v in var.m}${k}=${v};%{endfor}\"", "\"a=1;b=2;\"");
  check("<<EOT\n%{ for x in var.list ~}\n${x}\n%{~ endfor }\nEOT\n", "\"123\\n\"");
  check("<<EOT\nhello ${var.s}\nEOT\n", "\"hello str\\n\"");
  check("<<-EOT\n    a\n      b\n    EOT\n", "\"a\\n  b\\n\"");
  check_err("\"x${var.nul}\"", "Invalid template interpolation value: The expression result is null");
  check_err("\"x${var.list}\"", "Invalid template interpolation value: Cannot include the given value");
}

static void test_eval__for_expressions(void **state)
{
  (void)state;
  check("[for x in var.list : x * 2]", "[2, 4, 6]");
  check("[for i, x in var.list : i]", "[0, 1, 2]");
  check("[for x in var.list : x if x != 2]", "[1, 3]");
  check("{for k, v in var.m : v => k}", "{ 1 = \"a\", 2 = \"b\" }");
  check("{for s in var.dup : s => s...}", "{ a = [\"a\", \"a\"], b = [\"b\"] }");
  check("[for o in var.objs : o.id]", "[\"a\", \"b\"]");
  check("[for x in toset(var.dup) : x]", "[\"a\", \"b\"]");
  check("{for k, v in {b = 1, a = 2} : k => v}", "{ a = 2, b = 1 }");
  check_err("{for s in var.dup : s => 1}", "Duplicate object key: Two different items produced the key \"a\"");
  check_err("[for x in var.nul : x]", "Iteration over null value");
  check_err("[for x in 5 : x]", "Iteration over non-iterable value");
  check_err("[for x in var.list : x if x]", "Invalid 'for' condition");
}

static void test_eval__splat_and_index(void **state)
{
  (void)state;
  check("var.objs[*].id", "[\"a\", \"b\"]");
  check("var.objs.*.id", "[\"a\", \"b\"]");
  check("var.nul[*].id", "[]");
  check("var.one[*].id", "[\"x\"]");
  check("var.list[1]", "2");
  check("var.list[\"2\"]", "3");
  check("var.m[\"b\"]", "2");
  check("var.m.a", "1");
  check("var.objs[0].id", "\"a\"");
  check("var.list.0", "1");
  check_err("var.list[3]", "Invalid index: The given key does not identify an element in this collection value: the given index is greater than or equal to the length of the collection");
  check_err("var.list[-1]", "Invalid index");
  check_err("var.list[1.5]", "Invalid index");
  check_err("var.s[0]", "Invalid index: This value does not have any indices");
  check_err("var.nul[0]", "Invalid index: This value is null");
  check_err("toset(var.list)[0]", "Invalid index: Elements of a set are identified only by their value");
  check_err("var.one.idd", "Unsupported attribute: This object does not have an attribute named \"idd\". Did you mean \"id\"?");
  check_err("var.one.zzzzzz", "Unsupported attribute: This object does not have an attribute named \"zzzzzz\".");
  check_err("var.objs.id", "Unsupported attribute: Can't access attributes on a list of objects");
  check_err("var.s.x", "Unsupported attribute: Can't access attributes on a primitive-typed value (string)");
  check_err("var.nul.x", "Attempt to get attribute from null value");
  check_err("nosuch.x", "Unknown variable");
}

static void test_eval__conditional(void **state)
{
  (void)state;
  check("true ? 1 : \"a\"", "\"1\"");
  check("false ? 1 : 2", "2");
  check("var.nul != null ? var.nul.x : \"fallback\"", "\"fallback\"");
  check("\"true\" ? 1 : 2", "1");
  check_err("var.nul ? 1 : 2", "Null condition");
  check_err("5 ? 1 : 2", "Incorrect condition type");
  check_err("true ? var.nul.x : 1", "Attempt to get attribute from null value");
}

static void test_eval__calls(void **state)
{
  (void)state;
  check("max(1, 5, 3)", "5");
  check("max(var.list...)", "3");
  check("join(\",\", [\"a\", \"b\"])", "\"a,b\"");
  check("cidrsubnet(\"10.0.0.0/16\", 8, 2)", "\"10.0.2.0/24\"");
  check("can(var.one.id)", "true");
  check("can(var.one.nope)", "false");
  check("can(1 / 0)", "false");
  check("try(var.one.nope, var.one.id)", "\"x\"");
  check("try(var.one.nope, \"d\")", "\"d\"");
  check_err("try(var.one.nope, var.nul.x)", "Error in function call: Call to function \"try\" failed: no expression succeeded");
  check_err("uper(\"a\")", "Call to unknown function: There is no function named \"uper\". Did you mean \"upper\"?");
  check_err("zzzzzzzz(1)", "Call to unknown function: There is no function named \"zzzzzzzz\".");
  check_err("upper()", "Not enough function arguments");
  check_err("upper(\"a\", \"b\")", "Too many function arguments");
  check_err("max(var.nul...)", "Invalid expanding argument value");
  check_err("max(5...)", "Invalid expanding argument value");
  check_err("upper([1])", "Invalid function argument");
}

static void test_eval__collections(void **state)
{
  (void)state;
  check("[1, \"a\", true, null]", "[1, \"a\", true, null]");
  check("{a = 1, \"b\" = 2, (var.s) = 3}", "{ a = 1, b = 2, str = 3 }");
  check("{(var.n) = 1}", "{ 5 = 1 }");
  check("{(var.unk) = 1}", "(known after apply)");
  check_err("{(var.nul) = 1}", "Null value as key");
  check_err("{(var.list) = 1}", "Incorrect key type");
}

static void test_eval__template_text(void **state)
{
  (void)state;
  struct rc_value *vs = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(vs, "name", rc_value_string("web"));
  struct rc_value *l = rc_value_seq_new(RC_TUPLE);
  rc_value_seq_push(l, rc_value_int(80));
  rc_value_seq_push(l, rc_value_int(443));
  rc_value_obj_put(vs, "ports", l);
  char *err = NULL;
  const char *t = "name=${name}\n%{ for p in ports ~}\nport ${p}\n%{ endfor ~}\nend";
  struct rc_value *r = rc_eval_template_text(t, strlen(t), "t.tpl", vs, ".", false, &err);
  assert_non_null(r);
  assert_string_equal(rc_value_str(r), "name=web\nport 80\nport 443\nend");
  rc_value_decref(r);
  const char *t2 = "${nope}\n";
  r = rc_eval_template_text(t2, strlen(t2), "t.tpl", vs, ".", false, &err);
  assert_null(r);
  assert_non_null(strstr(err, "t.tpl:1,"));
  assert_non_null(strstr(err, "nope"));
  rc_free(err);
  const char *t3 = "x${name}";
  r = rc_eval_template_text(t3, strlen(t3), "t.tpl", vs, ".", false, &err);
  assert_string_equal(rc_value_str(r), "xweb");
  rc_value_decref(r);
  rc_value_decref(vs);
}

static void test_eval__depth_limit(void **state)
{
  (void)state;
  struct rc_buf b;
  rc_buf_init(&b, 0);
  for (int i = 0; i < 200; i++) rc_buf_puts(&b, "[");
  for (int i = 0; i < 200; i++) rc_buf_puts(&b, "]");
  char err[1024];
  struct rc_value *v = ev2(b.ptr, err, sizeof err);
  /* either the parser or the evaluator refuses, never a crash */
  if (v) rc_value_decref(v);
  else assert_true(err[0] != '\0');
  rc_buf_free(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_eval__arithmetic),
      cmocka_unit_test(test_eval__comparison_and_logic),
      cmocka_unit_test(test_eval__unknown_propagation),
      cmocka_unit_test(test_eval__sensitive_propagation),
      cmocka_unit_test(test_eval__templates),
      cmocka_unit_test(test_eval__for_expressions),
      cmocka_unit_test(test_eval__splat_and_index),
      cmocka_unit_test(test_eval__conditional),
      cmocka_unit_test(test_eval__calls),
      cmocka_unit_test(test_eval__collections),
      cmocka_unit_test(test_eval__template_text),
      cmocka_unit_test(test_eval__depth_limit),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
