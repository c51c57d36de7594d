/* run — what the commands that open a working directory share: the -var /
 * -var-file / -lock flags, the progress printer (Terraform's lines), SIGINT
 * handling, value printing for outputs. */
#ifndef RC_CLI_RUN_H
#define RC_CLI_RUN_H
#include "cli.h"
#include "engine.h"

struct rc_run_flags {
  struct rc_strv vars, var_files, targets, replaces;
  bool lock;              /* false with -lock=false */
  const char *lock_timeout; /* "10s" */
  int parallelism;
  bool refresh;           /* default true */
  bool input;             /* -input (default: tty) */
  bool quiet;             /* no progress lines (JSON output) */
};

/* The option rows for the flags above, to splice into a command's table:
 * RC_RUN_OPTS(f) expands to rc_opt rows. */
#define RC_RUN_OPTS(f)                                                                   \
  {"var", RC_OPT_MULTI, &(f).vars, "Set a variable: -var 'name=value' (repeatable)"},       \
      {"var-file", RC_OPT_MULTI, &(f).var_files, "Load variable values from a .tfvars file"}, \
      {"lock", RC_OPT_BOOL, &(f).lock, "-lock=false: do not take the state lock"},       \
      {"lock-timeout", RC_OPT_STRING, &(f).lock_timeout, "Wait this long for the lock (e.g. 30s)"}, \
      {"parallelism", RC_OPT_INT, &(f).parallelism, "Limit concurrent operations (default 10)"}, \
      {"refresh", RC_OPT_BOOL, &(f).refresh, "-refresh=false: skip reading live state"},     \
      {"input", RC_OPT_BOOL, &(f).input, "Ask for missing variables (default on a tty)"}

void rc_run_flags_init(struct rc_run_flags *f);
void rc_run_flags_free(struct rc_run_flags *f);
/* Opens the engine for operation; prints diagnostics/errors and returns NULL
 * on failure. skip_config for commands that need the state alone. */
struct rc_engine *rc_run_open(struct rc_cli *cli, struct rc_run_flags *f, const char *operation,
                              bool skip_config);
/* Closes the engine; with RECON_LOG=debug|trace first prints the AWS call
 * counts per service.operation (and retries) on stderr. NULL ok. */
void rc_run_close(struct rc_engine *e);
/* SIGINT: first sets the cancel flag, second exits at once. */
volatile int *rc_run_cancel_flag(void);
void rc_run_install_sigint(void);

/* Prints diagnostics and an rc_error (Terraform style). */
void rc_run_print_error(struct rc_cli *cli, const struct rc_error *err);
/* "name = value" lines of outputs (sensitive shown as (sensitive value)). */
void rc_run_print_outputs(struct rc_cli *cli, const struct rc_value *outs);
/* A value as HCL-ish text, multi-line for collections (for outputs/show). */
void rc_run_print_value(FILE *out, const struct rc_value *v, int indent);

#endif
