/* sts.c — STS (query protocol, 2011-06-15): GetCallerIdentity, AssumeRole,
 * AssumeRoleWithWebIdentity (accepted unsigned, as AWS does). Issued
 * temporary credentials are remembered so GetCallerIdentity called with one
 * answers the assumed-role ARN. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "common/rc_alloc.h"
#include "sim.h"

struct session {
  char *access_key;
  char *arn;
  char *role_id;
  uint64_t expires_ms;
};
static struct session *g_sess;
static size_t g_nsess;

static void sts_reset(void)
{
  for (size_t i = 0; i < g_nsess; i++) {
    rc_free(g_sess[i].access_key);
    rc_free(g_sess[i].arn);
    rc_free(g_sess[i].role_id);
  }
  rc_free(g_sess);
  g_sess = NULL;
  g_nsess = 0;
}

/* A stable pseudo id from a string: prefix + 17 upper-case base32-ish chars. */
static void stable_id(const char *prefix, const char *s, char *out, size_t outsz)
{
  static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  char tail[18];
  for (int i = 0; i < 17; i++) {
    tail[i] = al[h & 31];
    h = (h >> 5) | (h << 59);
    h *= 0x9e3779b97f4a7c15ULL;
  }
  tail[17] = '\0';
  snprintf(out, outsz, "%s%s", prefix, tail);
}

static void op_get_caller_identity(struct rc_sim_call *c)
{
  const char *ak = c->req.access_key;
  for (size_t i = 0; i < g_nsess; i++) {
    if (strcmp(g_sess[i].access_key, ak) == 0) {
      rc_sim_reply_begin(c);
      rc_sim_xml_str(c, "UserId", g_sess[i].role_id);
      rc_sim_xml_str(c, "Account", RC_SIM_ACCOUNT);
      rc_sim_xml_str(c, "Arn", g_sess[i].arn);
      rc_sim_reply_end(c);
      return;
    }
  }
  char uid[32];
  stable_id("AIDA", ak, uid, sizeof uid);
  rc_sim_reply_begin(c);
  rc_sim_xml_str(c, "UserId", uid);
  rc_sim_xml_str(c, "Account", RC_SIM_ACCOUNT);
  rc_sim_xml_strf(c, "Arn", "arn:aws:iam::%s:user/%s", RC_SIM_ACCOUNT, *ak ? ak : "anonymous");
  rc_sim_reply_end(c);
}

static bool valid_session_name(const char *s)
{
  size_t n = strlen(s);
  if (n < 2 || n > 64) return false;
  for (; *s; s++)
    if (!isalnum((unsigned char)*s) && !strchr("_+=,.@-", *s)) return false;
  return true;
}

/* The common part of both AssumeRole calls; false when an error was sent. */
static bool assume(struct rc_sim_call *c, struct session **out)
{
  const char *role_arn = rc_sim_param(c, "RoleArn");
  const char *name = rc_sim_param(c, "RoleSessionName");
  if (!role_arn) {
    rc_sim_error_missing(c, "roleArn");
    return false;
  }
  if (!name) {
    rc_sim_error_missing(c, "roleSessionName");
    return false;
  }
  if (!valid_session_name(name)) {
    rc_sim_error(c, 400, "ValidationError",
                 "1 validation error detected: Value '%s' at 'roleSessionName' failed to "
                 "satisfy constraint: Member must satisfy regular expression pattern: "
                 "[\\w+=,.@-]*", name);
    return false;
  }
  const char *role = strstr(role_arn, ":role/");
  if (strncmp(role_arn, "arn:aws:iam::", 13) != 0 || !role || !role[6]) {
    rc_sim_error(c, 400, "ValidationError", "%s is invalid", role_arn);
    return false;
  }
  int64_t dur = 3600;
  bool bad = false;
  if (rc_sim_param_int(c, "DurationSeconds", &dur, &bad) || bad) {
    if (bad || dur < 900 || dur > 43200) {
      rc_sim_error(c, 400, "ValidationError",
                   "1 validation error detected: Value '%lld' at 'durationSeconds' failed to "
                   "satisfy constraint: Member must have value between 900 and 43200",
                   (long long)dur);
      return false;
    }
  }
  const char *rname = strrchr(role, '/') + 1;
  g_sess = rc_realloc(g_sess, (g_nsess + 1) * sizeof *g_sess);
  struct session *s = &g_sess[g_nsess++];
  char ak[32], rid[32];
  stable_id("AROA", role_arn, rid, sizeof rid);
  char hex[20];
  rc_sim_hex(16, hex, sizeof hex);
  for (char *p = hex; *p; p++) *p = (char)toupper((unsigned char)*p);
  snprintf(ak, sizeof ak, "ASIA%s", hex);
  s->access_key = rc_strdup(ak);
  s->arn = rc_asprintf("arn:aws:sts::%s:assumed-role/%s/%s", RC_SIM_ACCOUNT, rname, name);
  s->role_id = rc_asprintf("%s:%s", rid, name);
  s->expires_ms = c->now_ms + (uint64_t)dur * 1000u;
  *out = s;
  return true;
}

static void write_credentials(struct rc_sim_call *c, const struct session *s)
{
  char secret[48], token[180], exp[40];
  rc_sim_hex(40, secret, sizeof secret);
  rc_sim_hex(160, token, sizeof token);
  rc_sim_iso8601(s->expires_ms, exp, sizeof exp);
  rc_sim_xml_open(c, "Credentials");
  rc_sim_xml_str(c, "AccessKeyId", s->access_key);
  rc_sim_xml_str(c, "SecretAccessKey", secret);
  rc_sim_xml_strf(c, "SessionToken", "FwoGZXIvYXdzE%s", token);
  rc_sim_xml_str(c, "Expiration", exp);
  rc_sim_xml_close(c, "Credentials");
  rc_sim_xml_open(c, "AssumedRoleUser");
  rc_sim_xml_str(c, "AssumedRoleId", s->role_id);
  rc_sim_xml_str(c, "Arn", s->arn);
  rc_sim_xml_close(c, "AssumedRoleUser");
}

static void op_assume_role(struct rc_sim_call *c)
{
  struct session *s;
  if (!assume(c, &s)) return;
  rc_sim_reply_begin(c);
  write_credentials(c, s);
  rc_sim_xml_int(c, "PackedPolicySize", 6);
  rc_sim_reply_end(c);
}

static void op_assume_role_web_identity(struct rc_sim_call *c)
{
  const char *tok = rc_sim_param(c, "WebIdentityToken");
  if (!tok) {
    rc_sim_error_missing(c, "webIdentityToken");
    return;
  }
  if (strlen(tok) < 4) {
    rc_sim_error(c, 400, "InvalidIdentityToken", "Couldn't parse the web identity token");
    return;
  }
  struct session *s;
  if (!assume(c, &s)) return;
  const char *provider = rc_sim_param(c, "ProviderId");
  rc_sim_reply_begin(c);
  rc_sim_xml_str(c, "SubjectFromWebIdentityToken", "recon-sim-subject");
  rc_sim_xml_str(c, "Audience", "sts.amazonaws.com");
  write_credentials(c, s);
  rc_sim_xml_str(c, "Provider", provider ? provider : "recon-sim.local");
  rc_sim_reply_end(c);
}

static json_t *sts_save(void)
{
  json_t *arr = json_array();
  for (size_t i = 0; i < g_nsess; i++)
    json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:I,s:{}}", "access_key_id",
                                         g_sess[i].access_key, "arn", g_sess[i].arn,
                                         "assumed_role_id", g_sess[i].role_id, "expires_ms",
                                         (json_int_t)g_sess[i].expires_ms, "tags"));
  return json_pack("{s:o}", "sessions", arr);
}

static rc_status sts_load(const json_t *st)
{
  json_t *arr = json_object_get(st, "sessions"), *v;
  size_t i;
  if (!arr) return RC_OK;
  if (!json_is_array(arr)) return RC_SYNTAX;
  json_array_foreach(arr, i, v)
  {
    const char *ak = json_string_value(json_object_get(v, "access_key_id"));
    const char *arn = json_string_value(json_object_get(v, "arn"));
    const char *rid = json_string_value(json_object_get(v, "assumed_role_id"));
    if (!ak || !arn || !rid) return RC_SYNTAX;
    g_sess = rc_realloc(g_sess, (g_nsess + 1) * sizeof *g_sess);
    g_sess[g_nsess].access_key = rc_strdup(ak);
    g_sess[g_nsess].arn = rc_strdup(arn);
    g_sess[g_nsess].role_id = rc_strdup(rid);
    g_sess[g_nsess].expires_ms = (uint64_t)json_integer_value(json_object_get(v, "expires_ms"));
    g_nsess++;
  }
  return RC_OK;
}

static const struct rc_sim_op sts_ops[] = {
    {"GetCallerIdentity", op_get_caller_identity, false},
    {"AssumeRole", op_assume_role, false},
    {"AssumeRoleWithWebIdentity", op_assume_role_web_identity, true},
    {NULL, NULL, false},
};

const struct rc_sim_service rc_sim_svc_sts = {
    .name = "sts",
    .protocol = RC_SIM_QUERY,
    .xmlns = "https://sts.amazonaws.com/doc/2011-06-15/",
    .ops = sts_ops,
    .throttle_code = "Throttling",
    .throttle_status = 400,
    .reset = sts_reset,
    .save = sts_save,
    .load = sts_load,
};
