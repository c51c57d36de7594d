/* recon show [-json] [PLAN] — a saved plan, or the state. */
#include <stdio.h>
#include <string.h>

#include "rc_alloc.h"
#include "run.h"

static const char usage[] =
    "Usage: recon [global options] show [options] [PLAN]\n\n"
    "  Shows a saved plan file, or without one the resources in state.\n";

static void show_state_text(struct rc_state *st)
{
  if (rc_state_count(st) == 0) {
    puts("The state file is empty. No resources are represented.");
    return;
  }
  for (size_t i = 0; i < rc_state_count(st); i++) {
    const struct rc_state_resource *r = rc_state_at(st, i);
    printf("# %s:\n%s \"%s\" ", r->address, r->mode == RC_STATE_DATA ? "data" : "resource",
           r->type);
    const char *dot = strrchr(r->address, '.');
    char *nm = rc_strdup(dot ? dot + 1 : r->address);
    nm[strcspn(nm, "[")] = '\0';
    printf("\"%s\" ", nm);
    rc_free(nm);
    rc_run_print_value(stdout, r->attributes ? r->attributes : rc_value_null(), 0);
    puts("\n");
  }
  if (rc_state_output_count(st)) puts("Outputs:\n");
  for (size_t i = 0; i < rc_state_output_count(st); i++) {
    bool sens = false;
    const char *name = rc_state_output_name(st, i);
    const struct rc_value *v = rc_state_output_get(st, name, &sens);
    printf("%s = ", name);
    if (sens)
      fputs("(sensitive value)", stdout);
    else
      rc_run_print_value(stdout, v, 0);
    putchar('\n');
  }
}

static void show_state_json(struct rc_state *st)
{
  json_t *root = json_object(), *values = json_object(), *mod = json_object(),
         *res = json_array(), *outs = json_object();
  json_object_set_new(root, "format_version", json_string("1.0"));
  for (size_t i = 0; i < rc_state_count(st); i++) {
    const struct rc_state_resource *r = rc_state_at(st, i);
    json_t *o = json_object();
    json_object_set_new(o, "address", json_string(r->address));
    json_object_set_new(o, "mode", json_string(r->mode == RC_STATE_DATA ? "data" : "managed"));
    json_object_set_new(o, "type", json_string(r->type));
    json_object_set_new(o, "provider_name", json_string("registry.terraform.io/hashicorp/aws"));
    struct rc_value *clear = r->attributes ? rc_value_unmark_deep(r->attributes) : NULL;
    json_object_set_new(o, "values", clear ? rc_value_to_json(clear) : json_object());
    rc_value_decref(clear);
    json_array_append_new(res, o);
  }
  for (size_t i = 0; i < rc_state_output_count(st); i++) {
    bool sens = false;
    const char *name = rc_state_output_name(st, i);
    const struct rc_value *v = rc_state_output_get(st, name, &sens);
    json_t *o = json_object();
    json_object_set_new(o, "sensitive", json_boolean(sens));
    json_object_set_new(o, "value", sens ? json_null() : rc_value_to_json(v));
    json_object_set_new(outs, name, o);
  }
  json_object_set_new(mod, "resources", res);
  json_object_set_new(values, "root_module", mod);
  json_object_set_new(values, "outputs", outs);
  json_object_set_new(root, "values", values);
  char *s = json_dumps(root, JSON_COMPACT);
  puts(s);
  free(s);
  json_decref(root);
}

int cmd_show(struct rc_cli *cli, int argc, char **argv)
{
  bool json = false, help = false;
  const struct rc_opt opts[] = {{"json", RC_OPT_BOOL, &json, "Machine-readable output"},
                                {NULL, 0, NULL, NULL}};
  int npos = 0;
  if (rc_cli_parse("show", opts, argc, argv, &npos, &help)) return 1;
  if (help) {
    rc_cli_usage(stdout, usage, opts);
    return 0;
  }
  if (npos > 1) {
    fprintf(stderr, "Error: recon show takes at most one plan file\n");
    return 1;
  }
  struct rc_error err = {0};
  if (npos == 1) {
    struct rc_plan plan = {0};
    if (rc_plan_load(argv[0], &plan, &err)) {
      rc_run_print_error(cli, &err);
      return 1;
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
    rc_plan_free(&plan);
    return 0;
  }
  struct rc_run_flags f;
  rc_run_flags_init(&f);
  f.lock = false;
  struct rc_engine *e = rc_run_open(cli, &f, "show", true);
  rc_run_flags_free(&f);
  if (!e) return 1;
  if (json)
    show_state_json(rc_engine_state(e));
  else
    show_state_text(rc_engine_state(e));
  rc_engine_close(e);
  return 0;
}
