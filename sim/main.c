/* main.c — the recon-sim command line: flags (the core's, then each
 * service's own table), state file, the server, and a clean stop on
 * SIGTERM/SIGINT. The only file of sim/ that prints or exits. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/rc_alloc.h"
#include "sim.h"
#include "sim_server.h"

static void usage(FILE *f)
{
  fprintf(f,
          "usage: recon-sim -listen 127.0.0.1:PORT [options]\n"
          "  -listen HOST:PORT          loopback address; port 0 picks a free port\n"
          "  -seed N                    makes ids and misbehaviour deterministic\n"
          "  -latency-ms N[:JITTER]     delay every call\n"
          "  -throttle-rate P           answer a fraction P of calls with throttling\n"
          "  -error-rate P              answer a fraction P of calls with 500/503\n"
          "  -drop-rate P               close the connection without an answer\n"
          "  -consistency-delay-ms N    new resources invisible to reads for N ms\n"
          "  -verify-signature AK:SECRET  check SigV4 signatures with this key\n"
          "  -state FILE                load at start, save on exit\n");
  for (size_t i = 0; rc_sim_services[i]; i++) {
    const struct rc_sim_flag *fl = rc_sim_services[i]->flags;
    for (; fl && fl->name; fl++) fprintf(f, "  -%-25s %s\n", fl->name, fl->help);
  }
}

static int parse_long(const char *s, long *out)
{
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end) return -1;
  *out = v;
  return 0;
}

static int parse_rate(const char *s, double *out)
{
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || end == s || *end || v < 0 || v > 1) return -1;
  *out = v;
  return 0;
}

static int service_flag(const char *name, const char *val)
{
  for (size_t i = 0; rc_sim_services[i]; i++) {
    const struct rc_sim_flag *fl = rc_sim_services[i]->flags;
    for (; fl && fl->name; fl++) {
      if (strcmp(fl->name, name) != 0) continue;
      long l;
      double d;
      char *end;
      switch (fl->kind) {
      case RC_SIM_FLAG_INT:
        if (parse_long(val, &l) != 0 || l < 0) return -1;
        *(int *)fl->ptr = (int)l;
        return 0;
      case RC_SIM_FLAG_DOUBLE:
        errno = 0;
        d = strtod(val, &end);
        if (errno || end == val || *end) return -1;
        *(double *)fl->ptr = d;
        return 0;
      case RC_SIM_FLAG_STRING:
        *(char **)fl->ptr = rc_strdup(val);
        return 0;
      }
    }
  }
  return 1; /* unknown */
}

int main(int argc, char **argv)
{
  const char *listen = NULL, *state = NULL;
  long seed = 1;
  struct rc_sim_config *cf = &rc_sim_config;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] != '-') {
      fprintf(stderr, "recon-sim: unexpected argument %s\n", a);
      return 2;
    }
    a += a[1] == '-' ? 2 : 1;
    if (strcmp(a, "help") == 0 || strcmp(a, "h") == 0) {
      usage(stdout);
      return 0;
    }
    char name[64];
    const char *val;
    const char *eq = strchr(a, '=');
    if (eq) {
      snprintf(name, sizeof name, "%.*s", (int)(eq - a), a);
      val = eq + 1;
    } else {
      snprintf(name, sizeof name, "%s", a);
      if (i + 1 >= argc) {
        fprintf(stderr, "recon-sim: -%s needs a value\n", name);
        return 2;
      }
      val = argv[++i];
    }
    long l;
    int bad = 0;
    if (strcmp(name, "listen") == 0)
      listen = val;
    else if (strcmp(name, "state") == 0)
      state = val;
    else if (strcmp(name, "seed") == 0)
      bad = parse_long(val, &seed);
    else if (strcmp(name, "latency-ms") == 0) {
      char buf[64];
      snprintf(buf, sizeof buf, "%s", val);
      char *colon = strchr(buf, ':');
      if (colon) {
        *colon = '\0';
        bad = parse_long(colon + 1, &l);
        cf->latency_jitter_ms = (int)l;
      }
      if (!bad) bad = parse_long(buf, &l);
      cf->latency_ms = (int)l;
    } else if (strcmp(name, "throttle-rate") == 0)
      bad = parse_rate(val, &cf->throttle_rate);
    else if (strcmp(name, "error-rate") == 0)
      bad = parse_rate(val, &cf->error_rate);
    else if (strcmp(name, "drop-rate") == 0)
      bad = parse_rate(val, &cf->drop_rate);
    else if (strcmp(name, "consistency-delay-ms") == 0) {
      bad = parse_long(val, &l);
      cf->consistency_delay_ms = (int)l;
    } else if (strcmp(name, "verify-signature") == 0) {
      const char *colon = strchr(val, ':');
      if (!colon || colon == val || !colon[1]) {
        bad = 1;
      } else {
        cf->verify_access_key = rc_strndup(val, (size_t)(colon - val));
        cf->verify_secret = rc_strdup(colon + 1);
      }
    } else {
      int r = service_flag(name, val);
      if (r > 0) {
        fprintf(stderr, "recon-sim: unknown flag -%s (see -help)\n", name);
        return 2;
      }
      bad = r;
    }
    if (bad || cf->latency_ms < 0 || cf->latency_jitter_ms < 0 || cf->consistency_delay_ms < 0) {
      fprintf(stderr, "recon-sim: bad value for -%s: %s\n", name, val);
      return 2;
    }
  }
  if (!listen) {
    usage(stderr);
    return 2;
  }
  const char *colon = strrchr(listen, ':');
  long port;
  if (!colon || parse_long(colon + 1, &port) != 0 || port < 0 || port > 65535) {
    fprintf(stderr, "recon-sim: -listen wants HOST:PORT, got %s\n", listen);
    return 2;
  }
  char host[64];
  snprintf(host, sizeof host, "%.*s", (int)(colon - listen), listen);

  rc_sim_init((uint64_t)seed);
  if (state) {
    rc_status st = rc_sim_state_load(state);
    if (st != RC_OK) {
      fprintf(stderr, "recon-sim: cannot load state %s: %s\n", state, rc_status_str(st));
      return 1;
    }
  }
  /* block the stop signals in every thread; main waits for them below */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);

  struct rc_sim_server *srv;
  int bound;
  rc_status st = rc_sim_server_start(host, (int)port, &srv, &bound);
  if (st == RC_USAGE) {
    fprintf(stderr, "recon-sim: refusing to listen on %s: loopback addresses only\n", host);
    return 2;
  }
  if (st != RC_OK) {
    fprintf(stderr, "recon-sim: cannot listen on %s\n", listen);
    return 1;
  }
  printf("recon-sim listening on http://127.0.0.1:%d\n", bound);
  fflush(stdout);
  int sig = 0;
  sigwait(&set, &sig);
  rc_sim_server_stop(srv);
  int rc = 0;
  if (state && rc_sim_state_save(state) != RC_OK) {
    fprintf(stderr, "recon-sim: cannot save state to %s\n", state);
    rc = 1;
  }
  return rc;
}
