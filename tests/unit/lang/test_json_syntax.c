#include "lang_test_util.h"

static struct rc_body *pj(struct lt *t, const char *name, const char *src)
{
  t->f = rc_fileset_add(&t->fs, name, src, strlen(src));
  return rc_parse_json_file(t->f, t->a, &t->ds);
}

static void test_json_syntax__blocks_and_labels(void **state)
{
  struct lt *t = *state;
  struct rc_body *b = pj(t, "main.tf.json",
                         "{\"//\": \"comment\",\n"
                         " \"resource\": {\"aws_vpc\": {\"main\": {\"cidr_block\": \"10.0.0.0/16\","
                         "   \"tags\": {\"Name\": \"x\"}}, \"other\": {}}},\n"
                         " \"variable\": {\"a\": {\"default\": 1}, \"b\": [{\"default\": 2}]},\n"
                         " \"provider\": {\"aws\": [{\"region\": \"r1\"}, {\"alias\": \"w\"}]},\n"
                         " \"locals\": {\"n\": 3},\n"
                         " \"terraform\": {\"required_version\": \">= 1.0\"}}");
  assert_int_equal(t->ds.errors, 0);
  assert_true(b->from_json);
  assert_int_equal(b->nattrs, 0);
  assert_int_equal(b->nblocks, 8);
  const char *types[] = {"resource", "resource", "variable", "variable", "provider", "provider", "locals"};
  for (size_t i = 0; i < 7; i++) assert_string_equal(b->blocks[i].type, types[i]);
  struct rc_block *r = &b->blocks[0];
  assert_int_equal(r->nlabels, 2);
  assert_string_equal(r->labels[0], "aws_vpc");
  assert_string_equal(r->labels[1], "main");
  assert_true(r->body.from_json);
  assert_int_equal(r->body.nattrs, 2);
  assert_string_equal(lt_str(r->body.attrs[0].expr), "10.0.0.0/16");
  assert_int_equal(r->body.attrs[1].expr->kind, RC_E_OBJECT); /* nested: stays an attribute */
  assert_string_equal(b->blocks[1].labels[1], "other");
  assert_string_equal(b->blocks[3].labels[0], "b");
  assert_int_equal(lt_int(b->blocks[3].body.attrs[0].expr), 2);
  assert_string_equal(b->blocks[5].labels[0], "aws");
  assert_string_equal(b->blocks[5].body.attrs[0].name, "alias");
  assert_int_equal(b->blocks[6].nlabels, 0);
}

static void test_json_syntax__values_and_templates(void **state)
{
  struct lt *t = *state;
  struct rc_body *b = pj(t, "x.tf.json",
                         "{\"locals\": {\"big\": 9007199254740993, \"f\": 1.5, \"t\": true, "
                         "\"n\": null, \"l\": [1, \"a\"], \"s\": \"${var.x}-y\", "
                         "\"e\": \"$${literal}\", \"c\": \"%{if a}b%{endif}\"}}");
  assert_int_equal(t->ds.errors, 0);
  struct rc_body *l = &b->blocks[0].body;
  assert_int_equal(l->nattrs, 8);
  assert_int_equal(lt_int(l->attrs[0].expr), 9007199254740993LL);
  assert_true(rc_value_number_get(l->attrs[1].expr->u.literal) == 1.5);
  assert_true(rc_value_bool_get(l->attrs[2].expr->u.literal));
  assert_true(rc_value_is_null(l->attrs[3].expr->u.literal));
  assert_int_equal(l->attrs[4].expr->kind, RC_E_TUPLE);
  struct rc_expr *s = l->attrs[5].expr;
  assert_int_equal(s->kind, RC_E_TEMPLATE);
  assert_int_equal(s->u.tmpl.parts[0]->kind, RC_E_GETATTR);
  assert_string_equal(lt_str(s->u.tmpl.parts[1]), "-y");
  assert_string_equal(lt_str(l->attrs[6].expr), "${literal}");
  assert_int_equal(l->attrs[7].expr->u.tmpl.parts[0]->kind, RC_E_TMPL_IF);
}

static void test_json_syntax__tfvars_are_attributes(void **state)
{
  struct lt *t = *state;
  struct rc_body *b = pj(t, "prod.tfvars.json",
                         "{\"resource\": \"not a block\", \"tag\": \"${not_a_template}\"}");
  assert_int_equal(t->ds.errors, 0);
  assert_int_equal(b->nblocks, 0);
  assert_int_equal(b->nattrs, 2);
  assert_string_equal(lt_str(b->attrs[1].expr), "${not_a_template}");
}

static void test_json_syntax__errors(void **state)
{
  struct lt *t = *state;
  assert_null(pj(t, "bad.tf.json", "{\n  \"a\": [1,\n"));
  lt_diag(t, 0, "Invalid JSON", 3, 1);
  pj(t, "arr.tf.json", "[1]");
  assert_string_equal(t->ds.items[1].summary, "Root value must be object");
  pj(t, "type.tf.json", "{\"resource\": {\"aws_vpc\": \"x\"}}");
  assert_string_equal(t->ds.items[2].summary, "Incorrect JSON value type");
  pj(t, "tmpl.tf.json", "{\"a\": \"${\"}");
  assert_true(t->ds.errors >= 4);
  pj(t, "utf8.tf.json", "{\"a\": \"\xff\"}");
  assert_string_equal(t->ds.items[t->ds.n - 1].summary, "Invalid JSON");
}

static void test_json_syntax__deep_nesting(void **state)
{
  struct lt *t = *state;
  struct rc_buf b;
  rc_buf_init(&b, 0);
  rc_buf_puts(&b, "{\"a\": ");
  for (int i = 0; i < 1000; i++) rc_buf_putc(&b, '[');
  for (int i = 0; i < 1000; i++) rc_buf_putc(&b, ']');
  rc_buf_puts(&b, "}");
  pj(t, "deep.tf.json", b.ptr);
  assert_true(t->ds.errors >= 1);
  rc_buf_free(&b);
}

#define T(f) cmocka_unit_test_setup_teardown(f, lt_setup, lt_teardown)
int main(void)
{
  const struct CMUnitTest tests[] = {
      T(test_json_syntax__blocks_and_labels), T(test_json_syntax__values_and_templates),
      T(test_json_syntax__tfvars_are_attributes), T(test_json_syntax__errors),
      T(test_json_syntax__deep_nesting),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
