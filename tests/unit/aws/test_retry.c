/* The retry policy with an injected clock, sleep and random source: the
 * backoff sequence, attempt limits, the throttling deadline, the retry
 * budget, pacing buckets; and the real transport against a loopback server
 * (5xx then success, connection refused, the body cap, keep-alive reuse). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "aws/aws_test_util.h"
#include "aws/loopback.h"
#include "aws_int.h"
#include "rc_limits.h"

struct fake {
  uint64_t now;
  uint64_t sleeps[256];
  int nsleep;
  double r;
  uint64_t per_call_ms; /* time each exchange takes */
};

static uint64_t f_now(void *ud) { return ((struct fake *)ud)->now; }
static void f_sleep(void *ud, uint64_t ms)
{
  struct fake *f = ud;
  if (f->nsleep < 256) f->sleeps[f->nsleep++] = ms;
  f->now += ms;
}
static double f_rand(void *ud) { return ((struct fake *)ud)->r; }

static struct fake *g_fake;
static struct script *g_script;

/* wraps the scripted transport and advances the fake clock */
static void timed_transport(void *ud, const struct rc_aws_http_req *req, struct rc_aws_http_resp *resp)
{
  g_fake->now += g_fake->per_call_ms;
  script_transport(ud, req, resp);
}

static struct rc_aws_client *client(struct script *s, struct fake *f, int pacing)
{
  setenv("AWS_ACCESS_KEY_ID", "AKIDTEST", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "secretTEST", 1);
  setenv("AWS_REGION", "us-east-1", 1);
  setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9", 1);
  setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
  struct rc_aws_client *c = NULL;
  struct rc_error err = {0};
  struct rc_aws_settings st = {.pacing = pacing};
  assert_int_equal(rc_aws_client_new(&st, &c, &err), RC_OK);
  rc_aws__client_set_hooks(c, &(struct rc_aws__hooks){.now_ms = f_now, .sleep_ms = f_sleep,
                                                      .rand01 = f_rand, .ud = f});
  g_fake = f;
  g_script = s;
  if (s) rc_aws_client_set_transport(c, timed_transport, s);
  return c;
}

static const char *THROTTLE =
    "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message>"
    "</Error></Errors><RequestID>rid-t</RequestID></Response>";
static const char *OK_VPCS = "<DescribeVpcsResponse><vpcSet/></DescribeVpcsResponse>";
static const char *ERR500 = "<Response><Errors><Error><Code>InternalError</Code><Message>boom</Message>"
                            "</Error></Errors><RequestID>rid-5</RequestID></Response>";

static void test_retry__backoff_values(void **state)
{
  assert_int_equal(rc_aws__backoff_ms(0.5, 1), 50);
  assert_int_equal(rc_aws__backoff_ms(0.5, 2), 100);
  assert_int_equal(rc_aws__backoff_ms(0.5, 3), 200);
  assert_int_equal(rc_aws__backoff_ms(0.999, 20), 19980); /* capped at 20 s */
  assert_int_equal(rc_aws__backoff_ms(0.0, 5), 0);        /* full jitter reaches 0 */
  assert_int_equal(rc_aws__retry_classify(400, "Throttling", NULL), RC_RETRY_THROTTLE);
  assert_int_equal(rc_aws__retry_classify(400, "SlowDown", NULL), RC_RETRY_THROTTLE);
  assert_int_equal(rc_aws__retry_classify(429, "", NULL), RC_RETRY_THROTTLE);
  assert_int_equal(rc_aws__retry_classify(503, "", NULL), RC_RETRY_TRANSIENT);
  assert_int_equal(rc_aws__retry_classify(400, "InvalidParameterValue", NULL), RC_RETRY_NO);
  struct rc_aws__http_err to = {.timeout = true}, big = {.too_big = true};
  assert_int_equal(rc_aws__retry_classify(0, "", &to), RC_RETRY_TIMEOUT);
  assert_int_equal(rc_aws__retry_classify(0, "", &big), RC_RETRY_NO);
}

static void test_retry__throttle_then_ok(void **state)
{
  struct script s = {.mu = PTHREAD_MUTEX_INITIALIZER};
  for (int i = 0; i < 3; i++) script_add(&s, 503, NULL, THROTTLE);
  script_add(&s, 200, NULL, OK_VPCS);
  struct fake f = {.r = 0.5};
  struct rc_aws_client *c = client(&s, &f, -1);
  struct rc_value *out = NULL;
  struct rc_error err = {0};
  assert_int_equal(rc_aws_call(c, "ec2", "DescribeVpcs", NULL, &out, &err), RC_OK);
  assert_int_equal(s.calls, 4);
  assert_int_equal(f.nsleep, 3);
  assert_int_equal(f.sleeps[0], 50);
  assert_int_equal(f.sleeps[1], 100);
  assert_int_equal(f.sleeps[2], 200);
  assert_int_equal(rc_aws__budget_tokens(&c->budget), RC_AWS_BUDGET_MAX); /* refunded */
  struct rc_value *counts = rc_aws_client_counts(c);
  assert_int_equal(rc_value_int_get(rc_value_get(counts, "retries")), 3);
  assert_int_equal(rc_value_int_get(rc_value_get(counts, "ec2.DescribeVpcs")), 1);
  rc_value_decref(counts);
  rc_value_decref(out);
  rc_aws_client_free(c);
  script_free(&s);
}

static void test_retry__5xx_gives_up_after_5(void **state)
{
  struct script s = {.mu = PTHREAD_MUTEX_INITIALIZER};
  script_add(&s, 500, NULL, ERR500);
  struct fake f = {.r = 0.5};
  struct rc_aws_client *c = client(&s, &f, -1);
  struct rc_value *out = NULL;
  struct rc_error err = {0};
  assert_int_equal(rc_aws_call(c, "ec2", "DescribeVpcs", NULL, &out, &err), RC_AWS);
  assert_int_equal(s.calls, 5);
  assert_int_equal(err.attempts, 5);
  assert_string_equal(err.aws_code, "InternalError");
  assert_string_equal(err.request_id, "rid-5");
  assert_non_null(strstr(err.msg, "after 5 attempts"));
  uint64_t want[] = {50, 100, 200, 400};
  assert_int_equal(f.nsleep, 4);
  for (int i = 0; i < 4; i++) assert_int_equal(f.sleeps[i], want[i]);
  assert_int_equal(rc_aws__budget_tokens(&c->budget), RC_AWS_BUDGET_MAX - 4 * RC_AWS_BUDGET_RETRY_COST);
  rc_aws_client_free(c);
  script_free(&s);
}

static void test_retry__throttle_limits(void **state)
{
  struct script s = {.mu = PTHREAD_MUTEX_INITIALIZER};
  script_add(&s, 400, NULL, THROTTLE);
  struct fake f = {.r = 0.5};
  struct rc_aws_client *c = client(&s, &f, -1);
  struct rc_value *out = NULL;
  struct rc_error err = {0};
  assert_int_equal(rc_aws_call(c, "ec2", "DescribeVpcs", NULL, &out, &err), RC_THROTTLED);
  assert_int_equal(s.calls, RC_LIMIT_THROTTLE_ATTEMPTS);
  assert_int_equal(err.attempts, 10);
  assert_string_equal(err.aws_code, "RequestLimitExceeded");
  assert_non_null(strstr(err.msg, "after 10 attempts"));
  assert_int_equal(f.sleeps[8], 10000); /* 0.5 * the 20 s cap */
  rc_aws_client_free(c);
  /* the 2-minute deadline: each exchange takes 40 s */
  struct script s2 = {.mu = PTHREAD_MUTEX_INITIALIZER};
  script_add(&s2, 400, NULL, THROTTLE);
  struct fake f2 = {.r = 0.5, .per_call_ms = 40000};
  c = client(&s2, &f2, -1);
  rc_error_clear(&err);
  assert_int_equal(rc_aws_call(c, "ec2", "DescribeVpcs", NULL, &out, &err), RC_THROTTLED);
  assert_int_equal(s2.calls, 3); /* 40 + 40 + 40 s (+ backoff) passes 120 s: no more */
  assert_int_equal(err.attempts, 3);
  rc_aws_client_free(c);
  script_free(&s);
  script_free(&s2);
}

/* Throttles and other retryable errors have their own limits, as the SDKs'
 * standard mode: a 5xx after a run of throttles is still retried. */
static void test_retry__throttles_and_errors_counted_apart(void **state)
{
  static const char *ERR503 = "<Response><Errors><Error><Code>ServiceUnavailable</Code>"
                              "<Message>busy</Message></Error></Errors></Response>";
  /* 4 throttles, a 503, then the answer */
  struct script s = {.mu = PTHREAD_MUTEX_INITIALIZER};
  for (int i = 0; i < 4; i++) script_add(&s, 400, NULL, THROTTLE);
  script_add(&s, 503, NULL, ERR503);
  script_add(&s, 200, NULL, OK_VPCS);
  struct fake f = {.r = 0.5};
  struct rc_aws_client *c = client(&s, &f, -1);
  struct rc_value *out = NULL;
  struct rc_error err = {0};
  assert_int_equal(rc_aws_call(c, "ec2", "DescribeVpcs", NULL, &out, &err), RC_OK);
  assert_int_equal(s.calls, 6);
  assert_int_equal(err.code, RC_OK);
  uint64_t want[] = {50, 100, 200, 400, 800}; /* the backoff grows with every attempt */
  assert_int_equal(f.nsleep, 5);
  for (int i = 0; i < 5; i++) assert_int_equal(f.sleeps[i], want[i]);
  assert_int_equal(rc_aws__budget_tokens(&c->budget), RC_AWS_BUDGET_MAX); /* refunded */
  rc_value_decref(out);
  out = NULL;
  rc_aws_client_free(c);
  script_free(&s);

  /* 4 throttles, then 5xx for good: five 5xx answers, nine attempts in all */
  struct script s2 = {.mu = PTHREAD_MUTEX_INITIALIZER};
  for (int i = 0; i < 4; i++) script_add(&s2, 400, NULL, THROTTLE);
  script_add(&s2, 500, NULL, ERR500);
  struct fake f2 = {.r = 0.5};
  c = client(&s2, &f2, -1);
  rc_error_clear(&err);
  assert_int_equal(rc_aws_call(c, "ec2", "DescribeVpcs", NULL, &out, &err), RC_AWS);
  assert_null(out);
  assert_int_equal(s2.calls, 9);
  assert_int_equal(err.attempts, 9);
  assert_string_equal(err.aws_code, "InternalError");
  assert_non_null(strstr(err.msg, "after 9 attempts"));
  rc_aws_client_free(c);
  script_free(&s2);

  /* 4 5xx, then 9 throttles, then the answer: neither limit is reached */
  struct script s3 = {.mu = PTHREAD_MUTEX_INITIALIZER};
  for (int i = 0; i < 4; i++) script_add(&s3, 500, NULL, ERR500);
  for (int i = 0; i < 9; i++) script_add(&s3, 400, NULL, THROTTLE);
  script_add(&s3, 200, NULL, OK_VPCS);
  struct fake f3 = {.r = 0.5};
  c = client(&s3, &f3, -1);
  rc_error_clear(&err);
  assert_int_equal(rc_aws_call(c, "ec2", "DescribeVpcs", NULL, &out, &err), RC_OK);
  assert_int_equal(s3.calls, 14);
  rc_value_decref(out);
  out = NULL;
  rc_aws_client_free(c);
  script_free(&s3);

  /* a 10th throttle after the 5xx still ends the call, naming all attempts */
  struct script s4 = {.mu = PTHREAD_MUTEX_INITIALIZER};
  script_add(&s4, 503, NULL, ERR503);
  script_add(&s4, 400, NULL, THROTTLE);
  struct fake f4 = {.r = 0.5};
  c = client(&s4, &f4, -1);
  rc_error_clear(&err);
  assert_int_equal(rc_aws_call(c, "ec2", "DescribeVpcs", NULL, &out, &err), RC_THROTTLED);
  assert_int_equal(s4.calls, 1 + RC_LIMIT_THROTTLE_ATTEMPTS);
  assert_int_equal(err.attempts, 1 + RC_LIMIT_THROTTLE_ATTEMPTS);
  assert_non_null(strstr(err.msg, "after 11 attempts"));
  rc_aws_client_free(c);
  script_free(&s4);
}

static void test_retry__not_retryable(void **state)
{
  struct script s = {.mu = PTHREAD_MUTEX_INITIALIZER};
  script_add(&s, 400, NULL, "<Response><Errors><Error><Code>InvalidParameterValue</Code><Message>bad</Message></Error></Errors></Response>");
  struct fake f = {.r = 0.5};
  struct rc_aws_client *c = client(&s, &f, -1);
  struct rc_value *out = NULL;
  struct rc_error err = {0};
  assert_int_equal(rc_aws_call(c, "ec2", "CreateVpc", NULL, &out, &err), RC_AWS);
  assert_int_equal(s.calls, 1);
  assert_int_equal(err.attempts, 1);
  assert_string_equal(err.msg, "bad");
  assert_int_equal(f.nsleep, 0);
  rc_aws_client_free(c);
  script_free(&s);
}

static void test_retry__budget(void **state)
{
  struct script s = {.mu = PTHREAD_MUTEX_INITIALIZER};
  script_add(&s, 500, NULL, ERR500);
  struct fake f = {.r = 0.1};
  struct rc_aws_client *c = client(&s, &f, -1);
  struct rc_error err = {0};
  struct rc_value *out = NULL;
  /* each failing call spends 4 retries x 5 tokens: 25 calls empty the bucket */
  for (int i = 0; i < 25; i++) {
    rc_error_clear(&err);
    assert_int_equal(rc_aws_call(c, "ec2", "DescribeVpcs", NULL, &out, &err), RC_AWS);
    assert_int_equal(err.attempts, 5);
  }
  assert_int_equal(rc_aws__budget_tokens(&c->budget), 0);
  int before = s.calls;
  rc_error_clear(&err);
  assert_int_equal(rc_aws_call(c, "ec2", "DescribeVpcs", NULL, &out, &err), RC_AWS);
  assert_int_equal(s.calls - before, 1); /* no retry without budget */
  assert_int_equal(err.attempts, 1);
  rc_aws_client_free(c);
  script_free(&s);
  /* timeouts cost 10; successes refund */
  struct rc_aws__budget b;
  rc_aws__budget_init(&b);
  int taken = 0;
  assert_true(rc_aws__budget_take(&b, RC_RETRY_TIMEOUT, &taken));
  assert_true(rc_aws__budget_take(&b, RC_RETRY_TRANSIENT, &taken));
  assert_int_equal(taken, 15);
  assert_int_equal(rc_aws__budget_tokens(&b), 485);
  rc_aws__budget_success(&b, taken);
  assert_int_equal(rc_aws__budget_tokens(&b), 500);
  pthread_mutex_destroy(&b.mu);
}

static void test_pacing__buckets(void **state)
{
  assert_int_equal(rc_aws__pacer_category("ec2", "CreateNatGateway"), rc_aws__pacer_category("ec2", "CreateNatGateway"));
  int read = rc_aws__pacer_category("ec2", "DescribeVpcs");
  int mut = rc_aws__pacer_category("ec2", "CreateVpc");
  int sg = rc_aws__pacer_category("ec2", "AuthorizeSecurityGroupIngress");
  int nat = rc_aws__pacer_category("ec2", "CreateNatGateway");
  int tags = rc_aws__pacer_category("ec2", "CreateTags");
  assert_true(read != mut && mut != sg && sg != nat && nat != tags);
  assert_int_equal(rc_aws__pacer_category("iam", "CreateRole"), -1);
  assert_true(rc_aws__pacer_category("elbv2", "DescribeTargetGroups") >= 0);
  assert_true(rc_aws__pacer_category("ecs", "DescribeServices") >= 0);
  struct rc_aws__pacer p;
  rc_aws__pacer_init(&p);
  /* CreateNatGateway 1/s: the first goes, then one per second */
  assert_int_equal(rc_aws__pacer_reserve(&p, nat, 1000), 0);
  assert_int_equal(rc_aws__pacer_reserve(&p, nat, 1000), 1000);
  assert_int_equal(rc_aws__pacer_reserve(&p, nat, 1000), 2000);
  /* EC2 mutations 5/s: a burst of 5, then 200 ms apart */
  for (int i = 0; i < 5; i++) assert_int_equal(rc_aws__pacer_reserve(&p, mut, 0), 0);
  assert_int_equal(rc_aws__pacer_reserve(&p, mut, 0), 200);
  assert_int_equal(rc_aws__pacer_reserve(&p, mut, 0), 400);
  pthread_mutex_destroy(&p.mu);
  /* in the client: 25 CreateVpc at once take about (25-5)/5 = 4 s of pacing */
  struct script s = {.mu = PTHREAD_MUTEX_INITIALIZER};
  script_add(&s, 200, NULL, "<CreateVpcResponse/>");
  struct fake f = {.r = 0.5};
  struct rc_aws_client *c = client(&s, &f, 1);
  for (int i = 0; i < 25; i++) {
    struct rc_value *out = NULL;
    struct rc_error err = {0};
    assert_int_equal(rc_aws_call(c, "ec2", "CreateVpc", NULL, &out, &err), RC_OK);
    rc_value_decref(out);
  }
  assert_true(f.now >= 3800 && f.now <= 4200);
  rc_aws_client_free(c);
  /* off by default against a custom endpoint */
  struct fake f2 = {.r = 0.5};
  c = client(&s, &f2, 0);
  for (int i = 0; i < 25; i++) {
    struct rc_value *out = NULL;
    struct rc_error err = {0};
    rc_aws_call(c, "ec2", "CreateVpc", NULL, &out, &err);
    rc_value_decref(out);
  }
  assert_int_equal(f2.now, 0);
  rc_aws_client_free(c);
  script_free(&s);
}

/* --- the real transport --- */
static int srv_mode;
static int srv_hits;

static void srv(void *ud, const struct lb_req *rq, struct lb_resp *rs)
{
  int n = __sync_fetch_and_add(&srv_hits, 1);
  if (srv_mode == 0) { /* one 503, then answers */
    if (n == 0) {
      rs->status = 503;
      lb_body(rs, "<Response><Errors><Error><Code>Unavailable</Code><Message>m</Message></Error></Errors></Response>");
      return;
    }
    snprintf(rs->headers, sizeof rs->headers, "x-amzn-RequestId: req-%d\r\n", n);
    lb_body(rs, "<DescribeVpcsResponse><vpcSet><item><vpcId>vpc-1</vpcId></item></vpcSet></DescribeVpcsResponse>");
  } else if (srv_mode == 1) { /* a big body */
    rs->len = 5000;
    rs->body = malloc(5000);
    memset(rs->body, 'x', 5000);
  } else { /* drop the connection */
    rs->status = -1;
  }
}

static void test_transport__loopback(void **state)
{
  struct loopback lb;
  lb_start(&lb, srv, NULL);
  char url[64];
  snprintf(url, sizeof url, "http://127.0.0.1:%d", lb.port);
  struct fake f = {.r = 0.5};
  struct rc_aws_client *c = client(NULL, &f, -1);
  setenv("AWS_ENDPOINT_URL", url, 1);
  srv_mode = 0;
  srv_hits = 0;
  struct rc_value *out = NULL;
  struct rc_error err = {0};
  assert_int_equal(rc_aws_call(c, "ec2", "DescribeVpcs", NULL, &out, &err), RC_OK);
  assert_int_equal(srv_hits, 2);
  assert_int_equal(rc_value_len(rc_aws_list(out, "vpcSet")), 1);
  rc_value_decref(out);
  /* 40 concurrent calls through the pool of 10 reuse kept-alive connections */
  struct rc_aws_req reqs[40];
  memset(reqs, 0, sizeof reqs);
  for (int i = 0; i < 40; i++) {
    reqs[i].service = "ec2";
    reqs[i].op = "DescribeVpcs";
  }
  rc_aws_call_many(c, reqs, 40);
  for (int i = 0; i < 40; i++) {
    assert_int_equal(reqs[i].status, RC_OK);
    rc_value_decref(reqs[i].out);
  }
  assert_true(lb.connections <= 12);
  /* the body cap */
  srv_mode = 1;
  rc_aws__http_set_body_cap(c->http, 1000);
  rc_error_clear(&err);
  assert_int_equal(rc_aws_call(c, "ec2", "DescribeVpcs", NULL, &out, &err), RC_TOO_BIG);
  assert_non_null(strstr(err.msg, "larger than"));
  assert_int_equal(err.attempts, 1);
  /* a dropped connection: retried, then RC_NETWORK naming the attempts */
  srv_mode = 2;
  rc_error_clear(&err);
  assert_int_equal(rc_aws_call(c, "ec2", "DescribeVpcs", NULL, &out, &err), RC_NETWORK);
  assert_int_equal(err.attempts, 5);
  assert_non_null(strstr(err.msg, "after 5 attempts"));
  rc_aws_client_free(c);
  lb_stop(&lb);
  /* connection refused */
  c = client(NULL, &f, -1);
  setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1", 1);
  rc_error_clear(&err);
  assert_int_equal(rc_aws_call(c, "sts", "GetCallerIdentity", NULL, &out, &err), RC_NETWORK);
  assert_int_equal(err.attempts, 5);
  rc_aws_client_free(c);
}

/* An endpoint that takes the request and never answers: the low-speed limit
 * ends the transfer as a timeout (the retryable kind), shortened to 1 s here
 * (30 s in use). A GET: curl averages the speed over a few seconds, so an
 * uploaded body would keep it above 1 byte/s a while longer. */
static void test_transport__silent_endpoint_times_out(void **state)
{
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(fd >= 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
  assert_int_equal(listen(fd, 16), 0); /* the kernel accepts; nobody answers */
  socklen_t al = sizeof a;
  assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &al), 0);
  char url[64];
  snprintf(url, sizeof url, "http://127.0.0.1:%d/", ntohs(a.sin_port));
  struct rc_aws__http *h = rc_aws__http_new(2);
  rc_aws__http_set_low_speed_time(h, 1);
  const char *hdrs[] = {"Host: 127.0.0.1", NULL};
  struct rc_aws_http_req req = {.method = "GET", .url = url, .headers = hdrs};
  struct rc_aws_http_resp resp;
  struct rc_aws__http_err he;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  rc_aws__http_do(h, &req, NULL, &resp, &he);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  assert_int_equal(resp.status, 0);
  assert_true(he.timeout);
  assert_int_equal(rc_aws__retry_classify(0, "", &he), RC_RETRY_TIMEOUT);
  if (secs < 0.9 || secs > 5.0) fail_msg("gave up after %.2fs", secs);
  rc_aws__http_resp_free(&resp);
  rc_aws__http_free(h);
  close(fd);
}

static void srv_not_json(void *ud, const struct lb_req *rq, struct lb_resp *rs)
{
  snprintf(rs->headers, sizeof rs->headers, "Content-Type: application/x-amz-json-1.1\r\n");
  lb_body(rs, "{{{ \"not\": json ]]]");
}

/* A JSON 1.1 answer that is not JSON names the service and operation. */
static void test_transport__not_json_names_the_call(void **state)
{
  struct loopback lb;
  lb_start(&lb, srv_not_json, NULL);
  struct fake f = {.r = 0.5};
  struct rc_aws_client *c = client(NULL, &f, -1);
  char url[64];
  snprintf(url, sizeof url, "http://127.0.0.1:%d", lb.port);
  setenv("AWS_ENDPOINT_URL", url, 1);
  struct rc_value *out = NULL;
  struct rc_error err = {0};
  assert_int_equal(rc_aws_call(c, "ecs", "DescribeServices", NULL, &out, &err), RC_AWS);
  assert_null(out);
  if (strncmp(err.msg, "ecs DescribeServices: the answer is not JSON (", 46) != 0)
    fail_msg("message: %s", err.msg);
  assert_int_equal(lb.requests, 1); /* a 200 that does not parse is not retried */
  rc_aws_client_free(c);
  lb_stop(&lb);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_retry__backoff_values),
      cmocka_unit_test(test_retry__throttle_then_ok),
      cmocka_unit_test(test_retry__5xx_gives_up_after_5),
      cmocka_unit_test(test_retry__throttle_limits),
      cmocka_unit_test(test_retry__throttles_and_errors_counted_apart),
      cmocka_unit_test(test_retry__not_retryable),
      cmocka_unit_test(test_retry__budget),
      cmocka_unit_test(test_pacing__buckets),
      cmocka_unit_test(test_transport__loopback),
      cmocka_unit_test(test_transport__silent_endpoint_times_out),
      cmocka_unit_test(test_transport__not_json_names_the_call),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
