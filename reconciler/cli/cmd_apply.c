/* recon apply / destroy / refresh — plan (or load a saved plan), ask, apply. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rc_alloc.h"
#include "run.h"

static const char apply_usage[] =
    "Usage: recon [global options] apply [options] [PLAN]\n\n"
    "  Creates or updates infrastructure according to the configuration. Without a\n"
    "  saved PLAN it plans first and asks for approval (only \"yes\" proceeds).\n";
static const char destroy_usage[] =
    "Usage: recon [global options] destroy [options]\n\n"
    "  Destroys every object this configuration manages (same as apply -destroy).\n";
static const char refresh_usage[] =
    "Usage: recon [global options] refresh [options]\n\n"
    "  Updates the state to match AWS without changing anything (apply -refresh-only\n"
    "  -auto-approve).\n";

static bool approve(struct rc_cli *cli, bool destroy)
{
  if (!cli->is_tty) {
    fprintf(stderr, "\nError: No approval given\n\nrecon asks for approval on a terminal; "
                    "without one, pass -auto-approve or apply a saved plan file.\n");
    return false;
  }
  printf("\n%s\n  recon will perform the actions described above.\n  Only 'yes' will be "
         "accepted to approve.\n\n  Enter a value: ",
         destroy ? "Do you really want to destroy all resources?"
                 : "Do you want to perform these actions?");
  fflush(stdout);
  char line[64];
  if (!fgets(line, sizeof line, stdin)) return false;
  line[strcspn(line, "\r\n")] = '\0';
  if (strcmp(line, "yes") != 0) {
    fprintf(stderr, "\nError: %s cancelled.\n", destroy ? "Destroy" : "Apply");
    return false;
  }
  putchar('\n');
  return true;
}

static int run_apply(struct rc_cli *cli, struct rc_run_flags *f, const char *plan_path,
                     bool auto_approve, bool destroy, bool refresh_only)
{
  rc_run_install_sigint();
  struct rc_plan plan = {0};
  struct rc_diags ds = {0};
  struct rc_error err = {0};
  struct rc_apply_result res = {0};
  struct rc_engine *e = NULL;
  char **held = NULL;
  int nheld = 0, rc = 1;
  if (plan_path) {
    /* a saved plan carries its variables: the configuration is evaluated
     * with exactly those (sensitive ones must be given again and match) */
    if (rc_plan_load(plan_path, &plan, &err)) {
      rc_run_print_error(cli, &err);
      return 1;
    }
    if (f->vars.n || f->var_files.n) {
      fprintf(stderr, "Error: Can't set variables when applying a saved plan\n\nThe plan file "
                      "already holds the variable values it was made with.\n");
      rc_plan_free(&plan);
      return 1;
    }
    size_t nv = plan.variables ? rc_value_len(plan.variables) : 0;
    held = rc_calloc(nv + 1, sizeof(char *));
    for (size_t i = 0; i < nv; i++) {
      const struct rc_value *v = rc_value_index(plan.variables, i);
      if (rc_plan_is_hashed(v)) continue; /* from the environment, checked below */
      const char *s = rc_value_str(v);
      char *js = s ? NULL : rc_value_dump_json(v);
      held[nheld] = rc_asprintf("%s=%s", rc_value_key(plan.variables, i), s ? s : js);
      rc_free(js);
      rc_strv_push(&f->vars, held[nheld++]);
    }
  }
  e = rc_run_open(cli, f, destroy ? "destroy" : "apply", false);
  if (!e) goto out;
  if (plan_path) {
    if (rc_engine_check_saved_plan(e, &plan, &err)) {
      rc_run_print_error(cli, &err);
      goto out;
    }
  } else {
    struct rc_plan_opts po = {.destroy = destroy,
                              .refresh_only = refresh_only,
                              .targets = f->targets.v, .ntargets = (size_t)f->targets.n,
                              .replaces = f->replaces.v, .nreplaces = (size_t)f->replaces.n};
    rc_status st = rc_engine_plan(e, &po, &plan, &ds, &err);
    rc_cli_print_diags(cli, &ds);
    rc_diags_free(&ds);
    if (st) {
      if (err.code) rc_run_print_error(cli, &err);
      goto out;
    }
    struct rc_buf b;
    rc_buf_init(&b, 0);
    rc_plan_render_text(&plan, cli->color, &b);
    fputs(b.ptr, stdout);
    rc_buf_free(&b);
    if (!rc_plan_has_changes(&plan) && !refresh_only) {
      rc = 0;
      if (rc_engine_state_moved(e) && rc_engine_save_state(e, &err)) {
        rc_run_print_error(cli, &err);
        rc = 1;
        goto out;
      }
      if (!destroy) {
        struct rc_value *outs = NULL;
        res.outputs = outs;
      }
      goto done;
    }
    if (!auto_approve && !approve(cli, destroy)) goto out;
  }
  rc_status st = rc_engine_apply(e, &plan, &res, &ds, &err);
  rc_cli_print_diags(cli, &ds);
  if (st) {
    putchar('\n');
    rc_run_print_error(cli, &err);
    goto out;
  }
  rc = 0;
done:
  if (destroy)
    printf("\n%sDestroy complete! Resources: %d destroyed.%s\n", cli->color ? "\033[1;32m" : "",
           res.destroyed, cli->color ? "\033[0m" : "");
  else
    printf("\n%sApply complete! Resources: %d added, %d changed, %d destroyed.%s\n",
           cli->color ? "\033[1;32m" : "", res.added, res.changed, res.destroyed,
           cli->color ? "\033[0m" : "");
  if (!destroy) {
    struct rc_value *outs = res.outputs;
    if (!outs) { /* no changes: show the recorded outputs */
      struct rc_state *st2 = rc_engine_state(e);
      outs = rc_value_obj_new(RC_OBJECT);
      for (size_t i = 0; i < rc_state_output_count(st2); i++) {
        bool sens = false;
        const char *name = rc_state_output_name(st2, i);
        const struct rc_value *v = rc_state_output_get(st2, name, &sens);
        rc_value_obj_put(outs, name, sens ? rc_value_mark_sensitive(v) : rc_value_incref(v));
      }
      res.outputs = outs;
    }
    rc_run_print_outputs(cli, res.outputs);
  }
out:
  rc_value_decref(res.outputs);
  rc_plan_free(&plan);
  rc_diags_free(&ds);
  rc_run_close(e);
  for (int i = 0; i < nheld; i++) rc_free(held[i]);
  rc_free(held);
  return rc;
}

static int apply_like(struct rc_cli *cli, int argc, char **argv, const char *name,
                      const char *usage, bool destroy, bool refresh_only)
{
  struct rc_run_flags f;
  rc_run_flags_init(&f);
  bool auto_approve = refresh_only, help = false, d = destroy, ro = refresh_only;
  const struct rc_opt opts[] = {
      RC_RUN_OPTS(f),
      {"auto-approve", RC_OPT_BOOL, &auto_approve, "Skip the interactive approval"},
      {"destroy", RC_OPT_BOOL, &d, "Destroy every resource in state"},
      {"refresh-only", RC_OPT_BOOL, &ro, "Only update state to match AWS"},
      {"target", RC_OPT_MULTI, &f.targets, "Limit to this address and its dependencies"},
      {"replace", RC_OPT_MULTI, &f.replaces, "Force replacement of this instance"},
      {NULL, 0, NULL, NULL}};
  int npos = 0, rc;
  if (rc_cli_parse(name, opts, argc, argv, &npos, &help)) {
    rc = 1;
  } else if (help) {
    rc_cli_usage(stdout, usage, opts);
    rc = 0;
  } else if (npos > 1 || (npos == 1 && (destroy || refresh_only))) {
    fprintf(stderr, "Error: too many arguments for recon %s\n", name);
    rc = 1;
  } else {
    rc = run_apply(cli, &f, npos ? argv[0] : NULL, auto_approve, d, ro);
  }
  rc_run_flags_free(&f);
  return rc;
}

int cmd_apply(struct rc_cli *cli, int argc, char **argv)
{
  return apply_like(cli, argc, argv, "apply", apply_usage, false, false);
}

int cmd_destroy(struct rc_cli *cli, int argc, char **argv)
{
  return apply_like(cli, argc, argv, "destroy", destroy_usage, true, false);
}

int cmd_refresh(struct rc_cli *cli, int argc, char **argv)
{
  return apply_like(cli, argc, argv, "refresh", refresh_usage, false, true);
}
