/* lock.c — lock info (who holds a state, since when, doing what), the
 * messages that name a holder, and the backend dispatch wrappers. */
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rc_alloc.h"
#include "state.h"
#include "state_int.h"

static void hostname(char *out, size_t n)
{
  if (gethostname(out, n) != 0) snprintf(out, n, "localhost");
  out[n - 1] = '\0';
}

void rc_state__lock_info_init(struct rc_state_lock_info *info, const char *operation,
                              const char *path)
{
  memset(info, 0, sizeof *info);
  rc_state__uuid(info->id);
  snprintf(info->operation, sizeof info->operation, "%s", operation ? operation : "");
  hostname(info->host, sizeof info->host);
  const char *user = getenv("USER");
  struct passwd pw, *res = NULL;
  char pwbuf[1024];
  if ((!user || !user[0]) && getpwuid_r(geteuid(), &pw, pwbuf, sizeof pwbuf, &res) == 0 && res)
    user = res->pw_name;
  snprintf(info->who, sizeof info->who, "%.100s@%.150s", user && user[0] ? user : "unknown",
           info->host);
  snprintf(info->version, sizeof info->version, "%s", RECON_VERSION);
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(info->created, sizeof info->created, "%Y-%m-%dT%H:%M:%SZ", &tm);
  snprintf(info->path, sizeof info->path, "%s", path ? path : "");
  info->pid = (long)getpid();
}

char *rc_state__lock_info_json(const struct rc_state_lock_info *info)
{
  json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s}", "ID", info->id, "Operation",
                        info->operation, "Who", info->who, "Version", info->version, "Created",
                        info->created, "Path", info->path, "PID", (json_int_t)info->pid,
                        "Host", info->host);
  char *s = o ? json_dumps(o, JSON_SORT_KEYS) : NULL;
  json_decref(o);
  char *r = rc_strdup(s ? s : "{}");
  free(s);
  return r;
}

static void copy_member(const json_t *o, const char *key, char *dst, size_t n)
{
  const char *s = json_string_value(json_object_get(o, key));
  snprintf(dst, n, "%s", s ? s : "");
}

bool rc_state__lock_info_parse(const char *text, size_t len, struct rc_state_lock_info *info)
{
  memset(info, 0, sizeof *info);
  json_t *o = json_loadb(text, len, 0, NULL);
  if (!o || !json_is_object(o) || !json_is_string(json_object_get(o, "ID"))) {
    json_decref(o);
    return false;
  }
  copy_member(o, "ID", info->id, sizeof info->id);
  copy_member(o, "Operation", info->operation, sizeof info->operation);
  copy_member(o, "Who", info->who, sizeof info->who);
  copy_member(o, "Version", info->version, sizeof info->version);
  copy_member(o, "Created", info->created, sizeof info->created);
  copy_member(o, "Path", info->path, sizeof info->path);
  copy_member(o, "Host", info->host, sizeof info->host);
  json_t *pid = json_object_get(o, "PID");
  info->pid = json_is_integer(pid) ? (long)json_integer_value(pid) : 0;
  json_decref(o);
  return true;
}

bool rc_state__holder_dead(const struct rc_state_lock_info *info)
{
  char host[256];
  hostname(host, sizeof host);
  if (strcmp(host, info->host) != 0 || info->pid <= 0) return false;
  return kill((pid_t)info->pid, 0) == -1 && errno == ESRCH;
}

rc_status rc_state__locked_error(struct rc_error *err, const char *what,
                                 const struct rc_state_lock_info *h, double waited_s)
{
  if (h->stale)
    return rc_error_set(err, RC_LOCKED,
                        "state %s has a stale lock: the process that took it (pid %ld on %s, "
                        "operation \"%s\", since %s) no longer holds it. If no other recon is "
                        "using this state, clear it with: recon force-unlock %s",
                        what, h->pid, h->host, h->operation, h->created, h->id);
  char waited[64] = "";
  if (waited_s > 0) snprintf(waited, sizeof waited, " (gave up after %.0fs)", waited_s);
  return rc_error_set(err, RC_LOCKED,
                      "state %s is locked by pid %ld on %s (operation \"%s\" by %s, since %s, "
                      "lock ID %s)%s",
                      what, h->pid, h->host[0] ? h->host : "?",
                      h->operation[0] ? h->operation : "?", h->who[0] ? h->who : "?",
                      h->created[0] ? h->created : "?", h->id[0] ? h->id : "?", waited);
}

/* --- dispatch --- */
const char *rc_state_backend_name(const struct rc_state_backend *b) { return b->ops->name; }

rc_status rc_state_backend_lock(struct rc_state_backend *b, const char *operation,
                                double timeout_s, volatile int *cancel,
                                struct rc_state_lock_info *holder, struct rc_error *err)
{
  return b->ops->lock(b, operation, timeout_s, cancel, holder, err);
}

rc_status rc_state_backend_unlock(struct rc_state_backend *b, struct rc_error *err)
{
  return b->ops->unlock(b, err);
}

rc_status rc_state_backend_read(struct rc_state_backend *b, struct rc_state **out,
                                struct rc_error *err)
{
  *out = NULL;
  return b->ops->read(b, out, err);
}

rc_status rc_state_backend_write(struct rc_state_backend *b, struct rc_state *st,
                                 struct rc_error *err)
{
  return b->ops->write(b, st, err);
}

rc_status rc_state_backend_force_unlock(struct rc_state_backend *b, const char *id,
                                        struct rc_error *err)
{
  return b->ops->force_unlock(b, id, err);
}

void rc_state_backend_free(struct rc_state_backend *b)
{
  if (!b) return;
  b->ops->unlock(b, NULL);
  b->ops->free(b);
}
