/* recon fmt — rewrite configuration files in the canonical style, as
 * `terraform fmt`: .tf, .tfvars and .tftest.hcl files of the given
 * directories (default: the current one; -recursive walks subdirectories)
 * or the given files; "-" formats stdin to stdout. Lists the files it
 * changes; -check writes nothing and exits 1 when a file would change;
 * -diff prints a unified diff (diff -u). Exit 2 on syntax errors. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "fmt.h"
#include "rc_alloc.h"
#include "rc_diag.h"

struct fmt_run {
  struct rc_cli *cli;
  bool check, diff, recursive, list, write;
  int changed, errors;
};

static const char usage[] =
    "Usage: recon fmt [options] [DIR|FILE ...]\n\n"
    "  Rewrites configuration files (.tf, .tfvars, .tftest.hcl) to the canonical\n"
    "  format and style. With no arguments, the current directory. \"-\" reads\n"
    "  stdin and writes the result to stdout.\n";

static bool fmt_ext(const char *name)
{
  static const char *const exts[] = {".tf", ".tfvars", ".tftest.hcl"};
  size_t n = strlen(name);
  for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
    size_t m = strlen(exts[i]);
    if (n > m && strcmp(name + n - m, exts[i]) == 0) return true;
  }
  return false;
}

static int write_file(const char *path, const char *data, size_t len)
{
  char *tmp = rc_asprintf("%s.recon-fmt.%ld", path, (long)getpid());
  struct stat st;
  bool have_mode = stat(path, &st) == 0;
  FILE *fp = fopen(tmp, "wb");
  int rc = -1;
  if (fp) {
    bool ok = fwrite(data, 1, len, fp) == len;
    ok = fclose(fp) == 0 && ok;
    if (ok && have_mode) chmod(tmp, st.st_mode & 07777);
    if (ok && rename(tmp, path) == 0) rc = 0;
  }
  if (rc) {
    fprintf(stderr, "Error: cannot write %s: %s\n", path, strerror(errno));
    unlink(tmp);
  }
  rc_free(tmp);
  return rc;
}

/* Runs diff -u on the old and new text, labelled old/PATH and new/PATH. */
static void show_diff(const char *path, const char *old, size_t oldlen, const char *neu,
                      size_t newlen)
{
  char a[] = "/tmp/recon-fmt-a.XXXXXX", b[] = "/tmp/recon-fmt-b.XXXXXX";
  int fa = mkstemp(a), fb = mkstemp(b);
  if (fa < 0 || fb < 0) {
    if (fa >= 0) close(fa), unlink(a);
    if (fb >= 0) close(fb), unlink(b);
    fprintf(stderr, "Error: cannot create a temporary file for -diff\n");
    return;
  }
  bool ok = write(fa, old, oldlen) == (ssize_t)oldlen && write(fb, neu, newlen) == (ssize_t)newlen;
  close(fa);
  close(fb);
  if (ok) {
    char *la = rc_asprintf("old/%s", path), *lb = rc_asprintf("new/%s", path);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      execlp("diff", "diff", "-u", "--label", la, "--label", lb, a, b, (char *)NULL);
      _exit(127);
    }
    if (pid > 0) {
      int status;
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    }
    rc_free(la);
    rc_free(lb);
  }
  unlink(a);
  unlink(b);
}

static void format_one(struct fmt_run *r, const char *path, const char *text, size_t len,
                       bool to_stdout)
{
  struct rc_fileset fs = {0};
  struct rc_diags ds = {0};
  struct rc_buf out;
  rc_buf_init(&out, 0);
  const struct rc_file *f = rc_fileset_add(&fs, path, text, len);
  if (rc_fmt_source(f, &out, &ds) != RC_OK) {
    rc_cli_print_diags(r->cli, &ds);
    r->errors++;
    goto out;
  }
  if (to_stdout) {
    if (!r->check) fwrite(out.ptr, 1, out.len, stdout);
    if (out.len != len || memcmp(out.ptr, text, len) != 0) r->changed++;
    goto out;
  }
  if (out.len == len && memcmp(out.ptr, text, len) == 0) goto out;
  r->changed++;
  if (r->list) printf("%s\n", path);
  if (r->diff) show_diff(path, text, len, out.ptr, out.len);
  if (r->write && !r->check && write_file(path, out.ptr, out.len)) r->errors++;
out:
  rc_buf_free(&out);
  rc_diags_free(&ds);
  rc_fileset_free(&fs);
}

static void format_path(struct fmt_run *r, const char *path)
{
  struct rc_fileset fs = {0};
  const struct rc_file *f;
  struct rc_error err = {0};
  if (rc_fileset_read(&fs, path, &f, &err) != RC_OK) {
    fprintf(stderr, "Error: %s\n", err.msg);
    r->errors++;
  } else {
    format_one(r, path, f->text, f->len, false);
  }
  rc_fileset_free(&fs);
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void format_dir(struct fmt_run *r, const char *dir, bool top)
{
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "Error: cannot read directory %s: %s\n", dir, strerror(errno));
    r->errors++;
    return;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue; /* ., .., .terraform, hidden files */
    if (n == cap) names = rc_realloc(names, (cap = cap ? cap * 2 : 16) * sizeof *names);
    names[n++] = rc_strdup(e->d_name);
  }
  closedir(d);
  if (n) qsort(names, n, sizeof *names, cmp_str);
  for (size_t i = 0; i < n; i++) {
    char *p = strcmp(dir, ".") == 0 && top ? rc_strdup(names[i])
                                            : rc_asprintf("%s/%s", dir, names[i]);
    struct stat st;
    if (stat(p, &st) == 0) {
      if (S_ISDIR(st.st_mode)) {
        if (r->recursive) format_dir(r, p, false);
      } else if (S_ISREG(st.st_mode) && fmt_ext(names[i])) {
        format_path(r, p);
      }
    }
    rc_free(p);
    rc_free(names[i]);
  }
  rc_free(names);
}

static void format_stdin(struct fmt_run *r)
{
  struct rc_buf in;
  rc_buf_init(&in, 0);
  char chunk[65536];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
    if (rc_buf_append(&in, chunk, got) != RC_OK) {
      fprintf(stderr, "Error: stdin is too large\n");
      r->errors++;
      rc_buf_free(&in);
      return;
    }
  }
  format_one(r, "<stdin>", in.ptr, in.len, true);
  rc_buf_free(&in);
}

int cmd_fmt(struct rc_cli *cli, int argc, char **argv)
{
  struct fmt_run r = {.cli = cli, .list = true, .write = true};
  bool help = false;
  const struct rc_opt opts[] = {
      {"check", RC_OPT_BOOL, &r.check, "Check whether files are formatted; write nothing, exit 1 if not"},
      {"diff", RC_OPT_BOOL, &r.diff, "Print the differences"},
      {"recursive", RC_OPT_BOOL, &r.recursive, "Also process subdirectories"},
      {"list", RC_OPT_BOOL, &r.list, "List the files whose formatting differs (default true)"},
      {"write", RC_OPT_BOOL, &r.write, "Write the result to the files (default true)"},
      {NULL, 0, NULL, NULL}};
  int npos = 0;
  if (rc_cli_parse("fmt", opts, argc, argv, &npos, &help)) return 1;
  if (help) {
    rc_cli_usage(stdout, usage, opts);
    return 0;
  }
  if (npos == 0) format_dir(&r, ".", true);
  for (int i = 0; i < npos; i++) {
    struct stat st;
    if (strcmp(argv[i], "-") == 0) format_stdin(&r);
    else if (stat(argv[i], &st) != 0) {
      fprintf(stderr, "Error: no file or directory at %s\n", argv[i]);
      r.errors++;
    } else if (S_ISDIR(st.st_mode)) format_dir(&r, argv[i], true);
    else format_path(&r, argv[i]);
  }
  if (r.errors) return 2;
  return r.check && r.changed ? 1 : 0;
}
