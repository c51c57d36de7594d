#include "run.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aws.h"
#include "rc_alloc.h"

static volatile int cancel_flag;
static struct rc_cli *event_cli;

volatile int *rc_run_cancel_flag(void) { return &cancel_flag; }

static void on_sigint(int sig)
{
  (void)sig;
  if (cancel_flag) {
    static const char msg[] = "\nTwo interrupts received. Exiting immediately; the state "
                              "holds every action that finished.\n";
    ssize_t w = write(2, msg, sizeof msg - 1);
    (void)w;
    _exit(130);
  }
  cancel_flag = 1;
  static const char msg[] = "\nInterrupt received.\nPlease wait for recon to exit or data loss "
                            "may occur.\nGracefully shutting down...\n";
  ssize_t w = write(2, msg, sizeof msg - 1);
  (void)w;
}

void rc_run_install_sigint(void)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

void rc_run_flags_init(struct rc_run_flags *f)
{
  memset(f, 0, sizeof *f);
  f->refresh = true;
  f->lock = true; /* "lock" as parsed: true unless -lock=false */
  f->input = isatty(0) && isatty(1);
}

void rc_run_flags_free(struct rc_run_flags *f)
{
  rc_strv_free(&f->vars);
  rc_strv_free(&f->var_files);
  rc_strv_free(&f->targets);
  rc_strv_free(&f->replaces);
}

static double parse_duration(const char *s)
{
  if (!s || !*s) return 0;
  char *end;
  double n = strtod(s, &end);
  if (*end == 'm') n *= 60;
  if (*end == 'h') n *= 3600;
  return n;
}

static void fmt_elapsed(char *out, size_t n, int64_t ms)
{
  long s = (long)(ms / 1000);
  if (s >= 60)
    snprintf(out, n, "%ldm%lds", s / 60, s % 60);
  else
    snprintf(out, n, "%lds", s);
}

static const char *verb(enum rc_action a, int form)
{
  /* form 0: "Creating...", 1: "Still creating...", 2: "Creation complete" */
  static const char *t[][3] = {
      [RC_ACT_CREATE] = {"Creating...", "Still creating...", "Creation complete"},
      [RC_ACT_UPDATE] = {"Modifying...", "Still modifying...", "Modifications complete"},
      [RC_ACT_DELETE] = {"Destroying...", "Still destroying...", "Destruction complete"},
      [RC_ACT_READ] = {"Reading...", "Still reading...", "Read complete"},
  };
  if (a != RC_ACT_UPDATE && a != RC_ACT_DELETE && a != RC_ACT_READ) a = RC_ACT_CREATE;
  return t[a][form];
}

static void on_event(void *ud, const struct rc_event *ev)
{
  struct rc_cli *cli = ud;
  const char *b = cli->color ? "\033[1m" : "", *n = cli->color ? "\033[0m" : "";
  char el[32];
  switch (ev->kind) {
  case RC_EV_REFRESH:
    printf("%s%s: Refreshing state...%s [id=%s]\n", b, ev->address, n, ev->id ? ev->id : "");
    break;
  case RC_EV_READ:
    printf("%s%s: Read complete%s\n", b, ev->address, n);
    break;
  case RC_EV_START:
    printf("%s%s: %s%s\n", b, ev->address, verb(ev->action, 0), n);
    break;
  case RC_EV_STILL:
    fmt_elapsed(el, sizeof el, ev->elapsed_ms);
    printf("%s%s: %s [%s elapsed]%s\n", b, ev->address, verb(ev->action, 1), el, n);
    break;
  case RC_EV_DONE:
    fmt_elapsed(el, sizeof el, ev->elapsed_ms);
    if (ev->id && *ev->id && ev->action != RC_ACT_DELETE)
      printf("%s%s: %s after %s [id=%s]%s\n", b, ev->address, verb(ev->action, 2), el, ev->id, n);
    else
      printf("%s%s: %s after %s%s\n", b, ev->address, verb(ev->action, 2), el, n);
    break;
  case RC_EV_FAILED:
    break; /* reported with the final error */
  case RC_EV_PROGRESS:
    printf("%s: %s\n", ev->address, ev->message);
    break;
  }
  fflush(stdout);
}

struct rc_engine *rc_run_open(struct rc_cli *cli, struct rc_run_flags *f, const char *operation,
                              bool skip_config)
{
  event_cli = cli;
  struct rc_engine_opts o = {
      .vars = {.var_files = f->var_files.v, .nvar_files = (size_t)f->var_files.n,
               .vars = f->vars.v, .nvars = (size_t)f->vars.n, .interactive = f->input},
      .operation = operation,
      .lock = f->lock,
      .lock_timeout_s = parse_duration(f->lock_timeout),
      .refresh = f->refresh,
      .skip_config = skip_config,
      .parallelism = f->parallelism ? f->parallelism : 10,
      .cancel = &cancel_flag,
      .event = f->quiet ? NULL : on_event,
      .event_ud = cli,
  };
  struct rc_diags ds = {0};
  struct rc_error err = {0};
  struct rc_engine *e = rc_engine_open(&o, &ds, &err);
  if (e && ds.n) rc_cli_print_diags(cli, &ds); /* warnings */
  if (!e) {
    rc_cli_print_diags(cli, &ds);
    if (err.code) rc_run_print_error(cli, &err);
    if (!err.code && !ds.n) fprintf(stderr, "Error: cannot open the working directory\n");
  }
  rc_diags_free(&ds);
  return e;
}

void rc_run_print_error(struct rc_cli *cli, const struct rc_error *err)
{
  fflush(stdout);
  bool c = cli->color && isatty(2);
  fprintf(stderr, "%sError:%s %s\n", c ? "\033[1;31m" : "", c ? "\033[0m" : "",
          err->msg[0] ? err->msg : rc_status_str(err->code));
  if (!err->aws_code[0]) return;
  /* the AWS details on their own line: code (when the message lacks it),
   * HTTP status and request id, what AWS support asks for */
  fprintf(stderr, "\n  AWS error %s", err->aws_code);
  if (err->http_status) fprintf(stderr, ", HTTP %d", err->http_status);
  if (err->request_id[0]) fprintf(stderr, ", request id %s", err->request_id);
  fputc('\n', stderr);
}

void rc_run_print_value(FILE *out, const struct rc_value *v, int indent)
{
  if (rc_value_is_sensitive(v)) {
    fputs("(sensitive value)", out);
    return;
  }
  if ((rc_value_is_seq(v) || rc_value_is_obj(v)) && rc_value_len(v) > 0) {
    bool obj = rc_value_is_obj(v);
    fputs(obj ? "{\n" : "[\n", out);
    for (size_t i = 0; i < rc_value_len(v); i++) {
      fprintf(out, "%*s", indent + 2, "");
      if (obj) fprintf(out, "\"%s\" = ", rc_value_key(v, i));
      rc_run_print_value(out, rc_value_index(v, i), indent + 2);
      fputs(obj ? "\n" : ",\n", out);
    }
    fprintf(out, "%*s%s", indent, "", obj ? "}" : "]");
    return;
  }
  struct rc_buf b;
  rc_buf_init(&b, 0);
  rc_value_render(v, &b);
  fputs(b.ptr, out);
  rc_buf_free(&b);
}

void rc_run_print_outputs(struct rc_cli *cli, const struct rc_value *outs)
{
  if (!outs || rc_value_len(outs) == 0) return;
  printf("\n%sOutputs:%s\n\n", cli->color ? "\033[1;32m" : "", cli->color ? "\033[0m" : "");
  for (size_t i = 0; i < rc_value_len(outs); i++) {
    printf("%s = ", rc_value_key(outs, i));
    rc_run_print_value(stdout, rc_value_index(outs, i), 0);
    putchar('\n');
  }
}

void rc_run_close(struct rc_engine *e)
{
  const char *lv = getenv("RECON_LOG");
  struct rc_aws_client *aws = e ? rc_engine_aws(e) : NULL;
  if (aws && lv && (strcmp(lv, "debug") == 0 || strcmp(lv, "trace") == 0)) {
    struct rc_value *counts = rc_aws_client_counts(aws);
    long long total = 0;
    for (size_t i = 0; i < rc_value_len(counts); i++)
      if (strcmp(rc_value_key(counts, i), "retries") != 0)
        total += rc_value_int_get(rc_value_index(counts, i));
    fprintf(stderr, "[recon] AWS calls: %lld\n", total);
    for (size_t i = 0; i < rc_value_len(counts); i++)
      fprintf(stderr, "[recon]   %-48s %lld\n", rc_value_key(counts, i),
              (long long)rc_value_int_get(rc_value_index(counts, i)));
    rc_value_decref(counts);
  }
  rc_engine_close(e);
}
