#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rc_alloc.h"
#include "state.h"
#include "state_int.h"

/* An in-memory object store with S3's conditional-write rules. */
#define MAXOBJ 8
struct fake {
  struct { char *key; char *body; size_t len; char etag[32]; } obj[MAXOBJ];
  int n, next_etag;
  int puts, conditional_412s;
  /* a rival writer: after this many more puts of `race_key`, a foreign
   * write of that key slips in first */
  const char *race_key;
  int race_after;
};

static int find(struct fake *f, const char *key)
{
  for (int i = 0; i < f->n; i++)
    if (strcmp(f->obj[i].key, key) == 0) return i;
  return -1;
}

static void store(struct fake *f, const char *key, const void *body, size_t len)
{
  int i = find(f, key);
  if (i < 0) {
    assert_true(f->n < MAXOBJ);
    i = f->n++;
    f->obj[i].key = rc_strdup(key);
  } else {
    rc_free(f->obj[i].body);
  }
  f->obj[i].body = rc_strndup(body, len);
  f->obj[i].len = len;
  snprintf(f->obj[i].etag, sizeof f->obj[i].etag, "\"e%d\"", ++f->next_etag);
}

static rc_status fget(void *ud, const char *bucket, const char *key, struct rc_buf *body,
                      char *etag, size_t etag_sz, struct rc_error *err)
{
  struct fake *f = ud;
  assert_string_equal(bucket, "team-state");
  int i = find(f, key);
  if (i < 0) return rc_error_set(err, RC_NOT_FOUND, "NoSuchKey: %s", key);
  rc_buf_append(body, f->obj[i].body, f->obj[i].len);
  snprintf(etag, etag_sz, "%s", f->obj[i].etag);
  return RC_OK;
}

static rc_status fput(void *ud, const char *bucket, const char *key, const void *body,
                      size_t len, const char *if_match, bool if_none_match_star, char *etag_out,
                      size_t etag_sz, struct rc_error *err)
{
  struct fake *f = ud;
  f->puts++;
  if (f->race_key && strcmp(key, f->race_key) == 0 && f->race_after-- == 0)
    store(f, key, "{\"rival\":true}", 14);
  int i = find(f, key);
  if ((if_none_match_star && i >= 0) ||
      (if_match && (i < 0 || strcmp(f->obj[i].etag, if_match) != 0))) {
    f->conditional_412s++;
    err->http_status = 412;
    return rc_error_set(err, RC_CONFLICT, "PreconditionFailed: At least one of the pre-conditions "
                                          "you specified did not hold");
  }
  store(f, key, body, len);
  snprintf(etag_out, etag_sz, "%s", f->obj[find(f, key)].etag);
  return RC_OK;
}

static rc_status fdel(void *ud, const char *bucket, const char *key, struct rc_error *err)
{
  struct fake *f = ud;
  int i = find(f, key);
  if (i < 0) return RC_OK;
  rc_free(f->obj[i].key);
  rc_free(f->obj[i].body);
  f->obj[i] = f->obj[--f->n];
  return RC_OK;
}

static void fake_free(struct fake *f)
{
  for (int i = 0; i < f->n; i++) {
    rc_free(f->obj[i].key);
    rc_free(f->obj[i].body);
  }
}

static struct rc_state_backend *backend(struct fake *f)
{
  struct rc_objstore os = {.ud = f, .get = fget, .put = fput, .del = fdel};
  struct rc_state_s3_config cfg = {.bucket = "team-state", .key = "prod/recon.tfstate",
                                   .region = "us-east-1"};
  return rc_state_s3_new(&cfg, &os);
}

static void put_vpc(struct rc_state *st, const char *id)
{
  struct rc_state_resource r = {.address = "aws_vpc.main", .type = "aws_vpc", .id = id};
  rc_state_put(st, &r);
}

static void test_s3__read_write_round_trip_with_etags(void **state)
{
  struct fake f = {0};
  struct rc_state_backend *b = backend(&f);
  assert_string_equal(rc_state_backend_name(b), "s3");
  struct rc_state *st = NULL;
  struct rc_error err = {0};
  assert_int_equal(rc_state_backend_read(b, &st, &err), RC_OK);
  assert_int_equal(rc_state_count(st), 0);
  put_vpc(st, "vpc-1");
  assert_int_equal(rc_state_backend_write(b, st, &err), RC_OK); /* If-None-Match: * */
  put_vpc(st, "vpc-2");
  assert_int_equal(rc_state_backend_write(b, st, &err), RC_OK); /* If-Match: "e1" */
  assert_int_equal(rc_state_serial(st), 2);
  assert_int_equal(f.conditional_412s, 0);

  struct rc_state_backend *b2 = backend(&f);
  struct rc_state *st2 = NULL;
  assert_int_equal(rc_state_backend_read(b2, &st2, &err), RC_OK);
  assert_string_equal(rc_state_find(st2, "aws_vpc.main")->id, "vpc-2");
  assert_int_equal(rc_state_serial(st2), 2);
  assert_string_equal(rc_state_lineage(st2), rc_state_lineage(st));
  rc_state_free(st2);
  rc_state_free(st);
  rc_state_backend_free(b2);
  rc_state_backend_free(b);
  fake_free(&f);
}

static void test_s3__lost_write_race_is_a_conflict(void **state)
{
  struct fake f = {0};
  struct rc_state_backend *a = backend(&f), *b = backend(&f);
  struct rc_state *sa = NULL, *sb = NULL;
  struct rc_error err = {0};
  /* both start from nothing; the first creator wins, the second is refused */
  assert_int_equal(rc_state_backend_read(a, &sa, &err), RC_OK);
  assert_int_equal(rc_state_backend_read(b, &sb, &err), RC_OK);
  put_vpc(sa, "vpc-a");
  put_vpc(sb, "vpc-b");
  assert_int_equal(rc_state_backend_write(a, sa, &err), RC_OK);
  assert_int_equal(rc_state_backend_write(b, sb, &err), RC_CONFLICT);
  assert_non_null(strstr(err.msg, "s3://team-state/prod/recon.tfstate"));
  assert_non_null(strstr(err.msg, "changed by someone else"));
  rc_state_free(sb);

  /* both read the same version; a writes; b's If-Match no longer holds */
  assert_int_equal(rc_state_backend_read(b, &sb, &err), RC_OK);
  put_vpc(sa, "vpc-a2");
  assert_int_equal(rc_state_backend_write(a, sa, &err), RC_OK);
  put_vpc(sb, "vpc-b2");
  rc_error_clear(&err);
  assert_int_equal(rc_state_backend_write(b, sb, &err), RC_CONFLICT);
  char *text = NULL;
  int i = find(&f, "prod/recon.tfstate");
  text = f.obj[i].body;
  assert_non_null(strstr(text, "vpc-a2")); /* never silently overwritten */
  assert_null(strstr(text, "vpc-b2"));

  /* a rival write slipping in between a's writes */
  f.race_key = "prod/recon.tfstate";
  f.race_after = 0;
  put_vpc(sa, "vpc-a3");
  rc_error_clear(&err);
  assert_int_equal(rc_state_backend_write(a, sa, &err), RC_CONFLICT);
  assert_non_null(strstr(f.obj[find(&f, "prod/recon.tfstate")].body, "rival"));

  rc_state_free(sa);
  rc_state_free(sb);
  rc_state_backend_free(a);
  rc_state_backend_free(b);
  fake_free(&f);
}

static void test_s3__lock_object_excludes_second_holder(void **state)
{
  struct fake f = {0};
  struct rc_state_backend *a = backend(&f), *b = backend(&f);
  struct rc_error err = {0};
  assert_int_equal(rc_state_backend_lock(a, "apply", 0, NULL, NULL, &err), RC_OK);
  int li = find(&f, "prod/recon.tfstate.tflock");
  assert_true(li >= 0);
  struct rc_state_lock_info mine;
  assert_true(rc_state__lock_info_parse(f.obj[li].body, f.obj[li].len, &mine));
  assert_string_equal(mine.operation, "apply");
  assert_string_equal(mine.path, "s3://team-state/prod/recon.tfstate");

  struct rc_state_lock_info h;
  assert_int_equal(rc_state_backend_lock(b, "plan", 0, NULL, &h, &err), RC_LOCKED);
  char want[64];
  snprintf(want, sizeof want, "pid %ld", (long)getpid());
  assert_non_null(strstr(err.msg, want));
  assert_non_null(strstr(err.msg, mine.id));
  assert_false(h.stale); /* we are alive */
  assert_string_equal(h.id, mine.id);

  /* waiting gives up after the timeout */
  rc_error_clear(&err);
  assert_int_equal(rc_state_backend_lock(b, "plan", 0.3, NULL, NULL, &err), RC_LOCKED);
  assert_non_null(strstr(err.msg, "gave up"));
  /* a cancel interrupts the wait */
  volatile int cancel = 1;
  rc_error_clear(&err);
  assert_int_equal(rc_state_backend_lock(b, "plan", 5, &cancel, NULL, &err), RC_CANCELLED);

  /* force-unlock needs the right ID */
  rc_error_clear(&err);
  assert_int_equal(rc_state_backend_force_unlock(b, "wrong", &err), RC_CONFLICT);
  assert_non_null(strstr(err.msg, mine.id));

  rc_error_clear(&err);
  assert_int_equal(rc_state_backend_unlock(a, &err), RC_OK);
  assert_true(find(&f, "prod/recon.tfstate.tflock") < 0);
  assert_int_equal(rc_state_backend_lock(b, "plan", 0, NULL, NULL, &err), RC_OK);

  /* a force-unlocked holder does not delete the new holder's lock */
  rc_error_clear(&err);
  assert_int_equal(rc_state_backend_force_unlock(a, mine.id, &err), RC_CONFLICT);
  struct rc_state_backend *c = backend(&f);
  li = find(&f, "prod/recon.tfstate.tflock");
  struct rc_state_lock_info bl;
  assert_true(rc_state__lock_info_parse(f.obj[li].body, f.obj[li].len, &bl));
  rc_error_clear(&err);
  assert_int_equal(rc_state_backend_force_unlock(c, bl.id, &err), RC_OK); /* b's lock broken */
  assert_int_equal(rc_state_backend_lock(c, "apply", 0, NULL, NULL, &err), RC_OK);
  assert_int_equal(rc_state_backend_unlock(b, &err), RC_CONFLICT); /* b finds c's lock */
  assert_non_null(strstr(err.msg, "no longer ours"));
  assert_true(find(&f, "prod/recon.tfstate.tflock") >= 0); /* c keeps it */
  rc_state_backend_free(c);
  rc_state_backend_free(b);
  rc_state_backend_free(a);
  fake_free(&f);
}

static void test_s3__stale_lock_of_dead_process(void **state)
{
  struct fake f = {0};
  pid_t pid = fork();
  if (pid == 0) _exit(0);
  int status;
  waitpid(pid, &status, 0); /* a pid that no longer exists */
  struct rc_state_lock_info dead;
  rc_state__lock_info_init(&dead, "apply", "s3://team-state/prod/recon.tfstate");
  dead.pid = pid;
  char *body = rc_state__lock_info_json(&dead);
  store(&f, "prod/recon.tfstate.tflock", body, strlen(body));
  rc_free(body);

  struct rc_state_backend *b = backend(&f);
  struct rc_state_lock_info h;
  struct rc_error err = {0};
  assert_int_equal(rc_state_backend_lock(b, "apply", 5, NULL, &h, &err), RC_LOCKED);
  assert_true(h.stale);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "recon force-unlock %s", dead.id);
  assert_non_null(strstr(err.msg, cmd));
  rc_error_clear(&err);
  assert_int_equal(rc_state_backend_force_unlock(b, dead.id, &err), RC_OK);
  assert_int_equal(rc_state_backend_lock(b, "apply", 0, NULL, NULL, &err), RC_OK);
  rc_error_clear(&err);
  assert_int_equal(rc_state_backend_force_unlock(b, "x", &err), RC_CONFLICT);
  rc_state_backend_free(b);
  assert_true(find(&f, "prod/recon.tfstate.tflock") < 0); /* free unlocks */
  rc_error_clear(&err);
  b = backend(&f);
  assert_int_equal(rc_state_backend_force_unlock(b, "x", &err), RC_NOT_FOUND);
  rc_state_backend_free(b);
  fake_free(&f);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_s3__read_write_round_trip_with_etags),
      cmocka_unit_test(test_s3__lost_write_race_is_a_conflict),
      cmocka_unit_test(test_s3__lock_object_excludes_second_holder),
      cmocka_unit_test(test_s3__stale_lock_of_dead_process),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
