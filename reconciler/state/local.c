/* local.c — the local file backend.
 *
 * The state file is replaced atomically: a temp file "<path>.tmp-<pid>" in
 * the same directory is written, fsync'd and renamed over the state, then
 * the directory is fsync'd; a crash at any point leaves either the old or
 * the new document, never a mix. Before this backend's first write the
 * previous document is copied (atomically too) to "<path>.backup".
 *
 * The lock is flock(LOCK_EX) on "<path>.lock", a separate file holding the
 * holder's lock info. Unlock truncates and unlinks the file before closing
 * it; a waiter that then gets the flock on the unlinked inode notices (its
 * inode is no longer the path's) and opens the file again. A lock file that
 * still holds lock info while its flock is free was left by a holder that
 * died: when that holder was a process of this host that no longer exists
 * (kill -9, a crash), the lock is taken over (and reported through holder->
 * stale); otherwise it is reported as stale, to be cleared with force-unlock. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rc_alloc.h"
#include "rc_limits.h"
#include "state.h"
#include "state_int.h"

struct local {
  struct rc_state_backend base;
  char *path, *lock_path, *backup_path;
  int lock_fd; /* -1 unless we hold the lock */
  struct rc_state_lock_info mine;
  bool backup_written;
  char *lineage; /* of the last document read or written; NULL before */
  uint64_t serial;
};

/* --- files --- */
rc_status rc_state__read_file(const char *path, char **out, size_t *len, struct rc_error *err)
{
  *out = NULL;
  *len = 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return RC_NOT_FOUND;
    return rc_error_set(err, RC_IO, "cannot open %s: %s", path, strerror(errno));
  }
  struct stat sb;
  if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    close(fd);
    return rc_error_set(err, RC_IO, "%s is not a regular file", path);
  }
  if ((unsigned long long)sb.st_size > RC_LIMIT_STATE_SIZE) {
    close(fd);
    return rc_error_set(err, RC_TOO_BIG, "%s: %lld bytes exceeds the state size limit", path,
                        (long long)sb.st_size);
  }
  struct rc_buf b;
  rc_buf_init(&b, RC_LIMIT_STATE_SIZE + 1);
  char chunk[65536];
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      rc_status s = rc_error_set(err, RC_IO, "cannot read %s: %s", path, strerror(errno));
      close(fd);
      rc_buf_free(&b);
      return s;
    }
    if (n == 0) break;
    if (rc_buf_append(&b, chunk, (size_t)n) != RC_OK) {
      close(fd);
      rc_buf_free(&b);
      return rc_error_set(err, RC_TOO_BIG, "%s exceeds the state size limit", path);
    }
  }
  close(fd);
  *len = b.len;
  *out = rc_buf_detach(&b);
  return RC_OK;
}

static rc_status write_all(int fd, const void *data, size_t len)
{
  const char *p = data;
  while (len) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return RC_IO;
    p += n, len -= (size_t)n;
  }
  return RC_OK;
}

static char *dir_of(const char *path)
{
  const char *slash = strrchr(path, '/');
  if (!slash) return rc_strdup(".");
  if (slash == path) return rc_strdup("/");
  return rc_strndup(path, (size_t)(slash - path));
}

rc_status rc_state__atomic_write(const char *path, const void *data, size_t len,
                                 bool skip_rename, struct rc_error *err)
{
  char *tmp = rc_asprintf("%s.tmp-%ld", path, (long)getpid());
  rc_status st = RC_OK;
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    st = rc_error_set(err, RC_IO, "cannot create %s: %s", tmp, strerror(errno));
    goto out;
  }
  if (fchmod(fd, 0600) != 0 || write_all(fd, data, len) != RC_OK || fsync(fd) != 0) {
    st = rc_error_set(err, RC_IO, "cannot write %s: %s", tmp, strerror(errno));
    close(fd);
    unlink(tmp);
    goto out;
  }
  if (close(fd) != 0) {
    st = rc_error_set(err, RC_IO, "cannot write %s: %s", tmp, strerror(errno));
    unlink(tmp);
    goto out;
  }
  if (skip_rename) goto out; /* a crash here leaves the old document in place */
  if (rename(tmp, path) != 0) {
    st = rc_error_set(err, RC_IO, "cannot replace %s: %s", path, strerror(errno));
    unlink(tmp);
    goto out;
  }
  char *dir = dir_of(path);
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0 || fsync(dfd) != 0)
    st = rc_error_set(err, RC_IO, "cannot sync directory %s: %s", dir, strerror(errno));
  if (dfd >= 0) close(dfd);
  rc_free(dir);
out:
  rc_free(tmp);
  return st;
}

/* Removes temp files a crashed writer left next to the state; called with
 * the lock held, so no writer is running. */
static void remove_leftover_temps(const char *path)
{
  char *dir = dir_of(path);
  const char *slash = strrchr(path, '/');
  char *prefix = rc_asprintf("%s.tmp-", slash ? slash + 1 : path);
  DIR *d = opendir(dir);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
      if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) {
        char *full = rc_asprintf("%s/%s", dir, e->d_name);
        unlink(full);
        rc_free(full);
      }
    closedir(d);
  }
  rc_free(prefix);
  rc_free(dir);
}

/* --- lock --- */
static void read_holder(int fd, struct rc_state_lock_info *h)
{
  char buf[8192];
  ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0 || !rc_state__lock_info_parse(buf, (size_t)n, h)) memset(h, 0, sizeof *h);
}

static bool same_file(int fd, const char *path)
{
  struct stat a, b;
  return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
         a.st_ino == b.st_ino;
}

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap(double s)
{
  struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
  nanosleep(&ts, NULL);
}

static rc_status local_lock(struct rc_state_backend *b, const char *operation,
                            double timeout_s, volatile int *cancel,
                            struct rc_state_lock_info *holder, struct rc_error *err)
{
  struct local *L = (struct local *)b;
  if (L->lock_fd >= 0) return RC_OK;
  double start = now_s();
  struct rc_state_lock_info h;
  for (;;) {
    int fd = open(L->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
      return rc_error_set(err, RC_IO, "cannot open lock file %s: %s", L->lock_path,
                          strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
      if (!same_file(fd, L->lock_path)) { /* unlinked by the holder we waited for */
        close(fd);
        continue;
      }
      read_holder(fd, &h);
      if (h.id[0] && !rc_state__holder_dead(&h)) { /* lock info without a live flock */
        h.stale = true;
        if (holder) *holder = h;
        close(fd);
        return rc_state__locked_error(err, L->path, &h, 0);
      }
      /* A holder that died on this host (killed, crashed) left its info
       * behind; flock proves nobody holds the lock, so the next run takes it
       * over, as Terraform's local backend does. holder reports it. */
      if (h.id[0] && holder) {
        *holder = h;
        holder->stale = true;
      }
      rc_state__lock_info_init(&L->mine, operation, L->path);
      char *text = rc_state__lock_info_json(&L->mine);
      rc_status ws = RC_OK;
      if (ftruncate(fd, 0) != 0 || write_all(fd, text, strlen(text)) != RC_OK || fsync(fd) != 0)
        ws = rc_error_set(err, RC_IO, "cannot write lock file %s: %s", L->lock_path,
                          strerror(errno));
      rc_free(text);
      if (ws != RC_OK) {
        if (ftruncate(fd, 0) != 0) { /* nothing more to undo */
        }
        close(fd);
        return ws;
      }
      L->lock_fd = fd;
      remove_leftover_temps(L->path);
      return RC_OK;
    }
    int e = errno;
    if (e != EWOULDBLOCK && e != EINTR) {
      close(fd);
      return rc_error_set(err, RC_IO, "cannot lock %s: %s", L->lock_path, strerror(e));
    }
    read_holder(fd, &h);
    /* the holder takes the flock, then writes its info: give it a moment */
    for (int tries = 0; !h.id[0] && tries < 40; tries++) {
      nap(0.005);
      read_holder(fd, &h);
    }
    close(fd);
    double waited = now_s() - start;
    if (waited >= timeout_s) {
      if (holder) *holder = h;
      return rc_state__locked_error(err, L->path, &h, timeout_s > 0 ? waited : 0);
    }
    if (cancel && *cancel)
      return rc_error_set(err, RC_CANCELLED, "cancelled while waiting for the lock on %s",
                          L->path);
    double left = timeout_s - waited;
    nap(left < 0.05 ? left : 0.05);
  }
}

static rc_status local_unlock(struct rc_state_backend *b, struct rc_error *err)
{
  struct local *L = (struct local *)b;
  if (L->lock_fd < 0) return RC_OK;
  rc_status st = RC_OK;
  if (ftruncate(L->lock_fd, 0) != 0)
    st = rc_error_set(err, RC_IO, "cannot clear lock file %s: %s", L->lock_path,
                      strerror(errno));
  if (same_file(L->lock_fd, L->lock_path)) unlink(L->lock_path);
  close(L->lock_fd); /* releases the flock */
  L->lock_fd = -1;
  return st;
}

static rc_status local_force_unlock(struct rc_state_backend *b, const char *id,
                                    struct rc_error *err)
{
  struct local *L = (struct local *)b;
  if (L->lock_fd >= 0 && strcmp(L->mine.id, id) == 0) return local_unlock(b, err);
  int fd = open(L->lock_path, O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT)
      return rc_error_set(err, RC_NOT_FOUND, "state %s is not locked", L->path);
    return rc_error_set(err, RC_IO, "cannot open %s: %s", L->lock_path, strerror(errno));
  }
  struct rc_state_lock_info h;
  read_holder(fd, &h);
  rc_status st = RC_OK;
  if (!h.id[0]) {
    st = rc_error_set(err, RC_NOT_FOUND, "state %s is not locked", L->path);
  } else if (strcmp(h.id, id) != 0) {
    st = rc_error_set(err, RC_CONFLICT,
                      "lock ID \"%s\" does not match the lock on %s (ID %s, pid %ld on %s)", id,
                      L->path, h.id, h.pid, h.host);
  } else if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    st = rc_error_set(err, RC_LOCKED,
                      "the lock %s on %s is held by a running process (pid %ld on %s, "
                      "operation \"%s\"); refusing to remove it",
                      h.id, L->path, h.pid, h.host, h.operation);
  } else {
    if (ftruncate(fd, 0) != 0)
      st = rc_error_set(err, RC_IO, "cannot clear %s: %s", L->lock_path, strerror(errno));
    if (same_file(fd, L->lock_path)) unlink(L->lock_path);
  }
  close(fd);
  return st;
}

/* --- read / write --- */
static void remember(struct local *L, const struct rc_state *st)
{
  rc_free(L->lineage);
  L->lineage = rc_strdup(rc_state_lineage(st));
  L->serial = rc_state_serial(st);
}

static rc_status local_read(struct rc_state_backend *b, struct rc_state **out,
                            struct rc_error *err)
{
  struct local *L = (struct local *)b;
  char *text = NULL;
  size_t len = 0;
  rc_status s = rc_state__read_file(L->path, &text, &len, err);
  if (s == RC_NOT_FOUND) {
    *out = rc_state_new();
    return RC_OK;
  }
  if (s != RC_OK) return s;
  struct rc_state *st = rc_state_from_json(text, len, L->path, err);
  rc_free(text);
  if (!st) return err ? err->code : RC_ERROR;
  remember(L, st);
  *out = st;
  return RC_OK;
}

static rc_status local_write(struct rc_state_backend *b, struct rc_state *st,
                             struct rc_error *err)
{
  struct local *L = (struct local *)b;
  if (L->lineage && strcmp(L->lineage, rc_state_lineage(st)) != 0)
    return rc_error_set(err, RC_CONFLICT,
                        "refusing to write state with lineage %s over %s (lineage %s)",
                        rc_state_lineage(st), L->path, L->lineage);
  uint64_t serial = rc_state_serial(st);
  if (L->lineage && L->serial > serial) serial = L->serial;
  rc_state_set_serial(st, serial + 1);
  size_t len = 0;
  char *text = rc_state_to_json(st, &len);
  rc_status s = RC_OK;
  if (!L->backup_written) {
    char *old = NULL;
    size_t oldlen = 0;
    s = rc_state__read_file(L->path, &old, &oldlen, err);
    if (s == RC_OK) s = rc_state__atomic_write(L->backup_path, old, oldlen, false, err);
    else if (s == RC_NOT_FOUND) s = RC_OK;
    rc_free(old);
    if (s == RC_OK) L->backup_written = true;
  }
  if (s == RC_OK) s = rc_state__atomic_write(L->path, text, len, false, err);
  rc_free(text);
  if (s == RC_OK) remember(L, st);
  return s;
}

static void local_free(struct rc_state_backend *b)
{
  struct local *L = (struct local *)b;
  if (L->lock_fd >= 0) close(L->lock_fd);
  rc_free(L->path);
  rc_free(L->lock_path);
  rc_free(L->backup_path);
  rc_free(L->lineage);
  rc_free(L);
}

static const struct rc_state_backend_ops local_ops = {
    .name = "local",
    .lock = local_lock,
    .unlock = local_unlock,
    .read = local_read,
    .write = local_write,
    .force_unlock = local_force_unlock,
    .free = local_free,
};

struct rc_state_backend *rc_state_local_new(const char *path)
{
  struct local *L = rc_calloc(1, sizeof *L);
  L->base.ops = &local_ops;
  L->path = rc_strdup(path && path[0] ? path : RC_STATE_LOCAL_DEFAULT);
  L->lock_path = rc_asprintf("%s.lock", L->path);
  L->backup_path = rc_asprintf("%s.backup", L->path);
  L->lock_fd = -1;
  return &L->base;
}
