#include "func_test_util.h"

static void test_functions__table_sorted_and_lookup(void **state)
{
  assert_non_null(rc_func_lookup("abs"));
  assert_non_null(rc_func_lookup("zipmap"));
  assert_non_null(rc_func_lookup("cidrsubnets"));
  assert_null(rc_func_lookup("list"));
  assert_null(rc_func_lookup("can"));
  assert_null(rc_func_lookup("nosuch"));
  const struct rc_func *f = rc_func_lookup("lookup");
  assert_int_equal(f->min_args, 2);
  assert_int_equal(f->max_args, 3);
  assert_int_equal(rc_func_lookup("concat")->max_args, -1);
  assert_string_equal(rc_func_suggest("lenght"), "length");
  assert_string_equal(rc_func_suggest("cidrsubnt"), "cidrsubnet");
  assert_null(rc_func_suggest("qqqqqqqqqqqq"));
}

static void test_functions__error_first_wins(void **state)
{
  struct rc_func_ctx ctx = {.error_arg = -1};
  assert_null(rc_func_error(&ctx, 1, "first %d", 1));
  assert_null(rc_func_error(&ctx, 2, "second"));
  assert_string_equal(ctx.error, "first 1");
  assert_int_equal(ctx.error_arg, 1);
  rc_free(ctx.error);
}

static void test_functions__abs_ceil_floor_signum(void **state)
{
  EXPECT("23", CALL("abs", N(23)));
  EXPECT("0", CALL("abs", N(0)));
  EXPECT("12.4", CALL("abs", N(-12.4)));
  EXPECT("5", CALL("abs", N(-5)));
  EXPECT("5", CALL("ceil", N(5)));
  EXPECT("6", CALL("ceil", N(5.1)));
  EXPECT("-5", CALL("ceil", N(-5.9)));
  EXPECT("4", CALL("floor", N(4.9)));
  EXPECT("-6", CALL("floor", N(-5.1)));
  EXPECT("-1", CALL("signum", N(-13)));
  EXPECT("0", CALL("signum", N(0)));
  EXPECT("1", CALL("signum", N(344)));
  EXPECT("3", CALL("abs", S("-3"))); /* strings convert to numbers */
  EXPECT_ERR("Invalid value for \"num\" parameter: a number is required", CALL("abs", S("x")));
  EXPECT_ERR("Invalid value for \"num\" parameter: number required", CALL("abs", J("[1]")));
  EXPECT_ERR("argument must not be null", CALL("floor", NUL()));
  assert_int_equal(g_err_arg, 0);
}

static void test_functions__log_pow(void **state)
{
  EXPECT("2", CALL("log", N(100), N(10)));
  EXPECT("3", CALL("log", N(8), N(2)));
  EXPECT("1", CALL("pow", N(5), N(0)));
  EXPECT("9", CALL("pow", N(3), N(2)));
  EXPECT("1", CALL("pow", N(4), N(0)));
  EXPECT("0.5", CALL("pow", N(2), N(-1)));
  EXPECT("1024", CALL("pow", N(2), N(10)));
  EXPECT("1.5", CALL("pow", N(2.25), N(0.5)));
}

static void test_functions__max_min_real(void **state)
{
  EXPECT("54", CALL("max", N(12), N(54), N(3)));
  EXPECT("3", CALL("min", N(12), N(54), N(3)));
  EXPECT("-2.5", CALL("min", N(-2.5), N(7)));
  EXPECT("7", CALL("max", N(7)));
  EXPECT("10", CALL("max", S("10"), N(9)));
  EXPECT_ERR("Invalid value for \"numbers\" parameter: a number is required", CALL("max", N(1), S("a")));
  assert_int_equal(g_err_arg, 1);
}

static void test_functions__parseint(void **state)
{
  EXPECT("100", CALL("parseint", S("100"), N(10)));
  EXPECT("255", CALL("parseint", S("FF"), N(16)));
  EXPECT("255", CALL("parseint", S("ff"), N(16)));
  EXPECT("-12", CALL("parseint", S("-12"), N(10)));
  EXPECT("-3", CALL("parseint", S("-11"), N(2)));
  EXPECT("61", CALL("parseint", S("Z"), N(62)));
  EXPECT("35", CALL("parseint", S("z"), N(36)));
  EXPECT("9223372036854775807", CALL("parseint", S("7FFFFFFFFFFFFFFF"), N(16)));
  EXPECT_ERR("Invalid value for \"number\" parameter: cannot parse \"12\" as a base 2 integer",
             CALL("parseint", S("12"), N(2)));
  EXPECT_ERR("cannot parse \"\" as a base 10 integer", CALL("parseint", S(""), N(10)));
  EXPECT_ERR("Invalid value for \"base\" parameter: base must be a whole number between 2 and 62 inclusive",
             CALL("parseint", S("1"), N(63)));
  EXPECT_ERR("base must be a whole number between 2 and 62", CALL("parseint", S("1"), N(1)));
}

static void test_functions__numeric_unknown_and_sensitive(void **state)
{
  EXPECT_UNKNOWN(CALL("abs", U()));
  EXPECT_UNKNOWN(CALL("max", N(1), U()));
  EXPECT_SENS("4", CALL("abs", SENS(N(-4))));
  EXPECT_SENS("5", CALL("max", N(1), SENS(N(5))));
  struct rc_value *r = CALL("pow", N(2), N(3));
  assert_false(rc_value_is_sensitive(r));
  rc_value_decref(r);
  struct rc_value *u = CALL("abs", SENS(U()));
  assert_false(rc_value_is_known(u));
  assert_true(rc_value_is_sensitive(u));
  rc_value_decref(u);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(test_functions__table_sorted_and_lookup, teardown_err),
      cmocka_unit_test_teardown(test_functions__error_first_wins, teardown_err),
      cmocka_unit_test_teardown(test_functions__abs_ceil_floor_signum, teardown_err),
      cmocka_unit_test_teardown(test_functions__log_pow, teardown_err),
      cmocka_unit_test_teardown(test_functions__max_min_real, teardown_err),
      cmocka_unit_test_teardown(test_functions__parseint, teardown_err),
      cmocka_unit_test_teardown(test_functions__numeric_unknown_and_sensitive, teardown_err),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
