#include "rc_alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
  fprintf(stderr, "recon: out of memory allocating %zu bytes\n", n);
  abort();
}

void *rc_malloc(size_t n)
{
  void *p = malloc(n ? n : 1);
  if (!p) oom(n);
  return p;
}

void *rc_calloc(size_t count, size_t n)
{
  void *p = calloc(count ? count : 1, n ? n : 1);
  if (!p) oom(count * n);
  return p;
}

void *rc_realloc(void *p, size_t n)
{
  void *q = realloc(p, n ? n : 1);
  if (!q) oom(n);
  return q;
}

char *rc_strdup(const char *s)
{
  return s ? rc_strndup(s, strlen(s)) : NULL;
}

char *rc_strndup(const char *s, size_t n)
{
  char *p = rc_malloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *rc_asprintf(const char *fmt, ...)
{
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  char *p = rc_malloc((size_t)n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, ap2);
  va_end(ap2);
  return p;
}

void rc_free(void *p)
{
  free(p);
}
