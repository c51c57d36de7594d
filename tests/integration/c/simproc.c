#include "simproc.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int simproc_start(struct simproc *s, const char *const *extra)
{
  memset(s, 0, sizeof *s);
  const char *bin = getenv("RECON_SIM");
  if (!bin) bin = "build/recon-sim";
  int fds[2];
  if (pipe(fds)) return -1;
  const char *argv[32] = {bin, "-listen", "127.0.0.1:0"};
  int n = 3;
  for (int i = 0; extra && extra[i] && n < 31; i++) argv[n++] = extra[i];
  argv[n] = NULL;
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    execv(bin, (char *const *)argv);
    _exit(127);
  }
  close(fds[1]);
  FILE *f = fdopen(fds[0], "r");
  char line[256] = "";
  if (!f || !fgets(line, sizeof line, f)) {
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    if (f) fclose(f);
    return -1;
  }
  /* keep the pipe open in the background: closing it could SIGPIPE the sim */
  char *u = strstr(line, "http://");
  if (!u) {
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
  }
  u[strcspn(u, "\r\n")] = '\0';
  snprintf(s->url, sizeof s->url, "%s", u);
  s->pid = pid;
  setenv("AWS_ENDPOINT_URL", s->url, 1);
  setenv("AWS_ACCESS_KEY_ID", "test", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "testsecret", 1);
  setenv("AWS_REGION", "us-east-1", 1);
  setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
  unsetenv("AWS_PROFILE");
  return 0;
}

void simproc_stop(struct simproc *s)
{
  if (s->pid > 0) {
    kill(s->pid, SIGTERM);
    waitpid(s->pid, NULL, 0);
    s->pid = 0;
  }
}

char *simproc_get(const struct simproc *s, const char *path)
{
  char cmd[512];
  snprintf(cmd, sizeof cmd, "curl -s '%s%s'", s->url, path);
  FILE *p = popen(cmd, "r");
  if (!p) return NULL;
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  size_t got;
  while ((got = fread(buf + len, 1, cap - len - 1, p)) > 0) {
    len += got;
    if (cap - len < 2) buf = realloc(buf, cap *= 2);
  }
  buf[len] = '\0';
  pclose(p);
  return buf;
}
