/* recon validate — loads and evaluates the configuration without touching
 * AWS (count/for_each that are not known yet are checked once, as terraform
 * validate does) and prints "Success!" or the diagnostics. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "engine.h"
#include "config.h"
#include "rc_alloc.h"
#include "rc_diag.h"

static json_t *pos_json(const struct rc_file *f, uint32_t off)
{
  int line, col;
  rc_file_linecol(f, off, &line, &col);
  return json_pack("{s:i,s:i,s:i}", "line", line, "column", col, "byte", (int)off);
}

static void print_json(const struct rc_diags *ds)
{
  json_t *arr = json_array();
  size_t warnings = 0;
  for (size_t i = 0; i < ds->n; i++) {
    const struct rc_diag *d = &ds->items[i];
    warnings += d->severity == RC_DIAG_WARNING;
    json_t *o = json_pack("{s:s,s:s,s:s}", "severity",
                          d->severity == RC_DIAG_ERROR ? "error" : "warning", "summary",
                          d->summary, "detail", d->detail ? d->detail : "");
    if (d->range.file)
      json_object_set_new(o, "range",
                          json_pack("{s:s,s:o,s:o}", "filename", d->range.file->name, "start",
                                    pos_json(d->range.file, d->range.start), "end",
                                    pos_json(d->range.file, d->range.end)));
    json_array_append_new(arr, o);
  }
  json_t *root = json_pack("{s:s,s:b,s:i,s:i,s:o}", "format_version", "1.0", "valid",
                           ds->errors == 0, "error_count", (int)ds->errors, "warning_count",
                           (int)warnings, "diagnostics", arr);
  char *s = json_dumps(root, JSON_INDENT(2));
  puts(s);
  free(s);
  json_decref(root);
}

int cmd_validate(struct rc_cli *cli, int argc, char **argv)
{
  bool help = false, as_json = false, no_color = false;
  struct rc_strv vars = {0}, var_files = {0};
  const struct rc_opt opts[] = {
      {"json", RC_OPT_BOOL, &as_json, "Print the result as JSON"},
      {"no-color", RC_OPT_BOOL, &no_color, "Never print colour codes"},
      {"var", RC_OPT_MULTI, &vars, "Set a variable: -var 'name=value' (repeatable)"},
      {"var-file", RC_OPT_MULTI, &var_files, "Load variable values from a .tfvars file"},
      {NULL, 0, NULL, NULL}};
  int npos = 0;
  if (rc_cli_parse("validate", opts, argc, argv, &npos, &help)) return 1;
  if (help) {
    rc_cli_usage(stdout,
                 "Usage: recon [global options] validate [options]\n\n"
                 "  Checks that the configuration in the current directory is valid: syntax,\n"
                 "  references, types, variables, modules, expressions. Does not contact AWS.\n",
                 opts);
    rc_strv_free(&vars);
    rc_strv_free(&var_files);
    return 0;
  }
  if (no_color) cli->color = false;
  struct rc_var_input in = {.var_files = var_files.v, .nvar_files = (size_t)var_files.n,
                            .vars = vars.v, .nvars = (size_t)vars.n, .interactive = false, .unknown_missing = true};
  struct rc_diags ds = {0};
  struct rc_config *cfg = rc_config_load(".", &in, rc_engine_check_schema, NULL, &ds);
  if (cfg) {
    rc_config_set_validate_only(cfg, true);
    const size_t *order = rc_config_order(cfg);
    struct rc_instance_list insts = {0};
    for (size_t i = 0; i < rc_config_node_count(cfg); i++)
      rc_config_eval_node(cfg, order[i], true, &insts, &ds);
    /* instance values stay unset: they read as unknown, as computed
     * attributes (id, arn) are before apply */
    rc_instance_list_free(&insts);
    rc_config_free(cfg);
  }
  int rc = rc_diags_has_errors(&ds) ? 1 : 0;
  if (as_json) {
    print_json(&ds);
  } else {
    if (ds.n) rc_cli_print_diags(cli, &ds);
    if (!rc) {
      if (cli->color) fputs("\033[1;32m", stdout);
      fputs("Success!", stdout);
      if (cli->color) fputs("\033[0m", stdout);
      puts(" The configuration is valid.");
    }
  }
  rc_diags_free(&ds);
  rc_strv_free(&vars);
  rc_strv_free(&var_files);
  return rc;
}
