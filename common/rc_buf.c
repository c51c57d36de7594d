#include "rc_buf.h"

#include <stdio.h>
#include <string.h>

#include "rc_alloc.h"
#include "rc_limits.h"

void rc_buf_init(struct rc_buf *b, size_t max)
{
  b->cap = 64;
  b->ptr = rc_malloc(b->cap);
  b->ptr[0] = '\0';
  b->len = 0;
  b->max = max ? max : RC_LIMIT_BUF_DEFAULT;
}

static rc_status grow(struct rc_buf *b, size_t extra)
{
  if (!b->ptr) rc_buf_init(b, b->max);
  if (extra > b->max || b->len + extra > b->max) return RC_TOO_BIG;
  size_t need = b->len + extra + 1;
  if (need <= b->cap) return RC_OK;
  size_t cap = b->cap;
  while (cap < need) cap *= 2;
  b->ptr = rc_realloc(b->ptr, cap);
  b->cap = cap;
  return RC_OK;
}

rc_status rc_buf_append(struct rc_buf *b, const void *data, size_t n)
{
  rc_status st = grow(b, n);
  if (st) return st;
  if (n) memcpy(b->ptr + b->len, data, n);
  b->len += n;
  b->ptr[b->len] = '\0';
  return RC_OK;
}

rc_status rc_buf_puts(struct rc_buf *b, const char *s)
{
  return rc_buf_append(b, s, strlen(s));
}

rc_status rc_buf_putc(struct rc_buf *b, char c)
{
  return rc_buf_append(b, &c, 1);
}

rc_status rc_buf_vprintf(struct rc_buf *b, const char *fmt, va_list ap)
{
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0) return RC_ERROR;
  rc_status st = grow(b, (size_t)n);
  if (st) return st;
  vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return RC_OK;
}

rc_status rc_buf_printf(struct rc_buf *b, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  rc_status st = rc_buf_vprintf(b, fmt, ap);
  va_end(ap);
  return st;
}

void rc_buf_reset(struct rc_buf *b)
{
  if (!b->ptr) rc_buf_init(b, b->max);
  b->len = 0;
  b->ptr[0] = '\0';
}

char *rc_buf_detach(struct rc_buf *b)
{
  if (!b->ptr) rc_buf_init(b, b->max);
  char *p = b->ptr;
  b->ptr = NULL; /* the next append re-initialises; nothing left to free */
  b->len = b->cap = 0;
  return p;
}

void rc_buf_free(struct rc_buf *b)
{
  rc_free(b->ptr);
  b->ptr = NULL;
  b->len = b->cap = 0;
}
