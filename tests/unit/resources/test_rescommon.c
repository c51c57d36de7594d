#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "rc_alloc.h"
#include "rescommon.h"

static void roundtrip(const char *addr, const char *want)
{
  char *enc = rc_res_address_encode(addr);
  assert_string_equal(enc, want);
  for (const char *p = enc; *p; p++)
    assert_non_null(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _.:/=+-@", *p));
  char *dec = rc_res_address_decode(enc);
  assert_non_null(dec);
  assert_string_equal(dec, addr);
  rc_free(enc);
  rc_free(dec);
}

static void test_rescommon__address_encoding_roundtrips(void **state)
{
  roundtrip("aws_vpc.main", "aws_vpc.main");
  roundtrip("module.vpc.aws_subnet.public[0]", "module.vpc.aws_subnet.public/0");
  roundtrip("aws_security_group.ecs[\"api\"]", "aws_security_group.ecs/=api");
  roundtrip("module.svc[\"a.b\"].aws_ecs_service.this[12]",
            "module.svc/=a+2Eb.aws_ecs_service.this/12");
  roundtrip("aws_iam_role.r[\"x y/z+\\\"q\"]", "aws_iam_role.r/=x y+2Fz+2B+22q");
  assert_null(rc_res_address_decode("aws_vpc.x/abc"));
  assert_null(rc_res_address_decode("aws_vpc.x+2"));
}

static void test_rescommon__timeouts(void **state)
{
  struct rc_value *t = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(t, "create", rc_value_string("10m"));
  rc_value_obj_put(t, "delete", rc_value_string("1h30s"));
  struct rc_rctx ctx = {.timeouts = t};
  assert_int_equal(rc_res_timeout(&ctx, "create", 5), 600);
  assert_int_equal(rc_res_timeout(&ctx, "delete", 5), 3630);
  assert_int_equal(rc_res_timeout(&ctx, "update", 5), 5);
  rc_value_decref(t);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rescommon__address_encoding_roundtrips),
      cmocka_unit_test(test_rescommon__timeouts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
