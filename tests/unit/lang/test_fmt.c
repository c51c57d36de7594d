#include "lang_test_util.h"
#include "fmt.h"

struct golden {
  const char *in, *out;
};

static const struct golden cases[] = {
    /* indentation, block header spacing */
    {"resource   \"a\"  \"b\"{\nx=1\n}\n", "resource \"a\" \"b\" {\n  x = 1\n}\n"},
    /* = alignment in runs; a blank line or a block breaks the run */
    {"a = 1\nlong_name = 2\n\nb = 3\nc {\nd = 4\n}\n",
     "a         = 1\nlong_name = 2\n\nb = 3\nc {\n  d = 4\n}\n"},
    /* multi-line values break the run */
    {"a = 1\nbb = {\nc = 1\n}\nddd = 2\n", "a = 1\nbb = {\n  c = 1\n}\nddd = 2\n"},
    /* operators, commas, brackets, calls, splats, unary */
    {"x = [ 1,2 ,3 ]\ny = f( a , b ... )\nz = a.b [ * ].c\nn = -1\nm = a-b - -c\nq = !v&&w\n",
     "x = [1, 2, 3]\ny = f(a, b...)\nz = a.b[*].c\nn = -1\nm = a-b - -c\nq = !v && w\n"},
    /* conditionals, for, objects */
    {"c = a?b:c\nf = [for k,v in m: k if v]\no = {a=1,b=2}\ne = {}\n",
     "c = a ? b : c\nf = [for k, v in m : k if v]\no = { a = 1, b = 2 }\ne = {}\n"},
    /* comments kept and aligned */
    {"a = 1 # one\nbbb = 2 // two\n# own line\n/* block */\n",
     "a   = 1 # one\nbbb = 2 // two\n# own line\n/* block */\n"},
    /* strings and heredocs untouched */
    {"s = \"  ${ x }  \"\nh = <<-EOT\n      keep   this\n    EOT\n",
     "s = \"  ${ x }  \"\nh = <<-EOT\n      keep   this\n    EOT\n"},
    /* nested multi-line structures */
    {"a {\nb = [\n1,\n2,\n]\nc = {\nd = [\n{ e = 1 },\n]\n}\n}\n",
     "a {\n  b = [\n    1,\n    2,\n  ]\n  c = {\n    d = [\n      { e = 1 },\n    ]\n  }\n}\n"},
    /* one-line blocks, trailing spaces, tabs, CRLF */
    {"lifecycle {  create_before_destroy=true  }   \n\tx = 1\r\n",
     "lifecycle { create_before_destroy = true }\nx = 1\n"},
    /* keyword "in" before a tuple and index after a call */
    {"l = [for x in[a]: x]\ni = f(x)[0]\n", "l = [for x in [a] : x]\ni = f(x)[0]\n"},
};

static char *format(struct lt *t, const char *src)
{
  const struct rc_file *f = rc_fileset_add(&t->fs, "fmt.tf", src, strlen(src));
  struct rc_buf b;
  rc_buf_init(&b, 0);
  assert_int_equal(rc_fmt_source(f, &b, &t->ds), RC_OK);
  return rc_buf_detach(&b);
}

static void test_fmt__golden_cases(void **state)
{
  struct lt *t = *state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *got = format(t, cases[i].in);
    if (strcmp(got, cases[i].out) != 0)
      fprintf(stderr, "case %zu:\n--- got\n%s--- want\n%s", i, got, cases[i].out);
    assert_string_equal(got, cases[i].out);
    free(got);
  }
}

static void test_fmt__idempotent(void **state)
{
  struct lt *t = *state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *once = format(t, cases[i].in);
    char *twice = format(t, once);
    assert_string_equal(once, twice);
    free(once);
    free(twice);
  }
}

static void test_fmt__refuses_invalid_syntax(void **state)
{
  struct lt *t = *state;
  const struct rc_file *f = rc_fileset_add(&t->fs, "bad.tf", "a = [\n", 6);
  struct rc_buf b;
  rc_buf_init(&b, 0);
  assert_int_equal(rc_fmt_source(f, &b, &t->ds), RC_SYNTAX);
  assert_int_equal(b.len, 0);
  assert_true(t->ds.errors > 0);
  rc_buf_free(&b);
}

static void test_fmt__formatted_output_means_same_ast(void **state)
{
  struct lt *t = *state;
  const char *src = "a={b=[1,2],c=\"x${y}\"}\nd=e?f:g\n";
  char *out = format(t, src);
  struct rc_body *b = lt_parse(t, out);
  assert_int_equal(t->ds.errors, 0);
  assert_int_equal(b->nattrs, 2);
  assert_int_equal(b->attrs[0].expr->kind, RC_E_OBJECT);
  assert_int_equal(b->attrs[1].expr->kind, RC_E_COND);
  free(out);
}

#define T(f) cmocka_unit_test_setup_teardown(f, lt_setup, lt_teardown)
int main(void)
{
  const struct CMUnitTest tests[] = {
      T(test_fmt__golden_cases), T(test_fmt__idempotent), T(test_fmt__refuses_invalid_syntax),
      T(test_fmt__formatted_output_means_same_ast),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
