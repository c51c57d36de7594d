/* arena — bump allocation for a parsed module's AST, freed at once
 * (libgit2 pool). With RECON_ARENA_MALLOC=1 in the environment each
 * allocation is its own malloc, linked in a list, so ASan and valgrind see
 * every one. Literal values handed over with rc_arena_own_value are decref'd
 * when the arena is freed. */
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "rc_alloc.h"

#define ARENA_BLOCK (64u * 1024u)
#define ARENA_ALIGN (alignof(max_align_t))

struct arena_chunk {
  struct arena_chunk *next;
  size_t size, used;
  alignas(max_align_t) unsigned char data[];
};

struct rc_arena {
  struct arena_chunk *chunks;   /* newest first; the head is bumped */
  struct arena_chunk *big;      /* dedicated chunks (large or malloc mode) */
  struct rc_value **values;
  size_t nvalues, capvalues;
  bool malloc_mode;
};

struct rc_arena *rc_arena_new(void)
{
  struct rc_arena *a = rc_calloc(1, sizeof *a);
  const char *m = getenv("RECON_ARENA_MALLOC");
  a->malloc_mode = m && m[0] == '1';
  return a;
}

static struct arena_chunk *chunk_new(size_t size)
{
  struct arena_chunk *c = rc_malloc(sizeof *c + size);
  c->next = NULL;
  c->size = size;
  c->used = 0;
  return c;
}

void *rc_arena_alloc(struct rc_arena *a, size_t n)
{
  if (n == 0) n = 1;
  size_t rounded = (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
  if (rounded < n) abort(); /* overflow: n near SIZE_MAX is a programming error */
  if (a->malloc_mode || rounded > ARENA_BLOCK / 4) {
    struct arena_chunk *c = chunk_new(rounded);
    c->next = a->big;
    a->big = c;
    memset(c->data, 0, rounded);
    return c->data;
  }
  struct arena_chunk *c = a->chunks;
  if (!c || c->size - c->used < rounded) {
    c = chunk_new(ARENA_BLOCK);
    c->next = a->chunks;
    a->chunks = c;
  }
  void *p = c->data + c->used;
  c->used += rounded;
  memset(p, 0, rounded);
  return p;
}

char *rc_arena_strndup(struct rc_arena *a, const char *s, size_t n)
{
  char *p = rc_arena_alloc(a, n + 1);
  if (n) memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

void rc_arena_own_value(struct rc_arena *a, struct rc_value *steal)
{
  if (!steal) return;
  if (a->nvalues == a->capvalues) {
    a->capvalues = a->capvalues ? a->capvalues * 2 : 64;
    a->values = rc_realloc(a->values, a->capvalues * sizeof *a->values);
  }
  a->values[a->nvalues++] = steal;
}

static void chunks_free(struct arena_chunk *c)
{
  while (c) {
    struct arena_chunk *next = c->next;
    rc_free(c);
    c = next;
  }
}

void rc_arena_free(struct rc_arena *a)
{
  if (!a) return;
  for (size_t i = 0; i < a->nvalues; i++) rc_value_decref(a->values[i]);
  rc_free(a->values);
  chunks_free(a->chunks);
  chunks_free(a->big);
  rc_free(a);
}
