/* recon import ADDR ID — adopt an existing AWS object into state. */
#include <stdio.h>

#include "run.h"

static const char usage[] =
    "Usage: recon [global options] import [options] ADDR ID\n\n"
    "  Reads the existing object ID from AWS and records it in state at ADDR, a\n"
    "  resource instance address of the configuration.\n";

int cmd_import(struct rc_cli *cli, int argc, char **argv)
{
  struct rc_run_flags f;
  rc_run_flags_init(&f);
  bool help = false;
  const struct rc_opt opts[] = {RC_RUN_OPTS(f), {NULL, 0, NULL, NULL}};
  int npos = 0, rc = 1;
  if (rc_cli_parse("import", opts, argc, argv, &npos, &help)) goto out;
  if (help) {
    rc_cli_usage(stdout, usage, opts);
    rc = 0;
    goto out;
  }
  if (npos != 2) {
    fprintf(stderr, "Error: recon import needs exactly two arguments: ADDR ID\n");
    goto out;
  }
  struct rc_engine *e = rc_run_open(cli, &f, "import", false);
  if (!e) goto out;
  struct rc_diags ds = {0};
  struct rc_error err = {0};
  if (rc_engine_import(e, argv[0], argv[1], &ds, &err)) {
    rc_cli_print_diags(cli, &ds);
    rc_run_print_error(cli, &err);
  } else {
    printf("%s: Import prepared!\n%s: Refreshing state... [id=%s]\n\nImport successful!\n\nThe "
           "resources that were imported are shown above. These resources are now in\nyour "
           "recon state and will henceforth be managed by recon.\n",
           argv[0], argv[0], argv[1]);
    rc = 0;
  }
  rc_diags_free(&ds);
  rc_run_close(e);
out:
  rc_run_flags_free(&f);
  return rc;
}
