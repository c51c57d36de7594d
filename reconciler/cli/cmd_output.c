/* recon output [-json] [-raw] [NAME] — the root module's outputs from state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

static const char usage[] =
    "Usage: recon [global options] output [options] [NAME]\n\n"
    "  Reads an output value from the state, or all of them.\n";

int cmd_output(struct rc_cli *cli, int argc, char **argv)
{
  bool json = false, raw = false, help = false;
  const struct rc_opt opts[] = {{"json", RC_OPT_BOOL, &json, "Print as JSON"},
                                {"raw", RC_OPT_BOOL, &raw, "Print a string without quotes"},
                                {NULL, 0, NULL, NULL}};
  int npos = 0;
  if (rc_cli_parse("output", opts, argc, argv, &npos, &help)) return 1;
  if (help) {
    rc_cli_usage(stdout, usage, opts);
    return 0;
  }
  struct rc_run_flags f;
  rc_run_flags_init(&f);
  f.lock = false;
  struct rc_engine *e = rc_run_open(cli, &f, "output", true);
  rc_run_flags_free(&f);
  if (!e) return 1;
  struct rc_state *st = rc_engine_state(e);
  int rc = 0;
  if (npos == 1) {
    bool sens = false;
    const struct rc_value *v = rc_state_output_get(st, argv[0], &sens);
    if (!v) {
      fprintf(stderr, "Error: Output \"%s\" not found\n\nThe output variable requested could "
                      "not be found in the state file.\n",
              argv[0]);
      rc = 1;
    } else if (raw) {
      const char *s = rc_value_str(v);
      char tmp[64];
      if (!s && rc_value_kind(v) == RC_NUMBER) rc_value_format_number(v, tmp, sizeof tmp), s = tmp;
      if (!s && rc_value_kind(v) == RC_BOOL) s = rc_value_bool_get(v) ? "true" : "false";
      if (!s) {
        fprintf(stderr, "Error: Unsupported value for raw output\n");
        rc = 1;
      } else {
        fputs(s, stdout);
      }
    } else if (json) {
      json_t *j = rc_value_to_json(v);
      char *s = json_dumps(j, JSON_ENCODE_ANY | JSON_INDENT(2));
      puts(s);
      free(s);
      json_decref(j);
    } else {
      rc_run_print_value(stdout, v, 0); /* an output asked by name is shown even if sensitive */
      putchar('\n');
    }
  } else if (json) {
    json_t *o = json_object();
    for (size_t i = 0; i < rc_state_output_count(st); i++) {
      bool sens = false;
      const char *name = rc_state_output_name(st, i);
      const struct rc_value *v = rc_state_output_get(st, name, &sens);
      json_t *e2 = json_object();
      json_object_set_new(e2, "sensitive", json_boolean(sens));
      json_object_set_new(e2, "value", rc_value_to_json(v));
      json_object_set_new(o, name, e2);
    }
    char *s = json_dumps(o, JSON_INDENT(2));
    puts(s);
    free(s);
    json_decref(o);
  } else {
    for (size_t i = 0; i < rc_state_output_count(st); i++) {
      bool sens = false;
      const char *name = rc_state_output_name(st, i);
      const struct rc_value *v = rc_state_output_get(st, name, &sens);
      printf("%s = ", name);
      if (sens)
        fputs("<sensitive>", stdout);
      else
        rc_run_print_value(stdout, v, 0);
      putchar('\n');
    }
  }
  rc_engine_close(e);
  return rc;
}
