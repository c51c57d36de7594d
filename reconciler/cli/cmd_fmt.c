#include <stdio.h>

#include "cli.h"

int cmd_fmt(struct rc_cli *cli, int argc, char **argv)
{
  (void)cli, (void)argc, (void)argv;
  fputs("recon fmt: not yet implemented\n", stderr);
  return 1;
}
