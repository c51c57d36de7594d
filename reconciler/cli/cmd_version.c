#include <stdio.h>

#include "cli.h"

#ifndef RECON_VERSION
#define RECON_VERSION "0.1.0"
#endif

int cmd_version(struct rc_cli *cli, int argc, char **argv)
{
  bool help = false;
  int npos = 0;
  if (rc_cli_parse("version", NULL, argc, argv, &npos, &help)) return 1;
  if (help) {
    puts("Usage: recon version\n\n  Prints the version of recon.");
    return 0;
  }
  printf("recon v%s\n", RECON_VERSION);
  return 0;
}
