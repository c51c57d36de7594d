/* Golden tests of the Terraform-style plan text. Goldens live in
 * tests/data/plans/<case>.txt; RECON_UPDATE_GOLDEN=1 rewrites them (review
 * the diff before committing). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_fixtures.h"

static char *render(const struct rc_plan *p, bool color)
{
  struct rc_buf b;
  rc_buf_init(&b, 0);
  assert_int_equal(rc_plan_render_text(p, color, &b), RC_OK);
  return rc_buf_detach(&b);
}

static void golden(const char *name, const char *text)
{
  const char *src = getenv("RECON_SOURCE_DIR");
  char path[4096];
  snprintf(path, sizeof path, "%s/tests/data/plans/%s.txt", src ? src : ".", name);
  const char *upd = getenv("RECON_UPDATE_GOLDEN");
  if (upd && *upd == '1') {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return;
  }
  FILE *f = fopen(path, "rb");
  if (!f) fail_msg("missing golden %s (run with RECON_UPDATE_GOLDEN=1)", path);
  static char want[1 << 16];
  size_t n = fread(want, 1, sizeof want - 1, f);
  fclose(f);
  want[n] = '\0';
  if (strcmp(want, text) != 0) {
    fprintf(stderr, "--- golden %s differs; got:\n%s\n--- end\n", name, text);
    fail();
  }
}

static void check_case(const char *name, void (*build)(struct rc_plan *))
{
  struct rc_plan p = {0};
  build(&p);
  char *t = render(&p, false);
  assert_null(strchr(t, '\x1b'));
  golden(name, t);
  rc_free(t);
  rc_plan_free(&p);
}

static void test_render_text__create_vpc(void **state)
{
  check_case("create_vpc", fx_create_vpc);
  struct rc_plan p = {0};
  fx_create_vpc(&p);
  char *t = render(&p, false);
  assert_non_null(strstr(t, "  + resource \"aws_vpc\" \"this\" {\n"));
  assert_non_null(strstr(t, "      + id                   = (known after apply)\n"));
  assert_non_null(strstr(t, "Plan: 1 to add, 0 to change, 0 to destroy.\n"));
  assert_null(strstr(t, "ipv6_cidr_block")); /* null attributes are not shown */
  assert_null(strstr(t, "  ~ update")); /* legend lists only used symbols */
  rc_free(t);
  rc_plan_free(&p);
}

static void test_render_text__update_tags(void **state)
{
  check_case("update_tags", fx_update_tags);
  struct rc_plan p = {0};
  fx_update_tags(&p);
  char *t = render(&p, false);
  assert_non_null(strstr(t, "will be updated in-place"));
  assert_non_null(strstr(t, "~ \"tier\" = \"web\" -> \"app\""));
  assert_non_null(strstr(t, "unchanged attributes hidden"));
  assert_null(strstr(t, "10.0.1.0/24")); /* unchanged, hidden */
  rc_free(t);
  rc_plan_free(&p);
}

static void test_render_text__replace_subnet(void **state)
{
  check_case("replace_subnet", fx_replace_subnet);
  struct rc_plan p = {0};
  fx_replace_subnet(&p);
  char *t = render(&p, false);
  assert_non_null(strstr(t, "must be replaced"));
  assert_non_null(strstr(t, "-/+ resource \"aws_subnet\" \"private\" {"));
  assert_non_null(strstr(t, "\"10.0.2.0/24\" -> \"10.0.12.0/24\" # forces replacement\n"));
  assert_non_null(strstr(t, "Plan: 1 to add, 0 to change, 1 to destroy."));
  rc_free(t);
  rc_plan_free(&p);
}

static void test_render_text__delete_with_reason(void **state)
{
  check_case("delete_reason", fx_delete);
  struct rc_plan p = {0};
  fx_delete(&p);
  char *t = render(&p, false);
  assert_non_null(strstr(t, "  # aws_security_group.extra[\"db\"] will be destroyed\n"
                            "  # (because key [\"db\"] is not in for_each map)\n"));
  assert_non_null(strstr(t, "- ingress {"));
  rc_free(t);
  rc_plan_free(&p);
}

static void test_render_text__image_tag_deploy(void **state)
{
  check_case("deploy_image", fx_deploy);
  struct rc_plan p = {0};
  fx_deploy(&p);
  char *t = render(&p, false);
  assert_non_null(strstr(t, "~ container_definitions = jsonencode("));
  const char *img = strstr(t, "~ image");
  assert_non_null(img);
  assert_non_null(strstr(img, "= \"repo:1.0\" -> \"repo:2.0\""));
  /* unchanged JSON keys are hidden, not a wall of JSON */
  assert_null(strstr(t, "awslogs"));
  assert_null(strstr(t, "LOG_LEVEL"));
  assert_null(strstr(t, "8080"));
  assert_null(strstr(t, "containerPort"));
  assert_non_null(strstr(t, "+/- create replacement and then destroy"));
  assert_non_null(strstr(t, "Plan: 1 to add, 1 to change, 1 to destroy."));
  rc_free(t);
  rc_plan_free(&p);
}

static void test_render_text__sensitive_never_printed(void **state)
{
  check_case("sensitive", fx_sensitive);
  struct rc_plan p = {0};
  fx_sensitive(&p);
  fx_outputs(&p);
  for (int color = 0; color < 2; color++) {
    char *t = render(&p, color);
    assert_null(strstr(t, SECRET));
    assert_non_null(strstr(t, "(sensitive value)"));
    rc_free(t);
  }
  rc_plan_free(&p);
}

static void build_drift(struct rc_plan *p)
{
  fx_drift(p);
  fx_update_tags(p);
}

static void test_render_text__drift(void **state)
{
  check_case("drift", build_drift);
  struct rc_plan p = {0};
  build_drift(&p);
  char *t = render(&p, false);
  const char *note = strstr(t, "Note: Objects have changed outside of recon");
  assert_non_null(note);
  assert_non_null(strstr(t, "  # aws_security_group.web has changed\n"));
  assert_non_null(strstr(t, "  # aws_eip.nat has been deleted\n"));
  assert_true(strstr(t, "recon will perform the following actions") > note);
  rc_free(t);
  rc_plan_free(&p);
}

static void build_nothing(struct rc_plan *p)
{
  struct rc_change *c = fx_change(p, "aws_vpc.main", "aws_vpc", RC_ACT_NOOP);
  c->before = fx_json("{\"id\":\"vpc-1\"}");
  c->after = fx_json("{\"id\":\"vpc-1\"}");
}

static void test_render_text__no_changes(void **state)
{
  check_case("no_changes", build_nothing);
  struct rc_plan p = {0};
  build_nothing(&p);
  char *t = render(&p, false);
  assert_non_null(strstr(t, "No changes. Your infrastructure matches the configuration."));
  assert_null(strstr(t, "Plan:"));
  assert_false(rc_plan_has_changes(&p));
  rc_free(t);
  rc_plan_free(&p);
}

static void build_outputs(struct rc_plan *p)
{
  fx_create_vpc(p);
  fx_outputs(p);
}

static void test_render_text__outputs(void **state)
{
  check_case("outputs", build_outputs);
  struct rc_plan p = {0};
  build_outputs(&p);
  char *t = render(&p, false);
  assert_non_null(strstr(t, "Changes to Outputs:\n"));
  assert_non_null(strstr(t, "  ~ image       = \"repo:1.0\" -> \"repo:2.0\""));
  assert_non_null(strstr(t, "  + vpc_id      = (known after apply)"));
  assert_non_null(strstr(t, "  ~ db_password = (sensitive value)"));
  assert_null(strstr(t, " same "));
  rc_free(t);
  rc_plan_free(&p);
}

static void test_render_text__color_only_on_request(void **state)
{
  struct rc_plan p = {0};
  fx_deploy(&p);
  fx_delete(&p);
  char *t = render(&p, true);
  assert_non_null(strstr(t, "\x1b[32m+\x1b[0m"));
  assert_non_null(strstr(t, "\x1b[31m"));
  assert_non_null(strstr(t, "\x1b[1m"));
  rc_free(t);
  rc_plan_free(&p);
}

static void test_render_text__counts_and_order(void **state)
{
  struct rc_plan p = {0};
  fx_change(&p, "aws_subnet.a[10]", "aws_subnet", RC_ACT_CREATE)->after = fx_json("{}");
  fx_change(&p, "aws_subnet.a[2]", "aws_subnet", RC_ACT_CREATE)->after = fx_json("{}");
  fx_change(&p, "data.aws_ami.x", "aws_ami", RC_ACT_READ)->after = fx_json("{}");
  p.changes[2].data = true;
  int a, c, d;
  rc_plan_counts(&p, &a, &c, &d);
  assert_int_equal(a, 2);
  assert_int_equal(c, 0);
  assert_int_equal(d, 0);
  char *t = render(&p, false);
  assert_true(strstr(t, "aws_subnet.a[2] will") < strstr(t, "aws_subnet.a[10] will"));
  assert_non_null(strstr(t, " <= data \"aws_ami\" \"x\" {}"));
  assert_non_null(strstr(t, " <= read (data resources)"));
  rc_free(t);
  rc_plan_free(&p);
}

static void test_render_text__heredoc_and_lists(void **state)
{
  struct rc_plan p = {0};
  struct rc_change *c = fx_change(&p, "aws_instance.web", "aws_instance", RC_ACT_UPDATE);
  c->before = fx_json("{\"id\":\"i-1\",\"user_data\":\"#!/bin/sh\\necho a\\nexit 0\\n\","
                      "\"sgs\":[\"sg-1\",\"sg-2\",\"sg-3\",\"sg-4\"]}");
  c->after = fx_json("{\"id\":\"i-1\",\"user_data\":\"#!/bin/sh\\necho b\\nexit 0\\n\","
                     "\"sgs\":[\"sg-1\",\"sg-2\",\"sg-3\",\"sg-5\"]}");
  char *t = render(&p, false);
  golden("heredoc_lists", t);
  assert_non_null(strstr(t, "user_data = <<-EOT\n"));
  assert_non_null(strstr(t, "          - echo a\n          + echo b\n"));
  assert_non_null(strstr(t, "          - \"sg-4\",\n          + \"sg-5\",\n"));
  rc_free(t);
  rc_plan_free(&p);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_render_text__create_vpc),
      cmocka_unit_test(test_render_text__update_tags),
      cmocka_unit_test(test_render_text__replace_subnet),
      cmocka_unit_test(test_render_text__delete_with_reason),
      cmocka_unit_test(test_render_text__image_tag_deploy),
      cmocka_unit_test(test_render_text__sensitive_never_printed),
      cmocka_unit_test(test_render_text__drift),
      cmocka_unit_test(test_render_text__no_changes),
      cmocka_unit_test(test_render_text__outputs),
      cmocka_unit_test(test_render_text__color_only_on_request),
      cmocka_unit_test(test_render_text__counts_and_order),
      cmocka_unit_test(test_render_text__heredoc_and_lists),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
