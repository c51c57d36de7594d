#include "rc_diag.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "rc_alloc.h"
#include "rc_limits.h"

const struct rc_file *rc_fileset_add(struct rc_fileset *fs, const char *name,
                                     const char *text, size_t len)
{
  struct rc_file *f = rc_calloc(1, sizeof *f);
  f->name = rc_strdup(name);
  f->text = rc_strndup(text, len);
  f->len = len;
  if (fs->n == fs->cap) {
    fs->cap = fs->cap ? fs->cap * 2 : 8;
    fs->files = rc_realloc(fs->files, fs->cap * sizeof *fs->files);
  }
  fs->files[fs->n++] = f;
  return f;
}

rc_status rc_fileset_read(struct rc_fileset *fs, const char *path,
                          const struct rc_file **out, struct rc_error *err)
{
  FILE *fp = fopen(path, "rb");
  if (!fp) return rc_error_set(err, RC_IO, "cannot read %s: %s", path, strerror(errno));
  char *data = NULL;
  size_t len = 0, cap = 0;
  for (;;) {
    if (len == cap) {
      cap = cap ? cap * 2 : 4096;
      data = rc_realloc(data, cap);
    }
    size_t got = fread(data + len, 1, cap - len, fp);
    len += got;
    if (len > RC_LIMIT_SOURCE_SIZE) {
      fclose(fp);
      rc_free(data);
      return rc_error_set(err, RC_TOO_BIG, "%s is larger than %u bytes", path,
                          RC_LIMIT_SOURCE_SIZE);
    }
    if (got == 0) break;
  }
  int bad = ferror(fp);
  fclose(fp);
  if (bad) {
    rc_free(data);
    return rc_error_set(err, RC_IO, "error reading %s", path);
  }
  *out = rc_fileset_add(fs, path, data ? data : "", len);
  rc_free(data);
  return RC_OK;
}

void rc_fileset_free(struct rc_fileset *fs)
{
  if (!fs) return;
  for (size_t i = 0; i < fs->n; i++) {
    rc_free(fs->files[i]->name);
    rc_free(fs->files[i]->text);
    rc_free(fs->files[i]);
  }
  rc_free(fs->files);
  memset(fs, 0, sizeof *fs);
}

void rc_file_linecol(const struct rc_file *f, uint32_t off, int *line, int *col)
{
  int l = 1;
  size_t bol = 0;
  if (off > f->len) off = (uint32_t)f->len;
  for (size_t i = 0; i < off; i++)
    if (f->text[i] == '\n') {
      l++;
      bol = i + 1;
    }
  *line = l;
  *col = (int)(off - bol) + 1;
}

void rc_diags_add(struct rc_diags *ds, enum rc_severity sev, const struct rc_range *range,
                  const char *summary, const char *detail_fmt, ...)
{
  if (sev == RC_DIAG_ERROR) ds->errors++;
  if (ds->n >= RC_LIMIT_DIAGNOSTICS) return;
  if (ds->n == ds->cap) {
    ds->cap = ds->cap ? ds->cap * 2 : 8;
    ds->items = rc_realloc(ds->items, ds->cap * sizeof *ds->items);
  }
  struct rc_diag *d = &ds->items[ds->n++];
  memset(d, 0, sizeof *d);
  d->severity = sev;
  d->summary = rc_strdup(summary);
  if (range) d->range = *range;
  if (detail_fmt) {
    va_list ap, ap2;
    va_start(ap, detail_fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, detail_fmt, ap);
    va_end(ap);
    d->detail = rc_malloc((size_t)(n < 0 ? 0 : n) + 1);
    vsnprintf(d->detail, (size_t)(n < 0 ? 0 : n) + 1, detail_fmt, ap2);
    va_end(ap2);
  }
}

void rc_diags_set_context(struct rc_diags *ds, size_t from, const char *context)
{
  for (size_t i = from; i < ds->n; i++)
    if (!ds->items[i].context) ds->items[i].context = rc_strdup(context);
}

void rc_diags_add_error(struct rc_diags *ds, const struct rc_error *err)
{
  const char *msg = err->msg[0] ? err->msg : rc_status_str(err->code);
  rc_diags_add(ds, RC_DIAG_ERROR, err->range.file ? &err->range : NULL, msg, NULL);
}

bool rc_diags_has_errors(const struct rc_diags *ds)
{
  return ds->errors > 0;
}

static void print_source(const struct rc_diag *d, FILE *out, bool color)
{
  const struct rc_file *f = d->range.file;
  int line, col, eline, ecol;
  rc_file_linecol(f, d->range.start, &line, &col);
  uint32_t end = d->range.end > d->range.start ? d->range.end : d->range.start + 1;
  rc_file_linecol(f, end, &eline, &ecol);
  if (d->context)
    fprintf(out, "  on %s line %d, in %s:\n", f->name, line, d->context);
  else
    fprintf(out, "  on %s line %d:\n", f->name, line);
  size_t bol = d->range.start > f->len ? f->len : d->range.start;
  while (bol > 0 && f->text[bol - 1] != '\n') bol--;
  size_t eol = bol;
  while (eol < f->len && f->text[eol] != '\n') eol++;
  size_t show = eol - bol;
  const size_t maxshow = 200; /* a 1 MB one-line file must not flood the terminal */
  size_t from = 0;
  if ((size_t)col - 1 > maxshow / 2 && show > maxshow) from = (size_t)col - 1 - maxshow / 2;
  if (from + maxshow < show) show = from + maxshow;
  char prefix[32];
  int plen = snprintf(prefix, sizeof prefix, "  %4d: ", line);
  fputs(prefix, out);
  for (size_t i = from; i < show; i++) {
    unsigned char c = (unsigned char)f->text[bol + i];
    fputc(c == '\t' ? ' ' : (c < 0x20 ? '?' : c), out);
  }
  fputc('\n', out);
  for (int i = 0; i < plen; i++) fputc(' ', out);
  size_t ustart = (size_t)col - 1 - from;
  size_t ulen = (eline == line && ecol > col) ? (size_t)(ecol - col) : 1;
  if (ustart + ulen > show - from + 1) ulen = show - from + 1 > ustart ? show - from + 1 - ustart : 1;
  for (size_t i = 0; i < ustart; i++) fputc(' ', out);
  if (color) fputs("\033[1;31m", out);
  for (size_t i = 0; i < ulen; i++) fputc('^', out);
  if (color) fputs("\033[0m", out);
  fputs("\n\n", out);
}

void rc_diags_print(const struct rc_diags *ds, FILE *out, bool color)
{
  for (size_t i = 0; i < ds->n; i++) {
    const struct rc_diag *d = &ds->items[i];
    bool err = d->severity == RC_DIAG_ERROR;
    if (color) fputs(err ? "\033[1;31m" : "\033[1;33m", out);
    fputs(err ? "Error: " : "Warning: ", out);
    if (color) fputs("\033[0m\033[1m", out);
    fputs(d->summary, out);
    if (color) fputs("\033[0m", out);
    fputs("\n\n", out);
    if (d->range.file) print_source(d, out, color);
    if (d->detail && d->detail[0]) fprintf(out, "%s\n\n", d->detail);
  }
  if (ds->errors > ds->n)
    fprintf(out, "(%zu more errors not shown)\n", ds->errors - ds->n);
}

void rc_diags_free(struct rc_diags *ds)
{
  if (!ds) return;
  for (size_t i = 0; i < ds->n; i++) {
    rc_free(ds->items[i].summary);
    rc_free(ds->items[i].detail);
    rc_free(ds->items[i].context);
  }
  rc_free(ds->items);
  memset(ds, 0, sizeof *ds);
}
