/* The diff engine against a fake resource type: every action kind,
 * defaults, computed values, unknowns, ignore_changes, sensitive marks,
 * forced replacement and the schema's view of equality. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "diff.h"
#include "rc_alloc.h"

static rc_status fake_update(struct rc_rctx *ctx, const struct rc_value *prior,
                             const struct rc_value *config, struct rc_value **out,
                             struct rc_error *err)
{
  return RC_OK;
}

static const struct rc_attr rule_schema[] = {
    {.name = "port", .type = RC_T_NUMBER, .flags = RC_A_REQUIRED},
    {.name = "cidr", .type = RC_T_STRING, .flags = RC_A_OPTIONAL, .default_json = "\"0.0.0.0/0\""},
    {NULL}};

static const struct rc_attr schema[] = {
    {.name = "id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "arn", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "cidr_block", .type = RC_T_STRING, .flags = RC_A_REQUIRED | RC_A_FORCE_NEW},
    {.name = "description", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "enabled", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "true"},
    {.name = "count_of", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "password", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_SENSITIVE},
    {.name = "zones", .type = RC_T_SET, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "rule", .type = RC_T_BLOCK_SET, .flags = RC_A_OPTIONAL, .block = rule_schema},
    {.name = "tags", .type = RC_T_MAP, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "tags_all", .type = RC_T_MAP, .elem = RC_T_STRING, .flags = RC_A_COMPUTED},
    {NULL}};

static const struct rc_resource_type fake = {
    .name = "aws_fake", .flags = RC_RT_TAGGABLE, .schema = schema, .update = fake_update};
static const struct rc_resource_type fake_immutable = {.name = "aws_fake", .schema = schema};

static struct rc_value *J(const char *s)
{
  struct rc_value *v = rc_value_parse_json(s, strlen(s), NULL);
  assert_non_null(v);
  return v;
}

static const char *planned_str(const struct rc_diff_out *o, const char *k)
{
  return rc_value_str(rc_value_get(o->planned, k));
}

static struct rc_value *prior_vpc(void)
{
  return J("{\"id\":\"vpc-1\",\"arn\":\"arn:vpc-1\",\"cidr_block\":\"10.0.0.0/16\","
           "\"description\":null,\"enabled\":true,\"count_of\":3,\"password\":null,"
           "\"zones\":[\"b\",\"a\"],\"rule\":[],\"tags\":{\"Name\":\"x\"},"
           "\"tags_all\":{\"Name\":\"x\"}}");
}

static void test_diff__create_fills_defaults_and_unknowns(void **state)
{
  struct rc_value *cfg = J("{\"cidr_block\":\"10.0.0.0/16\",\"rule\":[{\"port\":\"80\"}]}");
  struct rc_diff_in in = {.rt = &fake, .config = cfg};
  struct rc_diff_out out;
  assert_int_equal(rc_diff_instance(&in, &out, NULL), RC_OK);
  assert_int_equal(out.action, RC_ACT_CREATE);
  assert_false(rc_value_is_known(rc_value_get(out.planned, "id")));
  assert_false(rc_value_is_known(rc_value_get(out.planned, "count_of")));
  assert_true(rc_value_bool_get(rc_value_get(out.planned, "enabled")));
  const struct rc_value *rule = rc_value_index(rc_value_get(out.planned, "rule"), 0);
  assert_int_equal(rc_value_int_get(rc_value_get(rule, "port")), 80); /* "80" coerced */
  assert_string_equal(rc_value_str(rc_value_get(rule, "cidr")), "0.0.0.0/0");
  rc_diff_out_free(&out);
  rc_value_decref(cfg);
}

static void test_diff__noop_keeps_computed_and_ignores_set_order(void **state)
{
  struct rc_value *cfg = J("{\"cidr_block\":\"10.0.0.0/16\",\"zones\":[\"a\",\"b\"],"
                           "\"tags\":{\"Name\":\"x\"}}");
  struct rc_value *prior = prior_vpc();
  struct rc_diff_in in = {.rt = &fake, .config = cfg, .prior = prior};
  struct rc_diff_out out;
  assert_int_equal(rc_diff_instance(&in, &out, NULL), RC_OK);
  assert_int_equal(out.action, RC_ACT_NOOP);
  assert_string_equal(planned_str(&out, "id"), "vpc-1");
  assert_int_equal(rc_value_int_get(rc_value_get(out.planned, "count_of")), 3);
  rc_diff_out_free(&out);
  rc_value_decref(cfg);
  rc_value_decref(prior);
}

static void test_diff__update_in_place_and_tags(void **state)
{
  struct rc_value *cfg = J("{\"cidr_block\":\"10.0.0.0/16\",\"description\":\"new\","
                           "\"zones\":[\"a\",\"b\"],\"tags\":{\"Name\":\"x\"}}");
  struct rc_value *prior = prior_vpc();
  struct rc_diff_in in = {.rt = &fake, .config = cfg, .prior = prior};
  struct rc_diff_out out;
  assert_int_equal(rc_diff_instance(&in, &out, NULL), RC_OK);
  assert_int_equal(out.action, RC_ACT_UPDATE);
  assert_int_equal(out.nreplace, 0);
  rc_diff_out_free(&out);
  rc_value_decref(cfg);
  /* a tags-only change is an update, and default_tags reach tags_all */
  cfg = J("{\"cidr_block\":\"10.0.0.0/16\",\"zones\":[\"a\",\"b\"],\"tags\":{\"Name\":\"x\"}}");
  struct rc_value *dt = J("{\"Team\":\"web\"}");
  in.config = cfg;
  in.default_tags = dt;
  assert_int_equal(rc_diff_instance(&in, &out, NULL), RC_OK);
  assert_int_equal(out.action, RC_ACT_UPDATE);
  assert_string_equal(rc_value_str(rc_value_get(rc_value_get(out.planned, "tags_all"), "Team")), "web");
  rc_diff_out_free(&out);
  rc_value_decref(cfg);
  rc_value_decref(dt);
  rc_value_decref(prior);
}

static void test_diff__force_new_replaces_with_path(void **state)
{
  struct rc_value *cfg = J("{\"cidr_block\":\"10.1.0.0/16\",\"zones\":[\"a\",\"b\"],"
                           "\"tags\":{\"Name\":\"x\"}}");
  struct rc_value *prior = prior_vpc();
  struct rc_diff_in in = {.rt = &fake, .config = cfg, .prior = prior};
  struct rc_diff_out out;
  assert_int_equal(rc_diff_instance(&in, &out, NULL), RC_OK);
  assert_int_equal(out.action, RC_ACT_REPLACE);
  assert_int_equal(out.nreplace, 1);
  assert_string_equal(out.replace_paths[0], "cidr_block");
  assert_string_equal(out.reason, "replace_because_cannot_update");
  assert_false(rc_value_is_known(rc_value_get(out.planned, "id"))); /* a new object */
  rc_diff_out_free(&out);
  in.create_before_destroy = true;
  assert_int_equal(rc_diff_instance(&in, &out, NULL), RC_OK);
  assert_int_equal(out.action, RC_ACT_REPLACE_CBD);
  rc_diff_out_free(&out);
  rc_value_decref(cfg);
  rc_value_decref(prior);
}

static void test_diff__unknown_forces_replacement_when_force_new(void **state)
{
  struct rc_value *cfg = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(cfg, "cidr_block", rc_value_unknown());
  struct rc_value *prior = prior_vpc();
  struct rc_diff_in in = {.rt = &fake, .config = cfg, .prior = prior};
  struct rc_diff_out out;
  assert_int_equal(rc_diff_instance(&in, &out, NULL), RC_OK);
  assert_int_equal(out.action, RC_ACT_REPLACE);
  rc_diff_out_free(&out);
  rc_value_obj_put(cfg, "cidr_block", rc_value_string("10.0.0.0/16"));
  rc_value_obj_put(cfg, "description", rc_value_unknown());
  assert_int_equal(rc_diff_instance(&in, &out, NULL), RC_OK);
  assert_int_equal(out.action, RC_ACT_UPDATE); /* unknown, not force-new: update */
  rc_diff_out_free(&out);
  rc_value_decref(cfg);
  rc_value_decref(prior);
}

static void test_diff__no_update_hook_means_replace(void **state)
{
  struct rc_value *cfg = J("{\"cidr_block\":\"10.0.0.0/16\",\"description\":\"new\"}");
  struct rc_value *prior = prior_vpc();
  struct rc_diff_in in = {.rt = &fake_immutable, .config = cfg, .prior = prior};
  struct rc_diff_out out;
  assert_int_equal(rc_diff_instance(&in, &out, NULL), RC_OK);
  assert_int_equal(out.action, RC_ACT_REPLACE);
  rc_diff_out_free(&out);
  rc_value_decref(cfg);
  rc_value_decref(prior);
}

static void test_diff__ignore_changes(void **state)
{
  struct rc_value *cfg = J("{\"cidr_block\":\"10.0.0.0/16\",\"description\":\"new\","
                           "\"zones\":[\"a\",\"b\"],\"tags\":{\"Name\":\"x\"}}");
  struct rc_value *prior = prior_vpc();
  const char *ign[] = {"description", NULL};
  struct rc_diff_in in = {.rt = &fake, .config = cfg, .prior = prior, .ignore_changes = ign};
  struct rc_diff_out out;
  assert_int_equal(rc_diff_instance(&in, &out, NULL), RC_OK);
  assert_int_equal(out.action, RC_ACT_NOOP);
  assert_true(rc_value_is_null(rc_value_get(out.planned, "description")));
  rc_diff_out_free(&out);
  in.ignore_changes = NULL;
  in.ignore_all = true;
  rc_value_obj_put((struct rc_value *)cfg, "cidr_block", rc_value_string("10.9.0.0/16"));
  assert_int_equal(rc_diff_instance(&in, &out, NULL), RC_OK);
  assert_int_equal(out.action, RC_ACT_NOOP);
  rc_diff_out_free(&out);
  rc_value_decref(cfg);
  rc_value_decref(prior);
}

static void test_diff__sensitive_attribute_is_marked(void **state)
{
  struct rc_value *cfg = J("{\"cidr_block\":\"10.0.0.0/16\",\"password\":\"hunter2\"}");
  struct rc_diff_in in = {.rt = &fake, .config = cfg};
  struct rc_diff_out out;
  assert_int_equal(rc_diff_instance(&in, &out, NULL), RC_OK);
  assert_true(rc_value_is_sensitive(rc_value_get(out.planned, "password")));
  rc_diff_out_free(&out);
  rc_value_decref(cfg);
}

static void test_diff__forced_replace_and_delete(void **state)
{
  struct rc_value *cfg = J("{\"cidr_block\":\"10.0.0.0/16\",\"zones\":[\"a\",\"b\"],"
                           "\"tags\":{\"Name\":\"x\"}}");
  struct rc_value *prior = prior_vpc();
  struct rc_diff_in in = {.rt = &fake, .config = cfg, .prior = prior, .force_replace = true};
  struct rc_diff_out out;
  assert_int_equal(rc_diff_instance(&in, &out, NULL), RC_OK);
  assert_int_equal(out.action, RC_ACT_REPLACE);
  assert_string_equal(out.reason, "replace_by_request");
  rc_diff_out_free(&out);
  struct rc_diff_in gone = {.rt = &fake, .prior = prior};
  assert_int_equal(rc_diff_instance(&gone, &out, NULL), RC_OK);
  assert_int_equal(out.action, RC_ACT_DELETE);
  assert_null(out.planned);
  rc_diff_out_free(&out);
  rc_value_decref(cfg);
  rc_value_decref(prior);
}

static void test_diff__attr_equality(void **state)
{
  const struct rc_attr *desc = &schema[3], *zones = &schema[7], *cnt = &schema[5];
  struct rc_value *empty = rc_value_string(""), *n3 = rc_value_int(3), *s3 = rc_value_string("3");
  assert_true(rc_diff_attr_equal(desc, rc_value_null(), empty));
  assert_true(rc_diff_attr_equal(cnt, n3, s3));
  struct rc_value *a = J("[\"x\",\"y\"]"), *b = J("[\"y\",\"x\"]"), *e = J("[]");
  assert_true(rc_diff_attr_equal(zones, a, b));
  assert_true(rc_diff_attr_equal(zones, e, rc_value_null()));
  assert_false(rc_diff_attr_equal(zones, a, e));
  const char *names[4];
  struct rc_value *p = prior_vpc(), *q = prior_vpc();
  assert_int_equal(rc_diff_changed_attrs(schema, p, q, names, 4), 0);
  rc_value_decref(a), rc_value_decref(b), rc_value_decref(e), rc_value_decref(empty);
  rc_value_decref(n3), rc_value_decref(s3), rc_value_decref(p), rc_value_decref(q);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_diff__create_fills_defaults_and_unknowns),
      cmocka_unit_test(test_diff__noop_keeps_computed_and_ignores_set_order),
      cmocka_unit_test(test_diff__update_in_place_and_tags),
      cmocka_unit_test(test_diff__force_new_replaces_with_path),
      cmocka_unit_test(test_diff__unknown_forces_replacement_when_force_new),
      cmocka_unit_test(test_diff__no_update_hook_means_replace),
      cmocka_unit_test(test_diff__ignore_changes),
      cmocka_unit_test(test_diff__sensitive_attribute_is_marked),
      cmocka_unit_test(test_diff__forced_replace_and_delete),
      cmocka_unit_test(test_diff__attr_equality),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
