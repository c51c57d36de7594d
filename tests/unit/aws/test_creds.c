/* The credentials chain: each source, precedence, expiry refresh, with temp
 * files and a loopback HTTP server standing in for STS, ECS and IMDS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sys/stat.h>

#include "aws/loopback.h"
#include "aws_int.h"
#include "rc_alloc.h"

static char tmpdir[256];
static struct loopback lb;
static int imds_calls, sts_calls;
static char last_sts_auth[1024], last_sts_body[4096], last_container_auth[256];

static const char *sts_answer(const char *op, const char *ak)
{
  static char buf[2048];
  snprintf(buf, sizeof buf,
           "<%sResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><%sResult><Credentials>"
           "<AccessKeyId>%s</AccessKeyId><SecretAccessKey>assumedSecret</SecretAccessKey>"
           "<SessionToken>assumedToken</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>"
           "</Credentials></%sResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></%sResponse>",
           op, op, ak, op, op);
  return buf;
}

static void handler(void *ud, const struct lb_req *rq, struct lb_resp *rs)
{
  char tok[256] = "";
  if (strcmp(rq->path, "/latest/api/token") == 0 && strcmp(rq->method, "PUT") == 0) {
    imds_calls++;
    lb_body(rs, "imdsTOKEN");
  } else if (strncmp(rq->path, "/latest/meta-data/iam/security-credentials/", 43) == 0) {
    imds_calls++;
    if (!lb_header(rq, "X-aws-ec2-metadata-token", tok, sizeof tok) || strcmp(tok, "imdsTOKEN") != 0) {
      rs->status = 401;
      return;
    }
    if (rq->path[43] == '\0') lb_body(rs, "my-role\n");
    else
      lb_body(rs, "{\"Code\":\"Success\",\"AccessKeyId\":\"AKIDIMDS\",\"SecretAccessKey\":\"s\","
                  "\"Token\":\"t\",\"Expiration\":\"2099-01-01T00:00:00Z\"}");
  } else if (strcmp(rq->path, "/creds") == 0) {
    lb_header(rq, "Authorization", last_container_auth, sizeof last_container_auth);
    lb_body(rs, "{\"AccessKeyId\":\"AKIDECS\",\"SecretAccessKey\":\"s\",\"Token\":\"t\","
                "\"Expiration\":\"2099-01-01T00:00:00Z\"}");
  } else if (strcmp(rq->path, "/") == 0 && strcmp(rq->method, "POST") == 0) {
    sts_calls++;
    last_sts_auth[0] = '\0';
    lb_header(rq, "Authorization", last_sts_auth, sizeof last_sts_auth);
    snprintf(last_sts_body, sizeof last_sts_body, "%.*s", (int)rq->body_len, rq->body);
    if (strstr(rq->body, "Action=AssumeRoleWithWebIdentity"))
      lb_body(rs, sts_answer("AssumeRoleWithWebIdentity", "AKIDWEB"));
    else if (strstr(rq->body, "Action=AssumeRole&"))
      lb_body(rs, sts_answer("AssumeRole", "AKIDASSUMED"));
    else
      rs->status = 400;
  } else {
    rs->status = 404;
  }
}

static void write_file(const char *name, const char *text)
{
  char p[512];
  snprintf(p, sizeof p, "%s/%s", tmpdir, name);
  FILE *f = fopen(p, "w");
  fputs(text, f);
  fclose(f);
  chmod(p, 0755);
}

static void clean_env(void)
{
  const char *vars[] = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                        "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE",
                        "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
                        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                        "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                        "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION", NULL};
  for (int i = 0; vars[i]; i++) unsetenv(vars[i]);
  char p[512];
  snprintf(p, sizeof p, "%s/credentials", tmpdir);
  setenv("AWS_SHARED_CREDENTIALS_FILE", p, 1);
  snprintf(p, sizeof p, "%s/config", tmpdir);
  setenv("AWS_CONFIG_FILE", p, 1);
  write_file("credentials", "");
  write_file("config", "");
  setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
  char url[128];
  snprintf(url, sizeof url, "http://127.0.0.1:%d", lb.port);
  setenv("AWS_ENDPOINT_URL_STS", url, 1);
  setenv("AWS_REGION", "us-east-1", 1);
  imds_calls = sts_calls = 0;
}

static int group_setup(void **state)
{
  snprintf(tmpdir, sizeof tmpdir, "/tmp/recon-creds-XXXXXX");
  if (!mkdtemp(tmpdir)) return -1;
  lb_start(&lb, handler, NULL);
  return 0;
}

static int group_teardown(void **state)
{
  lb_stop(&lb);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  return system(cmd) == 0 ? 0 : -1;
}

/* Resolves with settings s (NULL: none); returns the status, fills cr. */
static rc_status get(const struct rc_aws_settings *s, struct rc_aws__creds *cr, struct rc_error *err)
{
  struct rc_aws_client *c = NULL;
  rc_status st = rc_aws_client_new(s, &c, err);
  if (st) return st;
  st = rc_aws__creds_get(c, cr, err);
  rc_aws_client_free(c);
  return st;
}

static void test_creds__env(void **state)
{
  clean_env();
  setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "envSecret", 1);
  setenv("AWS_SESSION_TOKEN", "envToken", 1);
  write_file("credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = f\n");
  struct rc_aws__creds cr;
  struct rc_error err = {0};
  assert_int_equal(get(NULL, &cr, &err), RC_OK);
  assert_string_equal(cr.access_key, "AKIDENV"); /* env before the files */
  assert_string_equal(cr.session_token, "envToken");
  rc_aws__creds_clear(&cr);
  /* a profile named in the provider block skips the environment (botocore) */
  struct rc_aws_settings s = {.profile = "default"};
  assert_int_equal(get(&s, &cr, &err), RC_OK);
  assert_string_equal(cr.access_key, "AKIDFILE");
  rc_aws__creds_clear(&cr);
}

static void test_creds__shared_files(void **state)
{
  clean_env();
  unsetenv("AWS_REGION");
  write_file("credentials", "# comment\n[default]\naws_access_key_id=AKIDDEF\naws_secret_access_key=d\n\n"
                            "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = devSecret\n"
                            "aws_session_token = devTok\n");
  write_file("config", "[default]\nregion = eu-west-1\n[profile dev]\nregion = ap-south-1\n"
                       "s3 =\n  max_concurrent_requests = 20\n"
                       "[profile cfgonly]\naws_access_key_id = AKIDCFG\naws_secret_access_key = c\n");
  struct rc_aws__creds cr;
  struct rc_error err = {0};
  struct rc_aws_client *c = NULL;
  assert_int_equal(rc_aws_client_new(NULL, &c, &err), RC_OK);
  assert_string_equal(rc_aws_client_region(c), "eu-west-1");
  assert_int_equal(rc_aws__creds_get(c, &cr, &err), RC_OK);
  assert_string_equal(cr.access_key, "AKIDDEF");
  rc_aws__creds_clear(&cr);
  rc_aws_client_free(c);
  setenv("AWS_PROFILE", "dev", 1);
  assert_int_equal(rc_aws_client_new(NULL, &c, &err), RC_OK);
  assert_string_equal(rc_aws_client_region(c), "ap-south-1");
  assert_int_equal(rc_aws__creds_get(c, &cr, &err), RC_OK);
  assert_string_equal(cr.access_key, "AKIDDEV");
  assert_string_equal(cr.session_token, "devTok");
  rc_aws__creds_clear(&cr);
  rc_aws_client_free(c);
  setenv("AWS_PROFILE", "cfgonly", 1);
  setenv("AWS_REGION", "us-east-1", 1);
  assert_int_equal(get(NULL, &cr, &err), RC_OK);
  assert_string_equal(cr.access_key, "AKIDCFG");
  rc_aws__creds_clear(&cr);
  setenv("AWS_PROFILE", "missing", 1);
  assert_int_equal(get(NULL, &cr, &err), RC_ERROR);
  assert_non_null(strstr(err.msg, "\"missing\""));
}

static time_t fake_now;
static time_t fake_wall(void *ud) { return fake_now; }

static void test_creds__expiry_refresh(void **state)
{
  clean_env();
  char script[1024], cfg[2048];
  snprintf(script, sizeof script,
           "#!/bin/sh\necho x >> %s/runs\n"
           "printf '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"p\", "
           "\"SessionToken\": \"pt\", \"Expiration\": \"2030-01-01T01:00:00Z\"}'\n",
           tmpdir);
  write_file("proc.sh", script);
  write_file("runs", "");
  snprintf(cfg, sizeof cfg, "[default]\ncredential_process = %s/proc.sh --flag\n", tmpdir);
  write_file("config", cfg);
  struct rc_aws_client *c = NULL;
  struct rc_error err = {0};
  assert_int_equal(rc_aws_client_new(NULL, &c, &err), RC_OK);
  rc_aws__client_set_hooks(c, &(struct rc_aws__hooks){.wall = fake_wall});
  struct tm tm = {.tm_year = 130, .tm_mon = 0, .tm_mday = 1, .tm_hour = 0};
  fake_now = timegm(&tm); /* 2030-01-01T00:00:00Z, an hour before expiry */
  struct rc_aws__creds cr;
  for (int i = 0; i < 3; i++) {
    assert_int_equal(rc_aws__creds_get(c, &cr, &err), RC_OK);
    assert_string_equal(cr.access_key, "AKIDPROC");
    assert_string_equal(cr.session_token, "pt");
    rc_aws__creds_clear(&cr);
  }
  assert_int_equal(c->cred_fetches, 1);
  fake_now += 3600 - 299; /* inside the 5-minute margin: refreshed */
  assert_int_equal(rc_aws__creds_get(c, &cr, &err), RC_OK);
  rc_aws__creds_clear(&cr);
  assert_int_equal(c->cred_fetches, 2);
  fake_now -= 100; /* the fresh ones are still "an hour" away as far as the file says */
  rc_aws_client_free(c);
  /* the script ran twice */
  char p[512];
  snprintf(p, sizeof p, "%s/runs", tmpdir);
  FILE *f = fopen(p, "r");
  int lines = 0, ch;
  while ((ch = fgetc(f)) != EOF) lines += ch == '\n';
  fclose(f);
  assert_int_equal(lines, 2);
  /* a failing process is a clear error; Version 2 is refused */
  write_file("proc.sh", "#!/bin/sh\nexit 3\n");
  struct rc_aws__creds cr2;
  struct rc_error e2 = {0};
  assert_int_equal(get(NULL, &cr2, &e2), RC_ERROR);
  assert_non_null(strstr(e2.msg, "credential_process failed (exit status 3)"));
  write_file("proc.sh", "#!/bin/sh\necho '{\"Version\": 2, \"AccessKeyId\": \"a\", \"SecretAccessKey\": \"b\"}'\n");
  rc_error_clear(&e2);
  assert_int_equal(get(NULL, &cr2, &e2), RC_ERROR);
  assert_non_null(strstr(e2.msg, "Version"));
}

static void test_creds__assume_role_profile(void **state)
{
  clean_env();
  write_file("credentials", "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = baseSecret\n");
  write_file("config", "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\n"
                       "source_profile = base\nexternal_id = ext-1\nrole_session_name = sess-1\n");
  setenv("AWS_PROFILE", "deploy", 1);
  struct rc_aws__creds cr;
  struct rc_error err = {0};
  assert_int_equal(get(NULL, &cr, &err), RC_OK);
  assert_string_equal(cr.access_key, "AKIDASSUMED");
  assert_string_equal(cr.session_token, "assumedToken");
  assert_true(cr.expiration > 0);
  rc_aws__creds_clear(&cr);
  assert_int_equal(sts_calls, 1);
  assert_non_null(strstr(last_sts_auth, "Credential=AKIDBASE/"));
  assert_non_null(strstr(last_sts_auth, "/us-east-1/sts/aws4_request"));
  assert_non_null(strstr(last_sts_body, "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdeploy"));
  assert_non_null(strstr(last_sts_body, "ExternalId=ext-1"));
  assert_non_null(strstr(last_sts_body, "RoleSessionName=sess-1"));
  /* assume_role from the provider block, on top of env credentials */
  clean_env();
  setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "envSecret", 1);
  struct rc_aws_settings s = {.assume_role_arn = "arn:aws:iam::1:role/r", .assume_role_session_name = "tf"};
  assert_int_equal(get(&s, &cr, &err), RC_OK);
  assert_string_equal(cr.access_key, "AKIDASSUMED");
  assert_non_null(strstr(last_sts_auth, "Credential=AKIDENV/"));
  assert_non_null(strstr(last_sts_body, "RoleSessionName=tf"));
  rc_aws__creds_clear(&cr);
}

static void test_creds__web_identity(void **state)
{
  clean_env();
  write_file("token", "eyJ.oidc.token\n");
  char p[512];
  snprintf(p, sizeof p, "%s/token", tmpdir);
  setenv("AWS_WEB_IDENTITY_TOKEN_FILE", p, 1);
  setenv("AWS_ROLE_ARN", "arn:aws:iam::1:role/gha", 1);
  setenv("AWS_ROLE_SESSION_NAME", "gha-run", 1);
  struct rc_aws__creds cr;
  struct rc_error err = {0};
  assert_int_equal(get(NULL, &cr, &err), RC_OK);
  assert_string_equal(cr.access_key, "AKIDWEB");
  assert_string_equal(last_sts_auth, ""); /* unsigned */
  assert_non_null(strstr(last_sts_body, "WebIdentityToken=eyJ.oidc.token&") ||
                  strstr(last_sts_body, "WebIdentityToken=eyJ.oidc.token"));
  assert_non_null(strstr(last_sts_body, "RoleSessionName=gha-run"));
  rc_aws__creds_clear(&cr);
}

static void test_creds__container(void **state)
{
  clean_env();
  char url[128];
  snprintf(url, sizeof url, "http://127.0.0.1:%d/creds", lb.port);
  setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
  setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ecsAuth", 1);
  struct rc_aws__creds cr;
  struct rc_error err = {0};
  assert_int_equal(get(NULL, &cr, &err), RC_OK);
  assert_string_equal(cr.access_key, "AKIDECS");
  assert_string_equal(last_container_auth, "ecsAuth");
  rc_aws__creds_clear(&cr);
  write_file("ecstoken", "fileAuth\n");
  char p[512];
  snprintf(p, sizeof p, "%s/ecstoken", tmpdir);
  setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", p, 1);
  assert_int_equal(get(NULL, &cr, &err), RC_OK);
  assert_string_equal(last_container_auth, "fileAuth");
  rc_aws__creds_clear(&cr);
}

static void test_creds__imds(void **state)
{
  clean_env();
  unsetenv("AWS_EC2_METADATA_DISABLED");
  char url[128];
  snprintf(url, sizeof url, "http://127.0.0.1:%d/", lb.port);
  setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", url, 1);
  struct rc_aws__creds cr;
  struct rc_error err = {0};
  assert_int_equal(get(NULL, &cr, &err), RC_OK);
  assert_string_equal(cr.access_key, "AKIDIMDS");
  assert_int_equal(imds_calls, 3); /* token PUT, role, credentials */
  rc_aws__creds_clear(&cr);
  /* disabled: nothing left, a clear error naming what was tried */
  setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
  imds_calls = 0;
  assert_int_equal(get(NULL, &cr, &err), RC_ERROR);
  assert_int_equal(imds_calls, 0);
  assert_non_null(strstr(err.msg, "no AWS credentials found"));
  unsetenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_creds__env),
      cmocka_unit_test(test_creds__shared_files),
      cmocka_unit_test(test_creds__expiry_refresh),
      cmocka_unit_test(test_creds__assume_role_profile),
      cmocka_unit_test(test_creds__web_identity),
      cmocka_unit_test(test_creds__container),
      cmocka_unit_test(test_creds__imds),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
