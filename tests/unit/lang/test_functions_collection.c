#include "func_test_util.h"

static void test_functions__collections_basic(void **state)
{
  EXPECT("true", CALL("alltrue", J("[true, \"true\"]")));
  EXPECT("true", CALL("alltrue", J("[]")));
  EXPECT("false", CALL("alltrue", J("[true, false]")));
  EXPECT("false", CALL("anytrue", J("[]")));
  EXPECT("true", CALL("anytrue", J("[false, true]")));
  EXPECT("[[\"a\",\"b\"],[\"c\"]]", CALL("chunklist", J("[\"a\",\"b\",\"c\"]"), N(2)));
  EXPECT("[]", CALL("chunklist", J("[]"), N(2)));
  EXPECT_STR("b", CALL("coalesce", NUL(), S(""), S("b")));
  EXPECT("\"1\"", CALL("coalesce", N(1), S("a")));
  EXPECT_ERR("no non-null, non-empty-string arguments", CALL("coalesce", NUL(), S("")));
  EXPECT("[\"c\"]", CALL("coalescelist", J("[]"), J("[\"c\"]")));
  EXPECT("[\"a\",\"c\"]", CALL("compact", J("[\"a\",\"\",\"c\",null]")));
  EXPECT("[\"a\",\"b\",1]", CALL("concat", J("[\"a\"]"), J("[\"b\", 1]")));
  EXPECT("[]", CALL0("concat"));
  EXPECT_ERR("all arguments must be lists or tuples; got string", CALL("concat", J("[]"), S("x")));
  EXPECT("true", CALL("contains", J("[\"a\",\"b\"]"), S("b")));
  EXPECT("false", CALL("contains", J("[\"a\"]"), S("z")));
  EXPECT_UNKNOWN(CALL("contains", TUP(S("a"), U(), NULL), S("z")));
  EXPECT("true", CALL("contains", TUP(S("z"), U(), NULL), S("z")));
  EXPECT("[\"a\",\"b\",\"c\"]", CALL("distinct", J("[\"a\",\"b\",\"a\",\"c\",\"b\"]")));
  EXPECT_STR("b", CALL("element", J("[\"a\",\"b\",\"c\"]"), N(1)));
  EXPECT_STR("a", CALL("element", J("[\"a\",\"b\",\"c\"]"), N(3)));
  EXPECT_ERR("cannot use element function with an empty list", CALL("element", J("[]"), N(0)));
  EXPECT_ERR("cannot read elements from set", CALL("element", SET("[\"a\"]"), N(0)));
  EXPECT("[\"a\",\"b\",\"c\"]", CALL("flatten", J("[[\"a\",\"b\"],[],[[\"c\"]]]")));
  EXPECT("1", CALL("index", J("[\"a\",\"b\"]"), S("b")));
  EXPECT_ERR("item not found", CALL("index", J("[\"a\"]"), S("z")));
  EXPECT("[\"a\",\"c\"]", CALL("keys", J("{\"c\":1,\"a\":2}")));
  EXPECT("[2,1]", CALL("values", J("{\"c\":1,\"a\":2}")));
  EXPECT("5", CALL("length", S("h\xc3\xa9llo")));
  EXPECT("0", CALL("length", J("[]")));
  EXPECT("2", CALL("length", TUP(U(), U(), NULL))); /* known even with unknown elements */
  EXPECT("2", CALL("length", J("{\"a\":1,\"b\":2}")));
  EXPECT_ERR("argument must be a string, a collection type, or a structural type", CALL("length", N(1)));
  EXPECT("1", CALL("lookup", J("{\"a\":1}"), S("a")));
  EXPECT_STR("d", CALL("lookup", J("{\"a\":1}"), S("z"), S("d")));
  EXPECT_ERR("lookup failed to find key \"z\"", CALL("lookup", J("{\"a\":1}"), S("z")));
  EXPECT("[\"i-1\",\"i-3\"]", CALL("matchkeys", J("[\"i-1\",\"i-2\",\"i-3\"]"), J("[\"a\",\"b\",\"a\"]"), J("[\"a\"]")));
  EXPECT("{\"a\":1,\"b\":3,\"c\":4}", CALL("merge", J("{\"a\":1,\"b\":2}"), NUL(), J("{\"b\":3,\"c\":4}")));
  EXPECT("{}", CALL0("merge"));
  EXPECT_ERR("arguments must be maps or objects", CALL("merge", J("{}"), J("[]")));
  EXPECT("null", CALL("one", J("[]")));
  EXPECT("\"x\"", CALL("one", J("[\"x\"]")));
  EXPECT_ERR("either zero or one elements", CALL("one", J("[1,2]")));
}

static void test_functions__collections_more(void **state)
{
  EXPECT("[0,1,2]", CALL("range", N(3)));
  EXPECT("[0,-1,-2]", CALL("range", N(-3)));
  EXPECT("[1,3,5,7]", CALL("range", N(1), N(8), N(2)));
  EXPECT("[10,8,6]", CALL("range", N(10), N(5), N(-2)));
  EXPECT("[]", CALL("range", N(0)));
  EXPECT("[1,1.5,2,2.5]", CALL("range", N(1), N(3), N(0.5)));
  EXPECT_ERR("step must not be zero", CALL("range", N(1), N(2), N(0)));
  EXPECT_ERR("end must be greater than start when step is positive", CALL("range", N(5), N(1), N(1)));
  EXPECT_ERR("more than 1024 values were generated", CALL("range", N(2000)));
  EXPECT("[3,2,1]", CALL("reverse", J("[1,2,3]")));
  EXPECT_ERR("can only reverse list or tuple values, not set", CALL("reverse", SET("[1]")));
  EXPECT("[\"b\",\"c\"]", CALL("slice", J("[\"a\",\"b\",\"c\",\"d\"]"), N(1), N(3)));
  EXPECT("[]", CALL("slice", J("[\"a\"]"), N(1), N(1)));
  EXPECT_ERR("end index must not be greater than the length of the list", CALL("slice", J("[\"a\"]"), N(0), N(2)));
  EXPECT_ERR("start index must not be greater than end index", CALL("slice", J("[\"a\",\"b\"]"), N(2), N(1)));
  EXPECT("[\"a\",\"b\",\"e\"]", CALL("sort", J("[\"e\",\"a\",\"b\"]")));
  EXPECT("[\"1\",\"10\",\"9\"]", CALL("sort", J("[9, 10, 1]")));
  EXPECT("10", CALL("sum", J("[1,2,3,4]")));
  EXPECT("2.5", CALL("sum", J("[1,1.5]")));
  EXPECT_ERR("cannot sum an empty list", CALL("sum", J("[]")));
  EXPECT("{\"1\":[\"a\",\"b\"],\"2\":[\"a\"]}", CALL("transpose", J("{\"a\":[\"1\",\"2\"],\"b\":[\"1\"]}")));
  EXPECT("{\"a\":1,\"b\":2}", CALL("zipmap", J("[\"a\",\"b\"]"), J("[1,2]")));
  EXPECT_ERR("number of keys (2) does not match number of values (1)", CALL("zipmap", J("[\"a\",\"b\"]"), J("[1]")));
  EXPECT("[\"a\",\"b\",\"c\"]", CALL("setunion", J("[\"b\",\"a\"]"), J("[\"c\",\"a\"]")));
  EXPECT("[\"1\",\"a\"]", CALL("setunion", J("[\"a\"]"), J("[1]")));
  EXPECT("[\"b\"]", CALL("setintersection", J("[\"a\",\"b\"]"), J("[\"b\",\"c\"]"), J("[\"b\"]")));
  EXPECT("[\"a\"]", CALL("setsubtract", J("[\"a\",\"b\"]"), J("[\"b\"]")));
  EXPECT("[[\"x\",\"1\"],[\"x\",\"2\"],[\"y\",\"1\"],[\"y\",\"2\"]]",
         CALL("setproduct", J("[\"x\",\"y\"]"), J("[\"1\",\"2\"]")));
  EXPECT("[]", CALL("setproduct", J("[\"x\"]"), J("[]")));
}

static void test_functions__collections_marks(void **state)
{
  EXPECT_UNKNOWN(CALL("keys", U()));
  EXPECT("[\"a\"]", CALL("keys", J("{\"a\":1}")));
  EXPECT_UNKNOWN(CALL("sort", TUP(S("a"), U(), NULL)));
  EXPECT_UNKNOWN(CALL("distinct", TUP(S("a"), U(), NULL)));
  EXPECT_SENS("3", CALL("length", SENS(J("[1,2,3]"))));
  EXPECT_SENS("[\"a\",\"b\"]", CALL("concat", J("[\"a\"]"), TUP(SENS(S("b")), NULL)));
  struct rc_value *r = CALL("element", TUP(S("a"), U(), NULL), N(1));
  assert_false(rc_value_is_known(r));
  rc_value_decref(r);
  EXPECT_STR("a", CALL("element", TUP(S("a"), U(), NULL), N(0)));
}

static void test_functions__conversion(void **state)
{
  EXPECT("[\"a\",\"1\"]", CALL("tolist", J("[\"a\", 1]")));
  EXPECT_ERR("cannot convert tuple to list of any single type", CALL("tolist", J("[1, true]")));
  EXPECT("{\"a\":\"1\",\"b\":\"x\"}", CALL("tomap", J("{\"a\":1,\"b\":\"x\"}")));
  EXPECT("[\"a\",\"b\"]", CALL("toset", J("[\"b\",\"a\",\"b\"]")));
  EXPECT("1.5", CALL("tonumber", S("1.5")));
  EXPECT("-2000", CALL("tonumber", S("-2e3")));
  EXPECT("null", CALL("tonumber", NUL()));
  EXPECT_ERR("cannot convert \"x\" to number", CALL("tonumber", S("x")));
  EXPECT("true", CALL("tobool", S("true")));
  EXPECT_ERR("cannot convert \"yes\" to bool", CALL("tobool", S("yes")));
  EXPECT_ERR("cannot convert number to bool", CALL("tobool", N(1)));
  EXPECT_STR("1", CALL("tostring", N(1)));
  EXPECT_STR("0.1", CALL("tostring", N(0.1)));
  EXPECT_STR("1000000000000000000000", CALL("tostring", N(1e21)));
  EXPECT_STR("false", CALL("tostring", B(false)));
  EXPECT_ERR("cannot convert tuple to string", CALL("tostring", J("[]")));
  EXPECT_UNKNOWN(CALL("tostring", U()));
  EXPECT_SENS("\"x\"", CALL("sensitive", S("x")));
  struct rc_value *r = CALL("nonsensitive", SENS(S("x")));
  assert_false(rc_value_is_sensitive(r));
  EXPECT_STR("x", r);
  EXPECT("true", CALL("issensitive", SENS(S("x"))));
  EXPECT("false", CALL("issensitive", S("x")));
  EXPECT_UNKNOWN(CALL("issensitive", U()));
}

static void test_convert__types_and_paths(void **state)
{
  char *err = NULL;
  struct rc_type *t = rc_type_parse("list(object({a=string, b=optional(number)}))");
  assert_non_null(t);
  struct rc_value *v = J("[{\"a\":1},{\"a\":\"x\",\"b\":\"2\",\"extra\":true}]");
  struct rc_value *r = rc_convert(v, t, &err);
  assert_non_null(r);
  EXPECT("[{\"a\":\"1\",\"b\":null},{\"a\":\"x\",\"b\":2}]", r);
  rc_value_decref(v);
  v = J("[{\"a\":\"x\"},{\"b\":1}]");
  assert_null(rc_convert(v, t, &err));
  assert_string_equal(err, "element 1: attribute \"a\" is required");
  rc_free(err);
  rc_value_decref(v);
  rc_type_free(t);
  t = rc_type_parse("map(number)");
  v = J("{\"k\":\"nope\"}");
  assert_null(rc_convert(v, t, &err));
  assert_string_equal(err, "element \"k\": a number is required");
  rc_free(err);
  rc_value_decref(v);
  struct rc_buf b;
  rc_buf_init(&b, 0);
  rc_type_render(t, &b);
  rc_buf_puts(&b, " ");
  rc_type_friendly(t, &b);
  assert_string_equal(b.ptr, "map(number) map of number");
  rc_buf_free(&b);
  rc_type_free(t);
  assert_null(rc_type_parse("list(strin)"));
  struct rc_value *a = S("x"), *n = N(1), *l1 = J("[\"a\"]"), *l2 = J("[\"b\"]"), *l3 = J("[1]");
  assert_true(rc_convert_same_type(a, a));
  assert_false(rc_convert_same_type(a, n));
  assert_true(rc_convert_same_type(l1, l2));
  assert_false(rc_convert_same_type(l1, l3));
  assert_true(rc_convert_same_type(U(), l3));
  rc_value_decref(a), rc_value_decref(n), rc_value_decref(l1), rc_value_decref(l2), rc_value_decref(l3);
  v = SENS(J("[1]"));
  r = rc_convert_to_list(v, NULL);
  assert_true(rc_value_is_sensitive(r));
  assert_int_equal(rc_value_kind(r), RC_LIST);
  rc_value_decref(r);
  rc_value_decref(v);
  v = TUP(S("a"), U(), NULL);
  r = rc_convert_to_list(v, NULL);
  assert_false(rc_value_is_known(rc_value_index(r, 1)));
  rc_value_decref(r);
  rc_value_decref(v);
  v = S("True");
  assert_null(rc_convert_to_bool(v, &err));
  assert_string_equal(err, "a bool is required; to convert from string, use lowercase \"true\"");
  rc_free(err);
  rc_value_decref(v);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(test_functions__collections_basic, teardown_err),
      cmocka_unit_test_teardown(test_functions__collections_more, teardown_err),
      cmocka_unit_test_teardown(test_functions__collections_marks, teardown_err),
      cmocka_unit_test_teardown(test_functions__conversion, teardown_err),
      cmocka_unit_test_teardown(test_convert__types_and_paths, teardown_err),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
