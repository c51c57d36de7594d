/* recon — entry point: global flags, then dispatch through the command table. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "rc_alloc.h"
#include "rc_diag.h"

#define RC__DECL(name, fn, summary, hidden) int fn(struct rc_cli *, int, char **);
RC_CLI_COMMANDS(RC__DECL)
#undef RC__DECL

static const struct rc_cli_cmd commands[] = {
#define RC__ROW(name, fn, summary, hidden) {name, fn, summary, hidden},
    RC_CLI_COMMANDS(RC__ROW)
#undef RC__ROW
};

static void usage(FILE *out)
{
  fputs("Usage: recon [global options] <subcommand> [args]\n\n"
        "recon reconciles AWS application stacks described in Terraform-language\n"
        "module files: it plans and applies the create/update/replace/delete actions\n"
        "that make AWS match the configuration.\n\n"
        "Commands:\n",
        out);
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    if (!commands[i].hidden) fprintf(out, "  %-14s %s\n", commands[i].name, commands[i].summary);
  fputs("\nGlobal options (before the subcommand):\n"
        "  -chdir=DIR     Switch to DIR before running the subcommand.\n"
        "  -help          Show this help.\n"
        "  -version       Same as the version subcommand.\n"
        "  -no-color      Never print colour codes.\n",
        out);
}

void rc_strv_push(struct rc_strv *sv, const char *s)
{
  if (sv->n == sv->cap) {
    sv->cap = sv->cap ? sv->cap * 2 : 4;
    sv->v = rc_realloc(sv->v, (size_t)sv->cap * sizeof *sv->v);
  }
  sv->v[sv->n++] = s;
}

void rc_strv_free(struct rc_strv *sv)
{
  rc_free(sv->v);
  sv->v = NULL;
  sv->n = sv->cap = 0;
}

int rc_cli_parse(const char *cmd, const struct rc_opt *opts, int argc, char **argv,
                 int *npos, bool *help)
{
  int pos = 0;
  char **positional = rc_calloc((size_t)argc + 1, sizeof *positional);
  for (int i = 0; i < argc; i++) {
    char *a = argv[i];
    if (a[0] != '-' || a[1] == '\0') {
      positional[pos++] = a;
      continue;
    }
    if (strcmp(a, "--") == 0) {
      while (++i < argc) positional[pos++] = argv[i];
      break;
    }
    const char *name = a + 1 + (a[1] == '-');
    size_t nlen = strcspn(name, "=");
    const char *val = name[nlen] == '=' ? name + nlen + 1 : NULL;
    if ((nlen == 4 && strncmp(name, "help", 4) == 0) || (nlen == 1 && name[0] == 'h')) {
      *help = true;
      continue;
    }
    const struct rc_opt *o = NULL;
    for (const struct rc_opt *p = opts; p && p->name; p++)
      if (strlen(p->name) == nlen && strncmp(p->name, name, nlen) == 0) o = p;
    if (!o) {
      fprintf(stderr, "Error: recon %s: unknown flag -%.*s\n\nRun \"recon %s -help\" for the flags it takes.\n",
              cmd, (int)nlen, name, cmd);
      rc_free(positional);
      return 1;
    }
    if (o->kind == RC_OPT_BOOL) {
      bool b = true;
      if (val) b = !(strcmp(val, "false") == 0 || strcmp(val, "0") == 0);
      *(bool *)o->dest = b;
      continue;
    }
    if (!val) {
      if (i + 1 >= argc) {
        fprintf(stderr, "Error: recon %s: flag -%s needs a value\n", cmd, o->name);
        rc_free(positional);
        return 1;
      }
      val = argv[++i];
    }
    if (o->kind == RC_OPT_STRING) {
      *(const char **)o->dest = val;
    } else if (o->kind == RC_OPT_MULTI) {
      rc_strv_push(o->dest, val);
    } else {
      char *end;
      errno = 0;
      long n = strtol(val, &end, 10);
      if (*end || errno || n < 0 || n > 1000000) {
        fprintf(stderr, "Error: recon %s: flag -%s needs a whole number, not \"%s\"\n", cmd,
                o->name, val);
        rc_free(positional);
        return 1;
      }
      *(int *)o->dest = (int)n;
    }
  }
  for (int i = 0; i < pos; i++) argv[i] = positional[i];
  *npos = pos;
  rc_free(positional);
  return 0;
}

void rc_cli_usage(FILE *out, const char *usage_text, const struct rc_opt *opts)
{
  fputs(usage_text, out);
  if (opts && opts->name) fputs("\nOptions:\n", out);
  for (const struct rc_opt *p = opts; p && p->name; p++) {
    char flag[64];
    snprintf(flag, sizeof flag, "-%s%s", p->name,
             p->kind == RC_OPT_BOOL ? "" : (p->kind == RC_OPT_INT ? "=N" : "=VALUE"));
    fprintf(out, "  %-24s %s\n", flag, p->help);
  }
}

void rc_cli_print_diags(struct rc_cli *cli, const struct rc_diags *ds)
{
  fflush(stdout);
  rc_diags_print(ds, stderr, cli->color && isatty(2));
}

int main(int argc, char **argv)
{
  struct rc_cli cli = {.argv0 = argv[0]};
  bool no_color = getenv("NO_COLOR") != NULL;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    const char *a = argv[i] + 1 + (argv[i][1] == '-');
    if (strncmp(a, "chdir=", 6) == 0) {
      if (chdir(a + 6) != 0) {
        fprintf(stderr, "Error: cannot change directory to %s: %s\n", a + 6, strerror(errno));
        return 1;
      }
    } else if (strcmp(a, "help") == 0 || strcmp(a, "h") == 0) {
      usage(stdout);
      return 0;
    } else if (strcmp(a, "version") == 0 || strcmp(a, "v") == 0) {
      argv[i] = "version";
      break;
    } else if (strcmp(a, "no-color") == 0) {
      no_color = true;
    } else {
      fprintf(stderr, "Error: unknown global option %s\n\n", argv[i]);
      usage(stderr);
      return 1;
    }
  }
  if (i >= argc) {
    usage(stderr);
    return 1;
  }
  /* -no-color may also come after the subcommand, as in Terraform */
  for (int j = i + 1; j < argc; j++)
    if (strcmp(argv[j], "-no-color") == 0 || strcmp(argv[j], "--no-color") == 0) {
      no_color = true;
      memmove(&argv[j], &argv[j + 1], (size_t)(argc - j) * sizeof *argv);
      argc--;
      j--;
    }
  cli.is_tty = isatty(0) && isatty(1);
  cli.color = !no_color && isatty(1);
  for (size_t c = 0; c < sizeof commands / sizeof *commands; c++)
    if (strcmp(commands[c].name, argv[i]) == 0)
      return commands[c].fn(&cli, argc - i - 1, argv + i + 1);
  fprintf(stderr, "Error: recon has no command \"%s\"\n\nRun \"recon -help\" for the list.\n",
          argv[i]);
  return 1;
}
