/* Query/XML, JSON 1.1 encoding and decoding against the recorded wire samples
 * (../shared/aws/wire-samples), error mapping, pagination, endpoints and the
 * transport seam. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <unistd.h>
#include <cmocka.h>

#include "aws/aws_test_util.h"
#include "aws_int.h"

static void env_setup(void)
{
  setenv("AWS_ACCESS_KEY_ID", "AKIDTEST", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "secretTEST", 1);
  unsetenv("AWS_SESSION_TOKEN");
  unsetenv("AWS_PROFILE");
  setenv("AWS_REGION", "us-east-1", 1);
  setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9", 1);
  setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
  setenv("AWS_CONFIG_FILE", "/nonexistent/config", 1);
  setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials", 1);
}

static struct rc_aws_client *client_with(struct script *s)
{
  env_setup();
  struct rc_aws_client *c = NULL;
  struct rc_error err = {0};
  assert_int_equal(rc_aws_client_new(NULL, &c, &err), RC_OK);
  rc_aws_client_set_transport(c, script_transport, s);
  return c;
}

/* Pairs of a form body, compared without order. */
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static size_t split_form(char *s, char **parts, size_t max)
{
  size_t n = 0;
  for (char *p = s; p && n < max;) {
    parts[n++] = p;
    char *e = strchr(p, '&');
    if (e) *e++ = '\0';
    p = e;
  }
  qsort(parts, n, sizeof *parts, cmp_str);
  return n;
}

static bool same_form(const char *a, const char *b)
{
  char *x = rc_strdup(a), *y = rc_strdup(b);
  char *px[64], *py[64];
  size_t nx = split_form(x, px, 64), ny = split_form(y, py, 64);
  bool ok = nx == ny;
  for (size_t i = 0; ok && i < nx; i++) ok = strcmp(px[i], py[i]) == 0;
  rc_free(x);
  rc_free(y);
  return ok;
}

static void test_query__ec2_create_vpc(void **state)
{
  struct sample ok, bad;
  if (!sample_load("ec2-query-xml.txt", 0, &ok)) skip();
  assert_true(sample_load("ec2-query-xml.txt", 2, &bad) || sample_load("ec2-query-xml.txt", 1, &bad));
  struct script s = {.mu = PTHREAD_MUTEX_INITIALIZER};
  script_add(&s, ok.status, ok.headers, ok.body);
  struct rc_aws_client *c = client_with(&s);
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_aws_param(p, "CidrBlock", "10.0.0.0/16");
  struct rc_value *tags = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(tags, "Name", rc_value_string("smoke"));
  rc_aws_param_tag_spec(p, 1, "vpc", tags);
  rc_value_decref(tags);
  struct rc_value *out = NULL;
  struct rc_error err = {0};
  assert_int_equal(rc_aws_call(c, "ec2", "CreateVpc", p, &out, &err), RC_OK);
  /* the request: the same form pairs awscli sent */
  assert_string_equal(s.last_body,
                      "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0%2F16&"
                      "TagSpecification.1.ResourceType=vpc&TagSpecification.1.Tag.1.Key=Name&"
                      "TagSpecification.1.Tag.1.Value=smoke");
  assert_true(same_form(s.last_body, ok.request_body));
  assert_non_null(strstr(s.last_headers, "Content-Type: application/x-www-form-urlencoded; charset=utf-8\n"));
  assert_non_null(strstr(s.last_headers, "Authorization: AWS4-HMAC-SHA256 Credential=AKIDTEST/"));
  assert_non_null(strstr(s.last_headers, "/us-east-1/ec2/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature="));
  assert_string_equal(s.last_url, "http://127.0.0.1:9/");
  /* the answer: root's children minus requestId */
  assert_null(rc_value_get(out, "requestId"));
  const struct rc_value *vpc = rc_value_get(out, "vpc");
  assert_non_null(vpc);
  assert_string_equal(rc_aws_str(vpc, "cidrBlock"), "10.0.0.0/16");
  assert_string_equal(rc_aws_str(vpc, "state"), "available");
  assert_true(rc_value_is_null(rc_value_get(vpc, "ipv6CidrBlockAssociationSet")));
  assert_int_equal(rc_value_len(rc_aws_list(vpc, "ipv6CidrBlockAssociationSet")), 0);
  const struct rc_value *assoc = rc_aws_list(vpc, "cidrBlockAssociationSet");
  assert_int_equal(rc_value_kind(assoc), RC_TUPLE);
  assert_int_equal(rc_value_len(assoc), 1);
  struct rc_value *tobj = rc_aws_tags_to_object(rc_aws_list(vpc, "tagSet"));
  assert_string_equal(rc_aws_str(tobj, "Name"), "smoke");
  rc_value_decref(tobj);
  rc_value_decref(out);
  rc_value_decref(p);
  /* counts */
  struct rc_value *counts = rc_aws_client_counts(c);
  assert_int_equal(rc_value_int_get(rc_value_get(counts, "ec2.CreateVpc")), 1);
  rc_value_decref(counts);
  rc_aws_client_free(c);
  script_free(&s);
  sample_free(&ok);
  sample_free(&bad);
}

static void test_query__ec2_error(void **state)
{
  struct sample bad;
  int k;
  for (k = 0; k < 8; k++) {
    if (!sample_load("ec2-query-xml.txt", k, &bad)) skip();
    if (bad.status == 400) break;
    sample_free(&bad);
  }
  struct script s = {.mu = PTHREAD_MUTEX_INITIALIZER};
  script_add(&s, bad.status, bad.headers, bad.body);
  struct rc_aws_client *c = client_with(&s);
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_aws_paramf(p, "vpc-00000000000000000", "VpcId.%d", 1);
  struct rc_value *out = NULL;
  struct rc_error err = {0};
  assert_int_equal(rc_aws_call(c, "ec2", "DescribeVpcs", p, &out, &err), RC_NOT_FOUND);
  assert_null(out);
  assert_string_equal(err.aws_code, "InvalidVpcID.NotFound");
  assert_string_equal(err.request_id, "request-id");
  assert_int_equal(err.http_status, 400);
  assert_int_equal(err.attempts, 1);
  assert_int_equal(s.calls, 1); /* not retried */
  assert_non_null(strstr(err.msg, "does not exist"));
  rc_value_decref(p);
  rc_aws_client_free(c);
  script_free(&s);
  sample_free(&bad);
}

static void test_query__elbv2_iam(void **state)
{
  struct sample ok, bad, iam_ok, iam_bad;
  if (!sample_load("elbv2-query-xml.txt", 0, &ok)) skip();
  assert_true(sample_load("elbv2-query-xml.txt", 1, &bad));
  assert_true(sample_load("iam-query-xml.txt", 1, &iam_ok));
  assert_true(sample_load("iam-query-xml.txt", 2, &iam_bad));
  struct script s = {.mu = PTHREAD_MUTEX_INITIALIZER};
  script_add(&s, ok.status, ok.headers, ok.body);
  script_add(&s, bad.status, bad.headers, bad.body);
  script_add(&s, iam_ok.status, iam_ok.headers, iam_ok.body);
  script_add(&s, iam_bad.status, iam_bad.headers, iam_bad.body);
  struct rc_aws_client *c = client_with(&s);
  struct rc_value *out = NULL;
  struct rc_error err = {0};
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_aws_param(p, "DefaultActions.member.1.Type", "forward");
  assert_int_equal(rc_aws_call(c, "elbv2", "CreateListener", p, &out, &err), RC_OK);
  assert_non_null(strstr(s.last_body, "Action=CreateListener&Version=2015-12-01&"));
  assert_non_null(strstr(s.last_headers, "/elasticloadbalancing/aws4_request"));
  const struct rc_value *ls = rc_aws_list(out, "Listeners");
  assert_int_equal(rc_value_len(ls), 1);
  assert_string_equal(rc_aws_str(rc_value_index(ls, 0), "Port"), "80");
  rc_value_decref(out);
  out = NULL;
  assert_int_equal(rc_aws_call(c, "elbv2", "DescribeTargetGroups", NULL, &out, &err), RC_NOT_FOUND);
  assert_string_equal(err.aws_code, "TargetGroupNotFound");
  assert_true(err.request_id[0] != '\0');
  rc_error_clear(&err);
  assert_int_equal(rc_aws_call(c, "iam", "GetRole", NULL, &out, &err), RC_OK);
  assert_non_null(strstr(s.last_body, "Version=2010-05-08"));
  assert_non_null(strstr(s.last_headers, "/iam/aws4_request"));
  const struct rc_value *role = rc_value_get(out, "Role");
  assert_string_equal(rc_aws_str(role, "RoleName"), "ecsTaskExecutionRole");
  assert_non_null(strstr(rc_aws_str(role, "AssumeRolePolicyDocument"), "%7B%22Version"));
  rc_value_decref(out);
  out = NULL;
  assert_int_equal(rc_aws_call(c, "iam", "GetRole", NULL, &out, &err), RC_NOT_FOUND);
  assert_string_equal(err.aws_code, "NoSuchEntity");
  assert_int_equal(err.http_status, 404);
  assert_string_equal(err.msg, "Role no-such-role not found");
  assert_string_equal(err.request_id, "PGIr8FjbqLSnLwdrBrPLTa0DNEI77ZcvUx7S54eARdQXdJVUUUto");
  rc_value_decref(p);
  rc_aws_client_free(c);
  script_free(&s);
  sample_free(&ok);
  sample_free(&bad);
  sample_free(&iam_ok);
  sample_free(&iam_bad);
}

static void test_json__ecs_logs(void **state)
{
  struct sample ecs_ok, ecs_bad, lg_create, lg_desc, lg_bad;
  if (!sample_load("ecs-json11.txt", 0, &ecs_ok)) skip();
  assert_true(sample_load("ecs-json11.txt", 1, &ecs_bad));
  assert_true(sample_load("logs-json11.txt", 0, &lg_create));
  assert_true(sample_load("logs-json11.txt", 1, &lg_desc));
  assert_true(sample_load("logs-json11.txt", 2, &lg_bad));
  struct script s = {.mu = PTHREAD_MUTEX_INITIALIZER};
  script_add(&s, ecs_ok.status, ecs_ok.headers, ecs_ok.body);
  script_add(&s, ecs_bad.status, ecs_bad.headers, ecs_bad.body);
  script_add(&s, lg_create.status, lg_create.headers, lg_create.body);
  script_add(&s, lg_desc.status, lg_desc.headers, lg_desc.body);
  script_add(&s, lg_bad.status, lg_bad.headers, lg_bad.body);
  struct rc_aws_client *c = client_with(&s);
  struct rc_error err = {0};
  struct rc_value *out = NULL;
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(p, "cluster", rc_value_string("my-cluster"));
  rc_value_obj_put(p, "desiredCount", rc_value_int(2));
  assert_int_equal(rc_aws_call(c, "ecs", "CreateService", p, &out, &err), RC_OK);
  assert_string_equal(s.last_body, "{\"cluster\":\"my-cluster\",\"desiredCount\":2}");
  assert_non_null(strstr(s.last_headers, "X-Amz-Target: AmazonEC2ContainerServiceV20141113.CreateService\n"));
  assert_non_null(strstr(s.last_headers, "Content-Type: application/x-amz-json-1.1\n"));
  assert_non_null(strstr(s.last_headers, "SignedHeaders=content-type;host;x-amz-date;x-amz-target,"));
  assert_non_null(rc_value_get(out, "service"));
  assert_string_equal(rc_aws_str(rc_value_get(out, "service"), "serviceName"), "my-app");
  rc_value_decref(out);
  out = NULL;
  assert_int_equal(rc_aws_call(c, "ecs", "DescribeServices", p, &out, &err), RC_NOT_FOUND);
  assert_string_equal(err.aws_code, "ClusterNotFoundException");
  rc_error_clear(&err);
  assert_int_equal(rc_aws_call(c, "logs", "CreateLogGroup", NULL, &out, &err), RC_OK);
  assert_string_equal(s.last_body, "{}");
  assert_non_null(strstr(s.last_headers, "X-Amz-Target: Logs_20140328.CreateLogGroup\n"));
  assert_int_equal(rc_value_kind(out), RC_OBJECT);
  assert_int_equal(rc_value_len(out), 0);
  rc_value_decref(out);
  out = NULL;
  assert_int_equal(rc_aws_call(c, "logs", "DescribeLogGroups", NULL, &out, &err), RC_OK);
  assert_int_equal(rc_value_len(rc_aws_list(out, "logGroups")), 1);
  rc_value_decref(out);
  out = NULL;
  assert_int_equal(rc_aws_call(c, "logs", "DeleteLogGroup", NULL, &out, &err), RC_NOT_FOUND);
  assert_string_equal(err.aws_code, "ResourceNotFoundException");
  assert_true(err.msg[0] != '\0');
  rc_value_decref(p);
  rc_aws_client_free(c);
  script_free(&s);
  sample_free(&ecs_ok);
  sample_free(&ecs_bad);
  sample_free(&lg_create);
  sample_free(&lg_desc);
  sample_free(&lg_bad);
}

static void test_json__error_forms(void **state)
{
  struct rc_error e = {0};
  const char *je = "{\"__type\":\"com.amazonaws.ecs#ClusterNotFoundException\",\"message\":\"m\"}";
  rc_aws__json_error(je, strlen(je), NULL, &e);
  assert_string_equal(e.aws_code, "ClusterNotFoundException");
  assert_string_equal(e.msg, "m");
  memset(&e, 0, sizeof e);
  rc_aws__json_error("", 0, "HTTP/1.1 400\r\nX-Amzn-ErrorType: ThrottlingException:http://internal\r\nx-amzn-RequestId: r-1\r\n", &e);
  assert_string_equal(e.aws_code, "ThrottlingException");
  assert_string_equal(e.request_id, "r-1");
  assert_int_equal(rc_aws__code_status("DependencyViolation", 400), RC_DEPENDENCY);
  assert_int_equal(rc_aws__code_status("ResourceInUse", 400), RC_DEPENDENCY);
  assert_int_equal(rc_aws__code_status("InvalidSubnetID.NotFound", 400), RC_NOT_FOUND);
  assert_int_equal(rc_aws__code_status("NoSuchEntity", 404), RC_NOT_FOUND);
  assert_int_equal(rc_aws__code_status("InvalidParameterValue", 400), RC_AWS);
  assert_int_equal(rc_aws__code_status("", 412), RC_CONFLICT);
}

static void test_query__encoding(void **state)
{
  const struct rc_aws__svc *ec2 = rc_aws__svc_find("ec2"), *elb = rc_aws__svc_find("elb");
  assert_string_equal(elb->name, "elbv2");
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_aws_param(p, "Filter.1.Name", "tag:recon:stack");
  rc_aws_param(p, "Filter.1.Value.1", "a b&c=d/é~");
  rc_value_obj_put(p, "MaxResults", rc_value_int(5));
  rc_value_obj_put(p, "DryRun", rc_value_bool(false));
  struct rc_value *l = rc_value_seq_new(RC_TUPLE);
  rc_value_seq_push(l, rc_value_string("x"));
  rc_value_seq_push(l, rc_value_string("y"));
  rc_value_obj_put(p, "Names", l);
  struct rc_aws__wire w;
  struct rc_error err = {0};
  assert_int_equal(rc_aws__query_encode(ec2, "DescribeVpcs", p, &w, &err), RC_OK);
  assert_string_equal(w.body.ptr,
                      "Action=DescribeVpcs&Version=2016-11-15&DryRun=false&"
                      "Filter.1.Name=tag%3Arecon%3Astack&Filter.1.Value.1=a%20b%26c%3Dd%2F%C3%A9~&"
                      "MaxResults=5&Names.1=x&Names.2=y");
  rc_buf_free(&w.body);
  assert_int_equal(rc_aws__query_encode(elb, "DescribeTargetGroups", p, &w, &err), RC_OK);
  assert_non_null(strstr(w.body.ptr, "&Names.member.1=x&Names.member.2=y"));
  assert_non_null(strstr(w.body.ptr, "Version=2015-12-01"));
  rc_buf_free(&w.body);
  rc_value_decref(p);
}

static void test_pagination__tokens(void **state)
{
  struct script s = {.mu = PTHREAD_MUTEX_INITIALIZER};
  script_add(&s, 200, NULL,
             "<DescribeVpcsResponse><requestId>1</requestId><vpcSet><item><vpcId>vpc-1</vpcId></item>"
             "<item><vpcId>vpc-2</vpcId></item></vpcSet><nextToken>t1</nextToken></DescribeVpcsResponse>");
  script_add(&s, 200, NULL,
             "<DescribeVpcsResponse><vpcSet><item><vpcId>vpc-3</vpcId></item></vpcSet></DescribeVpcsResponse>");
  script_add(&s, 200, NULL, "{\"logGroups\":[{\"logGroupName\":\"a\"}],\"nextToken\":\"n1\"}");
  script_add(&s, 200, NULL, "{\"logGroups\":[{\"logGroupName\":\"b\"}],\"nextToken\":null}");
  script_add(&s, 200, NULL,
             "<DescribeLoadBalancersResponse><DescribeLoadBalancersResult><LoadBalancers><member><LoadBalancerName>x</LoadBalancerName></member></LoadBalancers>"
             "<NextMarker>m1</NextMarker></DescribeLoadBalancersResult></DescribeLoadBalancersResponse>");
  script_add(&s, 200, NULL,
             "<DescribeLoadBalancersResponse><DescribeLoadBalancersResult><LoadBalancers/></DescribeLoadBalancersResult></DescribeLoadBalancersResponse>");
  struct rc_aws_client *c = client_with(&s);
  struct rc_value *all = NULL;
  struct rc_error err = {0};
  assert_int_equal(rc_aws_call_all(c, "ec2", "DescribeVpcs", NULL, "vpcSet", &all, &err), RC_OK);
  assert_int_equal(rc_value_len(all), 3);
  assert_string_equal(rc_aws_str(rc_value_index(all, 2), "vpcId"), "vpc-3");
  assert_non_null(strstr(s.last_body, "NextToken=t1"));
  rc_value_decref(all);
  assert_int_equal(rc_aws_call_all(c, "logs", "DescribeLogGroups", NULL, "logGroups", &all, &err), RC_OK);
  assert_int_equal(rc_value_len(all), 2);
  assert_string_equal(s.last_body, "{\"nextToken\":\"n1\"}");
  rc_value_decref(all);
  assert_int_equal(rc_aws_call_all(c, "elbv2", "DescribeLoadBalancers", NULL, "LoadBalancers", &all, &err), RC_OK);
  assert_int_equal(rc_value_len(all), 1);
  assert_non_null(strstr(s.last_body, "Marker=m1"));
  rc_value_decref(all);
  struct rc_value *counts = rc_aws_client_counts(c);
  assert_int_equal(rc_value_int_get(rc_value_get(counts, "ec2.DescribeVpcs")), 2);
  assert_int_equal(rc_value_int_get(rc_value_get(counts, "logs.DescribeLogGroups")), 2);
  rc_value_decref(counts);
  rc_aws_client_free(c);
  script_free(&s);
}

static void test_endpoints__resolution(void **state)
{
  env_setup();
  unsetenv("AWS_ENDPOINT_URL");
  struct rc_aws_client *c = NULL;
  struct rc_error err = {0};
  struct rc_value *eps = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(eps, "cloudwatchlogs", rc_value_string("http://localhost:4566/base/"));
  struct rc_aws_settings st = {.region = "eu-west-1", .endpoints = eps};
  assert_int_equal(rc_aws_client_new(&st, &c, &err), RC_OK);
  assert_string_equal(rc_aws_client_region(c), "eu-west-1");
  struct rc_aws__endpoint ep;
  assert_int_equal(rc_aws__endpoint_resolve(c, rc_aws__svc_find("ec2"), &ep, &err), RC_OK);
  assert_string_equal(ep.base, "https://ec2.eu-west-1.amazonaws.com");
  assert_false(ep.custom);
  rc_aws__endpoint_free(&ep);
  rc_aws__endpoint_resolve(c, rc_aws__svc_find("iam"), &ep, &err);
  assert_string_equal(ep.base, "https://iam.amazonaws.com");
  assert_string_equal(ep.signing_region, "us-east-1");
  rc_aws__endpoint_free(&ep);
  rc_aws__endpoint_resolve(c, rc_aws__svc_find("elbv2"), &ep, &err);
  assert_string_equal(ep.base, "https://elasticloadbalancing.eu-west-1.amazonaws.com");
  rc_aws__endpoint_free(&ep);
  rc_aws__endpoint_resolve(c, rc_aws__svc_find("logs"), &ep, &err);
  assert_string_equal(ep.base, "http://localhost:4566/base");
  assert_string_equal(ep.host, "localhost:4566");
  assert_string_equal(ep.path, "/base");
  assert_true(ep.custom);
  rc_aws__endpoint_free(&ep);
  setenv("AWS_ENDPOINT_URL_ECS", "http://127.0.0.1:7000", 1);
  setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:8000", 1);
  rc_aws__endpoint_resolve(c, rc_aws__svc_find("ecs"), &ep, &err);
  assert_string_equal(ep.base, "http://127.0.0.1:7000");
  rc_aws__endpoint_free(&ep);
  rc_aws__endpoint_resolve(c, rc_aws__svc_find("sts"), &ep, &err);
  assert_string_equal(ep.base, "http://127.0.0.1:8000");
  rc_aws__endpoint_free(&ep);
  rc_aws__endpoint_resolve(c, rc_aws__svc_find("logs"), &ep, &err); /* settings win */
  assert_string_equal(ep.host, "localhost:4566");
  rc_aws__endpoint_free(&ep);
  unsetenv("AWS_ENDPOINT_URL_ECS");
  rc_aws_client_free(c);
  rc_value_decref(eps);
  /* no region anywhere: a clear error */
  unsetenv("AWS_REGION");
  unsetenv("AWS_DEFAULT_REGION");
  rc_error_clear(&err);
  assert_int_not_equal(rc_aws_client_new(NULL, &c, &err), RC_OK);
  assert_non_null(strstr(err.msg, "no AWS region"));
}

/* One endpoint for every service: each call still signs for its own service. */
static void test_endpoints__scope_per_service(void **state)
{
  struct script s = {.mu = PTHREAD_MUTEX_INITIALIZER};
  script_add(&s, 200, NULL, "<R><XResult/></R>");
  struct rc_aws_client *c = client_with(&s);
  const char *svcs[][2] = {{"elbv2", "/elasticloadbalancing/"}, {"sts", "/sts/"}, {"ecs", "/ecs/"},
                           {"logs", "/logs/"}, {"ec2", "/ec2/"}, {"iam", "/iam/"}};
  for (int i = 0; i < 6; i++) {
    struct rc_value *out = NULL;
    struct rc_error err = {0};
    rc_aws_call(c, svcs[i][0], "X", NULL, &out, &err);
    rc_value_decref(out);
    char want[64];
    snprintf(want, sizeof want, "/us-east-1%saws4_request", svcs[i][1]);
    assert_non_null(strstr(s.last_headers, want));
    assert_string_equal(s.last_url, "http://127.0.0.1:9/");
  }
  rc_aws_client_free(c);
  script_free(&s);
}

static void test_seam__call_many(void **state)
{
  struct script s = {.mu = PTHREAD_MUTEX_INITIALIZER};
  script_add(&s, 200, NULL, "<DescribeVpcsResponse><vpcSet/></DescribeVpcsResponse>");
  struct rc_aws_client *c = client_with(&s);
  struct rc_aws_req reqs[25];
  memset(reqs, 0, sizeof reqs);
  for (int i = 0; i < 25; i++) {
    reqs[i].service = i % 5 ? "ec2" : "nosuch";
    reqs[i].op = "DescribeVpcs";
  }
  rc_aws_call_many(c, reqs, 25);
  for (int i = 0; i < 25; i++) {
    if (i % 5) {
      assert_int_equal(reqs[i].status, RC_OK);
      assert_non_null(reqs[i].out);
    } else {
      assert_int_equal(reqs[i].status, RC_USAGE);
      assert_null(reqs[i].out);
    }
    rc_value_decref(reqs[i].out);
  }
  assert_int_equal(s.calls, 20);
  rc_aws_client_free(c);
  script_free(&s);
}

static void test_xml__generic(void **state)
{
  struct rc_value *v = rc_aws__xml_to_value("<a><b>1</b><c><member>x</member><member>y</member></c><d/></a>", 62);
  assert_non_null(v);
  assert_string_equal(rc_aws_str(v, "b"), "1");
  assert_int_equal(rc_value_len(rc_aws_list(v, "c")), 2);
  assert_true(rc_value_is_null(rc_value_get(v, "d")));
  rc_value_decref(v);
  struct rc_error e = {0};
  const char *s3 = "<?xml version=\"1.0\"?><Error><Code>PreconditionFailed</Code><Message>At least one</Message><RequestId>R1</RequestId></Error>";
  rc_aws__xml_error(s3, strlen(s3), &e);
  assert_string_equal(e.aws_code, "PreconditionFailed");
  assert_string_equal(e.request_id, "R1");
}

/* libxml2 prints some errors (encoding errors) on its generic channel
 * whatever the parse options say: garbage answers, on the caller's thread or
 * call_many's, must leave stderr silent and put the reason in the error. */
static void test_xml__garbage_is_quiet(void **state)
{
  static const char *BAD_ENC =
      "<?xml version='1.0' encoding='ISO-2022-JP'?><a>\x1b$B\xff\xff</a>";
  static const char *NOT_XML = "<<<this is not XML>>> &&& </open>";
  char path[] = "/tmp/recon-xml-stderr-XXXXXX";
  int tmp = mkstemp(path);
  assert_true(tmp >= 0);
  unlink(path);
  fflush(stderr);
  int saved = dup(2);
  assert_true(saved >= 0);
  assert_int_equal(dup2(tmp, 2), 2);

  struct script s = {.mu = PTHREAD_MUTEX_INITIALIZER};
  script_add(&s, 200, NULL, BAD_ENC);
  script_add(&s, 200, NULL, NOT_XML);
  script_add(&s, 400, NULL, BAD_ENC); /* an error answer that does not parse */
  struct rc_aws_client *c = client_with(&s);
  struct rc_value *out = NULL;
  struct rc_error e1 = {0}, e2 = {0}, e3 = {0};
  rc_status st1 = rc_aws_call(c, "ec2", "DescribeVpcs", NULL, &out, &e1);
  rc_status st2 = rc_aws_call(c, "ec2", "DescribeVpcs", NULL, &out, &e2);
  rc_status st3 = rc_aws_call(c, "elbv2", "DescribeLoadBalancers", NULL, &out, &e3);
  struct rc_aws_req reqs[4];
  memset(reqs, 0, sizeof reqs);
  for (int i = 0; i < 4; i++) reqs[i].service = "iam", reqs[i].op = "ListRoles";
  rc_aws_call_many(c, reqs, 4); /* the last answer repeats: 400, garbage */
  struct rc_value *gv = rc_aws__xml_to_value(BAD_ENC, strlen(BAD_ENC));
  struct rc_error ge = {0};
  rc_aws__xml_error(BAD_ENC, strlen(BAD_ENC), &ge);

  fflush(stderr);
  assert_int_equal(dup2(saved, 2), 2);
  close(saved);
  off_t printed = lseek(tmp, 0, SEEK_END);
  char said[512] = "";
  if (printed > 0 && pread(tmp, said, sizeof said - 1, 0) < 0) said[0] = '\0';
  close(tmp);
  if (printed != 0) fail_msg("libxml2 wrote %lld bytes to stderr: %s", (long long)printed, said);

  assert_int_equal(st1, RC_AWS);
  if (!strstr(e1.msg, "ec2.DescribeVpcs: the answer is not XML") ||
      !strstr(e1.msg, "input conversion failed"))
    fail_msg("message: %s", e1.msg);
  assert_int_equal(st2, RC_AWS);
  if (!strstr(e2.msg, "not XML") || !strstr(e2.msg, "StartTag")) fail_msg("message: %s", e2.msg);
  assert_int_equal(st3, RC_AWS);
  assert_int_equal(e3.http_status, 400);
  for (int i = 0; i < 4; i++) {
    assert_int_equal(reqs[i].status, RC_AWS);
    assert_int_equal(reqs[i].err.http_status, 400);
  }
  assert_null(out);
  assert_null(gv);
  assert_string_equal(ge.aws_code, "");
  rc_aws_client_free(c);
  script_free(&s);
}

/* A well-formed answer of the wrong shape must be an error, never "no
 * objects" (which would plan to create everything again). */
static void test_decode__wrong_shape_is_an_error(void **state)
{
  const struct rc_aws__svc *ec2 = rc_aws__svc_find("ec2"), *elb = rc_aws__svc_find("elbv2");
  struct rc_value *out = NULL;
  struct rc_error err = {0};
  const char *other = "<?xml version=\"1.0\"?><html><body>maintenance</body></html>";
  assert_int_equal(rc_aws__query_decode(ec2, "DescribeVpcs", other, strlen(other), &out, &err),
                   RC_AWS);
  assert_null(out);
  assert_non_null(strstr(err.msg, "unexpected answer"));
  assert_non_null(strstr(err.msg, "DescribeVpcsResponse"));
  rc_error_clear(&err);
  const char *wrong_op = "<DescribeSubnetsResponse><subnetSet/></DescribeSubnetsResponse>";
  assert_int_equal(rc_aws__query_decode(ec2, "DescribeVpcs", wrong_op, strlen(wrong_op), &out,
                                        &err), RC_AWS);
  rc_error_clear(&err);
  const char *ok = "<DescribeLoadBalancersResponse><DescribeLoadBalancersResult><LoadBalancers/>"
                   "</DescribeLoadBalancersResult></DescribeLoadBalancersResponse>";
  assert_int_equal(rc_aws__query_decode(elb, "DescribeLoadBalancers", ok, strlen(ok), &out, &err),
                   RC_OK);
  rc_value_decref(out);
  out = NULL;
  assert_int_equal(rc_aws__json_decode("[1,2]", 5, &out, &err), RC_AWS);
  assert_null(out);
  assert_non_null(strstr(err.msg, "not an object"));
  rc_error_clear(&err);
  assert_int_equal(rc_aws__json_decode("{}", 2, &out, &err), RC_OK);
  rc_value_decref(out);
}

static void test_s3__rest_xml(void **state)
{
  struct script s = {.mu = PTHREAD_MUTEX_INITIALIZER};
  script_add(&s, 200, "HTTP/1.1 200 OK\r\nETag: \"abc123\"\r\n", "");
  script_add(&s, 412, NULL,
             "<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you "
             "specified did not hold</Message><RequestId>R2</RequestId></Error>");
  script_add(&s, 200, "HTTP/1.1 200 OK\r\nETag: \"e2\"\r\n", "{\"version\":4}");
  script_add(&s, 404, NULL, "<Error><Code>NoSuchKey</Code><Message>nope</Message></Error>");
  script_add(&s, 404, NULL, "");
  script_add(&s, 204, NULL, "");
  struct rc_aws_client *c = client_with(&s);
  char etag[128];
  struct rc_error err = {0};
  assert_int_equal(rc_aws_s3_put(c, "bkt", "env/a b.tfstate", "{}", 2, NULL, true, etag, &err), RC_OK);
  assert_string_equal(etag, "\"abc123\"");
  assert_string_equal(s.last_url, "http://127.0.0.1:9/bkt/env/a%20b.tfstate"); /* path style */
  assert_non_null(strstr(s.last_headers, "If-None-Match: *\n"));
  assert_non_null(strstr(s.last_headers, "X-Amz-Content-SHA256: 44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\n"));
  assert_non_null(strstr(s.last_headers, "/us-east-1/s3/aws4_request"));
  assert_int_equal(rc_aws_s3_put(c, "bkt", "k", "{}", 2, "\"old\"", false, etag, &err), RC_CONFLICT);
  assert_non_null(strstr(s.last_headers, "If-Match: \"old\"\n"));
  assert_string_equal(err.aws_code, "PreconditionFailed");
  assert_int_equal(err.http_status, 412);
  rc_error_clear(&err);
  struct rc_s3_object o;
  assert_int_equal(rc_aws_s3_get(c, "bkt", "k", &o, &err), RC_OK);
  assert_int_equal(o.len, 13);
  assert_string_equal(o.etag, "\"e2\"");
  rc_free(o.body);
  assert_int_equal(rc_aws_s3_get(c, "bkt", "k", &o, &err), RC_NOT_FOUND);
  assert_string_equal(err.aws_code, "NoSuchKey");
  rc_error_clear(&err);
  assert_int_equal(rc_aws_s3_head(c, "bkt", "k", etag, NULL, &err), RC_NOT_FOUND);
  assert_int_equal(rc_aws_s3_delete(c, "bkt", "k", &err), RC_OK);
  rc_aws_client_free(c);
  script_free(&s);
  /* virtual-host style on AWS itself */
  unsetenv("AWS_ENDPOINT_URL");
  struct rc_aws_client *c2 = NULL;
  assert_int_equal(rc_aws_client_new(NULL, &c2, &err), RC_OK);
  struct script s2 = {.mu = PTHREAD_MUTEX_INITIALIZER};
  script_add(&s2, 204, NULL, "");
  rc_aws_client_set_transport(c2, script_transport, &s2);
  assert_int_equal(rc_aws_s3_delete(c2, "bkt", "dir/k", &err), RC_OK);
  assert_string_equal(s2.last_url, "https://bkt.s3.us-east-1.amazonaws.com/dir/k");
  assert_non_null(strstr(s2.last_headers, "Host: bkt.s3.us-east-1.amazonaws.com\n"));
  rc_aws_client_free(c2);
  script_free(&s2);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_query__ec2_create_vpc),
      cmocka_unit_test(test_query__ec2_error),
      cmocka_unit_test(test_query__elbv2_iam),
      cmocka_unit_test(test_json__ecs_logs),
      cmocka_unit_test(test_json__error_forms),
      cmocka_unit_test(test_query__encoding),
      cmocka_unit_test(test_pagination__tokens),
      cmocka_unit_test(test_endpoints__resolution),
      cmocka_unit_test(test_endpoints__scope_per_service),
      cmocka_unit_test(test_seam__call_many),
      cmocka_unit_test(test_xml__generic),
      cmocka_unit_test(test_xml__garbage_is_quiet),
      cmocka_unit_test(test_decode__wrong_shape_is_an_error),
      cmocka_unit_test(test_s3__rest_xml),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
