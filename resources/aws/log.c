/* Debug log of the AWS client: RECON_LOG=debug prints each request and retry,
 * trace adds the URL and sizes. Never credentials, tokens, signatures or the
 * Authorization header: callers pass only service, operation, status, timing
 * and request ids. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws_int.h"

static int level = -1;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void read_level(void)
{
  const char *v = getenv("RECON_LOG");
  level = RC_AWS_LOG_OFF;
  if (!v) return;
  if (strcasecmp(v, "trace") == 0) level = RC_AWS_LOG_TRACE;
  else if (strcasecmp(v, "debug") == 0) level = RC_AWS_LOG_DEBUG;
}

int rc_aws__log_level(void)
{
  pthread_once(&once, read_level);
  return level;
}

void rc_aws__log(int lvl, const char *fmt, ...)
{
  if (rc_aws__log_level() < lvl) return;
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  pthread_mutex_lock(&mu);
  fprintf(stderr, "[%s] aws: %s\n", lvl >= RC_AWS_LOG_TRACE ? "TRACE" : "DEBUG", line);
  pthread_mutex_unlock(&mu);
}
