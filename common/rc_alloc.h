/* rc_alloc — allocation wrappers that abort on out-of-memory (jq jv_alloc.c,
 * Redis zmalloc.h), so call sites need no NULL checks. rc_free accepts NULL. */
#ifndef RC_ALLOC_H
#define RC_ALLOC_H
#include <stddef.h>

void *rc_malloc(size_t n);
void *rc_calloc(size_t count, size_t n);
void *rc_realloc(void *p, size_t n);
char *rc_strdup(const char *s);          /* NULL in, NULL out */
char *rc_strndup(const char *s, size_t n);
char *rc_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void rc_free(void *p);

#endif
