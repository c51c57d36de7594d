/* recon-sim core: query parsing, routing and authentication, answer and
 * error shapes, XML escaping, SigV4 against the official vectors, injected
 * misbehaviour, counters. No sockets: calls go through rc_sim_dispatch. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdlib.h>

#include "sim/sim_test_util.h"
#include "sim_int.h"

static int setup(void **state)
{
  memset(&rc_sim_config, 0, sizeof rc_sim_config);
  rc_sim_clock_freeze(0);
  rc_sim_init(1);
  return 0;
}

static void test_sim_core__query_parsing(void **state)
{
  const char *form = "Action=DescribeVpcs&Filter.1.Name=tag%3AName&Filter.1.Value.1=a+b"
                     "&Filter.1.Value.2=c%2Fd&Filter.2.Name=vpc-id&Filter.2.Value.1=vpc-1"
                     "&VpcId.2=vpc-b&VpcId.1=vpc-a&VpcId.10=vpc-j&Empty=&Flag&Dup=1&Dup=2";
  struct rc_sim_call *c = rc_sim_call_new("POST", "/?Extra=%7Bx%7D", form, strlen(form));
  rc_sim_call_header(c, "Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  assert_int_equal(rc_sim_call_parse(c), RC_OK);
  assert_string_equal(c->req.action, "DescribeVpcs");
  assert_string_equal(rc_sim_param(c, "Filter.1.Name"), "tag:Name");
  assert_string_equal(rc_sim_param(c, "Filter.1.Value.1"), "a b");
  assert_string_equal(rc_sim_param(c, "Extra"), "{x}");
  assert_string_equal(rc_sim_param(c, "Empty"), "");
  assert_string_equal(rc_sim_param(c, "Flag"), "");
  assert_string_equal(rc_sim_param(c, "Dup"), "1"); /* first of repeated keys */
  assert_null(rc_sim_param(c, "Missing"));
  assert_int_equal(rc_sim_param_max(c, "VpcId"), 10);
  assert_int_equal(rc_sim_param_max(c, "Filter"), 2);
  assert_int_equal(rc_sim_param_max(c, "Nothing"), 0);
  const char **ids;
  size_t n = rc_sim_param_list(c, "VpcId", &ids);
  assert_int_equal(n, 3);
  assert_string_equal(ids[0], "vpc-a");
  assert_string_equal(ids[1], "vpc-b");
  assert_string_equal(ids[2], "vpc-j");
  rc_free(ids);
  struct rc_sim_filters fs;
  rc_sim_filters_parse(c, "Filter", &fs);
  assert_int_equal(fs.n, 2);
  assert_string_equal(fs.v[0].name, "tag:Name");
  assert_int_equal(fs.v[0].n_values, 2);
  assert_string_equal(fs.v[0].values[1], "c/d");
  assert_true(rc_sim_filter_match(&fs.v[0], "a b"));
  assert_false(rc_sim_filter_match(&fs.v[0], "a"));
  rc_sim_filters_free(&fs);
  rc_sim_call_free(c);
}

static void test_sim_core__glob(void **state)
{
  assert_true(rc_sim_glob("web-*", "web-1"));
  assert_true(rc_sim_glob("*", ""));
  assert_true(rc_sim_glob("a?c", "abc"));
  assert_false(rc_sim_glob("a?c", "ac"));
  assert_true(rc_sim_glob("*-b-*", "x-b-y-b-z"));
  assert_false(rc_sim_glob("web", "web-1"));
  assert_true(rc_sim_glob("10.0.\\*", "10.0.*"));
  assert_false(rc_sim_glob("10.0.\\*", "10.0.1"));
}

static void test_sim_core__xml_escape(void **state)
{
  struct rc_buf b;
  rc_buf_init(&b, 0);
  rc_sim_xml_escape(&b, "a<b>&\"c\" 'd'");
  assert_string_equal(b.ptr, "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;");
  rc_buf_free(&b);
  /* and a tag value reaches the answer escaped */
  struct rc_sim_call *c = tu_ec2("Action=CreateVpc&CidrBlock=10.0.0.0%%2F16"
                                 "&TagSpecification.1.ResourceType=vpc"
                                 "&TagSpecification.1.Tag.1.Key=Name"
                                 "&TagSpecification.1.Tag.1.Value=%%3Cx%%3E%%26y");
  assert_int_equal(c->resp.status, 200);
  assert_non_null(strstr(c->resp.body.ptr, "<value>&lt;x&gt;&amp;y</value>"));
  rc_sim_call_free(c);
}

static void test_sim_core__routing_and_shapes(void **state)
{
  char buf[256];
  /* EC2 success envelope: namespace, requestId first */
  struct rc_sim_call *c = tu_ec2("Action=DescribeVpcs");
  assert_int_equal(c->resp.status, 200);
  assert_non_null(strstr(c->resp.body.ptr,
                         "<DescribeVpcsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                         "<requestId>"));
  assert_non_null(strstr(c->resp.body.ptr, "<vpcSet/>"));
  rc_sim_call_free(c);
  /* STS: Result + ResponseMetadata */
  c = tu_call("sts", "Action=GetCallerIdentity&Version=2011-06-15");
  assert_int_equal(c->resp.status, 200);
  assert_non_null(strstr(c->resp.body.ptr, "<GetCallerIdentityResponse xmlns=\"https://sts."
                                           "amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"));
  assert_string_equal(tu_xml(c, "Account", buf, sizeof buf), "123456789012");
  assert_string_equal(tu_xml(c, "Arn", buf, sizeof buf), "arn:aws:iam::123456789012:user/test");
  assert_non_null(strstr(c->resp.body.ptr, "</GetCallerIdentityResult><ResponseMetadata><RequestId>"));
  rc_sim_call_free(c);
  /* unknown EC2 action: EC2 error shape */
  c = tu_ec2("Action=LaunchRockets");
  assert_int_equal(c->resp.status, 400);
  assert_non_null(strstr(c->resp.body.ptr, "<Response><Errors><Error><Code>InvalidAction</Code>"));
  assert_non_null(strstr(c->resp.body.ptr, "<RequestID>"));
  rc_sim_call_free(c);
  /* STS errors: ErrorResponse with Type Sender */
  c = tu_call("sts", "Action=AssumeRole&Version=2011-06-15&RoleSessionName=s1");
  assert_int_equal(c->resp.status, 400);
  assert_non_null(strstr(c->resp.body.ptr, "<ErrorResponse xmlns=\"https://sts.amazonaws.com/"
                                           "doc/2011-06-15/\"><Error><Type>Sender</Type>"));
  rc_sim_call_free(c);
  /* no Authorization: 403 MissingAuthenticationToken in the guessed service's shape */
  c = tu_call(NULL, "Action=DescribeVpcs&Version=2016-11-15");
  assert_int_equal(c->resp.status, 403);
  assert_string_equal(TU_CODE(c, buf), "MissingAuthenticationToken");
  assert_non_null(strstr(c->resp.body.ptr, "<Response><Errors>"));
  rc_sim_call_free(c);
  /* ...except AssumeRoleWithWebIdentity, unsigned as on AWS */
  c = tu_call(NULL, "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleSessionName=web"
                    "&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fci&WebIdentityToken=eyJabc");
  assert_int_equal(c->resp.status, 200);
  assert_string_equal(tu_xml(c, "Arn", buf, sizeof buf),
                      "arn:aws:sts::123456789012:assumed-role/ci/web");
  assert_true(strlen(tu_xml(c, "Expiration", buf, sizeof buf)) > 10);
  rc_sim_call_free(c);
  /* malformed Authorization */
  c = rc_sim_call_new("POST", "/", "Action=DescribeVpcs", 19);
  rc_sim_call_header(c, "Content-Type", "application/x-www-form-urlencoded");
  rc_sim_call_header(c, "Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ec2/aws4_request");
  rc_sim_dispatch(c);
  assert_int_equal(c->resp.status, 400);
  assert_string_equal(TU_CODE(c, buf), "IncompleteSignature");
  rc_sim_call_free(c);
  /* the region of the credential scope reaches ARNs and AZs */
  c = rc_sim_call_new("POST", "/", "Action=DescribeAvailabilityZones&Version=2016-11-15", 51);
  rc_sim_call_header(c, "Content-Type", "application/x-www-form-urlencoded");
  rc_sim_call_header(c, "Authorization", "AWS4-HMAC-SHA256 Credential=AK/20260101/eu-west-2/ec2/"
                                         "aws4_request, SignedHeaders=host, Signature=00");
  rc_sim_dispatch(c);
  assert_int_equal(c->resp.status, 200);
  assert_string_equal(tu_xml(c, "zoneName", buf, sizeof buf), "eu-west-2a");
  assert_string_equal(tu_xml(c, "zoneId", buf, sizeof buf), "euw2-az1");
  rc_sim_call_free(c);
  /* /_sim/calls counts every routed call */
  c = rc_sim_call_new("GET", "/_sim/calls", "", 0);
  rc_sim_dispatch(c);
  assert_int_equal(c->resp.status, 200);
  json_error_t je;
  json_t *j = json_loads(c->resp.body.ptr, 0, &je);
  /* the unsigned refusal counts too: tests count attempts */
  assert_int_equal(json_integer_value(json_object_get(j, "ec2.DescribeVpcs")), 3);
  assert_int_equal(json_integer_value(json_object_get(j, "sts.AssumeRole")), 1);
  json_decref(j);
  rc_sim_call_free(c);
}

/* Reads one official test vector's header-signed-request.txt into a call. */
static struct rc_sim_call *vector_call(const char *dir, const char *name)
{
  char path[1024];
  snprintf(path, sizeof path, "%s/%s/header-signed-request.txt", dir, name);
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  static char text[16384];
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n] = '\0';
  char *line_end = strchr(text, '\n');
  *line_end = '\0';
  char method[16], uri[2048];
  char *sp1 = strchr(text, ' ');
  char *sp2 = strrchr(text, ' ');
  snprintf(method, sizeof method, "%.*s", (int)(sp1 - text), text);
  snprintf(uri, sizeof uri, "%.*s", (int)(sp2 - sp1 - 1), sp1 + 1);
  char *p = line_end + 1;
  struct { char name[128]; char val[2048]; } hs[32];
  int nh = 0;
  while (*p && *p != '\n') {
    char *e = strchr(p, '\n');
    if (!e) e = p + strlen(p);
    if ((*p == ' ' || *p == '\t') && nh > 0) { /* folded continuation */
      size_t l = strlen(hs[nh - 1].val);
      snprintf(hs[nh - 1].val + l, sizeof hs[0].val - l, "\n%.*s", (int)(e - p), p);
    } else {
      char *colon = memchr(p, ':', (size_t)(e - p));
      snprintf(hs[nh].name, sizeof hs[0].name, "%.*s", (int)(colon - p), p);
      snprintf(hs[nh].val, sizeof hs[0].val, "%.*s", (int)(e - colon - 1), colon + 1);
      nh++;
    }
    p = *e ? e + 1 : e;
  }
  const char *body = *p == '\n' ? p + 1 : "";
  struct rc_sim_call *c = rc_sim_call_new(method, uri, body, strlen(body));
  for (int i = 0; i < nh; i++) rc_sim_call_header(c, hs[i].name, hs[i].val);
  return c;
}

static void test_sim_core__sigv4_official_vectors(void **state)
{
  const char *src = getenv("RECON_SOURCE_DIR");
  char dir[1024];
  snprintf(dir, sizeof dir, "%s/../shared/aws/sigv4-testsuite", src ? src : ".");
  DIR *d = opendir(dir);
  if (!d) {
    snprintf(dir, sizeof dir, "/work/shared/aws/sigv4-testsuite");
    d = opendir(dir);
  }
  if (!d) skip();
  struct dirent *de;
  int checked = 0;
  const char *secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  while ((de = readdir(d)) != NULL) {
    if (de->d_name[0] == '.') continue;
    /* S3 vectors (unnormalized paths) and the header folding case are for
     * signers of other services; recon-sim normalizes as non-S3 services do */
    if (strstr(de->d_name, "unnormalized") || strstr(de->d_name, "multiline")) continue;
    struct rc_sim_call *c = vector_call(dir, de->d_name);
    if (!c) continue;
    const char *auth = rc_sim_header_get(c, "authorization");
    assert_non_null(auth);
    struct rc_sim__auth a;
    char why[256];
    assert_true(rc_sim__auth_parse(auth, &a, why, sizeof why));
    struct rc_buf canon;
    rc_buf_init(&canon, 0);
    bool ok = rc_sim__sigv4_verify(c, &a, secret, &canon);
    if (!ok) fail_msg("vector %s failed; canonical request:\n%s", de->d_name, canon.ptr);
    rc_buf_free(&canon);
    assert_false(rc_sim__sigv4_verify(c, &a, "wrong-secret", NULL));
    rc_sim_call_free(c);
    checked++;
  }
  closedir(d);
  assert_true(checked >= 20);
}

static void test_sim_core__verify_signature_flag(void **state)
{
  rc_sim_config.verify_access_key = "AKID";
  rc_sim_config.verify_secret = "secret";
  char buf[128];
  struct rc_sim_call *c = tu_ec2("Action=DescribeVpcs"); /* access key "test", bogus signature */
  assert_int_equal(c->resp.status, 401);
  assert_string_equal(TU_CODE(c, buf), "AuthFailure");
  rc_sim_call_free(c);
  /* right key, wrong signature */
  c = rc_sim_call_new("POST", "/", "Action=GetCallerIdentity&Version=2011-06-15", 43);
  rc_sim_call_header(c, "Content-Type", "application/x-www-form-urlencoded");
  rc_sim_call_header(c, "Host", "sts.amazonaws.com");
  rc_sim_call_header(c, "X-Amz-Date", "20260101T000000Z");
  rc_sim_call_header(c, "Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/sts/"
                                         "aws4_request, SignedHeaders=host;x-amz-date, Signature=abcd");
  rc_sim_dispatch(c);
  assert_int_equal(c->resp.status, 403);
  assert_string_equal(TU_CODE(c, buf), "SignatureDoesNotMatch");
  /* sign it properly with our own primitives and it passes */
  struct rc_sim__auth a;
  char why[128];
  assert_true(rc_sim__auth_parse(rc_sim_header_get(c, "authorization"), &a, why, sizeof why));
  struct rc_buf canon;
  rc_buf_init(&canon, 0);
  rc_sim__sigv4_verify(c, &a, "secret", &canon);
  char h[65], sts[512], sig[65];
  rc_sim__sha256_hex(canon.ptr, canon.len, h);
  snprintf(sts, sizeof sts, "AWS4-HMAC-SHA256\n20260101T000000Z\n20260101/us-east-1/sts/aws4_request\n%s", h);
  rc_sim__sigv4_signature("secret", "20260101", "us-east-1", "sts", sts, sig);
  rc_buf_free(&canon);
  rc_sim_call_free(c);
  c = rc_sim_call_new("POST", "/", "Action=GetCallerIdentity&Version=2011-06-15", 43);
  rc_sim_call_header(c, "Content-Type", "application/x-www-form-urlencoded");
  rc_sim_call_header(c, "Host", "sts.amazonaws.com");
  rc_sim_call_header(c, "X-Amz-Date", "20260101T000000Z");
  char auth[300];
  snprintf(auth, sizeof auth, "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/sts/"
                              "aws4_request, SignedHeaders=host;x-amz-date, Signature=%s", sig);
  rc_sim_call_header(c, "Authorization", auth);
  rc_sim_dispatch(c);
  assert_int_equal(c->resp.status, 200);
  rc_sim_call_free(c);
  rc_sim_config.verify_access_key = rc_sim_config.verify_secret = NULL;
}

static void test_sim_core__misbehaviour(void **state)
{
  char buf[128];
  rc_sim_config.throttle_rate = 1.0;
  struct rc_sim_call *c = tu_ec2("Action=DescribeVpcs");
  assert_int_equal(c->resp.status, 503);
  assert_string_equal(TU_CODE(c, buf), "RequestLimitExceeded");
  rc_sim_call_free(c);
  c = tu_call("sts", "Action=GetCallerIdentity&Version=2011-06-15");
  assert_int_equal(c->resp.status, 400);
  assert_string_equal(TU_CODE(c, buf), "Throttling");
  rc_sim_call_free(c);
  rc_sim_config.throttle_rate = 0;
  rc_sim_config.drop_rate = 1.0;
  c = tu_ec2("Action=DescribeVpcs");
  assert_true(c->resp.drop);
  rc_sim_call_free(c);
  rc_sim_config.drop_rate = 0;
  rc_sim_config.error_rate = 1.0;
  c = tu_ec2("Action=DescribeVpcs");
  assert_true(c->resp.status == 500 || c->resp.status == 503);
  rc_sim_call_free(c);
  /* the same seed gives the same sequence of outcomes */
  rc_sim_config.error_rate = 0.5;
  int seq[2][40];
  for (int run = 0; run < 2; run++) {
    rc_sim_init(42);
    for (int i = 0; i < 40; i++) {
      c = tu_ec2("Action=DescribeVpcs");
      seq[run][i] = c->resp.status;
      rc_sim_call_free(c);
    }
  }
  int fails = 0;
  for (int i = 0; i < 40; i++) {
    assert_int_equal(seq[0][i], seq[1][i]);
    fails += seq[0][i] != 200;
  }
  assert_true(fails > 5 && fails < 35);
  rc_sim_config.error_rate = 0;
  /* ids are deterministic from the seed too */
  char id1[40], id2[40];
  rc_sim_init(9);
  rc_sim_id("vpc", id1, sizeof id1);
  rc_sim_init(9);
  rc_sim_id("vpc", id2, sizeof id2);
  assert_string_equal(id1, id2);
  assert_int_equal(strlen(id1), 4 + 17);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup(test_sim_core__query_parsing, setup),
      cmocka_unit_test_setup(test_sim_core__glob, setup),
      cmocka_unit_test_setup(test_sim_core__xml_escape, setup),
      cmocka_unit_test_setup(test_sim_core__routing_and_shapes, setup),
      cmocka_unit_test_setup(test_sim_core__sigv4_official_vectors, setup),
      cmocka_unit_test_setup(test_sim_core__verify_signature_flag, setup),
      cmocka_unit_test_setup(test_sim_core__misbehaviour, setup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
