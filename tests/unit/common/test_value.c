#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "rc_alloc.h"
#include "rc_value.h"

static void test_value__numbers_format_like_terraform(void **state)
{
  char tmp[64];
  struct rc_value *a = rc_value_number(1.0), *b = rc_value_number(1.5),
                  *c = rc_value_int(9007199254740993LL), *d = rc_value_number(0.1);
  rc_value_format_number(a, tmp, sizeof tmp);
  assert_string_equal(tmp, "1");
  rc_value_format_number(b, tmp, sizeof tmp);
  assert_string_equal(tmp, "1.5");
  rc_value_format_number(c, tmp, sizeof tmp);
  assert_string_equal(tmp, "9007199254740993");
  rc_value_format_number(d, tmp, sizeof tmp);
  assert_string_equal(tmp, "0.1");
  assert_true(rc_value_is_int(a));
  rc_value_decref(a), rc_value_decref(b), rc_value_decref(c), rc_value_decref(d);
}

static void test_value__objects_sorted_and_equal(void **state)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(o, "b", rc_value_int(2));
  rc_value_obj_put(o, "a", rc_value_string("x"));
  rc_value_obj_put(o, "b", rc_value_int(3));
  assert_int_equal(rc_value_len(o), 2);
  assert_string_equal(rc_value_key(o, 0), "a");
  assert_int_equal(rc_value_int_get(rc_value_get(o, "b")), 3);
  struct rc_value *j = rc_value_parse_json("{\"b\":3,\"a\":\"x\"}", 15, NULL);
  assert_true(rc_value_equal(o, j));
  char *s = rc_value_dump_json(o);
  assert_string_equal(s, "{\"a\":\"x\",\"b\":3}");
  rc_free(s);
  rc_value_decref(o);
  rc_value_decref(j);
}

static void test_value__sets_dedup_and_unknowns(void **state)
{
  struct rc_value *s = rc_value_seq_new(RC_SET);
  rc_value_seq_push(s, rc_value_string("b"));
  rc_value_seq_push(s, rc_value_string("a"));
  rc_value_seq_push(s, rc_value_string("b"));
  rc_value_seq_seal(s);
  assert_int_equal(rc_value_len(s), 2);
  assert_string_equal(rc_value_str(rc_value_index(s, 0)), "a");
  assert_true(rc_value_is_wholly_known(s));
  struct rc_value *t = rc_value_seq_new(RC_TUPLE);
  rc_value_seq_push(t, rc_value_unknown());
  assert_false(rc_value_is_wholly_known(t));
  assert_false(rc_value_equal(t, t));
  rc_value_decref(s);
  rc_value_decref(t);
}

static void test_value__sensitive_marks(void **state)
{
  struct rc_value *s = rc_value_string("secret");
  struct rc_value *m = rc_value_mark_sensitive(s);
  assert_true(rc_value_is_sensitive(m));
  assert_false(rc_value_is_sensitive(s));
  struct rc_buf b;
  rc_buf_init(&b, 0);
  rc_value_render(m, &b);
  assert_string_equal(b.ptr, "(sensitive value)");
  rc_buf_free(&b);
  struct rc_value *u = rc_value_unmark(m);
  assert_false(rc_value_is_sensitive(u));
  assert_true(rc_value_equal(u, s));
  rc_value_decref(s), rc_value_decref(m), rc_value_decref(u);
}

static void test_buf__cap_fails_cleanly(void **state)
{
  struct rc_buf b;
  rc_buf_init(&b, 8);
  assert_int_equal(rc_buf_puts(&b, "12345"), RC_OK);
  assert_int_equal(rc_buf_puts(&b, "6789"), RC_TOO_BIG);
  assert_string_equal(b.ptr, "12345");
  rc_buf_free(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_value__numbers_format_like_terraform),
      cmocka_unit_test(test_value__objects_sorted_and_equal),
      cmocka_unit_test(test_value__sets_dedup_and_unknowns),
      cmocka_unit_test(test_value__sensitive_marks),
      cmocka_unit_test(test_buf__cap_fails_cleanly),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
