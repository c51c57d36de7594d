/* cli — the recon command line: a table {name, fn, summary} with one
 * cmd_<name>.c per command (libgit2 src/cli). Only this folder prints to
 * stdout/stderr or decides exit codes; the engine reports through return
 * codes, rc_error and rc_diags.
 *
 * Exit codes: 0 ok, 1 error, 2 "changes present" (plan -detailed-exitcode). */
#ifndef RC_CLI_H
#define RC_CLI_H
#include <stdbool.h>
#include <stdio.h>

struct rc_diags;

struct rc_cli {
  bool color;   /* stdout is a tty and -no-color not given */
  bool is_tty;  /* stdin and stdout are terminals */
  const char *argv0;
};

typedef int (*rc_cli_fn)(struct rc_cli *cli, int argc, char **argv);

struct rc_cli_cmd {
  const char *name;
  rc_cli_fn fn;
  const char *summary;
  bool hidden; /* not listed by recon -help */
};

/* --- option parsing, Terraform's habits: -name, --name, -name=value,
 * -name value. Each command declares its options as a table. --- */
enum rc_opt_kind { RC_OPT_BOOL, RC_OPT_STRING, RC_OPT_MULTI, RC_OPT_INT };

struct rc_opt {
  const char *name;
  enum rc_opt_kind kind;
  void *dest;        /* bool*, const char**, struct rc_strv*, int* */
  const char *help;
};

struct rc_strv {
  const char **v;
  int n, cap;
};
void rc_strv_push(struct rc_strv *sv, const char *s); /* borrows s */
void rc_strv_free(struct rc_strv *sv);

/* Parses argv[0..argc) (argv[0] is the first argument after the command name)
 * against opts; positional arguments are moved to the front of argv and their
 * count returned in *npos. "-help"/"-h" sets *help. Returns 0, or 1 after
 * printing an error naming the bad flag. */
int rc_cli_parse(const char *cmd, const struct rc_opt *opts, int argc, char **argv,
                 int *npos, bool *help);
void rc_cli_usage(FILE *out, const char *usage, const struct rc_opt *opts);
void rc_cli_print_diags(struct rc_cli *cli, const struct rc_diags *ds);

#endif
