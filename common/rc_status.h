/* rc_status — the one return-code enum, frozen numbers, with its message
 * table generated from the same X-macro list (curl CURLcode + strerror.c).
 * struct rc_error carries the detail; the first error set wins (curl
 * Curl_failf). There is no global last error: each caller owns one. */
#ifndef RC_STATUS_H
#define RC_STATUS_H
#include <stdint.h>

#define RC_STATUS_LIST(X)                                                          \
  X(RC_OK, 0, "ok")                                                                \
  X(RC_ERROR, 1, "error")                                                          \
  X(RC_NOT_FOUND, 2, "not found")                                                  \
  X(RC_THROTTLED, 3, "throttled")                                                  \
  X(RC_DEPENDENCY, 4, "dependency violation")                                      \
  X(RC_SYNTAX, 5, "syntax error")                                                  \
  X(RC_EVAL, 6, "evaluation error")                                                \
  X(RC_TOO_BIG, 7, "too big")                                                      \
  X(RC_CANCELLED, 8, "cancelled")                                                  \
  X(RC_IO, 9, "input/output error")                                                \
  X(RC_AWS, 10, "AWS error")                                                       \
  X(RC_TIMEOUT, 11, "timed out")                                                   \
  X(RC_CONFLICT, 12, "conflict")                                                   \
  X(RC_NETWORK, 13, "network error")                                               \
  X(RC_USAGE, 14, "usage error")                                                   \
  X(RC_UNSUPPORTED, 15, "unsupported")                                             \
  X(RC_LOCKED, 16, "locked")                                                       \
  X(RC_STALE, 17, "stale")

typedef enum {
#define RC__ENUM(name, num, msg) name = num,
  RC_STATUS_LIST(RC__ENUM)
#undef RC__ENUM
} rc_status;

const char *rc_status_str(rc_status st);

/* A byte range in a source file; line/column are computed only when printed. */
struct rc_file;
struct rc_range {
  const struct rc_file *file; /* NULL: no source position */
  uint32_t start, end;        /* byte offsets, end exclusive */
};

struct rc_error {
  rc_status code;       /* RC_OK while unset */
  char msg[1024];       /* one line, never a secret */
  struct rc_range range;
  char aws_code[128];   /* e.g. "InvalidVpcID.NotFound" */
  char request_id[128];
  int http_status;
  int attempts;         /* how many tries an AWS call made */
};

/* Sets err when it holds no error yet (first wins); returns code. err may be NULL. */
rc_status rc_error_set(struct rc_error *err, rc_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void rc_error_clear(struct rc_error *err);

#endif
