/* recon graph — the resource instance graph in Graphviz DOT: one node per
 * resource/data instance, an edge from each instance to every instance it
 * depends on (through locals, variables, module inputs and outputs, and
 * depends_on). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "engine.h"
#include "config.h"
#include "rc_alloc.h"
#include "rc_diag.h"

static void dot_id(FILE *out, const char *s)
{
  fputc('"', out);
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') fputc('\\', out);
    fputc(*s, out);
  }
  fputc('"', out);
}

int cmd_graph(struct rc_cli *cli, int argc, char **argv)
{
  bool help = false;
  struct rc_strv vars = {0}, var_files = {0};
  const char *type = NULL;
  const struct rc_opt opts[] = {
      {"var", RC_OPT_MULTI, &vars, "Set a variable: -var 'name=value' (repeatable)"},
      {"var-file", RC_OPT_MULTI, &var_files, "Load variable values from a .tfvars file"},
      {"type", RC_OPT_STRING, &type, "Accepted for compatibility (plan, apply): same graph"},
      {NULL, 0, NULL, NULL}};
  int npos = 0;
  if (rc_cli_parse("graph", opts, argc, argv, &npos, &help)) return 1;
  if (help) {
    rc_cli_usage(stdout,
                 "Usage: recon [global options] graph [options]\n\n"
                 "  Prints the resource graph of the configuration in Graphviz DOT: one node\n"
                 "  per resource instance, an edge to every instance it depends on.\n",
                 opts);
    rc_strv_free(&vars);
    rc_strv_free(&var_files);
    return 0;
  }
  struct rc_var_input in = {.var_files = var_files.v, .nvar_files = (size_t)var_files.n,
                            .vars = vars.v, .nvars = (size_t)vars.n, .unknown_missing = true};
  struct rc_diags ds = {0};
  int rc = 1;
  struct rc_config *cfg = rc_config_load(".", &in, rc_engine_check_schema, NULL, &ds);
  struct rc_instance_list insts = {0};
  if (cfg) {
    rc_config_set_validate_only(cfg, true);
    const size_t *order = rc_config_order(cfg);
    for (size_t i = 0; i < rc_config_node_count(cfg); i++)
      rc_config_eval_node(cfg, order[i], true, &insts, &ds);
  }
  if (cfg && !rc_diags_has_errors(&ds)) {
    size_t nn = rc_config_node_count(cfg);
    /* instances of each node */
    size_t *first = rc_calloc(nn + 1, sizeof *first), *count = rc_calloc(nn + 1, sizeof *count);
    size_t *by_node = rc_calloc(insts.n + 1, sizeof *by_node), fill = 0;
    for (size_t n = 0; n < nn; n++) {
      first[n] = fill;
      for (size_t i = 0; i < insts.n; i++)
        if (insts.items[i].node == n) by_node[fill++] = i, count[n]++;
    }
    puts("digraph {");
    for (size_t i = 0; i < insts.n; i++) {
      fputs("  ", stdout);
      dot_id(stdout, insts.items[i].address);
      fputs(" [label=", stdout);
      dot_id(stdout, insts.items[i].address);
      puts("];");
    }
    for (size_t i = 0; i < insts.n; i++) {
      const struct rc_instance *a = &insts.items[i];
      size_t *deps = NULL;
      size_t nd = rc_config_resource_deps(cfg, a->node, &deps);
      for (size_t d = 0; d < nd; d++) {
        const struct rc_cnode *dn = rc_config_node(cfg, deps[d]);
        const struct rc_cnode *an = rc_config_node(cfg, a->node);
        bool same_module = strcmp(dn->module, an->module) == 0;
        for (size_t k = 0; k < count[deps[d]]; k++) {
          const struct rc_instance *b = &insts.items[by_node[first[deps[d]] + k]];
          if (same_module && strcmp(a->module_instance, b->module_instance) != 0) continue;
          fputs("  ", stdout);
          dot_id(stdout, a->address);
          fputs(" -> ", stdout);
          dot_id(stdout, b->address);
          puts(";");
        }
      }
      rc_free(deps);
    }
    puts("}");
    rc_free(first);
    rc_free(count);
    rc_free(by_node);
    rc = 0;
  }
  if (ds.n) rc_cli_print_diags(cli, &ds);
  rc_instance_list_free(&insts);
  rc_config_free(cfg);
  rc_diags_free(&ds);
  rc_strv_free(&vars);
  rc_strv_free(&var_files);
  return rc;
}
