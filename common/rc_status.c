#include "rc_status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *rc_status_str(rc_status st)
{
  switch (st) {
#define RC__CASE(name, num, msg)                                                   \
  case name:                                                                       \
    return msg;
    RC_STATUS_LIST(RC__CASE)
#undef RC__CASE
  }
  return "unknown status";
}

rc_status rc_error_set(struct rc_error *err, rc_status code, const char *fmt, ...)
{
  if (!err || err->code != RC_OK) return code;
  err->code = code;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  va_end(ap);
  return code;
}

void rc_error_clear(struct rc_error *err)
{
  if (err) memset(err, 0, sizeof *err);
}
