#include "func_test_util.h"

static void test_functions__case_and_trim(void **state)
{
  EXPECT_STR("HELLO", CALL("upper", S("hello")));
  EXPECT_STR("АЛЛО!", CALL("upper", S("алло!")));
  EXPECT_STR("hello", CALL("lower", S("HELLO")));
  EXPECT_STR("Hello World", CALL("title", S("hello world")));
  EXPECT_STR("Hello-World", CALL("title", S("hello-world")));
  EXPECT_STR("hello", CALL("chomp", S("hello\r\n\n")));
  EXPECT_STR("a\nb", CALL("chomp", S("a\nb")));
  EXPECT_STR("hello", CALL("trimspace", S("  hello\n\t")));
  EXPECT_STR("x", CALL("trimspace", S("\xc2\xa0x\xe3\x80\x80")));
  EXPECT_STR("foobar", CALL("trim", S("?!foobar!?"), S("!?")));
  EXPECT_STR("", CALL("trim", S("aaa"), S("a")));
  EXPECT_STR("world", CALL("trimprefix", S("helloworld"), S("hello")));
  EXPECT_STR("helloworld", CALL("trimprefix", S("helloworld"), S("x")));
  EXPECT_STR("hello", CALL("trimsuffix", S("helloworld"), S("world")));
  EXPECT("true", CALL("startswith", S("hello world"), S("hello")));
  EXPECT("false", CALL("startswith", S("hello"), S("hello world")));
  EXPECT("true", CALL("endswith", S("hello world"), S("world")));
  EXPECT("true", CALL("strcontains", S("hello world"), S("o w")));
  EXPECT("false", CALL("strcontains", S("hello"), S("z")));
  EXPECT_STR("olleh", CALL("strrev", S("hello")));
  EXPECT_STR("\xe2\x98\x83" "a", CALL("strrev", S("a\xe2\x98\x83")));
  EXPECT_STR("e\xcc\x81" "x", CALL("strrev", S("xe\xcc\x81"))); /* combining mark kept */
  EXPECT_STR("", CALL("strrev", S("")));
  EXPECT_STR("  a\n    b\n    c", CALL("indent", N(2), S("  a\n  b\n  c")));
}

static void test_functions__substr_split_join_replace(void **state)
{
  EXPECT_STR("hello", CALL("substr", S("hello world"), N(0), N(5)));
  EXPECT_STR("world", CALL("substr", S("hello world"), N(-5), N(-1)));
  EXPECT_STR("wor", CALL("substr", S("hello world"), N(-5), N(3)));
  EXPECT_STR("\xf0\x9f\x98\x80" "b", CALL("substr", S("a\xf0\x9f\x98\x80" "bc"), N(1), N(2)));
  EXPECT_STR("", CALL("substr", S("abc"), N(5), N(2)));
  EXPECT_STR("ab", CALL("substr", S("abc"), N(-10), N(2)));
  EXPECT_STR("bc", CALL("substr", S("abc"), N(1), N(100)));
  EXPECT_STR("", CALL("substr", S("abc"), N(1), N(0)));
  EXPECT("[\"a\",\"b\",\"c\"]", CALL("split", S(","), S("a,b,c")));
  EXPECT("[\"\"]", CALL("split", S(","), S("")));
  EXPECT("[\"a\",\"\",\"b\"]", CALL("split", S(","), S("a,,b")));
  EXPECT("[\"foo\"]", CALL("split", S(","), S("foo")));
  EXPECT_STR("a-b-c", CALL("join", S("-"), J("[\"a\",\"b\",\"c\"]")));
  EXPECT_STR("a, b, 1", CALL("join", S(", "), J("[\"a\"]"), J("[\"b\", 1]")));
  EXPECT_STR("", CALL("join", S(","), J("[]")));
  EXPECT_ERR("Invalid value for \"lists\" parameter: list of string required", CALL("join", S(","), S("x")));
  EXPECT_ERR("element 1 is null", CALL("join", S(","), J("[\"a\", null]")));
  EXPECT_UNKNOWN(CALL("join", S(","), TUP(S("a"), U(), NULL)));
  EXPECT_STR("1 + 2 + 3", CALL("replace", S("1 + 2 + 3"), S("+"), S("+")));
  EXPECT_STR("hello everybody", CALL("replace", S("hello world"), S("world"), S("everybody")));
  EXPECT_STR("hella warld", CALL("replace", S("hello world"), S("/o/"), S("a")));
  EXPECT_STR("world hello", CALL("replace", S("hello world"), S("/(\\w+) (\\w+)/"), S("$2 $1")));
  EXPECT_STR("x-1-x-22", CALL("replace", S("a-1-b-22"), S("/[a-z]/"), S("x")));
  EXPECT_STR("v1.2", CALL("replace", S("v1_2"), S("/(?P<maj>\\d)_(?P<min>\\d)/"), S("${maj}.${min}")));
}

static void test_functions__regex(void **state)
{
  EXPECT_STR("10", CALL("regex", S("[0-9]+"), S("abc10def")));
  EXPECT("[\"2019\",\"02\",\"01\"]", CALL("regex", S("(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)"), S("2019-02-01")));
  EXPECT("{\"host\":\"example.com\",\"scheme\":\"https\"}",
         CALL("regex", S("^(?P<scheme>[a-z]+)://(?P<host>[^/]+)"), S("https://example.com/x")));
  EXPECT("[\"a\"]", CALL("regex", S("(?:x)(a)"), S("xa")));
  EXPECT_STR("ABC", CALL("regex", S("(?i)abc"), S("xABCx")));
  EXPECT_ERR("pattern did not match any part of the given string", CALL("regex", S("z"), S("abc")));
  EXPECT_ERR("Invalid value for \"pattern\" parameter: error parsing pattern", CALL("regex", S("[a"), S("a")));
  EXPECT_ERR("can't mix both named and unnamed", CALL("regex", S("(?P<a>x)(y)"), S("xy")));
  EXPECT("[\"1\",\"2\",\"3\"]", CALL("regexall", S("[0-9]"), S("a1b2c3")));
  EXPECT("[]", CALL("regexall", S("[0-9]"), S("abc")));
  EXPECT("[[\"a\",\"1\"],[\"b\",\"2\"]]", CALL("regexall", S("([a-z])=(\\d)"), S("a=1,b=2")));
  EXPECT("3", CALL("length", CALL("regexall", S("x*"), S("ab"))) ) ; /* no infinite loop */
}

static void test_functions__format(void **state)
{
  EXPECT_STR("Hello, Ander!", CALL("format", S("Hello, %s!"), S("Ander")));
  EXPECT_STR("There are 4 lights", CALL("format", S("There are %d lights"), N(4)));
  EXPECT_STR("3.14", CALL("format", S("%.2f"), N(3.14159)));
  EXPECT_STR("3.141590", CALL("format", S("%f"), N(3.14159)));
  EXPECT_STR("\"quoted\\n\"", CALL("format", S("%q"), S("quoted\n")));
  EXPECT_STR("100%", CALL("format", S("%d%%"), N(100)));
  EXPECT_STR("true", CALL("format", S("%t"), B(true)));
  EXPECT_STR("ff FF 0xff", CALL("format", S("%x %X %#x"), N(255), N(255), N(255)));
  EXPECT_STR("101 17", CALL("format", S("%b %o"), N(5), N(15)));
  EXPECT_STR("   42|42   |00042", CALL("format", S("%5d|%-5d|%05d"), N(42), N(42), N(42)));
  EXPECT_STR("  ab|ab  ", CALL("format", S("%4s|%-4s"), S("ab"), S("ab")));
  EXPECT_STR("+3", CALL("format", S("%+d"), N(3)));
  EXPECT_STR("1.234500e+03", CALL("format", S("%e"), N(1234.5)));
  EXPECT_STR("1.5 1e+06 100000", CALL("format", S("%g %g %g"), N(1.5), N(1000000), N(100000)));
  EXPECT_STR("[\"a\",1] {\"k\":true} str 1.5", CALL("format", S("%v %v %v %v"), J("[\"a\",1]"), J("{\"k\":true}"), S("str"), N(1.5)));
  EXPECT_STR("\"s\"", CALL("format", S("%#v"), S("s")));
  EXPECT_STR("b a", CALL("format", S("%[2]s %[1]s"), S("a"), S("b")));
  EXPECT_STR("12", CALL("format", S("%d"), S("12")));
  EXPECT_ERR("not enough arguments for \"%s\" at 3: need index 2 but have 1 total",
             CALL("format", S("%s %s"), S("a")));
  EXPECT_ERR("too many arguments; only 1 used by format string", CALL("format", S("%s"), S("a"), S("b")));
  EXPECT_ERR("unsupported value for \"%d\" at 0: a number is required", CALL("format", S("%d"), S("x")));
  EXPECT_ERR("a whole number is required", CALL("format", S("%d"), N(1.5)));
  EXPECT_UNKNOWN(CALL("format", S("%s"), U()));
  EXPECT_SENS("\"x=1\"", CALL("format", S("x=%d"), SENS(N(1))));
  EXPECT("[\"Hello, Valentina!\",\"Hello, Ander!\"]",
         CALL("formatlist", S("Hello, %s!"), J("[\"Valentina\",\"Ander\"]")));
  EXPECT("[\"a=1\",\"b=1\"]", CALL("formatlist", S("%s=%d"), J("[\"a\",\"b\"]"), N(1)));
  EXPECT("[]", CALL("formatlist", S("%s"), J("[]")));
  EXPECT_ERR("argument 2 has length 1, which is inconsistent with argument 1 of length 2",
             CALL("formatlist", S("%s%s"), J("[\"a\",\"b\"]"), J("[\"c\"]")));
}

static void test_functions__string_marks(void **state)
{
  EXPECT_UNKNOWN(CALL("upper", U()));
  EXPECT_UNKNOWN(CALL("replace", S("a"), U(), S("b")));
  EXPECT_SENS("\"SECRET\"", CALL("upper", SENS(S("secret"))));
  EXPECT_SENS("[\"a\",\"b\"]", CALL("split", S(","), SENS(S("a,b"))));
  EXPECT_SENS("\"a,b\"", CALL("join", S(","), TUP(S("a"), SENS(S("b")), NULL)));
  EXPECT_ERR("Invalid value for \"str\" parameter: argument must not be null", CALL("upper", NUL()));
  EXPECT_ERR("Invalid value for \"str\" parameter: string required", CALL("lower", J("{}")));
  EXPECT_STR("1.5", CALL("upper", N(1.5)));
  EXPECT_STR("TRUE", CALL("upper", B(true)));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(test_functions__case_and_trim, teardown_err),
      cmocka_unit_test_teardown(test_functions__substr_split_join_replace, teardown_err),
      cmocka_unit_test_teardown(test_functions__regex, teardown_err),
      cmocka_unit_test_teardown(test_functions__format, teardown_err),
      cmocka_unit_test_teardown(test_functions__string_marks, teardown_err),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
