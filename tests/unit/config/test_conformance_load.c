/* Module loader conformance with Terraform on fixture trees: relative paths
 * of file()/templatefile()/fileset() in child modules (from the root module,
 * through path.module), JSON-syntax configurations (type expressions,
 * lifecycle blocks, depends_on traversals). */
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

static struct rc_config *load_all(const char *c, struct rc_instance_list *out,
                                  struct rc_diags *ds)
{
  char *dir = data_dir(c);
  struct rc_config *cfg = rc_config_load(dir, NULL, NULL, NULL, ds);
  rc_free(dir);
  if (!cfg) {
    rc_diags_print(ds, stderr, false);
    return NULL;
  }
  const size_t *order = rc_config_order(cfg);
  for (size_t i = 0; i < rc_config_node_count(cfg); i++)
    if (!rc_config_eval_node(cfg, order[i], true, out, ds)) rc_diags_print(ds, stderr, false);
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

static void test_conformance_load__paths_from_root(void **state)
{
  (void)state;
  /* run from elsewhere: paths must not depend on the process's directory */
  char cwd[4096];
  assert_non_null(getcwd(cwd, sizeof cwd));
  assert_int_equal(chdir("/"), 0);
  struct rc_diags ds = {0};
  struct rc_config *cfg = load_all("conformance_paths", NULL, &ds);
  assert_int_equal(chdir(cwd), 0);
  assert_non_null(cfg);
  assert_int_equal(ds.errors, 0);
  struct rc_value *outs = rc_config_outputs(cfg);
  char buf[512];
  render(rc_value_get(outs, "rendered"), buf, sizeof buf);
  assert_string_equal(buf, "\"{\\\"name\\\": \\\"web\\\", \\\"ports\\\": [80, 443]}\\n\"");
  render(rc_value_get(outs, "root_file"), buf, sizeof buf);
  assert_string_equal(buf, "\"recon\\n\"");
  render(rc_value_get(outs, "module_path"), buf, sizeof buf);
  assert_string_equal(buf, "\"modules/app\"");
  render(rc_value_get(outs, "banner"), buf, sizeof buf);
  assert_string_equal(buf, "\"recon\"");
  render(rc_value_get(outs, "files"), buf, sizeof buf);
  assert_string_equal(buf, "[\"policy.json.tftpl\"]");
  rc_value_decref(outs);
  rc_config_free(cfg);
  rc_diags_free(&ds);
}

static const struct rc_cnode *node_named(const struct rc_config *cfg, const char *addr)
{
  for (size_t i = 0; i < rc_config_node_count(cfg); i++)
    if (strcmp(rc_config_node(cfg, i)->addr, addr) == 0) return rc_config_node(cfg, i);
  return NULL;
}

static bool depends_on(const struct rc_config *cfg, const char *from, const char *to)
{
  const struct rc_cnode *n = node_named(cfg, from);
  assert_non_null(n);
  for (size_t i = 0; i < n->ndeps; i++)
    if (strcmp(rc_config_node(cfg, n->deps[i])->addr, to) == 0) return true;
  return false;
}

static void test_conformance_load__json_configuration(void **state)
{
  (void)state;
  struct rc_diags ds = {0};
  struct rc_instance_list l = {0};
  struct rc_config *cfg = load_all("conformance_json", &l, &ds);
  assert_non_null(cfg);
  assert_int_equal(ds.errors, 0);
  /* aws_vpc.main, aws_subnet.s[0..1], the log group: lifecycle is no argument */
  assert_int_equal(l.n, 4);
  for (size_t i = 0; i < l.n; i++) {
    assert_null(rc_value_get(l.items[i].config, "lifecycle"));
    assert_null(rc_value_get(l.items[i].config, "depends_on"));
  }
  const struct rc_cnode *vpc = node_named(cfg, "aws_vpc.main");
  assert_non_null(vpc);
  assert_true(vpc->lifecycle.create_before_destroy);
  assert_int_equal(vpc->lifecycle.nignore, 1);
  assert_string_equal(vpc->lifecycle.ignore_changes[0], "tags");
  assert_true(depends_on(cfg, "aws_cloudwatch_log_group.lg", "aws_subnet.s"));
  assert_true(depends_on(cfg, "aws_subnet.s", "aws_vpc.main"));
  struct rc_value *outs = rc_config_outputs(cfg);
  char buf[256];
  render(rc_value_get(outs, "zones"), buf, sizeof buf);
  assert_string_equal(buf, "[\"a\", \"b\"]"); /* converted to list(string) */
  rc_value_decref(outs);
  rc_instance_list_free(&l);
  rc_config_free(cfg);
  rc_diags_free(&ds);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_conformance_load__paths_from_root),
      cmocka_unit_test(test_conformance_load__json_configuration),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
