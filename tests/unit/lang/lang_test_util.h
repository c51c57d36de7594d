/* Helpers shared by the lang unit tests: parse a source string into a fresh
 * fileset/arena/diags triple and inspect diagnostics by line:column. */
#ifndef LANG_TEST_UTIL_H
#define LANG_TEST_UTIL_H
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "rc_buf.h"

struct lt {
  struct rc_fileset fs;
  struct rc_arena *a;
  struct rc_diags ds;
  const struct rc_file *f;
};

static int lt_setup(void **state)
{
  struct lt *t = calloc(1, sizeof *t);
  t->a = rc_arena_new();
  *state = t;
  return 0;
}

static int lt_teardown(void **state)
{
  struct lt *t = *state;
  rc_diags_free(&t->ds);
  rc_arena_free(t->a);
  rc_fileset_free(&t->fs);
  free(t);
  return 0;
}

static inline struct rc_body *lt_parse(struct lt *t, const char *src)
{
  t->f = rc_fileset_add(&t->fs, "test.tf", src, strlen(src));
  return rc_parse_file(t->f, t->a, &t->ds);
}

/* Parses `x = SRC` and returns the expression, asserting there were no errors. */
static inline struct rc_expr *lt_expr(struct lt *t, const char *src)
{
  struct rc_buf b;
  rc_buf_init(&b, 0);
  rc_buf_printf(&b, "x = %s\n", src);
  struct rc_body *body = lt_parse(t, b.ptr);
  rc_buf_free(&b);
  if (t->ds.errors) rc_diags_print(&t->ds, stderr, false);
  assert_int_equal(t->ds.errors, 0);
  assert_int_equal(body->nattrs, 1);
  return body->attrs[0].expr;
}

/* Asserts diagnostic i has this summary at line:col (1-based, bytes). */
static inline void lt_diag(struct lt *t, size_t i, const char *summary, int line, int col)
{
  if (i >= t->ds.n) rc_diags_print(&t->ds, stderr, false);
  assert_true(i < t->ds.n);
  assert_string_equal(t->ds.items[i].summary, summary);
  int l, c;
  rc_file_linecol(t->ds.items[i].range.file, t->ds.items[i].range.start, &l, &c);
  if (l != line || c != col) {
    fprintf(stderr, "diag %zu '%s' at %d:%d, want %d:%d\n", i, summary, l, c, line, col);
    rc_diags_print(&t->ds, stderr, false);
  }
  assert_int_equal(l, line);
  assert_int_equal(c, col);
}

/* The source text of a range. */
static inline char *lt_text(struct lt *t, struct rc_range r)
{
  return rc_arena_strndup(t->a, t->f->text + r.start, r.end - r.start);
}

static inline const char *lt_str(const struct rc_expr *e)
{
  assert_int_equal(e->kind, RC_E_LITERAL);
  assert_int_equal(rc_value_kind(e->u.literal), RC_STRING);
  return rc_value_str(e->u.literal);
}

static inline int64_t lt_int(const struct rc_expr *e)
{
  assert_int_equal(e->kind, RC_E_LITERAL);
  assert_true(rc_value_is_int(e->u.literal));
  return rc_value_int_get(e->u.literal);
}

#endif
