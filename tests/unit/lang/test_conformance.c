/* Terraform conformance fixes in the language layer, each found by running
 * real-world modules (terraform-aws-modules, cloudposse) through recon:
 * sensitivity of nonsensitive()/issensitive(), function error wording,
 * "Attribute redefined", provider-defined function calls, the built-ins
 * fileset templatestring plantimestamp uuidv5 ephemeralasnull, and the JSON
 * syntax's native-expression arguments and Terraform-decoded nested blocks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
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
  rc_diags_add(ds, RC_DIAG_ERROR, range, "Unknown variable", "No variable \"%s\".", root);
  return NULL;
}

static int setup(void **state)
{
  (void)state;
  vars = rc_value_obj_new(RC_OBJECT);
  struct rc_value *pw = rc_value_string("hunter2");
  rc_value_obj_put(vars, "sec", rc_value_mark_sensitive(pw));
  rc_value_decref(pw);
  rc_value_obj_put(vars, "unk", rc_value_unknown());
  rc_value_obj_put(vars, "tpl", rc_value_string("Hello, ${name}!%{ if n > 1 } x${n}%{ endif }"));
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  rc_value_decref(vars);
  return 0;
}

static char *src_dir(const char *rel)
{
  const char *s = getenv("RECON_SOURCE_DIR");
  return rc_asprintf("%s/%s", s ? s : ".", rel);
}

/* Evaluates src; the value or NULL, the first error "summary: detail" in err. */
static struct rc_value *ev2(const char *src, char *err, size_t errsz)
{
  struct rc_fileset fs = {0};
  const struct rc_file *f = rc_fileset_add(&fs, "test.tf", src, strlen(src));
  struct rc_arena *a = rc_arena_new();
  struct rc_diags ds = {0};
  struct rc_value *v = NULL;
  char *dir = src_dir("tests/data/conformance_unit");
  struct rc_expr *e = rc_parse_expr(f, a, &ds);
  if (e && !rc_diags_has_errors(&ds)) {
    struct rc_scope scope = {.lookup = lookup, .base_dir = dir};
    v = rc_eval(e, &scope, &ds);
  }
  err[0] = '\0';
  for (size_t i = 0; i < ds.n; i++)
    if (ds.items[i].severity == RC_DIAG_ERROR) {
      snprintf(err, errsz, "%s: %s", ds.items[i].summary, ds.items[i].detail ? ds.items[i].detail : "");
      break;
    }
  rc_free(dir);
  rc_diags_free(&ds);
  rc_arena_free(a);
  rc_fileset_free(&fs);
  return v;
}

static void check(const char *src, const char *want)
{
  char err[2048];
  struct rc_value *v = ev2(src, err, sizeof err);
  if (!v) fail_msg("eval of %s failed: %s", src, err);
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

static bool sensitive_of(const char *src)
{
  char err[1024];
  struct rc_value *v = ev2(src, err, sizeof err);
  if (!v) fail_msg("eval of %s failed: %s", src, err);
  bool s = rc_value_has_sensitive(v);
  rc_value_decref(v);
  return s;
}

static void test_conformance__sensitivity_functions(void **state)
{
  (void)state;
  /* nonsensitive() and issensitive() results carry no mark (Terraform) */
  assert_false(sensitive_of("nonsensitive(var.sec)"));
  check("nonsensitive(var.sec)", "\"hunter2\"");
  assert_false(sensitive_of("issensitive(var.sec)"));
  check("issensitive(var.sec)", "true");
  assert_true(sensitive_of("sensitive(\"x\")"));
  assert_true(sensitive_of("upper(var.sec)"));
  assert_true(sensitive_of("ephemeralasnull(var.sec)"));
  check("ephemeralasnull([1])", "[1]");
}

static void test_conformance__function_error_wording(void **state)
{
  (void)state;
  /* one "Invalid value for ... parameter" prefix, one final period */
  check_err("tonumber(\"0x10\")",
            "Invalid function argument: Invalid value for \"v\" parameter: cannot convert "
            "\"0x10\" to number; given string must be a decimal representation of a number.");
  check_err("one([1, 2])", "Invalid function argument: Invalid value for \"list\" parameter: "
                           "must be a list, set, or tuple value with either zero or one "
                           "elements.");
  check_err("file(\"nope.txt\")", "Invalid function argument: Invalid value for \"path\" "
                                  "parameter: no file exists at nope.txt;");
}

static void test_conformance__provider_functions(void **state)
{
  (void)state;
  check("provider::aws::arn_parse(\"arn:aws:iam::123456789012:role/svc/app\")",
        "{ account_id = \"123456789012\", partition = \"aws\", region = \"\", resource = "
        "\"role/svc/app\", service = \"iam\" }");
  check("provider::aws::arn_parse(\"arn:aws:s3:::b/k:with:colons\").resource",
        "\"b/k:with:colons\"");
  check("provider::aws::arn_build(\"aws\", \"logs\", \"eu-west-1\", \"1\", \"log-group:x\")",
        "\"arn:aws:logs:eu-west-1:1:log-group:x\"");
  check("provider::aws::trim_iam_role_path(\"arn:aws:iam::1:role/a/b/name\")",
        "\"arn:aws:iam::1:role/name\"");
  check_err("provider::aws::arn_parse(\"nope\")",
            "Invalid function argument: Invalid value for \"arn\" parameter: arn: invalid "
            "prefix.");
  check_err("provider::aws::arn_parse(\"arn:aws:x\")",
            "Invalid function argument: Invalid value for \"arn\" parameter: arn: not enough");
  check_err("provider::aws::trim_iam_role_path(\"arn:aws:s3:::b\")",
            "Invalid function argument");
  check_err("provider::google::project(\"x\")",
            "Call to unknown function: There is no function named \"provider::google::project\". "
            "recon implements only the aws provider's functions");
  check_err("provider::aws::arn_parse()", "Not enough function arguments");
  /* an attribute access or a lone `provider` name still parse as before */
  check_err("provider", "Unknown variable");
}

static void test_conformance__new_builtins(void **state)
{
  (void)state;
  check("fileset(\"fileset\", \"*.json\")", "[\"a.json\"]");
  check("fileset(\"fileset\", \"**/*.json\")",
        "[\"a.json\", \"sub/c.json\", \"sub/deep/d.json\"]");
  check("fileset(\"fileset\", \"sub/**\")", "[\"sub/c.json\", \"sub/deep/d.json\"]");
  check("fileset(\"fileset\", \"{a.json,b.txt}\")", "[\"a.json\", \"b.txt\"]");
  check("fileset(\"fileset\", \"[ab].*\")", "[\"a.json\", \"b.txt\"]");
  check("fileset(\"fileset\", \"?.txt\")", "[\"b.txt\"]");
  check("fileset(\"no-such-dir\", \"*\")", "[]");
  check("templatestring(var.tpl, { name = \"recon\", n = 2 })", "\"Hello, recon! x2\"");
  check("templatestring(var.tpl, { name = \"a\", n = 1 })", "\"Hello, a!\"");
  check_err("templatestring(\"${x}\", {})", "Invalid template expression");
  check_err("templatestring(var.tpl, { n = 1 })", "Invalid function argument");
  /* RFC 4122 appendix vector for the DNS namespace */
  check("uuidv5(\"dns\", \"www.example.com\")", "\"2ed6657d-e927-568b-95e1-2665a8aea6a2\"");
  check("uuidv5(\"6ba7b811-9dad-11d1-80b4-00c04fd430c8\", \"x\") == uuidv5(\"url\", \"x\")",
        "true");
  check_err("uuidv5(\"bogus\", \"x\")", "Invalid function argument");
  char err[256];
  struct rc_value *v = ev2("plantimestamp()", err, sizeof err);
  assert_non_null(v);
  assert_true(rc_value_is_known(v));
  assert_int_equal(rc_value_strlen(v), 20); /* 2024-01-02T03:04:05Z */
  rc_value_decref(v);
}

static void test_conformance__logic_short_circuit(void **state)
{
  (void)state;
  /* hcl 2.20: a deciding known left operand wins over an unknown right one */
  check("false && var.unk", "false");
  check("true || var.unk", "true");
  check("true && var.unk", "(known after apply)");
  check("false || var.unk", "(known after apply)");
  check("var.unk && false", "(known after apply)");
  check_err("false && \"x\"", "Invalid operand");
}

/* --- parser: "Attribute redefined" --- */

static void test_conformance__attribute_redefined(void **state)
{
  (void)state;
  const char *src = "resource \"aws_vpc\" \"x\" {\n  cidr_block = \"a\"\n  tags = {}\n"
                    "  cidr_block = \"b\"\n}\n";
  struct rc_fileset fs = {0};
  const struct rc_file *f = rc_fileset_add(&fs, "main.tf", src, strlen(src));
  struct rc_arena *a = rc_arena_new();
  struct rc_diags ds = {0};
  struct rc_body *b = rc_parse_file(f, a, &ds);
  assert_non_null(b);
  assert_int_equal(ds.errors, 1);
  assert_string_equal(ds.items[0].summary, "Attribute redefined");
  assert_string_equal(ds.items[0].detail, "The argument \"cidr_block\" was already set at "
                                          "main.tf:2,3-13. Each argument may only be set once.");
  int line, col;
  rc_file_linecol(f, ds.items[0].range.start, &line, &col);
  assert_int_equal(line, 4);
  assert_int_equal(col, 3);
  /* the first definition is the one kept */
  assert_int_equal(b->blocks[0].body.nattrs, 2);
  assert_string_equal(rc_value_str(b->blocks[0].body.attrs[0].expr->u.literal), "a");
  rc_diags_free(&ds);
  rc_arena_free(a);
  rc_fileset_free(&fs);
}

/* --- JSON syntax --- */

static const struct rc_block *find_block(const struct rc_body *b, const char *type)
{
  for (size_t i = 0; i < b->nblocks; i++)
    if (strcmp(b->blocks[i].type, type) == 0) return &b->blocks[i];
  return NULL;
}

static const struct rc_attribute *find_attr(const struct rc_body *b, const char *name)
{
  for (size_t i = 0; i < b->nattrs; i++)
    if (strcmp(b->attrs[i].name, name) == 0) return &b->attrs[i];
  return NULL;
}

static void test_conformance__json_native_args_and_blocks(void **state)
{
  (void)state;
  const char *src =
      "{\"variable\": {\"v\": {\"type\": \"list(object({a = optional(number, 1)}))\","
      "   \"validation\": {\"condition\": \"${length(var.v) > 0}\", \"error_message\": \"e\"}}},"
      " \"resource\": {\"aws_security_group\": {\"sg\": {"
      "   \"name\": \"${var.n}-x\", \"depends_on\": [\"aws_vpc.main\"],"
      "   \"lifecycle\": {\"ignore_changes\": [\"tags\"], \"create_before_destroy\": true,"
      "                 \"precondition\": [{\"condition\": \"${true}\", \"error_message\": \"m\"}]},"
      "   \"dynamic\": {\"ingress\": {\"for_each\": \"${var.ports}\", \"iterator\": \"p\","
      "                 \"content\": {\"from_port\": \"${p.value}\"}}},"
      "   \"egress\": [{\"from_port\": 0}]}}},"
      " \"terraform\": {\"backend\": {\"s3\": {\"bucket\": \"b\"}}},"
      " \"output\": {\"o\": {\"value\": \"${var.v}\", \"depends_on\": [\"module.m\"]}}}";
  struct rc_fileset fs = {0};
  const struct rc_file *f = rc_fileset_add(&fs, "main.tf.json", src, strlen(src));
  struct rc_arena *a = rc_arena_new();
  struct rc_diags ds = {0};
  struct rc_body *b = rc_parse_json_file(f, a, &ds);
  if (ds.errors) rc_diags_print(&ds, stderr, false);
  assert_int_equal(ds.errors, 0);

  const struct rc_block *var = find_block(b, "variable");
  /* type is a native type expression: a call of list(), not a template */
  const struct rc_attribute *type = find_attr(&var->body, "type");
  assert_int_equal(type->expr->kind, RC_E_CALL);
  assert_string_equal(type->expr->u.call.name, "list");
  assert_non_null(find_block(&var->body, "validation"));

  const struct rc_block *res = find_block(b, "resource");
  const struct rc_attribute *dep = find_attr(&res->body, "depends_on");
  assert_int_equal(dep->expr->kind, RC_E_TUPLE);
  assert_int_equal(dep->expr->u.tuple.items[0]->kind, RC_E_GETATTR); /* aws_vpc.main */
  const struct rc_block *lc = find_block(&res->body, "lifecycle");
  assert_non_null(lc);
  assert_null(find_attr(&res->body, "lifecycle"));
  const struct rc_attribute *ign = find_attr(&lc->body, "ignore_changes");
  assert_int_equal(ign->expr->u.tuple.items[0]->kind, RC_E_VARIABLE); /* tags */
  assert_non_null(find_block(&lc->body, "precondition"));
  const struct rc_block *dyn = find_block(&res->body, "dynamic");
  assert_non_null(dyn);
  assert_int_equal(dyn->nlabels, 1);
  assert_string_equal(dyn->labels[0], "ingress");
  assert_int_equal(find_attr(&dyn->body, "iterator")->expr->kind, RC_E_VARIABLE);
  assert_non_null(find_block(&dyn->body, "content"));
  /* provider schema blocks stay attributes: the resource layer reads them */
  assert_non_null(find_attr(&res->body, "egress"));
  /* ordinary strings stay templates */
  assert_int_equal(find_attr(&res->body, "name")->expr->kind, RC_E_TEMPLATE);

  const struct rc_block *tf = find_block(b, "terraform");
  const struct rc_block *be = find_block(&tf->body, "backend");
  assert_non_null(be);
  assert_string_equal(be->labels[0], "s3");
  const struct rc_block *out = find_block(b, "output");
  assert_int_equal(find_attr(&out->body, "depends_on")->expr->u.tuple.items[0]->kind,
                   RC_E_GETATTR);
  rc_diags_free(&ds);
  rc_arena_free(a);

  /* a native-expression argument that does not parse is an error */
  struct rc_arena *a2 = rc_arena_new();
  const char *bad = "{\"variable\": {\"v\": {\"type\": \"list(string\"}}}";
  f = rc_fileset_add(&fs, "bad.tf.json", bad, strlen(bad));
  b = rc_parse_json_file(f, a2, &ds);
  assert_true(ds.errors > 0);
  rc_diags_free(&ds);
  rc_arena_free(a2);
  rc_fileset_free(&fs);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_conformance__sensitivity_functions),
      cmocka_unit_test(test_conformance__function_error_wording),
      cmocka_unit_test(test_conformance__provider_functions),
      cmocka_unit_test(test_conformance__new_builtins),
      cmocka_unit_test(test_conformance__logic_short_circuit),
      cmocka_unit_test(test_conformance__attribute_redefined),
      cmocka_unit_test(test_conformance__json_native_args_and_blocks),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
