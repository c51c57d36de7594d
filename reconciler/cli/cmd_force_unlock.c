/* recon force-unlock [-force] ID — remove a lock left behind. */
#include <stdio.h>
#include <string.h>

#include "run.h"

static const char usage[] =
    "Usage: recon [global options] force-unlock [options] LOCK_ID\n\n"
    "  Removes the lock on the state for the current configuration. Only use it when\n"
    "  the process that took the lock is gone.\n";

int cmd_force_unlock(struct rc_cli *cli, int argc, char **argv)
{
  bool force = false, help = false;
  const struct rc_opt opts[] = {{"force", RC_OPT_BOOL, &force, "Do not ask for confirmation"},
                                {NULL, 0, NULL, NULL}};
  int npos = 0;
  if (rc_cli_parse("force-unlock", opts, argc, argv, &npos, &help)) return 1;
  if (help) {
    rc_cli_usage(stdout, usage, opts);
    return 0;
  }
  if (npos != 1) {
    fprintf(stderr, "Error: recon force-unlock needs the lock ID\n");
    return 1;
  }
  if (!force) {
    if (!cli->is_tty) {
      fprintf(stderr, "Error: force-unlock asks for confirmation on a terminal; pass -force\n");
      return 1;
    }
    printf("Do you really want to force-unlock?\n  Only 'yes' will be accepted to confirm.\n\n"
           "  Enter a value: ");
    fflush(stdout);
    char line[16];
    if (!fgets(line, sizeof line, stdin) || strncmp(line, "yes", 3) != 0) {
      fprintf(stderr, "force-unlock cancelled.\n");
      return 1;
    }
  }
  struct rc_run_flags f;
  rc_run_flags_init(&f);
  f.lock = false;
  struct rc_engine *e = rc_run_open(cli, &f, "force-unlock", true);
  rc_run_flags_free(&f);
  if (!e) return 1;
  struct rc_error err = {0};
  int rc = 0;
  if (rc_engine_force_unlock(e, argv[0], &err)) {
    rc_run_print_error(cli, &err);
    rc = 1;
  } else {
    printf("recon state has been successfully unlocked!\n\nThe state has been unlocked, and "
           "recon commands should now be able to\nobtain a new lock on the remote state.\n");
  }
  rc_engine_close(e);
  return rc;
}
