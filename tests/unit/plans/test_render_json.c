/* The JSON plan: Terraform's shape, parsed back with jansson. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "plan_fixtures.h"

static json_t *render(const struct rc_plan *p, char **text)
{
  struct rc_buf b;
  rc_buf_init(&b, 0);
  assert_int_equal(rc_plan_render_json(p, &b), RC_OK);
  json_error_t je;
  json_t *j = json_loads(b.ptr, 0, &je);
  if (!j) fail_msg("bad JSON: %s", je.text);
  *text = rc_buf_detach(&b);
  return j;
}

static json_t *find_change(json_t *arr, const char *addr)
{
  size_t i;
  json_t *e;
  json_array_foreach(arr, i, e) if (!strcmp(json_string_value(json_object_get(e, "address")),
                                            addr)) return e;
  fail_msg("no change for %s", addr);
  return NULL;
}

static void assert_actions(json_t *rc, const char *a0, const char *a1)
{
  json_t *acts = json_object_get(json_object_get(rc, "change"), "actions");
  assert_int_equal(json_array_size(acts), a1 ? 2 : 1);
  assert_string_equal(json_string_value(json_array_get(acts, 0)), a0);
  if (a1) assert_string_equal(json_string_value(json_array_get(acts, 1)), a1);
}

static void build_all(struct rc_plan *p)
{
  fx_create_vpc(p);
  fx_update_tags(p);
  fx_replace_subnet(p);
  fx_delete(p);
  fx_deploy(p);
  fx_sensitive(p);
  fx_drift(p);
  fx_outputs(p);
  struct rc_value *vars = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(vars, "image_tag", fx_str("2.0"));
  struct rc_value *s = fx_str(SECRET);
  rc_value_obj_put(vars, "db_password", rc_value_mark_sensitive(s));
  rc_value_decref(s);
  p->variables = vars;
}

static void test_render_json__shape_and_actions(void **state)
{
  struct rc_plan p = {0};
  build_all(&p);
  char *text;
  json_t *j = render(&p, &text);
  assert_string_equal(json_string_value(json_object_get(j, "format_version")), "1.2");
  assert_true(json_is_false(json_object_get(j, "errored")));
  assert_non_null(json_object_get(j, "timestamp"));
  json_t *rc = json_object_get(j, "resource_changes");
  assert_int_equal(json_array_size(rc), p.nchanges);
  assert_actions(find_change(rc, "module.vpc.aws_vpc.this"), "create", NULL);
  assert_actions(find_change(rc, "aws_subnet.public[0]"), "update", NULL);
  assert_actions(find_change(rc, "aws_subnet.private[\"b\"]"), "delete", "create");
  assert_actions(find_change(rc, "module.ecs.aws_ecs_task_definition.app"), "create", "delete");
  json_t *del = find_change(rc, "aws_security_group.extra[\"db\"]");
  assert_actions(del, "delete", NULL);
  assert_string_equal(json_string_value(json_object_get(del, "action_reason")),
                      "delete_because_each_key");
  assert_true(json_is_null(json_object_get(json_object_get(del, "change"), "after")));
  json_t *rep = json_object_get(find_change(rc, "aws_subnet.private[\"b\"]"), "change");
  json_t *rp = json_object_get(rep, "replace_paths");
  assert_int_equal(json_array_size(rp), 1);
  assert_string_equal(json_string_value(json_array_get(json_array_get(rp, 0), 0)), "cidr_block");
  assert_string_equal(json_string_value(json_object_get(
                          find_change(rc, "aws_subnet.public[0]"), "provider_name")),
                      "registry.terraform.io/hashicorp/aws");
  json_decref(j);
  rc_free(text);
  rc_plan_free(&p);
}

static void test_render_json__address_parts(void **state)
{
  struct rc_plan p = {0};
  build_all(&p);
  fx_change(&p, "module.a[\"x.y\"].module.b.data.aws_ami.latest[3]", "aws_ami", RC_ACT_READ)
      ->after = fx_json("{}");
  char *text;
  json_t *j = render(&p, &text);
  json_t *rc = json_object_get(j, "resource_changes");
  json_t *vpc = find_change(rc, "module.vpc.aws_vpc.this");
  assert_string_equal(json_string_value(json_object_get(vpc, "module_address")), "module.vpc");
  assert_string_equal(json_string_value(json_object_get(vpc, "mode")), "managed");
  assert_string_equal(json_string_value(json_object_get(vpc, "type")), "aws_vpc");
  assert_string_equal(json_string_value(json_object_get(vpc, "name")), "this");
  assert_null(json_object_get(vpc, "index"));
  json_t *sub = find_change(rc, "aws_subnet.public[0]");
  assert_null(json_object_get(sub, "module_address"));
  assert_true(json_is_integer(json_object_get(sub, "index")));
  assert_int_equal(json_integer_value(json_object_get(sub, "index")), 0);
  json_t *pr = find_change(rc, "aws_subnet.private[\"b\"]");
  assert_string_equal(json_string_value(json_object_get(pr, "index")), "b");
  json_t *ami = find_change(rc, "module.a[\"x.y\"].module.b.data.aws_ami.latest[3]");
  assert_string_equal(json_string_value(json_object_get(ami, "module_address")),
                      "module.a[\"x.y\"].module.b");
  assert_string_equal(json_string_value(json_object_get(ami, "mode")), "data");
  assert_string_equal(json_string_value(json_object_get(ami, "name")), "latest");
  assert_int_equal(json_integer_value(json_object_get(ami, "index")), 3);
  assert_actions(ami, "read", NULL);
  /* planned_values groups child modules */
  json_t *root = json_object_get(json_object_get(j, "planned_values"), "root_module");
  json_t *kids = json_object_get(root, "child_modules");
  assert_true(json_array_size(kids) >= 2);
  bool found_vpc = false;
  size_t i;
  json_t *m;
  json_array_foreach(kids, i, m)
  {
    if (!strcmp(json_string_value(json_object_get(m, "address")), "module.vpc")) {
      found_vpc = true;
      json_t *r0 = json_array_get(json_object_get(m, "resources"), 0);
      assert_string_equal(json_string_value(json_object_get(r0, "address")),
                          "module.vpc.aws_vpc.this");
      /* unknown values are omitted from planned values */
      assert_null(json_object_get(json_object_get(r0, "values"), "id"));
      assert_string_equal(
          json_string_value(json_object_get(json_object_get(r0, "values"), "cidr_block")),
          "10.0.0.0/16");
    }
    if (!strcmp(json_string_value(json_object_get(m, "address")), "module.a[\"x.y\"]")) {
      json_t *nested = json_array_get(json_object_get(m, "child_modules"), 0);
      assert_string_equal(json_string_value(json_object_get(nested, "address")),
                          "module.a[\"x.y\"].module.b");
    }
  }
  assert_true(found_vpc);
  json_decref(j);
  rc_free(text);
  rc_plan_free(&p);
}

static void test_render_json__unknown_and_sensitive(void **state)
{
  struct rc_plan p = {0};
  build_all(&p);
  char *text;
  json_t *j = render(&p, &text);
  assert_null(strstr(text, SECRET)); /* never in clear, anywhere */
  json_t *rc = json_object_get(j, "resource_changes");
  json_t *c = json_object_get(find_change(rc, "module.vpc.aws_vpc.this"), "change");
  json_t *au = json_object_get(c, "after_unknown");
  assert_true(json_is_true(json_object_get(au, "id")));
  assert_true(json_is_true(json_object_get(au, "arn")));
  assert_null(json_object_get(au, "cidr_block"));
  assert_true(json_is_null(json_object_get(json_object_get(c, "after"), "id")));
  assert_true(json_is_false(json_object_get(c, "before_sensitive")));
  assert_true(json_is_object(json_object_get(c, "after_sensitive")));

  json_t *db = json_object_get(find_change(rc, "aws_db_instance.main"), "change");
  assert_true(json_is_null(json_object_get(json_object_get(db, "after"), "password")));
  assert_true(json_is_true(json_object_get(json_object_get(db, "after_sensitive"), "password")));
  assert_true(json_is_true(json_object_get(json_object_get(db, "before_sensitive"), "password")));
  json_t *tok = json_object_get(find_change(rc, "aws_ssm_parameter.token"), "change");
  json_t *labels = json_object_get(json_object_get(tok, "after_sensitive"), "labels");
  assert_true(json_is_true(json_object_get(labels, "API_KEY")));
  assert_null(json_object_get(labels, "PLAIN"));
  assert_string_equal(json_string_value(json_object_get(
                          json_object_get(json_object_get(tok, "after"), "labels"), "PLAIN")),
                      "visible");

  json_t *oc = json_object_get(j, "output_changes");
  json_t *pw = json_object_get(oc, "db_password");
  assert_true(json_is_null(json_object_get(pw, "after")));
  assert_true(json_is_true(json_object_get(pw, "after_sensitive")));
  json_t *vpc_id = json_object_get(oc, "vpc_id");
  assert_true(json_is_true(json_object_get(vpc_id, "after_unknown")));
  assert_string_equal(json_string_value(json_array_get(json_object_get(vpc_id, "actions"), 0)),
                      "create");
  assert_string_equal(
      json_string_value(json_array_get(json_object_get(json_object_get(oc, "same"), "actions"), 0)),
      "no-op");
  json_t *vars = json_object_get(j, "variables");
  assert_string_equal(
      json_string_value(json_object_get(json_object_get(vars, "image_tag"), "value")), "2.0");
  assert_true(json_is_null(json_object_get(json_object_get(vars, "db_password"), "value")));

  json_t *drift = json_object_get(j, "resource_drift");
  assert_int_equal(json_array_size(drift), 2);
  json_t *eip = find_change(drift, "aws_eip.nat");
  assert_actions(eip, "delete", NULL);
  assert_actions(find_change(drift, "aws_security_group.web"), "update", NULL);
  json_decref(j);
  rc_free(text);
  rc_plan_free(&p);
}

static void test_render_json__unknown_inside_lists(void **state)
{
  struct rc_plan p = {0};
  struct rc_change *c = fx_change(&p, "aws_lb.this", "aws_lb", RC_ACT_CREATE);
  struct rc_value *a = fx_json("{\"subnets\":[\"s-1\"]}");
  struct rc_value *l = rc_value_seq_new(RC_LIST);
  rc_value_seq_push(l, fx_str("s-1"));
  rc_value_seq_push(l, rc_value_unknown());
  rc_value_obj_put(a, "subnets", l);
  c->after = a;
  char *text;
  json_t *j = render(&p, &text);
  json_t *au = json_object_get(
      json_object_get(json_array_get(json_object_get(j, "resource_changes"), 0), "change"),
      "after_unknown");
  json_t *sn = json_object_get(au, "subnets");
  assert_int_equal(json_array_size(sn), 2);
  assert_true(json_is_false(json_array_get(sn, 0)));
  assert_true(json_is_true(json_array_get(sn, 1)));
  json_decref(j);
  rc_free(text);
  rc_plan_free(&p);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_render_json__shape_and_actions),
      cmocka_unit_test(test_render_json__address_parts),
      cmocka_unit_test(test_render_json__unknown_and_sensitive),
      cmocka_unit_test(test_render_json__unknown_inside_lists),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
