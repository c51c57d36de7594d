/* recon debug — hidden debugging helpers (not listed by recon -help).
 *
 *   recon debug aws <service> <Operation> [key=value...]
 *       One AWS call with the full credential chain, endpoint rules and
 *       retries; prints the parsed answer as JSON. Query services (ec2, elbv2,
 *       iam, sts) take the protocol's flat parameters (Filter.1.Name=tag:Name);
 *       JSON services (ecs, logs) take top-level body fields, a value starting
 *       with [ or { (or a bare number, true, false) parsed as JSON. s3 takes
 *       GetObject/HeadObject/DeleteObject/PutObject with Bucket=, Key=, Body=,
 *       IfMatch=, IfNoneMatch=*. Exit 1 with "Error: <code>: <message>".
 *   recon debug sign
 *       Reads a JSON request description on stdin and prints the SigV4
 *       Authorization header (the botocore differential test uses it):
 *       {"method", "url", "headers": [[name, value]...], "body", "service",
 *        "region", "access_key", "secret_key", "session_token",
 *        "time": "YYYYMMDDTHHMMSSZ", "s3": bool, "verbose": bool} */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws.h"
#include "cli.h"
#include "rc_alloc.h"
#include "rc_buf.h"
#include "sigv4.h"

static void usage(FILE *out)
{
  fputs("Usage: recon debug aws <service> <Operation> [key=value...]\n"
        "       recon debug sign < request.json\n\n"
        "  Hidden helpers for checking recon's AWS client against an endpoint.\n"
        "  Services: ec2, elbv2, iam, sts, ecs, logs, s3.\n",
        out);
}

static bool json_scalar_like(const char *v)
{
  if (!*v) return false;
  if (v[0] == '[' || v[0] == '{' || strcmp(v, "true") == 0 || strcmp(v, "false") == 0) return true;
  const char *p = v + (*v == '-');
  if (!*p) return false;
  for (; *p; p++)
    if (!isdigit((unsigned char)*p)) return false;
  return strlen(v) < 16;
}

static void print_error(const struct rc_error *e)
{
  if (e->aws_code[0])
    fprintf(stderr, "Error: %s: %s\n", e->aws_code, e->msg);
  else
    fprintf(stderr, "Error: %s\n", e->msg[0] ? e->msg : rc_status_str(e->code));
}

static void print_value(const struct rc_value *v)
{
  json_t *j = rc_value_to_json(v);
  char *s = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_ENCODE_ANY);
  puts(s ? s : "null");
  free(s);
  json_decref(j);
}

static int do_s3(struct rc_aws_client *c, const char *op, const struct rc_value *p,
                 struct rc_error *err)
{
  const char *bucket = rc_aws_str(p, "Bucket"), *key = rc_aws_str(p, "Key");
  rc_status st;
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  if (strcmp(op, "GetObject") == 0) {
    struct rc_s3_object obj;
    st = rc_aws_s3_get(c, bucket, key, &obj, err);
    if (!st) {
      rc_value_obj_put(o, "ETag", rc_value_string(obj.etag));
      rc_value_obj_put(o, "Body", rc_value_string_n(obj.body, obj.len));
      rc_free(obj.body);
    }
  } else if (strcmp(op, "HeadObject") == 0) {
    char etag[128];
    size_t size = 0;
    st = rc_aws_s3_head(c, bucket, key, etag, &size, err);
    if (!st) {
      rc_value_obj_put(o, "ETag", rc_value_string(etag));
      rc_value_obj_put(o, "ContentLength", rc_value_int((int64_t)size));
    }
  } else if (strcmp(op, "PutObject") == 0) {
    char etag[128];
    const char *body = rc_aws_str(p, "Body");
    const char *inm = rc_aws_str(p, "IfNoneMatch");
    st = rc_aws_s3_put(c, bucket, key, body ? body : "", body ? strlen(body) : 0,
                       rc_aws_str(p, "IfMatch"), inm && strcmp(inm, "*") == 0, etag, err);
    if (!st) rc_value_obj_put(o, "ETag", rc_value_string(etag));
  } else if (strcmp(op, "DeleteObject") == 0) {
    st = rc_aws_s3_delete(c, bucket, key, err);
  } else {
    st = rc_error_set(err, RC_USAGE,
                      "s3 supports GetObject, HeadObject, PutObject and DeleteObject, not %s", op);
  }
  if (!st) print_value(o);
  rc_value_decref(o);
  return st;
}

static int debug_aws(int argc, char **argv)
{
  if (argc < 2) {
    usage(stderr);
    return 1;
  }
  const char *svc = argv[0], *op = argv[1];
  bool json_svc = strcmp(svc, "ecs") == 0 || strcmp(svc, "logs") == 0;
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  for (int i = 2; i < argc; i++) {
    char *eq = strchr(argv[i], '=');
    if (!eq) {
      fprintf(stderr, "Error: parameter \"%s\" is not key=value\n", argv[i]);
      rc_value_decref(p);
      return 1;
    }
    char *key = rc_strndup(argv[i], (size_t)(eq - argv[i]));
    const char *val = eq + 1;
    struct rc_value *v = NULL;
    if (json_svc && json_scalar_like(val)) {
      struct rc_error jerr = {0};
      v = rc_value_parse_json(val, strlen(val), &jerr);
      if (!v) {
        fprintf(stderr, "Error: parameter %s: bad JSON: %s\n", key, jerr.msg);
        rc_free(key);
        rc_value_decref(p);
        return 1;
      }
    }
    rc_value_obj_put(p, key, v ? v : rc_value_string(val));
    rc_free(key);
  }
  struct rc_error err = {0};
  struct rc_aws_client *c = NULL;
  struct rc_aws_settings s = {0};
  int rc = 0;
  if (rc_aws_client_new(&s, &c, &err)) {
    print_error(&err);
    rc_value_decref(p);
    return 1;
  }
  if (strcmp(svc, "s3") == 0) {
    rc = do_s3(c, op, p, &err) ? 1 : 0;
  } else {
    struct rc_value *out = NULL;
    if (rc_aws_call(c, svc, op, p, &out, &err) == RC_OK) print_value(out);
    else rc = 1;
    rc_value_decref(out);
  }
  if (rc) print_error(&err);
  const char *lv = getenv("RECON_LOG");
  if (lv && (strcasecmp(lv, "debug") == 0 || strcasecmp(lv, "trace") == 0)) {
    struct rc_value *counts = rc_aws_client_counts(c);
    char *t = rc_value_dump_json(counts);
    fprintf(stderr, "[DEBUG] aws: calls %s\n", t);
    rc_free(t);
    rc_value_decref(counts);
  }
  rc_aws_client_free(c);
  rc_value_decref(p);
  return rc;
}

static const char *jstr(json_t *o, const char *k)
{
  const char *s = json_string_value(json_object_get(o, k));
  return s ? s : "";
}

static int debug_sign(void)
{
  json_error_t je;
  json_t *j = json_loadf(stdin, 0, &je);
  if (!json_is_object(j)) {
    fprintf(stderr, "Error: stdin is not a JSON object: %s\n", je.text);
    json_decref(j);
    return 1;
  }
  const char *url = jstr(j, "url");
  const char *p = strstr(url, "://");
  if (!p) {
    fprintf(stderr, "Error: url must be absolute\n");
    json_decref(j);
    return 1;
  }
  p += 3;
  size_t hl = strcspn(p, "/?#");
  char *host = rc_strndup(p, hl);
  const char *rest = p + hl;
  size_t pl = strcspn(rest, "?#");
  char *path = rc_strndup(rest, pl);
  char *query = NULL;
  if (rest[pl] == '?') query = rc_strndup(rest + pl + 1, strcspn(rest + pl + 1, "#"));
  json_t *hj = json_object_get(j, "headers");
  size_t nh = json_array_size(hj);
  struct rc_sigv4_header *hs = rc_calloc(nh + 1, sizeof *hs);
  for (size_t i = 0; i < nh; i++) {
    json_t *pair = json_array_get(hj, i);
    hs[i].name = json_string_value(json_array_get(pair, 0));
    hs[i].value = json_string_value(json_array_get(pair, 1));
    if (!hs[i].name || !hs[i].value) {
      fprintf(stderr, "Error: headers must be [name, value] pairs\n");
      json_decref(j);
      return 1;
    }
  }
  struct tm tm = {0};
  time_t when = 0;
  if (strptime(jstr(j, "time"), "%Y%m%dT%H%M%SZ", &tm)) when = timegm(&tm);
  const char *body = json_string_value(json_object_get(j, "body"));
  size_t body_len = json_string_length(json_object_get(j, "body"));
  const char *tok = json_string_value(json_object_get(j, "session_token"));
  struct rc_sigv4_in in = {.method = jstr(j, "method"), .path = path, .query = query,
                           .headers = hs, .nheaders = nh, .host = host, .body = body,
                           .body_len = body ? body_len : 0, .region = jstr(j, "region"),
                           .service = jstr(j, "service"), .access_key = jstr(j, "access_key"),
                           .secret_key = jstr(j, "secret_key"), .session_token = tok,
                           .when = when, .s3 = json_is_true(json_object_get(j, "s3")),
                           .normalize = true};
  struct rc_sigv4_out out;
  int rc = 0;
  if (rc_sigv4_sign(&in, NULL, &out) != 0) {
    fprintf(stderr, "Error: incomplete request description\n");
    rc = 1;
  } else {
    if (json_is_true(json_object_get(j, "verbose")))
      printf("%s\n----\n%s\n----\n", out.canonical_request, out.string_to_sign);
    printf("%s\n", out.authorization);
  }
  rc_sigv4_out_free(&out);
  rc_free(hs);
  rc_free(host);
  rc_free(path);
  rc_free(query);
  json_decref(j);
  return rc;
}

int cmd_debug(struct rc_cli *cli, int argc, char **argv)
{
  if (argc < 1 || strcmp(argv[0], "-help") == 0 || strcmp(argv[0], "-h") == 0 ||
      strcmp(argv[0], "--help") == 0) {
    usage(argc < 1 ? stderr : stdout);
    return argc < 1 ? 1 : 0;
  }
  if (strcmp(argv[0], "aws") == 0) return debug_aws(argc - 1, argv + 1);
  if (strcmp(argv[0], "sign") == 0) return debug_sign();
  fprintf(stderr, "Error: recon debug has no helper \"%s\"\n\n", argv[0]);
  usage(stderr);
  return 1;
}
