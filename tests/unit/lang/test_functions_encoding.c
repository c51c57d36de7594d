#include <stdio.h>
#include <unistd.h>

#include "func_test_util.h"

static void test_functions__encoding(void **state)
{
  EXPECT_STR("SGVsbG8gV29ybGQ=", CALL("base64encode", S("Hello World")));
  EXPECT_STR("", CALL("base64encode", S("")));
  EXPECT_STR("Hello World", CALL("base64decode", S("SGVsbG8gV29ybGQ=")));
  EXPECT_ERR("Invalid value for \"str\" parameter: failed to decode base64 data", CALL("base64decode", S("!!")));
  EXPECT_ERR("not valid UTF-8", CALL("base64decode", S("/w==")));
  EXPECT_STR("{\"a\":[1,\"b\\u003c\\u0026\\u003e\"],\"b\":null,\"c\":1.5}",
             CALL("jsonencode", J("{\"c\":1.5,\"a\":[1,\"b<&>\"],\"b\":null}")));
  EXPECT_STR("\"\\n\\u0001\"", CALL("jsonencode", S("\n\x01")));
  EXPECT_UNKNOWN(CALL("jsonencode", TUP(U(), NULL)));
  EXPECT("{\"a\":[1,true]}", CALL("jsondecode", S("{\"a\":[1,true]}")));
  EXPECT_ERR("Invalid value for \"str\" parameter", CALL("jsondecode", S("{")));
  EXPECT_STR("a+b%2Fc%3F%C3%A9", CALL("urlencode", S("a b/c?\xc3\xa9")));
  EXPECT_STR("\"a\": \"b\"\n\"c\":\n- 1\n- \"a\": \"b\"\n  \"c\": \"d\"\n- []\n",
             CALL("yamlencode", J("{\"a\":\"b\",\"c\":[1,{\"a\":\"b\",\"c\":\"d\"},[]]}")));
  EXPECT_STR("\"x\"\n", CALL("yamlencode", S("x")));
  EXPECT_STR("\"m\":\n  \"k\": true\n", CALL("yamlencode", J("{\"m\":{\"k\":true}}")));
  EXPECT("[{\"a\":\"1\",\"b\":\"x,y\"},{\"a\":\"2\",\"b\":\"\"}]",
         CALL("csvdecode", S("a,b\n1,\"x,y\"\n2,\n")));
  EXPECT_ERR("wrong number of fields", CALL("csvdecode", S("a,b\n1\n")));
  EXPECT_STR("SABpAA==", CALL("textencodebase64", S("Hi"), S("UTF-16LE")));
  EXPECT_STR("Hi", CALL("textdecodebase64", S("SABpAA=="), S("UTF-16LE")));
  EXPECT_ERR("is not a supported IANA encoding name", CALL("textencodebase64", S("Hi"), S("NOPE-9")));
}

static void test_functions__crypto(void **state)
{
  EXPECT_STR("b10a8db164e0754105b7a99be72e3fe5", CALL("md5", S("Hello World")));
  EXPECT_STR("0a4d55a8d778e5022fab701977c5d840bbc486d0", CALL("sha1", S("Hello World")));
  EXPECT_STR("a591a6d40bf420404a011733cfb7b190d62c65bf0bcda32b57b277d9ad9f146e", CALL("sha256", S("Hello World")));
  EXPECT_STR("pZGm1Av0IEBKARczz7exkNYsZb8LzaMrV7J32a2fFG4=", CALL("base64sha256", S("Hello World")));
  struct rc_value *r = CALL("sha512", S(""));
  assert_int_equal(rc_value_strlen(r), 128);
  rc_value_decref(r);
  r = CALL0("uuid");
  assert_int_equal(rc_value_strlen(r), 36);
  assert_int_equal(rc_value_str(r)[14], '4');
  rc_value_decref(r);
  g_plan_time = true;
  EXPECT_UNKNOWN(CALL0("uuid"));
  EXPECT_UNKNOWN(CALL0("timestamp"));
  g_plan_time = false;
  r = CALL0("timestamp");
  assert_int_equal(rc_value_strlen(r), 20);
  assert_int_equal(rc_value_str(r)[19], 'Z');
  rc_value_decref(r);
  EXPECT_SENS("\"b10a8db164e0754105b7a99be72e3fe5\"", CALL("md5", SENS(S("Hello World"))));
}

static void test_functions__ipnet(void **state)
{
  EXPECT_STR("10.12.112.16", CALL("cidrhost", S("10.12.112.0/20"), N(16)));
  EXPECT_STR("10.12.127.254", CALL("cidrhost", S("10.12.112.0/20"), N(-2)));
  EXPECT_STR("fd00:fd12:3456:7800::22", CALL("cidrhost", S("fd00:fd12:3456:7890::/56"), N(34)));
  EXPECT_ERR("Invalid value for \"hostnum\" parameter: prefix of 24 does not accommodate a host numbered 256",
             CALL("cidrhost", S("10.0.0.0/24"), N(256)));
  EXPECT_ERR("Invalid value for \"prefix\" parameter: invalid CIDR expression: invalid CIDR address: 10.0.0.0/33",
             CALL("cidrhost", S("10.0.0.0/33"), N(1)));
  EXPECT_STR("255.240.0.0", CALL("cidrnetmask", S("172.16.0.0/12")));
  EXPECT_STR("0.0.0.0", CALL("cidrnetmask", S("0.0.0.0/0")));
  EXPECT_ERR("IPv6 addresses cannot have a netmask", CALL("cidrnetmask", S("fd00::/8")));
  EXPECT_STR("172.18.0.0/24", CALL("cidrsubnet", S("172.16.0.0/12"), N(12), N(512)));
  EXPECT_STR("10.1.2.240/28", CALL("cidrsubnet", S("10.1.2.0/24"), N(4), N(15)));
  EXPECT_STR("fd00:fd12:3456:7800::/72", CALL("cidrsubnet", S("fd00:fd12:3456:7890::/56"), N(16), N(0)));
  EXPECT_STR("fd00:fd12:3456:7800:a200::/72", CALL("cidrsubnet", S("fd00:fd12:3456:7800::/56"), N(16), N(162)));
  EXPECT_ERR("insufficient address space to extend prefix of 24 by 10", CALL("cidrsubnet", S("10.0.0.0/24"), N(10), N(0)));
  EXPECT_ERR("prefix extension of 2 does not accommodate a subnet numbered 4", CALL("cidrsubnet", S("10.0.0.0/24"), N(2), N(4)));
  EXPECT("[\"10.1.0.0/20\",\"10.1.16.0/20\",\"10.1.32.0/24\",\"10.1.48.0/20\"]",
         CALL("cidrsubnets", S("10.1.0.0/16"), N(4), N(4), N(8), N(4)));
  EXPECT("[\"fd00:fd12:3456:7800::/72\",\"fd00:fd12:3456:7800:100::/72\",\"fd00:fd12:3456:7800:200::/72\",\"fd00:fd12:3456:7800:300::/72\"]",
         CALL("cidrsubnets", S("fd00:fd12:3456:7800::/56"), N(16), N(16), N(16), N(16)));
  EXPECT_ERR("would extend prefix to 33 bits, which is too long for an IPv4 address",
             CALL("cidrsubnets", S("10.0.0.0/30"), N(3)));
  EXPECT_ERR("not enough remaining address space for a subnet with a prefix of 25 bits after 10.0.0.128/25",
             CALL("cidrsubnets", S("10.0.0.0/24"), N(1), N(1), N(1)));
  EXPECT("[]", CALL("cidrsubnets", S("10.0.0.0/24")));
}

static void test_functions__dates(void **state)
{
  EXPECT_STR("02-Jan-2006 15:04", CALL("formatdate", S("DD-MMM-YYYY HH:mm"), S("2006-01-02T15:04:05Z")));
  EXPECT_STR("Monday, 02-Jan-06 03:04 PM UTC", CALL("formatdate", S("EEEE, DD-MMM-YY hh:mm AA ZZZ"), S("2006-01-02T15:04:05Z")));
  EXPECT_STR("2018-01-02 it's", CALL("formatdate", S("YYYY-MM-DD 'it''s'"), S("2018-01-02T23:12:01-08:00")));
  EXPECT_STR("-0800", CALL("formatdate", S("ZZZZ"), S("2018-01-02T23:12:01-08:00")));
  EXPECT_ERR("not a valid RFC3339 timestamp", CALL("formatdate", S("YYYY"), S("2018-13-02T00:00:00Z")));
  EXPECT_STR("2017-11-22T00:10:00Z", CALL("timeadd", S("2017-11-22T00:00:00Z"), S("10m")));
  EXPECT_STR("2017-11-21T23:00:00Z", CALL("timeadd", S("2017-11-22T00:00:00Z"), S("-1h")));
  EXPECT_STR("2017-11-23T01:30:00+01:00", CALL("timeadd", S("2017-11-22T00:00:00+01:00"), S("25h30m")));
  EXPECT_ERR("time: invalid duration", CALL("timeadd", S("2017-11-22T00:00:00Z"), S("1x")));
  EXPECT("-1", CALL("timecmp", S("2017-11-22T00:00:00Z"), S("2017-11-22T00:00:01Z")));
  EXPECT("0", CALL("timecmp", S("2017-11-22T01:00:00+01:00"), S("2017-11-22T00:00:00Z")));
}

static void test_functions__files(void **state)
{
  char dir[] = "/tmp/rc_functest_XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[256];
  snprintf(path, sizeof path, "%s/hello.txt", dir);
  FILE *f = fopen(path, "w");
  fputs("Hello World", f);
  fclose(f);
  g_base_dir = dir;
  EXPECT_STR("Hello World", CALL("file", S("hello.txt")));
  EXPECT_STR("SGVsbG8gV29ybGQ=", CALL("filebase64", S("hello.txt")));
  EXPECT_STR("b10a8db164e0754105b7a99be72e3fe5", CALL("filemd5", S("hello.txt")));
  EXPECT("true", CALL("fileexists", S("hello.txt")));
  EXPECT("false", CALL("fileexists", S("nope.txt")));
  EXPECT_ERR("no file exists at nope.txt", CALL("file", S("nope.txt")));
  EXPECT_ERR("templatefile is not available", CALL("templatefile", S("hello.txt"), J("{}")));
  unlink(path);
  rmdir(dir);
  g_base_dir = NULL;
  EXPECT_STR("baz.txt", CALL("basename", S("foo/bar/baz.txt")));
  EXPECT_STR("/", CALL("basename", S("/")));
  EXPECT_STR(".", CALL("basename", S("")));
  EXPECT_STR("foo/bar", CALL("dirname", S("foo/bar/baz.txt")));
  EXPECT_STR(".", CALL("dirname", S("foo")));
  EXPECT_STR("/", CALL("dirname", S("/foo")));
  EXPECT_STR("/a/c", CALL("abspath", S("/a/b/../c/./")));
  setenv("HOME", "/home/u", 1);
  EXPECT_STR("/home/u/.ssh/id_rsa", CALL("pathexpand", S("~/.ssh/id_rsa")));
  EXPECT_STR("/etc/x", CALL("pathexpand", S("/etc/x")));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(test_functions__encoding, teardown_err),
      cmocka_unit_test_teardown(test_functions__crypto, teardown_err),
      cmocka_unit_test_teardown(test_functions__ipnet, teardown_err),
      cmocka_unit_test_teardown(test_functions__dates, teardown_err),
      cmocka_unit_test_teardown(test_functions__files, teardown_err),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
