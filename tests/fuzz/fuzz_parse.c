/* fuzz_parse — libFuzzer target for the HCL front end: the input is parsed
 * as native syntax (file and single expression) and as JSON syntax; the
 * references of every attribute are enumerated and the diagnostics printed
 * (to /dev/null) so every range is exercised. When the input parses cleanly,
 * the formatter must succeed, its output must parse, and formatting must be
 * idempotent. Everything is freed (leaks are findings). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "fmt.h"
#include "rc_buf.h"

static FILE *devnull;

static void on_ref(void *ud, const char *const *parts, size_t n, const struct rc_range *r)
{
  size_t *count = ud;
  for (size_t i = 0; i < n; i++) *count += strlen(parts[i]);
  *count += r->end - r->start;
}

static void walk_body(const struct rc_body *b, size_t *count)
{
  for (size_t i = 0; i < b->nattrs; i++) rc_expr_refs(b->attrs[i].expr, on_ref, count);
  for (size_t i = 0; i < b->nblocks; i++) walk_body(&b->blocks[i].body, count);
}

static void check_fmt(const struct rc_file *f)
{
  struct rc_fileset fs = {0};
  struct rc_diags ds = {0};
  struct rc_buf one, two;
  rc_buf_init(&one, 0);
  rc_buf_init(&two, 0);
  if (rc_fmt_source(f, &one, &ds) != RC_OK) abort(); /* it parsed before */
  const struct rc_file *g = rc_fileset_add(&fs, "fmt.tf", one.ptr, one.len);
  if (rc_fmt_source(g, &two, &ds) != RC_OK) abort(); /* formatted text must parse */
  if (one.len != two.len || memcmp(one.ptr, two.ptr, one.len) != 0) abort(); /* idempotent */
  rc_buf_free(&one);
  rc_buf_free(&two);
  rc_diags_free(&ds);
  rc_fileset_free(&fs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size > (1u << 20)) return 0;
  if (!devnull) devnull = fopen("/dev/null", "w");
  struct rc_fileset fs = {0};
  struct rc_diags ds = {0};
  struct rc_arena *a = rc_arena_new();
  size_t count = 0;

  const struct rc_file *f = rc_fileset_add(&fs, "fuzz.tf", (const char *)data, size);
  struct rc_body *b = rc_parse_file(f, a, &ds);
  if (b) walk_body(b, &count);
  bool clean = !rc_diags_has_errors(&ds);
  struct rc_expr *e = rc_parse_expr(f, a, &ds);
  if (e) rc_expr_refs(e, on_ref, &count);
  const struct rc_file *j = rc_fileset_add(&fs, "fuzz.tf.json", (const char *)data, size);
  b = rc_parse_json_file(j, a, &ds);
  if (b) walk_body(b, &count);
  if (devnull) rc_diags_print(&ds, devnull, false);
  if (clean) check_fmt(f);

  rc_diags_free(&ds);
  rc_arena_free(a);
  rc_fileset_free(&fs);
  return 0;
}
