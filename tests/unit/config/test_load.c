/* Module loader on fixture trees under tests/data/config/: variable
 * precedence (defaults, tfvars, auto.tfvars, -var-file, environment, -var),
 * modules with count/for_each, dynamic blocks, cycles, did-you-mean, edges
 * through module outputs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "rc_alloc.h"
#include "rc_buf.h"

static char *data_dir(const char *c)
{
  const char *src = getenv("RECON_SOURCE_DIR");
  return rc_asprintf("%s/tests/data/config/%s", src ? src : ".", c);
}

static const char *first_error(const struct rc_diags *ds)
{
  for (size_t i = 0; i < ds->n; i++)
    if (ds->items[i].severity == RC_DIAG_ERROR) return ds->items[i].summary;
  return "";
}

/* Loads and evaluates every node; instances into out (may be NULL). */
static struct rc_config *load_all(const char *c, const struct rc_var_input *in,
                                  struct rc_instance_list *out, struct rc_diags *ds)
{
  char *dir = data_dir(c);
  struct rc_config *cfg = rc_config_load(dir, in, NULL, NULL, ds);
  rc_free(dir);
  if (!cfg) return NULL;
  const size_t *order = rc_config_order(cfg);
  for (size_t i = 0; i < rc_config_node_count(cfg); i++)
    assert_true(rc_config_eval_node(cfg, order[i], true, out, ds));
  return cfg;
}

static void render(const struct rc_value *v, char *out, size_t n)
{
  struct rc_buf b;
  rc_buf_init(&b, 0);
  rc_value_render(v, &b);
  snprintf(out, n, "%s", b.ptr);
  rc_buf_free(&b);
}

static void test_load__variable_precedence(void **state)
{
  (void)state;
  char *dir = data_dir("vars");
  char *extra = rc_asprintf("%s/extra.tfvars", dir);
  /* tfvars files are found relative to the working directory, as Terraform */
  char cwd[4096];
  assert_non_null(getcwd(cwd, sizeof cwd));
  assert_int_equal(chdir(dir), 0);
  setenv("TF_VAR_f", "env_tf", 1);
  setenv("TF_VAR_g", "env_tf", 1);
  setenv("RECON_VAR_g", "env_recon", 1);
  setenv("TF_VAR_list", "[1, 2, 3]", 1);
  const char *files[] = {extra};
  const char *vars[] = {"g=cli"};
  struct rc_var_input in = {.var_files = files, .nvar_files = 1, .vars = vars, .nvars = 1};
  struct rc_diags ds = {0};
  struct rc_config *cfg = rc_config_load(".", &in, NULL, NULL, &ds);
  assert_non_null(cfg);
  /* the undeclared variable in terraform.tfvars is a warning */
  assert_int_equal(ds.errors, 0);
  assert_true(ds.n >= 1);
  assert_string_equal(ds.items[0].summary, "Value for undeclared variable");
  const size_t *order = rc_config_order(cfg);
  for (size_t i = 0; i < rc_config_node_count(cfg); i++)
    assert_true(rc_config_eval_node(cfg, order[i], false, NULL, &ds));
  struct rc_value *outs = rc_config_outputs(cfg);
  char buf[512];
  render(rc_value_get(outs, "all"), buf, sizeof buf);
  assert_string_equal(buf, "[\"default\", \"tfvars\", \"auto_a\", \"auto_b\", \"file\", \"env_tf\", \"cli\"]");
  render(rc_value_get(outs, "list"), buf, sizeof buf);
  assert_string_equal(buf, "[1, 2, 3]");
  rc_value_decref(outs);
  const struct rc_value *vs = rc_config_variables(cfg);
  assert_true(rc_value_is_sensitive(rc_value_get(vs, "secret")));
  rc_config_free(cfg);
  rc_diags_free(&ds);

  /* RECON_VAR_ wins over TF_VAR_ when no -var is given */
  in.nvars = 0;
  cfg = rc_config_load(".", &in, NULL, NULL, &ds);
  for (size_t i = 0; i < rc_config_node_count(cfg); i++)
    rc_config_eval_node(cfg, rc_config_order(cfg)[i], false, NULL, &ds);
  vs = rc_config_variables(cfg);
  assert_string_equal(rc_value_str(rc_value_get(vs, "g")), "env_recon");
  rc_config_free(cfg);
  rc_diags_free(&ds);

  /* an undeclared -var is an error with did-you-mean */
  const char *bad[] = {"lisst=[1]"};
  in.vars = bad;
  in.nvars = 1;
  assert_null(rc_config_load(".", &in, NULL, NULL, &ds));
  assert_string_equal(first_error(&ds), "Value for undeclared variable");
  assert_non_null(strstr(ds.items[ds.n - 1].detail, "Did you mean \"list\"?"));
  rc_diags_free(&ds);
  unsetenv("TF_VAR_f");
  unsetenv("TF_VAR_g");
  unsetenv("RECON_VAR_g");
  unsetenv("TF_VAR_list");
  assert_int_equal(chdir(cwd), 0);
  rc_free(extra);
  rc_free(dir);
}

static const struct rc_instance *find_inst(const struct rc_instance_list *l, const char *addr)
{
  for (size_t i = 0; i < l->n; i++)
    if (strcmp(l->items[i].address, addr) == 0) return &l->items[i];
  return NULL;
}

static void test_load__modules_count_for_each(void **state)
{
  (void)state;
  struct rc_diags ds = {0};
  struct rc_instance_list l = {0};
  struct rc_config *cfg = load_all("modules", NULL, &l, &ds);
  assert_non_null(cfg);
  assert_int_equal(ds.errors, 0);
  /* 2 counted + 2 for_each module instances with 2 subnets each, 1 vpc, 2 sgs */
  assert_int_equal(l.n, 11);
  const struct rc_instance *s = find_inst(&l, "module.counted[1].aws_subnet.s[0]");
  assert_non_null(s);
  assert_string_equal(rc_value_str(rc_value_path(s->config, "tags.Name")), "c1-0");
  s = find_inst(&l, "module.each[\"y\"].aws_subnet.s[1]");
  assert_non_null(s);
  assert_string_equal(rc_value_str(rc_value_path(s->config, "tags.Name")), "y-1");
  assert_string_equal(s->module_instance, "module.each[\"y\"]");
  const struct rc_instance *sg = find_inst(&l, "aws_security_group.sg[\"web\"]");
  assert_non_null(sg);
  assert_int_equal(rc_value_int_get(rc_value_path(sg->config, "tags.port")), 443);
  /* the vpc_id comes from a subnet that has no value yet: unknown */
  assert_false(rc_value_is_known(rc_value_get(sg->config, "vpc_id")));
  struct rc_value *outs = rc_config_outputs(cfg);
  char buf[256];
  render(rc_value_get(outs, "labels"), buf, sizeof buf);
  assert_string_equal(buf, "[\"C0\", \"C1\"]");
  render(rc_value_get(outs, "each_labels"), buf, sizeof buf);
  assert_string_equal(buf, "{ x = \"X\", y = \"Y\" }");
  rc_value_decref(outs);

  /* the sg depends on module.each's subnets through the output */
  size_t sgnode = sg->node;
  size_t *deps = NULL;
  size_t nd = rc_config_resource_deps(cfg, sgnode, &deps);
  assert_int_equal(nd, 1);
  assert_string_equal(rc_config_node(cfg, deps[0])->addr, "module.each.aws_subnet.s");
  rc_free(deps);
  /* order: every node after its deps */
  size_t n = rc_config_node_count(cfg);
  size_t *pos = rc_calloc(n, sizeof *pos);
  for (size_t i = 0; i < n; i++) pos[rc_config_order(cfg)[i]] = i;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < rc_config_node(cfg, i)->ndeps; j++)
      assert_true(pos[rc_config_node(cfg, i)->deps[j]] < pos[i]);
  rc_free(pos);

  /* a set value for the instance is seen by later evaluation */
  rc_instance_list_free(&l);
  rc_config_free(cfg);
  rc_diags_free(&ds);
}

static void test_load__dynamic_blocks(void **state)
{
  (void)state;
  struct rc_diags ds = {0};
  struct rc_instance_list l = {0};
  struct rc_config *cfg = load_all("dynamic", NULL, &l, &ds);
  assert_non_null(cfg);
  assert_int_equal(l.n, 1);
  const struct rc_value *c = l.items[0].config;
  const struct rc_value *ing = rc_value_get(c, "ingress");
  assert_non_null(ing);
  assert_int_equal(rc_value_len(ing), 2);
  assert_string_equal(rc_value_str(rc_value_path(ing, "0.description")), "http");
  assert_int_equal(rc_value_int_get(rc_value_path(ing, "1.from_port")), 443);
  assert_int_equal(rc_value_len(rc_value_get(c, "egress")), 1);
  assert_null(rc_value_get(c, "timeouts"));
  assert_null(rc_value_get(c, "lifecycle"));
  assert_string_equal(rc_value_str(rc_value_get(l.items[0].timeouts, "create")), "5m");
  assert_true(l.items[0].lifecycle->create_before_destroy);
  assert_int_equal(l.items[0].lifecycle->nignore, 2);
  assert_string_equal(l.items[0].lifecycle->ignore_changes[0], "tags");
  rc_instance_list_free(&l);
  rc_config_free(cfg);
  rc_diags_free(&ds);
}

static void test_load__cycle_reported_with_path(void **state)
{
  (void)state;
  struct rc_diags ds = {0};
  char *dir = data_dir("cycle");
  assert_null(rc_config_load(dir, NULL, NULL, NULL, &ds));
  assert_string_equal(first_error(&ds), "Cycle: local.a, local.b, local.c, local.a");
  rc_diags_free(&ds);
  rc_free(dir);
}

static void test_load__instance_values_flow(void **state)
{
  (void)state;
  struct rc_diags ds = {0};
  char *dir = data_dir("modules");
  struct rc_config *cfg = rc_config_load(dir, NULL, NULL, NULL, &ds);
  rc_free(dir);
  assert_non_null(cfg);
  struct rc_instance_list l = {0};
  const size_t *order = rc_config_order(cfg);
  for (size_t i = 0; i < rc_config_node_count(cfg); i++) {
    size_t before = l.n;
    assert_true(rc_config_eval_node(cfg, order[i], false, &l, &ds));
    for (size_t k = before; k < l.n; k++) {
      struct rc_value *v = rc_value_copy(l.items[k].config);
      rc_value_obj_put(v, "vpc_id", rc_value_string("vpc-123"));
      rc_config_set_instance_value(cfg, l.items[k].address, v);
    }
  }
  const struct rc_instance *sg = find_inst(&l, "aws_security_group.sg[\"api\"]");
  assert_string_equal(rc_value_str(rc_value_get(sg->config, "vpc_id")), "vpc-123");
  assert_int_equal(strlen(rc_config_digest(cfg)), 64);
  rc_instance_list_free(&l);
  rc_config_free(cfg);
  rc_diags_free(&ds);
}

/* Every node evaluated a second time, as an apply does after its plan: the
 * same instances (a module call's child instances rebuilt, not appended) and,
 * under the Asan build, no expansion leaked. */
static void test_load__nodes_evaluated_twice(void **state)
{
  (void)state;
  struct rc_diags ds = {0};
  struct rc_instance_list first = {0}, again = {0};
  struct rc_config *cfg = load_all("modules", NULL, &first, &ds);
  assert_non_null(cfg);
  assert_int_equal(first.n, 11);
  const size_t *order = rc_config_order(cfg);
  for (size_t i = 0; i < rc_config_node_count(cfg); i++)
    assert_true(rc_config_eval_node(cfg, order[i], false, &again, &ds));
  assert_int_equal(ds.errors, 0);
  assert_int_equal(again.n, 11);
  for (size_t i = 0; i < first.n; i++)
    assert_non_null(find_inst(&again, first.items[i].address));
  const struct rc_instance *s = find_inst(&again, "module.each[\"y\"].aws_subnet.s[1]");
  assert_non_null(s);
  assert_string_equal(rc_value_str(rc_value_path(s->config, "tags.Name")), "y-1");
  struct rc_value *outs = rc_config_outputs(cfg);
  char buf[256];
  render(rc_value_get(outs, "labels"), buf, sizeof buf);
  assert_string_equal(buf, "[\"C0\", \"C1\"]");
  rc_value_decref(outs);
  rc_instance_list_free(&first);
  rc_instance_list_free(&again);
  rc_config_free(cfg);
  rc_diags_free(&ds);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_load__variable_precedence),
      cmocka_unit_test(test_load__modules_count_for_each),
      cmocka_unit_test(test_load__dynamic_blocks),
      cmocka_unit_test(test_load__cycle_reported_with_path),
      cmocka_unit_test(test_load__instance_values_flow),
      cmocka_unit_test(test_load__nodes_evaluated_twice),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
