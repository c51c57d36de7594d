/* recon plan — refresh, diff, print the plan; -out saves it, -json prints
 * Terraform's JSON plan, -detailed-exitcode exits 2 when there are changes. */
#include <stdio.h>
#include <string.h>

#include "rc_alloc.h"
#include "run.h"

static const char usage[] =
    "Usage: recon [global options] plan [options]\n\n"
    "  Reads the live state of every resource in state, compares it with the\n"
    "  configuration and prints the actions that would make AWS match.\n";

int rc_cli_plan_common(struct rc_cli *cli, struct rc_run_flags *f, bool destroy,
                       bool refresh_only, const char *out_path, bool json, bool detailed,
                       bool *has_changes);

int rc_cli_plan_common(struct rc_cli *cli, struct rc_run_flags *f, bool destroy,
                       bool refresh_only, const char *out_path, bool json, bool detailed,
                       bool *has_changes)
{
  rc_run_install_sigint();
  f->quiet = json;
  struct rc_engine *e = rc_run_open(cli, f, "plan", false);
  if (!e) return 1;
  struct rc_plan plan = {0};
  struct rc_diags ds = {0};
  struct rc_error err = {0};
  struct rc_plan_opts po = {.destroy = destroy,
                            .refresh_only = refresh_only,
                            .targets = f->targets.v, .ntargets = (size_t)f->targets.n,
                            .replaces = f->replaces.v, .nreplaces = (size_t)f->replaces.n};
  int rc = 1;
  rc_status st = rc_engine_plan(e, &po, &plan, &ds, &err);
  rc_cli_print_diags(cli, &ds);
  if (st) {
    if (err.code) rc_run_print_error(cli, &err);
    goto out;
  }
  struct rc_buf b;
  rc_buf_init(&b, 0);
  if (json)
    rc_plan_render_json(&plan, &b);
  else
    rc_plan_render_text(&plan, cli->color, &b);
  fputs(b.ptr, stdout);
  if (json) putchar('\n');
  rc_buf_free(&b);
  if (out_path) {
    if (rc_plan_save(&plan, out_path, &err)) {
      rc_run_print_error(cli, &err);
      goto out;
    }
    if (!json)
      printf("\nSaved the plan to: %s\n\nTo perform exactly these actions, run the following "
             "command to apply:\n    recon apply \"%s\"\n",
             out_path, out_path);
  }
  *has_changes = rc_plan_has_changes(&plan);
  rc = detailed && *has_changes ? 2 : 0;
out:
  rc_plan_free(&plan);
  rc_diags_free(&ds);
  rc_run_close(e);
  return rc;
}

int cmd_plan(struct rc_cli *cli, int argc, char **argv)
{
  struct rc_run_flags f;
  rc_run_flags_init(&f);
  const char *out = NULL;
  bool json = false, detailed = false, destroy = false, refresh_only = false, help = false;
  const struct rc_opt opts[] = {
      RC_RUN_OPTS(f),
      {"out", RC_OPT_STRING, &out, "Write the plan to this file, for recon apply FILE"},
      {"json", RC_OPT_BOOL, &json, "Print the plan as Terraform's JSON plan document"},
      {"detailed-exitcode", RC_OPT_BOOL, &detailed,
       "Exit 0 with no changes, 1 on error, 2 when there are changes"},
      {"destroy", RC_OPT_BOOL, &destroy, "Plan to destroy every resource in state"},
      {"refresh-only", RC_OPT_BOOL, &refresh_only, "Only update state to match AWS"},
      {"target", RC_OPT_MULTI, &f.targets, "Limit the plan to this address and its dependencies"},
      {"replace", RC_OPT_MULTI, &f.replaces, "Force replacement of this instance"},
      {NULL, 0, NULL, NULL}};
  int npos = 0, rc;
  if (rc_cli_parse("plan", opts, argc, argv, &npos, &help)) {
    rc = 1;
  } else if (help) {
    rc_cli_usage(stdout, usage, opts);
    rc = 0;
  } else if (npos) {
    fprintf(stderr, "Error: recon plan takes no positional arguments (got \"%s\")\n", argv[0]);
    rc = 1;
  } else {
    bool changes = false;
    rc = rc_cli_plan_common(cli, &f, destroy, refresh_only, out, json, detailed, &changes);
  }
  rc_run_flags_free(&f);
  return rc;
}
