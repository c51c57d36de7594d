#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "rc_alloc.h"
#include "state.h"

static struct rc_value *attrs_json(const char *text)
{
  struct rc_value *v = rc_value_parse_json(text, strlen(text), NULL);
  assert_non_null(v);
  return v;
}

static void put(struct rc_state *st, const char *addr, const char *type, const char *id,
                struct rc_value *steal_attrs, const char *const *deps, size_t ndeps)
{
  struct rc_state_resource r = {.address = addr, .type = type, .id = id,
                                .attributes = steal_attrs, .dependencies = deps,
                                .n_dependencies = ndeps};
  rc_state_put(st, &r);
  rc_value_decref(steal_attrs);
}

static void test_state__round_trip(void **state)
{
  struct rc_state *st = rc_state_new();
  const char *deps[] = {"module.vpc.aws_vpc.this"};
  put(st, "module.vpc.aws_subnet.public[10]", "aws_subnet", "subnet-10",
      attrs_json("{\"cidr_block\":\"10.0.10.0/24\",\"tags\":{\"Name\":\"p10\"},\"n\":3,\"f\":1.5}"),
      deps, 1);
  put(st, "module.vpc.aws_subnet.public[2]", "aws_subnet", "subnet-2",
      attrs_json("{\"cidr_block\":\"10.0.2.0/24\",\"list\":[1,\"two\",null,true]}"), deps, 1);
  put(st, "module.vpc.aws_vpc.this", "aws_vpc", "vpc-1", attrs_json("{\"cidr_block\":\"10.0.0.0/16\"}"),
      NULL, 0);
  struct rc_state_resource d = {.address = "data.aws_region.current", .mode = RC_STATE_DATA,
                                .type = "aws_region", .id = "us-east-1",
                                .create_before_destroy = true};
  rc_state_put(st, &d);
  struct rc_value *o = rc_value_string("vpc-1");
  rc_state_output_set(st, "vpc_id", o, false);
  rc_value_decref(o);
  rc_state_set_serial(st, 41);

  assert_int_equal(rc_state_count(st), 4);
  /* natural order: [2] before [10] */
  assert_string_equal(rc_state_at(st, 0)->address, "data.aws_region.current");
  assert_string_equal(rc_state_at(st, 1)->address, "module.vpc.aws_subnet.public[2]");
  assert_string_equal(rc_state_at(st, 2)->address, "module.vpc.aws_subnet.public[10]");

  size_t len = 0;
  char *text = rc_state_to_json(st, &len);
  assert_int_equal(strlen(text), len);
  struct rc_error err = {0};
  struct rc_state *back = rc_state_from_json(text, len, "t.tfstate", &err);
  assert_non_null(back);
  assert_string_equal(rc_state_lineage(back), rc_state_lineage(st));
  assert_int_equal(rc_state_serial(back), 41);
  assert_string_equal(rc_state_recon_version(back), "0.1.0");
  assert_int_equal(rc_state_count(back), 4);
  for (size_t i = 0; i < 4; i++) {
    const struct rc_state_resource *a = rc_state_at(st, i), *b = rc_state_at(back, i);
    assert_string_equal(a->address, b->address);
    assert_string_equal(a->type, b->type);
    assert_string_equal(a->id, b->id);
    assert_int_equal(a->mode, b->mode);
    assert_int_equal(a->create_before_destroy, b->create_before_destroy);
    assert_int_equal(a->n_dependencies, b->n_dependencies);
    for (size_t k = 0; k < a->n_dependencies; k++)
      assert_string_equal(a->dependencies[k], b->dependencies[k]);
    assert_true(rc_value_equal(a->attributes, b->attributes));
  }
  const struct rc_state_resource *sub = rc_state_find(back, "module.vpc.aws_subnet.public[10]");
  assert_non_null(sub);
  assert_int_equal(rc_value_int_get(rc_value_get(sub->attributes, "n")), 3);
  assert_true(rc_value_number_get(rc_value_get(sub->attributes, "f")) == 1.5);
  assert_int_equal(rc_state_find(back, "data.aws_region.current")->mode, RC_STATE_DATA);
  bool sens = true;
  assert_string_equal(rc_value_str(rc_state_output_get(back, "vpc_id", &sens)), "vpc-1");
  assert_false(sens);
  char *again = rc_state_to_json(back, NULL);
  assert_string_equal(text, again); /* stable bytes */
  rc_free(again);
  rc_free(text);
  rc_state_free(back);

  struct rc_state *dup = rc_state_dup(st);
  assert_int_equal(rc_state_count(dup), 4);
  assert_int_equal(rc_state_remove(dup, "module.vpc.aws_vpc.this"), RC_OK);
  assert_int_equal(rc_state_remove(dup, "module.vpc.aws_vpc.this"), RC_NOT_FOUND);
  assert_int_equal(rc_state_count(st), 4);
  rc_state_free(dup);
  rc_state_free(st);
}

static void test_state__put_replaces_and_move_rewrites_dependencies(void **state)
{
  struct rc_state *st = rc_state_new();
  const char *deps[] = {"aws_vpc.a"};
  put(st, "aws_vpc.a", "aws_vpc", "vpc-1", NULL, NULL, 0);
  put(st, "aws_subnet.s", "aws_subnet", "subnet-1", NULL, deps, 1);
  put(st, "aws_vpc.a", "aws_vpc", "vpc-2", NULL, NULL, 0);
  assert_int_equal(rc_state_count(st), 2);
  assert_string_equal(rc_state_find(st, "aws_vpc.a")->id, "vpc-2");
  assert_int_equal(rc_value_len(rc_state_find(st, "aws_vpc.a")->attributes), 0);
  /* put from a pointer into the state itself */
  rc_state_put(st, rc_state_find(st, "aws_vpc.a"));
  struct rc_error err = {0};
  assert_int_equal(rc_state_move(st, "aws_vpc.a", "module.net.aws_vpc.a", &err), RC_OK);
  assert_null(rc_state_find(st, "aws_vpc.a"));
  assert_string_equal(rc_state_find(st, "module.net.aws_vpc.a")->id, "vpc-2");
  assert_string_equal(rc_state_find(st, "aws_subnet.s")->dependencies[0], "module.net.aws_vpc.a");
  assert_int_equal(rc_state_move(st, "nope.x", "y.z", &err), RC_NOT_FOUND);
  rc_error_clear(&err);
  assert_int_equal(rc_state_move(st, "aws_subnet.s", "module.net.aws_vpc.a", &err), RC_CONFLICT);
  rc_state_free(st);
}

static void test_state__sensitive_values_hashed_never_clear(void **state)
{
  struct rc_state *st = rc_state_new();
  struct rc_value *a = rc_value_obj_new(RC_OBJECT);
  struct rc_value *pw = rc_value_string("hunter2-secret");
  rc_value_obj_put(a, "password", rc_value_mark_sensitive(pw));
  rc_value_obj_put(a, "username", rc_value_string("admin"));
  struct rc_value *lst = rc_value_seq_new(RC_LIST);
  rc_value_seq_push(lst, rc_value_string("plain"));
  struct rc_value *tok = rc_value_string("tok-XYZZY-42");
  rc_value_seq_push(lst, rc_value_mark_sensitive(tok));
  struct rc_value *nested = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(nested, "list", lst);
  struct rc_value *dotted = rc_value_string("dot-secret-77");
  rc_value_obj_put(nested, "a.b\\c", rc_value_mark_sensitive(dotted));
  rc_value_obj_put(a, "nested", nested);
  put(st, "aws_db_instance.db", "aws_db_instance", "db-1", a, NULL, 0);
  struct rc_value *opw = rc_value_string("output-pass-999");
  rc_state_output_set(st, "db_password", opw, true);

  char *text = rc_state_to_json(st, NULL);
  assert_null(strstr(text, "hunter2"));
  assert_null(strstr(text, "XYZZY"));
  assert_null(strstr(text, "dot-secret"));
  assert_null(strstr(text, "output-pass"));
  assert_non_null(strstr(text, "\"sha256\""));
  assert_non_null(strstr(text, "\"password\""));
  assert_non_null(strstr(text, "\"nested.list.1\""));
  assert_non_null(strstr(text, "\"nested.a\\\\.b\\\\\\\\c\"")); /* nested.a\.b\\c */
  assert_non_null(strstr(text, "admin"));

  struct rc_error err = {0};
  struct rc_state *back = rc_state_from_json(text, strlen(text), NULL, &err);
  assert_non_null(back);
  const struct rc_value *ba = rc_state_find(back, "aws_db_instance.db")->attributes;
  const struct rc_value *bpw = rc_value_get(ba, "password");
  assert_true(rc_value_is_sensitive(bpw));
  assert_true(rc_state_is_hashed(bpw));
  assert_false(rc_value_is_sensitive(rc_value_get(ba, "username")));
  assert_true(rc_state_value_matches(back, bpw, pw));
  struct rc_value *other = rc_value_string("hunter3-secret");
  assert_false(rc_state_value_matches(back, bpw, other));
  assert_true(rc_state_is_hashed(rc_value_path(rc_value_get(ba, "nested"), "list.1")));
  assert_true(rc_state_is_hashed(rc_value_get(rc_value_get(ba, "nested"), "a.b\\c")));
  /* whole objects compare through the placeholders */
  assert_true(rc_state_value_matches(back, ba, a));
  bool sens = false;
  const struct rc_value *bo = rc_state_output_get(back, "db_password", &sens);
  assert_true(sens);
  assert_true(rc_state_value_matches(back, bo, opw));
  assert_false(rc_state_value_matches(back, bo, other));

  /* saving the loaded state keeps the same hashes, not hashes of hashes */
  char *again = rc_state_to_json(back, NULL);
  assert_string_equal(text, again);
  rc_free(again);

  /* another state has another salt: another hash for the same secret */
  struct rc_state *st2 = rc_state_new();
  struct rc_value *a2 = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(a2, "password", rc_value_mark_sensitive(pw));
  put(st2, "aws_db_instance.db", "aws_db_instance", "db-1", a2, NULL, 0);
  char *text2 = rc_state_to_json(st2, NULL);
  struct rc_state *back2 = rc_state_from_json(text2, strlen(text2), NULL, NULL);
  const struct rc_value *pw2 = rc_value_get(rc_state_find(back2, "aws_db_instance.db")->attributes,
                                            "password");
  assert_string_not_equal(rc_value_str(rc_value_get(pw2, "sha256")),
                          rc_value_str(rc_value_get(bpw, "sha256")));
  assert_true(rc_state_value_matches(back2, pw2, pw));

  rc_free(text2);
  rc_state_free(back2);
  rc_state_free(st2);
  rc_value_decref(other);
  rc_free(text);
  rc_state_free(back);
  rc_value_decref(pw), rc_value_decref(tok), rc_value_decref(dotted), rc_value_decref(opw);
  rc_state_free(st);
}

static void expect_bad(const char *doc, size_t len, rc_status code, const char *needle)
{
  struct rc_error err = {0};
  struct rc_state *st = rc_state_from_json(doc, len, "bad.tfstate", &err);
  if (st) fail_msg("accepted: %s", doc);
  assert_int_equal(err.code, code);
  if (needle && !strstr(err.msg, needle)) fail_msg("message \"%s\" lacks \"%s\"", err.msg, needle);
  assert_non_null(strstr(err.msg, "bad.tfstate"));
}

#define GOOD_HEAD "{\"version\":1,\"lineage\":\"l-1\",\"serial\":1,\"salt\":\"00112233445566778899aabbccddeeff\""

static void test_state__bad_documents_rejected_clearly(void **state)
{
  struct rc_state *st = rc_state_new();
  put(st, "aws_vpc.a", "aws_vpc", "vpc-1", attrs_json("{\"cidr_block\":\"10.0.0.0/16\"}"), NULL, 0);
  size_t len;
  char *text = rc_state_to_json(st, &len);
  expect_bad(text, len / 2, RC_SYNTAX, "not valid JSON"); /* truncated */
  expect_bad(text, 0, RC_SYNTAX, "empty");
  char *corrupt = rc_strdup(text);
  corrupt[len / 3] = '\x01';
  expect_bad(corrupt, len, RC_SYNTAX, "line");
  rc_free(corrupt);
  rc_free(text);
  rc_state_free(st);

  const char *v2 = "{\"version\":2,\"lineage\":\"x\",\"serial\":1}";
  expect_bad(v2, strlen(v2), RC_UNSUPPORTED, "version 2");
  struct { const char *doc, *needle; rc_status code; } cases[] = {
      {"[]", "not a JSON object", RC_ERROR},
      {"null", "expected", RC_SYNTAX},
      {"{}", "missing \"version\"", RC_ERROR},
      {"{\"version\":\"1\"}", "must be an integer", RC_ERROR},
      {"{\"version\":1,\"serial\":1,\"salt\":\"00112233445566778899aabbccddeeff\"}", "lineage", RC_ERROR},
      {"{\"version\":1,\"lineage\":\"l\",\"serial\":\"x\",\"salt\":\"00112233445566778899aabbccddeeff\"}",
       "serial", RC_ERROR},
      {"{\"version\":1,\"lineage\":\"l\",\"serial\":-3,\"salt\":\"00112233445566778899aabbccddeeff\"}",
       "serial", RC_ERROR},
      {"{\"version\":1,\"lineage\":\"l\",\"serial\":1,\"salt\":\"zz\"}", "salt", RC_ERROR},
      {GOOD_HEAD ",\"resources\":{}}", "must be a list", RC_ERROR},
      {GOOD_HEAD ",\"resources\":[7]}", "resources[0]", RC_ERROR},
      {GOOD_HEAD ",\"resources\":[{\"type\":\"aws_vpc\"}]}", "address", RC_ERROR},
      {GOOD_HEAD ",\"resources\":[{\"address\":\"a.b\",\"type\":3}]}", "strings", RC_ERROR},
      {GOOD_HEAD ",\"resources\":[{\"address\":\"a.b\"}]}", "type", RC_ERROR},
      {GOOD_HEAD ",\"resources\":[{\"address\":\"a.b\",\"type\":\"a\",\"mode\":\"x\"}]}", "mode", RC_ERROR},
      {GOOD_HEAD ",\"resources\":[{\"address\":\"a.b\",\"type\":\"a\",\"attributes\":[]}]}",
       "attributes must be an object", RC_ERROR},
      {GOOD_HEAD ",\"resources\":[{\"address\":\"a.b\",\"type\":\"a\",\"dependencies\":[1]}]}",
       "list of strings", RC_ERROR},
      {GOOD_HEAD ",\"resources\":[{\"address\":\"a.b\",\"type\":\"a\",\"attributes\":{},"
                 "\"sensitive_attributes\":[\"pw\"]}]}",
       "names no value", RC_ERROR},
      {GOOD_HEAD ",\"resources\":[{\"address\":\"a.b\",\"type\":\"a\"},{\"address\":\"a.b\",\"type\":\"a\"}]}",
       "duplicate", RC_ERROR},
      {GOOD_HEAD ",\"resources\":[{\"address\":\"a.b\",\"type\":\"a\",\"create_before_destroy\":1}]}",
       "boolean", RC_ERROR},
      {GOOD_HEAD ",\"outputs\":[]}", "outputs", RC_ERROR},
      {GOOD_HEAD ",\"outputs\":{\"o\":{\"sensitive\":true}}}", "missing \"value\"", RC_ERROR},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    expect_bad(cases[i].doc, strlen(cases[i].doc), cases[i].code ? cases[i].code : RC_ERROR,
               cases[i].needle);
  /* a minimal good one loads */
  const char *ok = GOOD_HEAD "}";
  struct rc_state *m = rc_state_from_json(ok, strlen(ok), NULL, NULL);
  assert_non_null(m);
  assert_int_equal(rc_state_count(m), 0);
  rc_state_free(m);
}

#define RES1(addr, type, mode) \
  GOOD_HEAD ",\"resources\":[{\"address\":\"" addr "\",\"type\":\"" type "\"" mode "}]}"

/* An address that names no instance of its type is refused: apply matches
 * configuration by address and would destroy and recreate the live object. */
static void test_state__resource_addresses_checked(void **state)
{
  struct { const char *doc, *needle; } bad[] = {
      {RES1("aws_vpc.[", "aws_vpc", ""), "\"aws_vpc.[\" is not a valid resource instance address"},
      {RES1("aws_vpc", "aws_vpc", ""), "not a valid resource instance address"},
      {RES1("aws_vpc.", "aws_vpc", ""), "aws_vpc."},
      {RES1(".aws_vpc.a", "aws_vpc", ""), "not a valid"},
      {RES1("aws_vpc.a b", "aws_vpc", ""), "after the resource name"},
      {RES1("aws_vpc.a[", "aws_vpc", ""), "instance key"},
      {RES1("aws_vpc.a[]", "aws_vpc", ""), "instance key"},
      {RES1("aws_vpc.a[-1]", "aws_vpc", ""), "instance key"},
      {RES1("aws_vpc.a[1x]", "aws_vpc", ""), "instance key"},
      {RES1("aws_vpc.a[\\\"k]", "aws_vpc", ""), "instance key"},
      {RES1("aws_vpc.a[0][1]", "aws_vpc", ""), "after the resource name"},
      {RES1("aws_vpc.a#deposed2", "aws_vpc", ""), "after the resource name"},
      {RES1("1vpc.a", "1vpc", ""), "not a valid"},
      {RES1("module..aws_vpc.a", "aws_vpc", ""), "module path"},
      {RES1("module.vpc", "aws_vpc", ""), "module path"},
      {RES1("module.vpc[0.aws_vpc.a", "aws_vpc", ""), "module path"},
      {RES1("module.vpc.aws_vpc.a", "aws_subnet", ""), "type \"aws_vpc\""},
      {RES1("aws_subnet.a", "aws_vpc", ""), "the resource's \"type\" is \"aws_vpc\""},
      {RES1("data.aws_region.r", "aws_region", ",\"mode\":\"managed\""), "\"mode\" is \"managed\""},
      {RES1("aws_vpc.a", "aws_vpc", ",\"mode\":\"data\""), "\"mode\" is \"data\""},
      {RES1("data.aws_region.r#deposed", "aws_region", ",\"mode\":\"data\""), "after the resource name"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    expect_bad(bad[i].doc, strlen(bad[i].doc), RC_ERROR, bad[i].needle);

  struct { const char *doc, *address; enum rc_state_mode mode; } good[] = {
      {RES1("aws_vpc.a", "aws_vpc", ",\"mode\":\"managed\""), "aws_vpc.a", RC_STATE_MANAGED},
      {RES1("aws_vpc.a#deposed", "aws_vpc", ""), "aws_vpc.a#deposed", RC_STATE_MANAGED},
      {RES1("aws_subnet.s[10]", "aws_subnet", ""), "aws_subnet.s[10]", RC_STATE_MANAGED},
      {RES1("aws_sg.x-y_1[\\\"a.b]c \\\\\\\"q\\\\\\\"\\\"]", "aws_sg", ""),
       "aws_sg.x-y_1[\"a.b]c \\\"q\\\"\"]", RC_STATE_MANAGED},
      {RES1("module.vpc[0].module.in[\\\"k\\\"].aws_subnet.s[2]#deposed", "aws_subnet", ""),
       "module.vpc[0].module.in[\"k\"].aws_subnet.s[2]#deposed", RC_STATE_MANAGED},
      {RES1("data.aws_region.r", "aws_region", ",\"mode\":\"data\""), "data.aws_region.r",
       RC_STATE_DATA},
      {RES1("module.m.data.aws_x.y[3]", "aws_x", ""), "module.m.data.aws_x.y[3]", RC_STATE_DATA},
      {RES1("module.data.aws_x.y", "aws_x", ""), "module.data.aws_x.y", RC_STATE_MANAGED},
  };
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    struct rc_error err = {0};
    struct rc_state *st = rc_state_from_json(good[i].doc, strlen(good[i].doc), "ok.tfstate", &err);
    if (!st) fail_msg("refused %s: %s", good[i].doc, err.msg);
    assert_int_equal(rc_state_count(st), 1);
    assert_string_equal(rc_state_at(st, 0)->address, good[i].address);
    assert_int_equal(rc_state_at(st, 0)->mode, good[i].mode);
    rc_state_free(st);
  }
}

static void test_state__new_states_differ(void **state)
{
  struct rc_state *a = rc_state_new(), *b = rc_state_new();
  assert_int_equal(strlen(rc_state_lineage(a)), 36);
  assert_int_equal(rc_state_lineage(a)[14], '4'); /* uuid v4 */
  assert_string_not_equal(rc_state_lineage(a), rc_state_lineage(b));
  assert_int_equal(rc_state_serial(a), 0);
  rc_state_free(a);
  rc_state_free(b);
  rc_state_free(NULL);
}

/* Each resource's text is cached between writes: every kind of change must
 * still show in the next document, byte for byte what a fresh state says. */
static void test_state__cached_text_follows_changes(void **state)
{
  struct rc_state *st = rc_state_new();
  const char *deps[] = {"aws_vpc.a"};
  for (int i = 0; i < 3; i++) {
    char addr[32];
    snprintf(addr, sizeof addr, "aws_subnet.s[%d]", i);
    struct rc_value *attrs = rc_value_obj_new(RC_OBJECT);
    rc_value_obj_put(attrs, "cidr_block", rc_value_string("10.0.0.0/24"));
    struct rc_state_resource r = {.address = addr, .type = "aws_subnet", .id = "subnet-1",
                                  .attributes = attrs, .dependencies = deps, .n_dependencies = 1};
    rc_state_put(st, &r);
    rc_value_decref(attrs);
  }
  size_t len;
  char *a = rc_state_to_json(st, &len); /* fills the caches */
  struct rc_value *attrs = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(attrs, "cidr_block", rc_value_string("10.9.9.0/24"));
  struct rc_state_resource r = {.address = "aws_subnet.s[1]", .type = "aws_subnet",
                                .id = "subnet-2", .attributes = attrs};
  rc_state_put(st, &r); /* replaced */
  rc_value_decref(attrs);
  assert_int_equal(rc_state_remove(st, "aws_subnet.s[0]"), RC_OK);
  assert_int_equal(rc_state_move(st, "aws_subnet.s[2]", "aws_subnet.t", NULL), RC_OK);
  struct rc_state_resource v = {.address = "aws_vpc.a", .type = "aws_vpc", .id = "vpc-1"};
  rc_state_put(st, &v);
  assert_int_equal(rc_state_move(st, "aws_vpc.a", "aws_vpc.b", NULL), RC_OK); /* deps rewritten */
  char *b = rc_state_to_json(st, &len);
  const char *first = strstr(b, "\"subnet-1\"");
  assert_non_null(first); /* aws_subnet.t keeps it; s[0] is gone, s[1] is subnet-2 */
  assert_null(strstr(first + 1, "\"subnet-1\""));
  assert_non_null(strstr(b, "10.9.9.0/24"));
  assert_non_null(strstr(b, "\"aws_subnet.t\""));
  assert_null(strstr(b, "aws_vpc.a"));
  /* a state loaded from the text (no caches) writes the same bytes */
  struct rc_state *fresh = rc_state_from_json(b, len, "test", NULL);
  assert_non_null(fresh);
  size_t len2;
  char *c = rc_state_to_json(fresh, &len2);
  assert_string_equal(b, c);
  rc_free(a);
  rc_free(b);
  rc_free(c);
  rc_state_free(fresh);
  rc_state_free(st);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_state__cached_text_follows_changes),
      cmocka_unit_test(test_state__round_trip),
      cmocka_unit_test(test_state__put_replaces_and_move_rewrites_dependencies),
      cmocka_unit_test(test_state__sensitive_values_hashed_never_clear),
      cmocka_unit_test(test_state__bad_documents_rejected_clearly),
      cmocka_unit_test(test_state__resource_addresses_checked),
      cmocka_unit_test(test_state__new_states_differ),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
