/* simproc — start and stop a recon-sim for a C integration test: picks a
 * free loopback port (recon-sim -listen 127.0.0.1:0), reads its URL from
 * its first stdout line, sets AWS_ENDPOINT_URL, dummy credentials and
 * AWS_REGION so an rc_aws_client talks to it. */
#ifndef RC_SIMPROC_H
#define RC_SIMPROC_H
#include <sys/types.h>

struct simproc {
  pid_t pid;
  char url[128]; /* http://127.0.0.1:PORT */
};

/* extra: further recon-sim flags (NULL-terminated) or NULL. 0 ok, -1 failed. */
int simproc_start(struct simproc *s, const char *const *extra);
void simproc_stop(struct simproc *s);
/* GET url+path into a malloc'd string (caller frees), or NULL. */
char *simproc_get(const struct simproc *s, const char *path);

#endif
