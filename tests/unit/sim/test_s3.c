/* test_s3.c — S3 in recon-sim: buckets, conditional writes (If-None-Match: *
 * and If-Match: <etag> → 412), NoSuchKey, ListObjectsV2 paging. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <strings.h>
#include "sim/sim_svc_test.h"

static struct rc_sim_call *s3(const char *method, const char *uri, const char *body,
                              const char *h1, const char *v1)
{
  struct rc_sim_call *c = rc_sim_call_new(method, uri, body ? body : "", body ? strlen(body) : 0);
  svct_auth(c, "s3");
  rc_sim_call_header(c, "x-amz-content-sha256", "UNSIGNED-PAYLOAD");
  if (h1) rc_sim_call_header(c, h1, v1);
  rc_sim_dispatch(c);
  return c;
}

static int s3_status(const char *method, const char *uri, const char *body, const char *h1,
                     const char *v1)
{
  struct rc_sim_call *c = s3(method, uri, body, h1, v1);
  int st = c->resp.status;
  rc_sim_call_free(c);
  return st;
}

static const char *resp_header(const struct rc_sim_call *c, const char *name)
{
  for (size_t i = 0; i < c->resp.n_headers; i++)
    if (strcasecmp(c->resp.headers[i].key, name) == 0) return c->resp.headers[i].val;
  return NULL;
}

static int setup(void **st)
{
  (void)st;
  rc_sim_init(9);
  assert_int_equal(s3_status("PUT", "/state", NULL, NULL, NULL), 200);
  return 0;
}

static void test_conditional_writes(void **st)
{
  (void)st;
  struct rc_sim_call *c = s3("PUT", "/state/env/a.json", "hello\n", "If-None-Match", "*");
  assert_int_equal(c->resp.status, 200);
  /* md5("hello\n") */
  assert_string_equal(resp_header(c, "ETag"), "\"b1946ac92492d2347c6235b4d2611184\"");
  rc_sim_call_free(c);
  c = s3("PUT", "/state/env/a.json", "other", "If-None-Match", "*");
  assert_int_equal(c->resp.status, 412);
  assert_true(svct_has(c, "<Code>PreconditionFailed</Code>"));
  rc_sim_call_free(c);
  assert_int_equal(s3_status("PUT", "/state/env/a.json", "v2", "If-Match", "\"0000\""), 412);
  assert_int_equal(s3_status("PUT", "/state/env/none.json", "v2", "If-Match",
                             "\"b1946ac92492d2347c6235b4d2611184\""), 412);
  assert_int_equal(s3_status("PUT", "/state/env/a.json", "v2", "If-Match",
                             "\"b1946ac92492d2347c6235b4d2611184\""), 200);
  c = s3("GET", "/state/env/a.json", NULL, NULL, NULL);
  assert_int_equal(c->resp.status, 200);
  assert_int_equal(c->resp.body.len, 2);
  assert_memory_equal(c->resp.body.ptr, "v2", 2);
  rc_sim_call_free(c);
  c = s3("GET", "/state/env/missing", NULL, NULL, NULL);
  assert_int_equal(c->resp.status, 404);
  assert_true(svct_has(c, "<Code>NoSuchKey</Code>"));
  assert_true(svct_has(c, "<Key>env/missing</Key>"));
  rc_sim_call_free(c);
  assert_int_equal(s3_status("HEAD", "/state/env/missing", NULL, NULL, NULL), 404);
  assert_int_equal(s3_status("DELETE", "/state", NULL, NULL, NULL), 409);
  assert_int_equal(s3_status("DELETE", "/state/env/a.json", NULL, NULL, NULL), 204);
  assert_int_equal(s3_status("HEAD", "/state/env/a.json", NULL, NULL, NULL), 404);
  assert_int_equal(s3_status("DELETE", "/state", NULL, NULL, NULL), 204);
  assert_int_equal(s3_status("HEAD", "/state", NULL, NULL, NULL), 404);
}

static void test_chunked_and_list(void **st)
{
  (void)st;
  const char *chunked = "5;chunk-signature=abc\r\nhello\r\n0;chunk-signature=def\r\n\r\n";
  struct rc_sim_call *c = rc_sim_call_new("PUT", "/state/k%20x", chunked, strlen(chunked));
  svct_auth(c, "s3");
  rc_sim_call_header(c, "x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
  rc_sim_dispatch(c);
  assert_int_equal(c->resp.status, 200);
  rc_sim_call_free(c);
  c = s3("GET", "/state/k%20x", NULL, NULL, NULL);
  assert_int_equal(c->resp.body.len, 5);
  rc_sim_call_free(c);
  char uri[64];
  for (int i = 0; i < 5; i++) {
    snprintf(uri, sizeof uri, "/state/p/%d", i);
    assert_int_equal(s3_status("PUT", uri, "x", NULL, NULL), 200);
  }
  c = s3("GET", "/state?list-type=2&prefix=p%2F&max-keys=3", NULL, NULL, NULL);
  assert_true(svct_has(c, "<KeyCount>3</KeyCount><IsTruncated>true</IsTruncated>"
                          "<NextContinuationToken>p/2</NextContinuationToken>"));
  rc_sim_call_free(c);
  c = s3("GET", "/state?list-type=2&prefix=p%2F&continuation-token=p%2F2", NULL, NULL, NULL);
  assert_true(svct_has(c, "<KeyCount>2</KeyCount><IsTruncated>false</IsTruncated>"));
  assert_true(svct_has(c, "<Key>p/4</Key>"));
  rc_sim_call_free(c);
  c = s3("GET", "/state?list-type=2&delimiter=%2F", NULL, NULL, NULL);
  assert_true(svct_has(c, "<CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes>"));
  assert_true(svct_has(c, "<Key>k x</Key>"));
  rc_sim_call_free(c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup(test_conditional_writes, setup),
      cmocka_unit_test_setup(test_chunked_and_list, setup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
