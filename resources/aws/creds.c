/* The credentials chain, in the SDKs' order:
 *   1. AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (skipped
 *      when the provider block names a profile, as botocore does);
 *   2. the profile (settings.profile, AWS_PROFILE, "default") in the shared
 *      files: role_arn + source_profile / credential_source /
 *      web_identity_token_file (STS), static keys, credential_process;
 *   3. AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN (STS AssumeRoleWithWebIdentity);
 *   4. ECS container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI);
 *   5. EC2 instance metadata, IMDSv2 (1 s connect timeout).
 * settings.assume_role_arn is then assumed with whatever the chain found.
 * Temporary credentials are refreshed RC_AWS_REFRESH_MARGIN_S before they
 * expire, under the client's cred_mu (one thread refreshes, the others wait).
 * No secret, token or key ever reaches a log line or an error message. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "aws_int.h"
#include "profile.h"
#include "rc_alloc.h"

#define MAX_PROFILE_CHAIN 8

static void wipe_free(char *s)
{
  if (s) memset(s, 0, strlen(s));
  rc_free(s);
}

void rc_aws__creds_clear(struct rc_aws__creds *cr)
{
  if (!cr) return;
  wipe_free(cr->access_key);
  wipe_free(cr->secret_key);
  wipe_free(cr->session_token);
  memset(cr, 0, sizeof *cr);
}

void rc_aws__creds_copy(struct rc_aws__creds *dst, const struct rc_aws__creds *src)
{
  dst->access_key = rc_strdup(src->access_key);
  dst->secret_key = rc_strdup(src->secret_key);
  dst->session_token = rc_strdup(src->session_token);
  dst->expiration = src->expiration;
  dst->source = src->source;
}

const char *rc_aws__profile_name(const struct rc_aws_client *c)
{
  if (c->profile) return c->profile;
  const char *p = getenv("AWS_PROFILE");
  if (p && *p) return p;
  p = getenv("AWS_DEFAULT_PROFILE");
  if (p && *p) return p;
  return "default";
}

/* ISO 8601 "2024-01-02T03:04:05Z" (fraction and +00:00 accepted); 0 on failure. */
static time_t parse_time(const char *s)
{
  if (!s) return 0;
  struct tm tm = {0};
  const char *e = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
  if (!e) return 0;
  return timegm(&tm);
}

static void set_static(struct rc_aws__creds *out, const char *ak, const char *sk, const char *tok,
                       time_t exp, const char *source)
{
  rc_aws__creds_clear(out);
  out->access_key = rc_strdup(ak);
  out->secret_key = rc_strdup(sk);
  out->session_token = rc_strdup(tok && *tok ? tok : NULL);
  out->expiration = exp;
  out->source = source;
}

/* The SDKs' JSON credential document (credential_process, container, IMDS). */
static rc_status from_json_doc(const char *text, size_t len, const char *what,
                               struct rc_aws__creds *out, struct rc_error *err)
{
  json_t *j = json_loadb(text, len, 0, NULL);
  if (!json_is_object(j)) {
    json_decref(j);
    return rc_error_set(err, RC_ERROR, "%s: the answer is not a JSON object", what);
  }
  const char *ak = json_string_value(json_object_get(j, "AccessKeyId"));
  const char *sk = json_string_value(json_object_get(j, "SecretAccessKey"));
  const char *tok = json_string_value(json_object_get(j, "SessionToken"));
  if (!tok) tok = json_string_value(json_object_get(j, "Token"));
  const char *exp = json_string_value(json_object_get(j, "Expiration"));
  const char *code = json_string_value(json_object_get(j, "Code"));
  json_t *ver = json_object_get(j, "Version");
  rc_status st = RC_OK;
  if (code && strcmp(code, "Success") != 0)
    st = rc_error_set(err, RC_ERROR, "%s: credentials not available (Code %s)", what, code);
  else if (ver && json_integer_value(ver) != 1)
    st = rc_error_set(err, RC_ERROR, "%s: unsupported Version %lld (expected 1)", what,
                      (long long)json_integer_value(ver));
  else if (!ak || !sk || !*ak || !*sk)
    st = rc_error_set(err, RC_ERROR, "%s: AccessKeyId or SecretAccessKey missing", what);
  else
    set_static(out, ak, sk, tok, parse_time(exp), NULL);
  json_decref(j);
  return st;
}

static rc_status run_process(const char *cmd, struct rc_aws__creds *out, struct rc_error *err)
{
  FILE *p = popen(cmd, "r");
  if (!p) return rc_error_set(err, RC_ERROR, "credential_process: cannot run: %s", strerror(errno));
  struct rc_buf b;
  rc_buf_init(&b, 1024 * 1024);
  char tmp[4096];
  size_t n;
  while ((n = fread(tmp, 1, sizeof tmp, p)) > 0) rc_buf_append(&b, tmp, n);
  int status = pclose(p);
  rc_status st;
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    st = rc_error_set(err, RC_ERROR, "credential_process failed (exit status %d)",
                      status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  else
    st = from_json_doc(b.ptr, b.len, "credential_process", out, err);
  memset(b.ptr, 0, b.len);
  rc_buf_free(&b);
  if (!st) out->source = "process";
  return st;
}

/* STS answers: Credentials{AccessKeyId, SecretAccessKey, SessionToken, Expiration}. */
static rc_status from_sts(const struct rc_value *ans, const char *what, struct rc_aws__creds *out,
                          struct rc_error *err)
{
  const struct rc_value *cr = ans ? rc_value_get(ans, "Credentials") : NULL;
  const char *ak = rc_aws_str(cr, "AccessKeyId"), *sk = rc_aws_str(cr, "SecretAccessKey");
  if (!ak || !sk) return rc_error_set(err, RC_AWS, "%s: the answer holds no credentials", what);
  set_static(out, ak, sk, rc_aws_str(cr, "SessionToken"),
             parse_time(rc_aws_str(cr, "Expiration")), "assume-role");
  return RC_OK;
}

static rc_status assume_role(struct rc_aws_client *c, const struct rc_aws__creds *base,
                             const char *arn, const char *session, const char *external_id,
                             const char *duration, struct rc_aws__creds *out, struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  char sess[64];
  if (!session || !*session) {
    snprintf(sess, sizeof sess, "recon-%lld", (long long)rc_aws__wall(c));
    session = sess;
  }
  rc_aws_param(p, "RoleArn", arn);
  rc_aws_param(p, "RoleSessionName", session);
  if (external_id && *external_id) rc_aws_param(p, "ExternalId", external_id);
  if (duration && *duration) rc_aws_param(p, "DurationSeconds", duration);
  struct rc_value *ans = NULL;
  rc_aws__log(RC_AWS_LOG_DEBUG, "credentials: assuming role %s", arn);
  rc_status st = rc_aws__call_with(c, "sts", "AssumeRole", p, base, false, &ans, err);
  rc_value_decref(p);
  if (!st) st = from_sts(ans, "sts AssumeRole", out, err);
  rc_value_decref(ans);
  return st;
}

static rc_status web_identity(struct rc_aws_client *c, const char *token_file, const char *arn,
                              const char *session, struct rc_aws__creds *out, struct rc_error *err)
{
  FILE *f = fopen(token_file, "r");
  if (!f)
    return rc_error_set(err, RC_IO, "web identity token file %s: %s", token_file, strerror(errno));
  struct rc_buf b;
  rc_buf_init(&b, 1024 * 1024);
  char tmp[4096];
  size_t n;
  while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) rc_buf_append(&b, tmp, n);
  fclose(f);
  while (b.len && (b.ptr[b.len - 1] == '\n' || b.ptr[b.len - 1] == '\r')) b.ptr[--b.len] = '\0';
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  char sess[64];
  if (!session || !*session) {
    snprintf(sess, sizeof sess, "recon-%lld", (long long)rc_aws__wall(c));
    session = sess;
  }
  rc_aws_param(p, "RoleArn", arn);
  rc_aws_param(p, "RoleSessionName", session);
  rc_aws_param(p, "WebIdentityToken", b.ptr);
  memset(b.ptr, 0, b.len);
  rc_buf_free(&b);
  struct rc_value *ans = NULL;
  rc_aws__log(RC_AWS_LOG_DEBUG, "credentials: web identity for role %s", arn);
  rc_status st = rc_aws__call_with(c, "sts", "AssumeRoleWithWebIdentity", p, NULL, true, &ans, err);
  rc_value_decref(p);
  if (!st) st = from_sts(ans, "sts AssumeRoleWithWebIdentity", out, err);
  if (!st) out->source = "web-identity";
  rc_value_decref(ans);
  return st;
}

/* GET/PUT against a metadata endpoint; body (rc_malloc'd) or NULL. */
static char *metadata_http(struct rc_aws_client *c, const char *method, const char *url,
                           const char *const *headers, long connect_ms, long total_ms, int *status,
                           size_t *len, char *why, size_t whysz)
{
  struct rc_aws_http_req req = {.method = method, .url = url, .headers = headers};
  struct rc_aws__http_opts o = {.connect_ms = connect_ms, .total_ms = total_ms, .no_proxy = true};
  struct rc_aws_http_resp resp;
  struct rc_aws__http_err e;
  rc_aws__http_plain(c, &req, &o, &resp, &e);
  *status = resp.status;
  *len = resp.len;
  if (resp.status == 0) snprintf(why, whysz, "%s", e.msg);
  else snprintf(why, whysz, "HTTP %d", resp.status);
  rc_free(resp.headers);
  if (resp.status != 200) {
    rc_free(resp.body);
    return NULL;
  }
  return resp.body;
}

static rc_status container_creds(struct rc_aws_client *c, struct rc_aws__creds *out,
                                 struct rc_error *err)
{
  const char *rel = getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  const char *full = getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  if ((!rel || !*rel) && (!full || !*full)) return RC_NOT_FOUND;
  char *url = rel && *rel ? rc_asprintf("http://169.254.170.2%s", rel) : rc_strdup(full);
  char *auth = NULL;
  const char *tf = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
  const char *tv = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  if (tf && *tf) {
    FILE *f = fopen(tf, "r");
    char tok[4096] = "";
    if (f) {
      size_t n = fread(tok, 1, sizeof tok - 1, f);
      tok[n] = '\0';
      fclose(f);
      tok[strcspn(tok, "\r\n")] = '\0';
    }
    auth = rc_asprintf("Authorization: %s", tok);
    memset(tok, 0, sizeof tok);
  } else if (tv && *tv) {
    auth = rc_asprintf("Authorization: %s", tv);
  }
  const char *hs[2] = {auth, NULL};
  int status;
  size_t len;
  char why[256];
  char *body = metadata_http(c, "GET", url, hs, 2000, 5000, &status, &len, why, sizeof why);
  wipe_free(auth);
  rc_status st;
  if (!body) {
    st = rc_error_set(err, RC_ERROR, "ECS container credentials from %s: %s", url, why);
  } else {
    st = from_json_doc(body, len, "ECS container credentials", out, err);
    wipe_free(body);
    if (!st) out->source = "container";
  }
  rc_free(url);
  return st;
}

static rc_status imds_creds(struct rc_aws_client *c, struct rc_aws__creds *out,
                            struct rc_error *err)
{
  const char *dis = getenv("AWS_EC2_METADATA_DISABLED");
  if (dis && strcasecmp(dis, "true") == 0) return RC_NOT_FOUND;
  const char *ep = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
  char *base = rc_strdup(ep && *ep ? ep : "http://169.254.169.254");
  size_t bl = strlen(base);
  while (bl && base[bl - 1] == '/') base[--bl] = '\0';
  int status;
  size_t len;
  char why[256];
  char *url = rc_asprintf("%s/latest/api/token", base);
  const char *h1[] = {"X-aws-ec2-metadata-token-ttl-seconds: 21600", NULL};
  char *token = metadata_http(c, "PUT", url, h1, 1000, 2000, &status, &len, why, sizeof why);
  rc_free(url);
  rc_status st = RC_NOT_FOUND;
  char *th = NULL, *role = NULL, *doc = NULL;
  if (!token) {
    rc_aws__log(RC_AWS_LOG_DEBUG, "credentials: no EC2 instance metadata (%s)", why);
    goto out;
  }
  th = rc_asprintf("X-aws-ec2-metadata-token: %s", token);
  const char *h2[] = {th, NULL};
  url = rc_asprintf("%s/latest/meta-data/iam/security-credentials/", base);
  role = metadata_http(c, "GET", url, h2, 1000, 2000, &status, &len, why, sizeof why);
  rc_free(url);
  if (!role) {
    st = rc_error_set(err, RC_ERROR, "EC2 instance metadata: no IAM role (%s)", why);
    goto out;
  }
  role[strcspn(role, "\r\n")] = '\0';
  url = rc_asprintf("%s/latest/meta-data/iam/security-credentials/%s", base, role);
  doc = metadata_http(c, "GET", url, h2, 1000, 2000, &status, &len, why, sizeof why);
  rc_free(url);
  if (!doc) {
    st = rc_error_set(err, RC_ERROR, "EC2 instance metadata: role credentials: %s", why);
    goto out;
  }
  st = from_json_doc(doc, len, "EC2 instance metadata", out, err);
  if (!st) out->source = "imds";
out:
  wipe_free(token);
  wipe_free(th);
  rc_free(role);
  wipe_free(doc);
  rc_free(base);
  return st;
}

static bool env_keys(struct rc_aws__creds *out)
{
  const char *ak = getenv("AWS_ACCESS_KEY_ID"), *sk = getenv("AWS_SECRET_ACCESS_KEY");
  if (!ak || !*ak || !sk || !*sk) return false;
  set_static(out, ak, sk, getenv("AWS_SESSION_TOKEN"), 0, "env");
  return true;
}

/* RC_OK with credentials, RC_NOT_FOUND when the profile holds none, or an error. */
static rc_status from_profile(struct rc_aws_client *c, const struct rc_aws__ini *ini,
                              const char *profile, int depth, struct rc_aws__creds *out,
                              struct rc_error *err)
{
  if (depth > MAX_PROFILE_CHAIN)
    return rc_error_set(err, RC_ERROR, "profile %s: source_profile chain too long (a loop?)", profile);
  const char *arn = rc_aws__ini_get(ini, profile, "role_arn");
  const char *ak = rc_aws__ini_get(ini, profile, "aws_access_key_id");
  const char *sk = rc_aws__ini_get(ini, profile, "aws_secret_access_key");
  if (arn) {
    struct rc_aws__creds base = {0};
    const char *src = rc_aws__ini_get(ini, profile, "source_profile");
    const char *csrc = rc_aws__ini_get(ini, profile, "credential_source");
    const char *wif = rc_aws__ini_get(ini, profile, "web_identity_token_file");
    rc_status st;
    if (wif)
      return web_identity(c, wif, arn, rc_aws__ini_get(ini, profile, "role_session_name"), out, err);
    if (src && strcmp(src, profile) == 0 && ak && sk) {
      set_static(&base, ak, sk, rc_aws__ini_get(ini, profile, "aws_session_token"), 0, "profile");
      st = RC_OK;
    } else if (src) {
      st = from_profile(c, ini, src, depth + 1, &base, err);
      if (st == RC_NOT_FOUND)
        st = rc_error_set(err, RC_ERROR, "profile %s: source_profile %s has no credentials",
                          profile, src);
    } else if (csrc) {
      if (strcmp(csrc, "Environment") == 0)
        st = env_keys(&base) ? RC_OK : RC_NOT_FOUND;
      else if (strcmp(csrc, "Ec2InstanceMetadata") == 0)
        st = imds_creds(c, &base, err);
      else if (strcmp(csrc, "EcsContainer") == 0)
        st = container_creds(c, &base, err);
      else
        st = rc_error_set(err, RC_ERROR, "profile %s: unknown credential_source %s", profile, csrc);
      if (st == RC_NOT_FOUND)
        st = rc_error_set(err, RC_ERROR, "profile %s: credential_source %s has no credentials",
                          profile, csrc);
    } else {
      return rc_error_set(err, RC_ERROR,
                          "profile %s: role_arn needs source_profile or credential_source", profile);
    }
    if (!st)
      st = assume_role(c, &base, arn, rc_aws__ini_get(ini, profile, "role_session_name"),
                       rc_aws__ini_get(ini, profile, "external_id"),
                       rc_aws__ini_get(ini, profile, "duration_seconds"), out, err);
    rc_aws__creds_clear(&base);
    return st;
  }
  if (ak && sk) {
    set_static(out, ak, sk, rc_aws__ini_get(ini, profile, "aws_session_token"), 0, "profile");
    return RC_OK;
  }
  const char *proc = rc_aws__ini_get(ini, profile, "credential_process");
  if (proc) return run_process(proc, out, err);
  return RC_NOT_FOUND;
}

static rc_status resolve_base(struct rc_aws_client *c, struct rc_aws__creds *out,
                              struct rc_error *err)
{
  if (!c->profile_explicit && env_keys(out)) return RC_OK;
  const char *profile = rc_aws__profile_name(c);
  bool named = c->profile_explicit || (getenv("AWS_PROFILE") && *getenv("AWS_PROFILE"));
  struct rc_aws__ini *ini = rc_aws__ini_load();
  rc_status st = RC_NOT_FOUND;
  if (named && !rc_aws__ini_has_profile(ini, profile))
    st = rc_error_set(err, RC_ERROR,
                      "the AWS profile \"%s\" is not in the shared credentials or config file",
                      profile);
  else
    st = from_profile(c, ini, profile, 0, out, err);
  rc_aws__ini_free(ini);
  if (st != RC_NOT_FOUND) return st;

  const char *wif = getenv("AWS_WEB_IDENTITY_TOKEN_FILE"), *arn = getenv("AWS_ROLE_ARN");
  if (wif && *wif && arn && *arn)
    return web_identity(c, wif, arn, getenv("AWS_ROLE_SESSION_NAME"), out, err);
  st = container_creds(c, out, err);
  if (st != RC_NOT_FOUND) return st;
  st = imds_creds(c, out, err);
  if (st != RC_NOT_FOUND) return st;
  return rc_error_set(err, RC_ERROR,
                      "no AWS credentials found: tried AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
                      "the profile \"%s\" in the shared credentials and config files, web "
                      "identity (AWS_WEB_IDENTITY_TOKEN_FILE), ECS container credentials and "
                      "EC2 instance metadata",
                      profile);
}

static rc_status resolve(struct rc_aws_client *c, struct rc_aws__creds *out, struct rc_error *err)
{
  struct rc_aws__creds base = {0};
  rc_status st = resolve_base(c, &base, err);
  if (st) {
    rc_aws__creds_clear(&base);
    return st;
  }
  rc_aws__log(RC_AWS_LOG_DEBUG, "credentials: from %s", base.source ? base.source : "profile");
  if (!c->assume_role_arn) {
    *out = base;
    return RC_OK;
  }
  st = assume_role(c, &base, c->assume_role_arn, c->assume_role_session_name,
                   c->assume_role_external_id, NULL, out, err);
  rc_aws__creds_clear(&base);
  return st;
}

rc_status rc_aws__creds_get(struct rc_aws_client *c, struct rc_aws__creds *out,
                            struct rc_error *err)
{
  memset(out, 0, sizeof *out);
  pthread_mutex_lock(&c->cred_mu);
  time_t now = rc_aws__wall(c);
  bool stale = c->have_creds && c->creds.expiration &&
               now >= c->creds.expiration - RC_AWS_REFRESH_MARGIN_S;
  if (!c->have_creds || stale) {
    struct rc_aws__creds fresh = {0};
    struct rc_error e2 = {0};
    rc_status st = resolve(c, &fresh, &e2);
    c->cred_fetches++;
    if (st) {
      rc_aws__creds_clear(&fresh);
      if (!(c->have_creds && now < c->creds.expiration)) { /* the old ones are not usable */
        pthread_mutex_unlock(&c->cred_mu);
        if (err && err->code == RC_OK) *err = e2;
        return st;
      }
      rc_aws__log(RC_AWS_LOG_DEBUG, "credentials: refresh failed, keeping the current ones");
    } else {
      rc_aws__creds_clear(&c->creds);
      c->creds = fresh;
      c->have_creds = true;
    }
  }
  rc_aws__creds_copy(out, &c->creds);
  pthread_mutex_unlock(&c->cred_mu);
  return RC_OK;
}

void rc_aws__http_plain(struct rc_aws_client *c, const struct rc_aws_http_req *req,
                        const struct rc_aws__http_opts *o, struct rc_aws_http_resp *resp,
                        struct rc_aws__http_err *e)
{
  rc_aws__http_do(c->http, req, o, resp, e);
}
