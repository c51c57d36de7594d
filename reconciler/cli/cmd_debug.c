/* recon debug — hidden debugging helpers (not listed by recon -help). */
#include <stdio.h>

#include "cli.h"

int cmd_debug(struct rc_cli *cli, int argc, char **argv)
{
  fputs("Usage: recon debug aws <service> <Operation> [key=value...]\n", stderr);
  return 1;
}
