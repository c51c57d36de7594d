/* rc_buf — one growable byte buffer with a hard cap (curl dynbuf, git strbuf).
 * Invariants: after rc_buf_init, ptr is never NULL and ptr[len] == '\0'
 * (until rc_buf_detach or rc_buf_free, after which appends re-initialise).
 * Appends that would pass max fail with RC_TOO_BIG and leave the buffer as it
 * was. The buffer owns ptr; rc_buf_detach hands it to the caller. */
#ifndef RC_BUF_H
#define RC_BUF_H
#include <stdarg.h>
#include <stddef.h>
#include "rc_status.h"

struct rc_buf {
  char *ptr;
  size_t len;
  size_t cap;
  size_t max; /* hard cap on len; 0 means RC_LIMIT_BUF_DEFAULT */
};

void rc_buf_init(struct rc_buf *b, size_t max);
rc_status rc_buf_append(struct rc_buf *b, const void *data, size_t n);
rc_status rc_buf_puts(struct rc_buf *b, const char *s);
rc_status rc_buf_putc(struct rc_buf *b, char c);
rc_status rc_buf_printf(struct rc_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
rc_status rc_buf_vprintf(struct rc_buf *b, const char *fmt, va_list ap);
void rc_buf_reset(struct rc_buf *b);       /* len = 0, keeps memory */
char *rc_buf_detach(struct rc_buf *b);     /* caller owns result; buffer left empty
                                              (ptr NULL until the next append) */
void rc_buf_free(struct rc_buf *b);        /* safe on a zeroed struct */

#endif
