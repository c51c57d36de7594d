#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rc_alloc.h"
#include "state.h"
#include "state_int.h"

struct fx {
  char dir[64];
  char *path;
};

static int setup(void **state)
{
  struct fx *f = rc_calloc(1, sizeof *f);
  snprintf(f->dir, sizeof f->dir, "/tmp/recon-state-XXXXXX");
  if (!mkdtemp(f->dir)) return -1;
  f->path = rc_asprintf("%s/recon.tfstate", f->dir);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  struct fx *f = *state;
  DIR *d = opendir(f->dir);
  struct dirent *e;
  while (d && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2]))) continue;
    char *p = rc_asprintf("%s/%s", f->dir, e->d_name);
    unlink(p);
    rc_free(p);
  }
  if (d) closedir(d);
  rmdir(f->dir);
  rc_free(f->path);
  rc_free(f);
  return 0;
}

static char *slurp(const char *path)
{
  char *text = NULL;
  size_t len = 0;
  if (rc_state__read_file(path, &text, &len, NULL) != RC_OK) return NULL;
  return text;
}

static void put_vpc(struct rc_state *st, const char *id)
{
  struct rc_state_resource r = {.address = "aws_vpc.main", .type = "aws_vpc", .id = id};
  rc_state_put(st, &r);
}

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_local__write_is_atomic_0600_with_backup(void **state)
{
  struct fx *f = *state;
  struct rc_state_backend *b = rc_state_local_new(f->path);
  assert_string_equal(rc_state_backend_name(b), "local");
  struct rc_state *st = NULL;
  struct rc_error err = {0};
  assert_int_equal(rc_state_backend_read(b, &st, &err), RC_OK); /* nothing yet: empty */
  assert_int_equal(rc_state_count(st), 0);
  assert_int_equal(rc_state_serial(st), 0);
  put_vpc(st, "vpc-1");
  assert_int_equal(rc_state_backend_write(b, st, &err), RC_OK);
  assert_int_equal(rc_state_serial(st), 1);
  struct stat sb;
  assert_int_equal(stat(f->path, &sb), 0);
  assert_int_equal(sb.st_mode & 0777, 0600);
  char *bk = rc_asprintf("%s.backup", f->path);
  assert_int_not_equal(stat(bk, &sb), 0); /* nothing to back up on the first write */
  put_vpc(st, "vpc-2");
  assert_int_equal(rc_state_backend_write(b, st, &err), RC_OK);
  assert_int_equal(rc_state_serial(st), 2);
  rc_state_backend_free(b);

  /* a new run: its first write backs up the state it started from */
  b = rc_state_local_new(f->path);
  struct rc_state *st2 = NULL;
  assert_int_equal(rc_state_backend_read(b, &st2, &err), RC_OK);
  assert_int_equal(rc_state_serial(st2), 2);
  assert_string_equal(rc_state_lineage(st2), rc_state_lineage(st));
  assert_string_equal(rc_state_find(st2, "aws_vpc.main")->id, "vpc-2");
  put_vpc(st2, "vpc-3");
  assert_int_equal(rc_state_backend_write(b, st2, &err), RC_OK);
  put_vpc(st2, "vpc-4");
  assert_int_equal(rc_state_backend_write(b, st2, &err), RC_OK);
  char *backup = slurp(bk);
  assert_non_null(backup);
  assert_non_null(strstr(backup, "vpc-2")); /* as it was before this run */
  assert_non_null(strstr(backup, "\"serial\": 2"));
  assert_int_equal(stat(bk, &sb), 0);
  assert_int_equal(sb.st_mode & 0777, 0600);
  char *cur = slurp(f->path);
  assert_non_null(strstr(cur, "vpc-4"));
  assert_non_null(strstr(cur, "\"serial\": 4"));

  /* a state of another lineage is not written over this one */
  struct rc_state *alien = rc_state_new();
  assert_int_equal(rc_state_backend_write(b, alien, &err), RC_CONFLICT);
  assert_non_null(strstr(err.msg, "lineage"));
  rc_state_free(alien);

  rc_free(cur);
  rc_free(backup);
  rc_free(bk);
  rc_state_free(st2);
  rc_state_free(st);
  rc_state_backend_free(b);
}

static void test_local__crash_between_write_and_rename_keeps_old_state(void **state)
{
  struct fx *f = *state;
  struct rc_state_backend *b = rc_state_local_new(f->path);
  struct rc_state *st = NULL;
  assert_int_equal(rc_state_backend_read(b, &st, NULL), RC_OK);
  put_vpc(st, "vpc-old");
  assert_int_equal(rc_state_backend_write(b, st, NULL), RC_OK);
  char *before = slurp(f->path);

  /* the next write dies after its temp file is complete, before rename */
  put_vpc(st, "vpc-new");
  rc_state_set_serial(st, 2);
  char *text = rc_state_to_json(st, NULL);
  assert_int_equal(rc_state__atomic_write(f->path, text, strlen(text), true, NULL), RC_OK);
  rc_free(text);
  char *tmp = rc_asprintf("%s.tmp-%ld", f->path, (long)getpid());
  struct stat sb;
  assert_int_equal(stat(tmp, &sb), 0); /* the temp file is there */

  struct rc_state_backend *b2 = rc_state_local_new(f->path);
  struct rc_state *again = NULL;
  struct rc_error err = {0};
  assert_int_equal(rc_state_backend_read(b2, &again, &err), RC_OK);
  assert_string_equal(rc_state_find(again, "aws_vpc.main")->id, "vpc-old");
  assert_int_equal(rc_state_serial(again), 1);
  char *after = slurp(f->path);
  assert_string_equal(before, after);
  /* taking the lock sweeps the dead writer's temp file */
  assert_int_equal(rc_state_backend_lock(b2, "apply", 0, NULL, NULL, &err), RC_OK);
  assert_int_not_equal(stat(tmp, &sb), 0);
  rc_state_backend_free(b2);

  rc_free(tmp), rc_free(before), rc_free(after);
  rc_state_free(again);
  rc_state_free(st);
  rc_state_backend_free(b);
}

static void test_local__corrupt_file_is_a_clear_error(void **state)
{
  struct fx *f = *state;
  FILE *fp = fopen(f->path, "w");
  fputs("{\"version\":1,\"lineage\":\"abc\",\"ser", fp);
  fclose(fp);
  struct rc_state_backend *b = rc_state_local_new(f->path);
  struct rc_state *st = NULL;
  struct rc_error err = {0};
  assert_int_equal(rc_state_backend_read(b, &st, &err), RC_SYNTAX);
  assert_null(st);
  assert_non_null(strstr(err.msg, f->path));
  assert_non_null(strstr(err.msg, "truncated"));
  rc_state_backend_free(b);
}

/* The child takes the lock, reports ready on `ready`, then either waits for
 * a byte on `go` or sleeps hold_ms, then unlocks (or dies holding it). */
static pid_t child_holding_lock(const char *path, int hold_ms, bool die_locked, int *go_fd)
{
  int ready[2], go[2];
  assert_int_equal(pipe(ready), 0);
  assert_int_equal(pipe(go), 0);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    close(ready[0]);
    close(go[1]);
    struct rc_state_backend *b = rc_state_local_new(path);
    if (rc_state_backend_lock(b, "apply", 5, NULL, NULL, NULL) != RC_OK) _exit(3);
    if (write(ready[1], "r", 1) != 1) _exit(4);
    if (die_locked) _exit(0); /* dies without unlocking, as kill -9 would */
    if (hold_ms > 0) {
      struct timespec ts = {hold_ms / 1000, (long)(hold_ms % 1000) * 1000000L};
      nanosleep(&ts, NULL);
    } else {
      char c;
      if (read(go[0], &c, 1) < 0) _exit(5);
    }
    rc_state_backend_free(b);
    _exit(0);
  }
  close(ready[1]);
  close(go[0]);
  char c;
  assert_int_equal(read(ready[0], &c, 1), 1);
  close(ready[0]);
  if (go_fd) *go_fd = go[1];
  else close(go[1]);
  return pid;
}

static void test_local__second_process_fails_naming_holder(void **state)
{
  struct fx *f = *state;
  int go;
  pid_t pid = child_holding_lock(f->path, 0, false, &go);
  struct rc_state_backend *b = rc_state_local_new(f->path);
  struct rc_state_lock_info h;
  struct rc_error err = {0};
  assert_int_equal(rc_state_backend_lock(b, "plan", 0, NULL, &h, &err), RC_LOCKED);
  char want[64];
  snprintf(want, sizeof want, "pid %ld", (long)pid);
  assert_non_null(strstr(err.msg, want));
  assert_non_null(strstr(err.msg, "\"apply\""));
  assert_non_null(strstr(err.msg, h.id));
  assert_int_equal(h.pid, pid);
  assert_false(h.stale);
  char host[256];
  gethostname(host, sizeof host);
  assert_string_equal(h.host, host);
  assert_non_null(strchr(h.who, '@'));
  assert_int_equal(strlen(h.created), 20); /* 2024-01-02T03:04:05Z */

  /* force-unlock refuses a live holder */
  rc_error_clear(&err);
  assert_int_equal(rc_state_backend_force_unlock(b, h.id, &err), RC_LOCKED);

  assert_int_equal(write(go, "g", 1), 1);
  close(go);
  int status;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_int_equal(WEXITSTATUS(status), 0);
  rc_error_clear(&err);
  assert_int_equal(rc_state_backend_lock(b, "plan", 0, NULL, NULL, &err), RC_OK);
  char *lockp = rc_asprintf("%s.lock", f->path);
  char *info = slurp(lockp);
  assert_non_null(info);
  struct rc_state_lock_info mine;
  assert_true(rc_state__lock_info_parse(info, strlen(info), &mine));
  assert_string_equal(mine.operation, "plan");
  assert_int_equal(mine.pid, getpid());
  rc_free(info);
  assert_int_equal(rc_state_backend_unlock(b, &err), RC_OK);
  struct stat sb;
  assert_int_not_equal(stat(lockp, &sb), 0); /* removed on unlock */
  rc_free(lockp);
  rc_state_backend_free(b);
}

static void test_local__waits_up_to_timeout_then_succeeds(void **state)
{
  struct fx *f = *state;
  pid_t pid = child_holding_lock(f->path, 400, false, NULL);
  struct rc_state_backend *b = rc_state_local_new(f->path);
  struct rc_error err = {0};
  double t0 = now_s();
  assert_int_equal(rc_state_backend_lock(b, "apply", 10, NULL, NULL, &err), RC_OK);
  double waited = now_s() - t0;
  assert_true(waited > 0.2);
  assert_true(waited < 5);
  int status;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  rc_state_backend_free(b);

  /* a too short timeout gives up, saying how long it waited */
  pid = child_holding_lock(f->path, 1500, false, NULL);
  b = rc_state_local_new(f->path);
  rc_error_clear(&err);
  assert_int_equal(rc_state_backend_lock(b, "apply", 0.3, NULL, NULL, &err), RC_LOCKED);
  assert_non_null(strstr(err.msg, "gave up after"));
  assert_int_equal(waitpid(pid, &status, 0), pid);
  rc_state_backend_free(b);
}

static void test_local__dead_local_holder_is_taken_over(void **state)
{
  struct fx *f = *state;
  pid_t pid = child_holding_lock(f->path, 0, true, NULL);
  int status;
  assert_int_equal(waitpid(pid, &status, 0), pid); /* the holder is gone, as after kill -9 */
  struct rc_state_backend *b = rc_state_local_new(f->path);
  struct rc_state_lock_info h;
  struct rc_error err = {0};
  assert_int_equal(rc_state_backend_lock(b, "apply", 0, NULL, &h, &err), RC_OK);
  assert_true(h.stale); /* reported, so the caller can say so */
  assert_int_equal(h.pid, pid);
  rc_state_backend_free(b);
}

static void test_local__stale_lock_reported_then_force_unlocked(void **state)
{
  struct fx *f = *state;
  pid_t pid = child_holding_lock(f->path, 0, true, NULL);
  int status;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  /* the lock info names another host: nobody here can tell it is dead */
  char lock_path[1100];
  snprintf(lock_path, sizeof lock_path, "%s.lock", f->path);
  FILE *lf = fopen(lock_path, "r");
  assert_non_null(lf);
  char buf[4096];
  size_t n = fread(buf, 1, sizeof buf - 1, lf);
  fclose(lf);
  buf[n] = '\0';
  char host[256];
  gethostname(host, sizeof host);
  char *at = strstr(buf, "\"Host\"");
  assert_non_null(at);
  char *q1 = strchr(at + 6, '"'), *q2 = q1 ? strchr(q1 + 1, '"') : NULL;
  assert_non_null(q2);
  char out[4200];
  snprintf(out, sizeof out, "%.*s\"elsewhere\"%s", (int)(q1 - buf), buf, q2 + 1);
  lf = fopen(lock_path, "w");
  fputs(out, lf);
  fclose(lf);
  struct rc_state_backend *b = rc_state_local_new(f->path);
  struct rc_state_lock_info h;
  struct rc_error err = {0};
  assert_int_equal(rc_state_backend_lock(b, "apply", 0, NULL, &h, &err), RC_LOCKED);
  assert_true(h.stale);
  assert_int_equal(h.pid, pid);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "recon force-unlock %s", h.id);
  assert_non_null(strstr(err.msg, cmd));
  assert_non_null(strstr(err.msg, "stale"));

  rc_error_clear(&err);
  assert_int_equal(rc_state_backend_force_unlock(b, "not-the-id", &err), RC_CONFLICT);
  assert_non_null(strstr(err.msg, h.id));
  rc_error_clear(&err);
  assert_int_equal(rc_state_backend_force_unlock(b, h.id, &err), RC_OK);
  rc_error_clear(&err);
  assert_int_equal(rc_state_backend_force_unlock(b, h.id, &err), RC_NOT_FOUND);
  rc_error_clear(&err);
  assert_int_equal(rc_state_backend_lock(b, "apply", 0, NULL, NULL, &err), RC_OK);
  rc_state_backend_free(b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_local__write_is_atomic_0600_with_backup, setup, teardown),
      cmocka_unit_test_setup_teardown(test_local__crash_between_write_and_rename_keeps_old_state, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_local__corrupt_file_is_a_clear_error, setup, teardown),
      cmocka_unit_test_setup_teardown(test_local__second_process_fails_naming_holder, setup, teardown),
      cmocka_unit_test_setup_teardown(test_local__waits_up_to_timeout_then_succeeds, setup, teardown),
      cmocka_unit_test_setup_teardown(test_local__dead_local_holder_is_taken_over, setup, teardown),
      cmocka_unit_test_setup_teardown(test_local__stale_lock_reported_then_force_unlocked, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
