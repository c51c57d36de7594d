/* recon state list|show|rm|mv|pull|recover — advanced state management. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rc_alloc.h"
#include "run.h"

static const char usage[] =
    "Usage: recon [global options] state <subcommand> [options] [args]\n\n"
    "  list [ADDR...]     list resources in the state (optionally under ADDR)\n"
    "  show ADDR          show one resource's attributes\n"
    "  rm ADDR...         forget resources (they keep existing in AWS)\n"
    "  mv SRC DST         rename a resource in state\n"
    "  pull               print the state document\n"
    "  recover -stack ID  rebuild a lost state from live resources tagged recon:stack=ID\n";


static bool under(const char *addr, const char *prefix)
{
  size_t n = strlen(prefix);
  return strncmp(addr, prefix, n) == 0 && (addr[n] == '\0' || addr[n] == '.' || addr[n] == '[');
}

int cmd_state(struct rc_cli *cli, int argc, char **argv)
{
  if (argc < 1 || strcmp(argv[0], "-help") == 0 || strcmp(argv[0], "--help") == 0 ||
      strcmp(argv[0], "-h") == 0) {
    fputs(usage, argc < 1 ? stderr : stdout);
    return argc < 1 ? 1 : 0;
  }
  const char *sub = argv[0];
  struct rc_run_flags f;
  rc_run_flags_init(&f);
  const char *stack = NULL;
  bool help = false;
  const struct rc_opt opts[] = {RC_RUN_OPTS(f),
                                {"stack", RC_OPT_STRING, &stack, "recover: the recon:stack tag"},
                                {NULL, 0, NULL, NULL}};
  int npos = 0;
  if (rc_cli_parse("state", opts, argc - 1, argv + 1, &npos, &help)) {
    rc_run_flags_free(&f);
    return 1;
  }
  char **pos = argv + 1;
  if (help) {
    fputs(usage, stdout);
    rc_run_flags_free(&f);
    return 0;
  }
  bool writes = strcmp(sub, "rm") == 0 || strcmp(sub, "mv") == 0 || strcmp(sub, "recover") == 0;
  bool recover = strcmp(sub, "recover") == 0;
  if (!writes) f.lock = false;
  struct rc_engine *e = rc_run_open(cli, &f, writes ? "state" : "state read", !recover);
  rc_run_flags_free(&f);
  if (!e) return 1;
  struct rc_state *st = rc_engine_state(e);
  struct rc_error err = {0};
  int rc = 0;
  if (strcmp(sub, "list") == 0) {
    for (size_t i = 0; i < rc_state_count(st); i++) {
      const char *a = rc_state_at(st, i)->address;
      bool show = npos == 0;
      for (int k = 0; k < npos && !show; k++) show = under(a, pos[k]);
      if (show) printf("%s%s\n", rc_state_at(st, i)->mode == RC_STATE_DATA ? "" : "", a);
    }
  } else if (strcmp(sub, "show") == 0 && npos == 1) {
    const struct rc_state_resource *r = rc_state_find(st, pos[0]);
    if (!r) {
      fprintf(stderr, "Error: No instance found for the given address!\n\nThis command requires "
                      "that the address references one specific instance.\n");
      rc = 1;
    } else {
      printf("# %s:\n%s \"%s\" ", r->address, r->mode == RC_STATE_DATA ? "data" : "resource", r->type);
      rc_run_print_value(stdout, r->attributes ? r->attributes : rc_value_null(), 0);
      putchar('\n');
    }
  } else if (strcmp(sub, "rm") == 0 && npos >= 1) {
    int removed = 0;
    for (int k = 0; k < npos; k++)
      for (size_t i = rc_state_count(st); i-- > 0;)
        if (under(rc_state_at(st, i)->address, pos[k])) {
          printf("Removed %s\n", rc_state_at(st, i)->address);
          rc_state_remove(st, rc_state_at(st, i)->address);
          removed++;
        }
    if (!removed) {
      fprintf(stderr, "Error: Invalid target address\n\nNo matching objects found.\n");
      rc = 1;
    } else if (rc_engine_save_state(e, &err)) {
      rc_run_print_error(cli, &err);
      rc = 1;
    } else {
      printf("Successfully removed %d resource instance(s).\n", removed);
    }
  } else if (strcmp(sub, "mv") == 0 && npos == 2) {
    int moved = 0;
    for (size_t i = 0; i < rc_state_count(st) && !rc; i++) {
      const char *a = rc_state_at(st, i)->address;
      if (!under(a, pos[0])) continue;
      char *dst = rc_asprintf("%s%s", pos[1], a + strlen(pos[0]));
      char *src = rc_strdup(a);
      if (rc_state_move(st, src, dst, &err)) {
        rc_run_print_error(cli, &err);
        rc = 1;
      } else {
        printf("Move \"%s\" to \"%s\"\n", src, dst);
        moved++;
        i = (size_t)-1; /* order changed: rescan */
      }
      rc_free(src);
      rc_free(dst);
    }
    if (!rc && !moved) {
      fprintf(stderr, "Error: Invalid source address\n\nNo resource in state matches %s.\n", pos[0]);
      rc = 1;
    }
    if (!rc && rc_engine_save_state(e, &err)) {
      rc_run_print_error(cli, &err);
      rc = 1;
    } else if (!rc) {
      printf("Successfully moved %d object(s).\n", moved);
    }
  } else if (strcmp(sub, "pull") == 0) {
    size_t len = 0;
    char *s = rc_state_to_json(st, &len);
    fwrite(s, 1, len, stdout);
    rc_free(s);
  } else if (recover) {
    struct rc_diags ds = {0};
    int found = 0;
    if (!stack) {
      fprintf(stderr, "Error: recon state recover needs -stack ID (the value of the "
                      "recon:stack tag on the stack's resources)\n");
      rc = 1;
    } else if (rc_engine_recover(e, stack, &found, &ds, &err)) {
      rc_cli_print_diags(cli, &ds);
      rc_run_print_error(cli, &err);
      rc = 1;
    } else {
      printf("Recovered %d resource instance(s) into the state.\n", found);
    }
    rc_diags_free(&ds);
  } else {
    fprintf(stderr, "Error: unknown or incomplete state subcommand \"%s\"\n\n%s", sub, usage);
    rc = 1;
  }
  rc_run_close(e);
  return rc;
}
