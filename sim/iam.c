/* iam.c — IAM (query protocol, 2010-05-08): roles with trust policies,
 * managed-policy attachments (a fixed table of AWS managed policies), inline
 * policies and tags. IAM is global: ARNs have no region. Names are unique
 * case-insensitively, as IAM's are; roles are kept sorted by name. Policy
 * documents are answered URL-encoded, as real IAM does. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "common/rc_alloc.h"
#include "sim.h"
#include "svc_json.h"

#define IAM_XMLNS "https://iam.amazonaws.com/doc/2010-05-08/"

struct inline_policy {
  char *name;
  char *doc;
};

struct role {
  char *name;
  char *path;
  char id[32];
  char *trust;
  char *description;
  int max_session;
  uint64_t created_ms;
  uint64_t visible_at;
  char **attached; /* policy ARNs */
  size_t n_attached;
  struct inline_policy *inl;
  size_t n_inl;
  struct rc_sim_tags tags;
};
static struct role **g_roles;
static size_t g_n;

/* AWS managed policies recon-sim knows: path + name under arn:aws:iam::aws:policy. */
static const char *const k_managed[] = {
    "/service-role/AmazonECSTaskExecutionRolePolicy",
    "/service-role/AmazonEC2ContainerServiceforEC2Role",
    "/service-role/AmazonEC2ContainerServiceRole",
    "/service-role/AWSLambdaBasicExecutionRole",
    "/service-role/AWSLambdaVPCAccessExecutionRole",
    "/AdministratorAccess",
    "/ReadOnlyAccess",
    "/PowerUserAccess",
    "/AmazonS3FullAccess",
    "/AmazonS3ReadOnlyAccess",
    "/AmazonECS_FullAccess",
    "/AmazonDynamoDBFullAccess",
    "/AmazonSSMManagedInstanceCore",
    "/AmazonSSMReadOnlyAccess",
    "/CloudWatchLogsFullAccess",
    "/CloudWatchAgentServerPolicy",
    "/SecretsManagerReadWrite",
    "/AWSXRayDaemonWriteAccess",
    "/AmazonEC2ContainerRegistryReadOnly",
    NULL,
};

static const char *managed_path(const char *arn)
{
  static const char pre[] = "arn:aws:iam::aws:policy";
  if (!arn || strncmp(arn, pre, sizeof pre - 1) != 0) return NULL;
  for (size_t i = 0; k_managed[i]; i++)
    if (strcmp(arn + sizeof pre - 1, k_managed[i]) == 0) return k_managed[i];
  return NULL;
}

static void role_free(struct role *r)
{
  if (!r) return;
  rc_free(r->name);
  rc_free(r->path);
  rc_free(r->trust);
  rc_free(r->description);
  for (size_t i = 0; i < r->n_attached; i++) rc_free(r->attached[i]);
  rc_free(r->attached);
  for (size_t i = 0; i < r->n_inl; i++) {
    rc_free(r->inl[i].name);
    rc_free(r->inl[i].doc);
  }
  rc_free(r->inl);
  rc_sim_tags_free(&r->tags);
  rc_free(r);
}

static void iam_reset(void)
{
  for (size_t i = 0; i < g_n; i++) role_free(g_roles[i]);
  rc_free(g_roles);
  g_roles = NULL;
  g_n = 0;
}

static size_t role_pos(const char *name, bool *found)
{
  size_t lo = 0, hi = g_n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcasecmp(g_roles[mid]->name, name) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  *found = lo < g_n && strcasecmp(g_roles[lo]->name, name) == 0;
  return lo;
}

bool rc_sim_iam_role_usable(const char *role_arn, uint64_t now_ms)
{
  if (!role_arn || rc_sim_config.consistency_delay_ms <= 0) return true;
  const char *slash = strstr(role_arn, ":role/");
  if (!slash) return true;
  const char *name = strrchr(slash, '/') + 1; /* after the path */
  bool found;
  size_t at = role_pos(name, &found);
  return !found || now_ms >= g_roles[at]->visible_at;
}

static struct role *find_role(struct rc_sim_call *c, const char *name)
{
  bool found;
  size_t at = role_pos(name, &found);
  if (!found || !rc_sim_visible(c, g_roles[at]->visible_at)) {
    rc_sim_error(c, 404, "NoSuchEntity", "The role with name %s cannot be found.", name);
    return NULL;
  }
  return g_roles[at];
}

/* RoleName param: present and well formed, else answered. */
static const char *role_name_param(struct rc_sim_call *c)
{
  const char *n = rc_sim_param(c, "RoleName");
  if (!n) {
    rc_sim_error_missing(c, "roleName");
    return NULL;
  }
  size_t len = strlen(n);
  bool ok = len >= 1 && len <= 64;
  for (const char *p = n; ok && *p; p++)
    ok = isalnum((unsigned char)*p) || strchr("_+=,.@-", *p);
  if (!ok) {
    rc_sim_error(c, 400, "ValidationError",
                 "1 validation error detected: Value '%s' at 'roleName' failed to satisfy "
                 "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+", n);
    return NULL;
  }
  return n;
}

static struct role *role_param(struct rc_sim_call *c)
{
  const char *n = role_name_param(c);
  return n ? find_role(c, n) : NULL;
}

/* A policy document must be a JSON object; answers MalformedPolicyDocument. */
static bool policy_ok(struct rc_sim_call *c, const char *doc, const char *param)
{
  if (!doc) {
    rc_sim_error_missing(c, param);
    return false;
  }
  json_error_t je;
  json_t *j = json_loads(doc, 0, &je);
  bool ok = json_is_object(j);
  if (ok) {
    json_t *st = json_object_get(j, "Statement");
    ok = json_is_array(st) || json_is_object(st);
  }
  json_decref(j);
  if (!ok) {
    rc_sim_error(c, 400, "MalformedPolicyDocument", "This policy contains invalid Json");
    return false;
  }
  return true;
}

static bool max_session_ok(struct rc_sim_call *c, int *out)
{
  int64_t v;
  bool bad = false;
  if (rc_sim_param_int(c, "MaxSessionDuration", &v, &bad) || bad) {
    if (bad || v < 3600 || v > 43200) {
      rc_sim_error(c, 400, "ValidationError",
                   "1 validation error detected: Value '%s' at 'maxSessionDuration' failed to "
                   "satisfy constraint: Member must have value less than or equal to 43200 and "
                   "greater than or equal to 3600", rc_sim_param(c, "MaxSessionDuration"));
      return false;
    }
    *out = (int)v;
  }
  return true;
}

static void write_role(struct rc_sim_call *c, const struct role *r, bool with_tags)
{
  char ts[40];
  rc_sim_iso8601(r->created_ms, ts, sizeof ts);
  rc_sim_xml_str(c, "Path", r->path);
  rc_sim_xml_str(c, "RoleName", r->name);
  rc_sim_xml_str(c, "RoleId", r->id);
  rc_sim_xml_strf(c, "Arn", "arn:aws:iam::%s:role%s%s", RC_SIM_ACCOUNT, r->path, r->name);
  rc_sim_xml_str(c, "CreateDate", ts);
  char *enc = rc_svcq_urlencode(r->trust);
  rc_sim_xml_str(c, "AssumeRolePolicyDocument", enc);
  rc_free(enc);
  rc_sim_xml_str(c, "Description", r->description);
  rc_sim_xml_int(c, "MaxSessionDuration", r->max_session);
  if (with_tags && r->tags.n) rc_sim_xml_tags(c, "Tags", "member", "Key", "Value", &r->tags);
  if (with_tags) rc_sim_xml_empty(c, "RoleLastUsed");
}

/* the answer of the calls that return the role: <Role> with its tags */
static void reply_role(struct rc_sim_call *c, const struct role *r)
{
  rc_sim_reply_begin(c);
  rc_sim_xml_open(c, "Role");
  write_role(c, r, true);
  rc_sim_xml_close(c, "Role");
  rc_sim_reply_end(c);
}

static bool tags_param(struct rc_sim_call *c, struct rc_sim_tags *t)
{
  rc_sim_tags_from_params(c, "Tags.member", t);
  if (t->n > 50) {
    rc_sim_error(c, 400, "LimitExceeded", "Cannot exceed quota for TagsPerRole: 50.");
    return false;
  }
  return true;
}

static void op_create_role(struct rc_sim_call *c)
{
  const char *name = role_name_param(c);
  if (!name) return;
  const char *path = rc_sim_param(c, "Path");
  if (!path) path = "/";
  size_t pl = strlen(path);
  if (pl == 0 || pl > 512 || path[0] != '/' || path[pl - 1] != '/') {
    rc_sim_error(c, 400, "ValidationError",
                 "The specified value for path is invalid. It must begin and end with / and "
                 "contain only alphanumeric characters and/or / characters.");
    return;
  }
  const char *trust = rc_sim_param(c, "AssumeRolePolicyDocument");
  if (!policy_ok(c, trust, "assumeRolePolicyDocument")) return;
  int maxs = 3600;
  if (!max_session_ok(c, &maxs)) return;
  bool found;
  size_t at = role_pos(name, &found);
  if (found) {
    rc_sim_error(c, 409, "EntityAlreadyExists", "Role with name %s already exists.", name);
    return;
  }
  struct rc_sim_tags tags = {0};
  if (!tags_param(c, &tags)) {
    rc_sim_tags_free(&tags);
    return;
  }
  struct role *r = rc_calloc(1, sizeof *r);
  r->name = rc_strdup(name);
  r->path = rc_strdup(path);
  r->trust = rc_strdup(trust);
  r->description = rc_strdup(rc_sim_param(c, "Description"));
  r->max_session = maxs;
  r->created_ms = c->now_ms;
  r->visible_at = rc_sim_visible_at(c);
  r->tags = tags;
  char hex[24];
  rc_sim_hex(17, hex, sizeof hex);
  for (char *p = hex; *p; p++) *p = (char)toupper((unsigned char)*p);
  snprintf(r->id, sizeof r->id, "AROA%s", hex);
  g_roles = rc_realloc(g_roles, (g_n + 1) * sizeof *g_roles);
  memmove(&g_roles[at + 1], &g_roles[at], (g_n - at) * sizeof *g_roles);
  g_roles[at] = r;
  g_n++;
  reply_role(c, r);
}

static void op_get_role(struct rc_sim_call *c)
{
  struct role *r = role_param(c);
  if (!r) return;
  reply_role(c, r);
}

static void op_delete_role(struct rc_sim_call *c)
{
  struct role *r = role_param(c);
  if (!r) return;
  if (r->n_attached) {
    rc_sim_error(c, 409, "DeleteConflict", "Cannot delete entity, must detach all policies first.");
    return;
  }
  if (r->n_inl) {
    rc_sim_error(c, 409, "DeleteConflict", "Cannot delete entity, must delete policies first.");
    return;
  }
  bool found;
  size_t at = role_pos(r->name, &found);
  memmove(&g_roles[at], &g_roles[at + 1], (g_n - at - 1) * sizeof *g_roles);
  g_n--;
  role_free(r);
  rc_sim_reply_empty(c);
}

static void op_update_role(struct rc_sim_call *c)
{
  struct role *r = role_param(c);
  if (!r) return;
  int maxs = r->max_session;
  if (!max_session_ok(c, &maxs)) return;
  const char *d = rc_sim_param(c, "Description");
  if (d) {
    rc_free(r->description);
    r->description = *d ? rc_strdup(d) : NULL;
  }
  r->max_session = maxs;
  rc_sim_reply_begin(c);
  rc_sim_reply_end(c);
}

static void op_update_role_description(struct rc_sim_call *c)
{
  struct role *r = role_param(c);
  if (!r) return;
  const char *d = rc_sim_param(c, "Description");
  rc_free(r->description);
  r->description = d && *d ? rc_strdup(d) : NULL;
  reply_role(c, r);
}

static void op_update_assume(struct rc_sim_call *c)
{
  struct role *r = role_param(c);
  if (!r) return;
  const char *doc = rc_sim_param(c, "PolicyDocument");
  if (!policy_ok(c, doc, "policyDocument")) return;
  rc_free(r->trust);
  r->trust = rc_strdup(doc);
  rc_sim_reply_empty(c);
}

/* Writes IsTruncated/Marker after a list of total items paged at start/limit. */
static void write_more(struct rc_sim_call *c, size_t start, size_t shown, size_t total)
{
  bool more = start + shown < total;
  rc_sim_xml_bool(c, "IsTruncated", more);
  if (more) {
    char tok[40];
    rc_sim_page_token(start + shown, tok, sizeof tok);
    rc_sim_xml_str(c, "Marker", tok);
  }
}

static void op_list_roles(struct rc_sim_call *c)
{
  size_t start, limit;
  if (!rc_svcq_page(c, "MaxItems", "Marker", 1, 1000, 100, "ValidationError", &start, &limit))
    return;
  const char *prefix = rc_sim_param(c, "PathPrefix");
  struct role **sel = rc_malloc((g_n + 1) * sizeof *sel);
  size_t n = 0;
  for (size_t i = 0; i < g_n; i++) {
    if (!rc_sim_visible(c, g_roles[i]->visible_at)) continue;
    if (prefix && strncmp(g_roles[i]->path, prefix, strlen(prefix)) != 0) continue;
    sel[n++] = g_roles[i];
  }
  rc_sim_reply_begin(c);
  size_t shown = 0;
  rc_sim_xml_open(c, "Roles");
  for (size_t i = start; i < n && shown < limit; i++, shown++) {
    rc_sim_xml_open(c, "member");
    write_role(c, sel[i], false);
    rc_sim_xml_close(c, "member");
  }
  rc_sim_xml_close(c, "Roles");
  write_more(c, start, shown, n);
  rc_sim_reply_end(c);
  rc_free(sel);
}

static void op_attach(struct rc_sim_call *c)
{
  struct role *r = role_param(c);
  if (!r) return;
  const char *arn = rc_sim_param(c, "PolicyArn");
  if (!arn) {
    rc_sim_error_missing(c, "policyArn");
    return;
  }
  if (strncmp(arn, "arn:aws:iam::", 13) != 0) {
    rc_sim_error(c, 400, "InvalidInput", "ARN %s is not valid.", arn);
    return;
  }
  if (!managed_path(arn)) {
    rc_sim_error(c, 404, "NoSuchEntity", "Policy %s does not exist or is not attachable.", arn);
    return;
  }
  for (size_t i = 0; i < r->n_attached; i++)
    if (strcmp(r->attached[i], arn) == 0) {
      rc_sim_reply_empty(c);
      return;
    }
  if (r->n_attached == 10) {
    rc_sim_error(c, 409, "LimitExceeded", "Cannot exceed quota for PoliciesPerRole: 10.");
    return;
  }
  r->attached = rc_realloc(r->attached, (r->n_attached + 1) * sizeof *r->attached);
  r->attached[r->n_attached++] = rc_strdup(arn);
  rc_sim_reply_empty(c);
}

static void op_detach(struct rc_sim_call *c)
{
  struct role *r = role_param(c);
  if (!r) return;
  const char *arn = rc_sim_param(c, "PolicyArn");
  if (!arn) {
    rc_sim_error_missing(c, "policyArn");
    return;
  }
  for (size_t i = 0; i < r->n_attached; i++) {
    if (strcmp(r->attached[i], arn) != 0) continue;
    rc_free(r->attached[i]);
    memmove(&r->attached[i], &r->attached[i + 1], (r->n_attached - i - 1) * sizeof *r->attached);
    r->n_attached--;
    rc_sim_reply_empty(c);
    return;
  }
  rc_sim_error(c, 404, "NoSuchEntity", "Policy %s was not found.", arn);
}

static void op_list_attached(struct rc_sim_call *c)
{
  struct role *r = role_param(c);
  if (!r) return;
  size_t start, limit;
  if (!rc_svcq_page(c, "MaxItems", "Marker", 1, 1000, 100, "ValidationError", &start, &limit))
    return;
  rc_sim_reply_begin(c);
  rc_sim_xml_open(c, "AttachedPolicies");
  size_t shown = 0;
  for (size_t i = start; i < r->n_attached && shown < limit; i++, shown++) {
    rc_sim_xml_open(c, "member");
    rc_sim_xml_str(c, "PolicyName", strrchr(r->attached[i], '/') + 1);
    rc_sim_xml_str(c, "PolicyArn", r->attached[i]);
    rc_sim_xml_close(c, "member");
  }
  rc_sim_xml_close(c, "AttachedPolicies");
  write_more(c, start, shown, r->n_attached);
  rc_sim_reply_end(c);
}

static void op_get_policy(struct rc_sim_call *c)
{
  const char *arn = rc_sim_param(c, "PolicyArn");
  const char *path = managed_path(arn);
  if (!path) {
    rc_sim_error(c, 404, "NoSuchEntity", "Policy %s does not exist or is not attachable.",
                 arn ? arn : "null");
    return;
  }
  size_t attached = 0;
  for (size_t i = 0; i < g_n; i++)
    for (size_t k = 0; k < g_roles[i]->n_attached; k++)
      if (strcmp(g_roles[i]->attached[k], arn) == 0) attached++;
  const char *name = strrchr(path, '/') + 1;
  rc_sim_reply_begin(c);
  rc_sim_xml_open(c, "Policy");
  rc_sim_xml_str(c, "PolicyName", name);
  rc_sim_xml_strf(c, "PolicyId", "ANPA%.17s", "JNSUGGZNTSJFXYZQR");
  rc_sim_xml_str(c, "Arn", arn);
  rc_sim_xml_strf(c, "Path", "%.*s", (int)(name - path), path);
  rc_sim_xml_str(c, "DefaultVersionId", "v1");
  rc_sim_xml_int(c, "AttachmentCount", (int64_t)attached);
  rc_sim_xml_int(c, "PermissionsBoundaryUsageCount", 0);
  rc_sim_xml_bool(c, "IsAttachable", true);
  rc_sim_xml_str(c, "CreateDate", "2017-11-16T18:43:55Z");
  rc_sim_xml_str(c, "UpdateDate", "2017-11-16T18:43:55Z");
  rc_sim_xml_close(c, "Policy");
  rc_sim_reply_end(c);
}

static struct inline_policy *find_inline(struct role *r, const char *name)
{
  for (size_t i = 0; i < r->n_inl; i++)
    if (strcmp(r->inl[i].name, name) == 0) return &r->inl[i];
  return NULL;
}

static const char *policy_name_param(struct rc_sim_call *c)
{
  const char *n = rc_sim_param(c, "PolicyName");
  if (!n) rc_sim_error_missing(c, "policyName");
  return n;
}

static void op_put_role_policy(struct rc_sim_call *c)
{
  struct role *r = role_param(c);
  if (!r) return;
  const char *name = policy_name_param(c);
  if (!name) return;
  const char *doc = rc_sim_param(c, "PolicyDocument");
  if (!policy_ok(c, doc, "policyDocument")) return;
  struct inline_policy *p = find_inline(r, name);
  if (!p) {
    r->inl = rc_realloc(r->inl, (r->n_inl + 1) * sizeof *r->inl);
    p = &r->inl[r->n_inl++];
    p->name = rc_strdup(name);
    p->doc = NULL;
  }
  rc_free(p->doc);
  p->doc = rc_strdup(doc);
  rc_sim_reply_empty(c);
}

/* The RoleName/PolicyName parameters' inline policy (its role in *role),
 * else answered. */
static struct inline_policy *inline_param(struct rc_sim_call *c, struct role **role)
{
  struct role *r = role_param(c);
  if (!r) return NULL;
  const char *name = policy_name_param(c);
  if (!name) return NULL;
  struct inline_policy *p = find_inline(r, name);
  if (!p) {
    rc_sim_error(c, 404, "NoSuchEntity", "The role policy with name %s cannot be found.", name);
    return NULL;
  }
  *role = r;
  return p;
}

static void op_get_role_policy(struct rc_sim_call *c)
{
  struct role *r;
  struct inline_policy *p = inline_param(c, &r);
  if (!p) return;
  rc_sim_reply_begin(c);
  rc_sim_xml_str(c, "RoleName", r->name);
  rc_sim_xml_str(c, "PolicyName", p->name);
  char *enc = rc_svcq_urlencode(p->doc);
  rc_sim_xml_str(c, "PolicyDocument", enc);
  rc_free(enc);
  rc_sim_reply_end(c);
}

static void op_delete_role_policy(struct rc_sim_call *c)
{
  struct role *r;
  struct inline_policy *p = inline_param(c, &r);
  if (!p) return;
  size_t i = (size_t)(p - r->inl);
  rc_free(p->name);
  rc_free(p->doc);
  memmove(&r->inl[i], &r->inl[i + 1], (r->n_inl - i - 1) * sizeof *r->inl);
  r->n_inl--;
  rc_sim_reply_empty(c);
}

static void op_list_role_policies(struct rc_sim_call *c)
{
  struct role *r = role_param(c);
  if (!r) return;
  size_t start, limit;
  if (!rc_svcq_page(c, "MaxItems", "Marker", 1, 1000, 100, "ValidationError", &start, &limit))
    return;
  rc_sim_reply_begin(c);
  rc_sim_xml_open(c, "PolicyNames");
  size_t shown = 0;
  for (size_t i = start; i < r->n_inl && shown < limit; i++, shown++)
    rc_sim_xml_str(c, "member", r->inl[i].name);
  rc_sim_xml_close(c, "PolicyNames");
  write_more(c, start, shown, r->n_inl);
  rc_sim_reply_end(c);
}

static void op_tag_role(struct rc_sim_call *c)
{
  struct role *r = role_param(c);
  if (!r) return;
  struct rc_sim_tags add = {0};
  rc_sim_tags_from_params(c, "Tags.member", &add);
  size_t total = r->tags.n;
  for (size_t i = 0; i < add.n; i++)
    if (!rc_sim_tags_get(&r->tags, add.v[i].key)) total++;
  if (total > 50) {
    rc_sim_tags_free(&add);
    rc_sim_error(c, 409, "LimitExceeded", "Cannot exceed quota for TagsPerRole: 50.");
    return;
  }
  for (size_t i = 0; i < add.n; i++) rc_sim_tags_set(&r->tags, add.v[i].key, add.v[i].value);
  rc_sim_tags_free(&add);
  rc_sim_reply_empty(c);
}

static void op_untag_role(struct rc_sim_call *c)
{
  struct role *r = role_param(c);
  if (!r) return;
  const char **keys;
  size_t n = rc_sim_param_list(c, "TagKeys.member", &keys);
  for (size_t i = 0; i < n; i++) rc_sim_tags_del(&r->tags, keys[i], NULL);
  rc_free(keys);
  rc_sim_reply_empty(c);
}

static void op_list_role_tags(struct rc_sim_call *c)
{
  struct role *r = role_param(c);
  if (!r) return;
  rc_sim_reply_begin(c);
  rc_sim_xml_tags(c, "Tags", "member", "Key", "Value", &r->tags);
  rc_sim_xml_bool(c, "IsTruncated", false);
  rc_sim_reply_end(c);
}

static json_t *iam_save(void)
{
  json_t *arr = json_array();
  for (size_t i = 0; i < g_n; i++) {
    const struct role *r = g_roles[i];
    json_t *att = json_array(), *inl = json_object();
    for (size_t k = 0; k < r->n_attached; k++)
      json_array_append_new(att, json_string(r->attached[k]));
    for (size_t k = 0; k < r->n_inl; k++)
      json_object_set_new(inl, r->inl[k].name, json_string(r->inl[k].doc));
    char *arn = rc_asprintf("arn:aws:iam::%s:role%s%s", RC_SIM_ACCOUNT, r->path, r->name);
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:I,s:o,s:o,s:o}", "name", r->name, "path",
                          r->path, "role_id", r->id, "arn", arn, "assume_role_policy", r->trust,
                          "max_session_duration", r->max_session, "create_ms",
                          (json_int_t)r->created_ms, "attached_policies", att, "inline_policies",
                          inl, "tags", rc_sim_tags_to_json(&r->tags));
    rc_free(arn);
    if (r->description) json_object_set_new(o, "description", json_string(r->description));
    json_object_set_new(o, "visible_at", json_integer((json_int_t)r->visible_at));
    json_array_append_new(arr, o);
  }
  return json_pack("{s:o}", "roles", arr);
}

static rc_status iam_load(const json_t *st)
{
  json_t *arr = json_object_get(st, "roles"), *v;
  size_t i;
  if (!arr) return RC_OK;
  if (!json_is_array(arr)) return RC_SYNTAX;
  json_array_foreach(arr, i, v)
  {
    const char *name = json_string_value(json_object_get(v, "name"));
    const char *path = json_string_value(json_object_get(v, "path"));
    const char *id = json_string_value(json_object_get(v, "role_id"));
    const char *trust = json_string_value(json_object_get(v, "assume_role_policy"));
    bool found;
    if (!name || !path || !id || !trust) return RC_SYNTAX;
    size_t at = role_pos(name, &found);
    if (found) continue;
    struct role *r = rc_calloc(1, sizeof *r);
    r->name = rc_strdup(name);
    r->path = rc_strdup(path);
    snprintf(r->id, sizeof r->id, "%s", id);
    r->trust = rc_strdup(trust);
    r->description = rc_strdup(json_string_value(json_object_get(v, "description")));
    r->max_session = (int)json_integer_value(json_object_get(v, "max_session_duration"));
    r->created_ms = (uint64_t)json_integer_value(json_object_get(v, "create_ms"));
    r->visible_at = (uint64_t)json_integer_value(json_object_get(v, "visible_at"));
    json_t *x;
    size_t k;
    json_array_foreach(json_object_get(v, "attached_policies"), k, x)
    {
      r->attached = rc_realloc(r->attached, (r->n_attached + 1) * sizeof *r->attached);
      r->attached[r->n_attached++] = rc_strdup(json_string_value(x));
    }
    const char *pk;
    json_object_foreach(json_object_get(v, "inline_policies"), pk, x)
    {
      r->inl = rc_realloc(r->inl, (r->n_inl + 1) * sizeof *r->inl);
      r->inl[r->n_inl].name = rc_strdup(pk);
      r->inl[r->n_inl++].doc = rc_strdup(json_string_value(x));
    }
    rc_sim_tags_from_json(json_object_get(v, "tags"), &r->tags);
    g_roles = rc_realloc(g_roles, (g_n + 1) * sizeof *g_roles);
    memmove(&g_roles[at + 1], &g_roles[at], (g_n - at) * sizeof *g_roles);
    g_roles[at] = r;
    g_n++;
  }
  return RC_OK;
}

static const struct rc_sim_op iam_ops[] = {
    {"CreateRole", op_create_role, false},
    {"GetRole", op_get_role, false},
    {"DeleteRole", op_delete_role, false},
    {"UpdateRole", op_update_role, false},
    {"UpdateRoleDescription", op_update_role_description, false},
    {"UpdateAssumeRolePolicy", op_update_assume, false},
    {"ListRoles", op_list_roles, false},
    {"AttachRolePolicy", op_attach, false},
    {"DetachRolePolicy", op_detach, false},
    {"ListAttachedRolePolicies", op_list_attached, false},
    {"GetPolicy", op_get_policy, false},
    {"PutRolePolicy", op_put_role_policy, false},
    {"GetRolePolicy", op_get_role_policy, false},
    {"DeleteRolePolicy", op_delete_role_policy, false},
    {"ListRolePolicies", op_list_role_policies, false},
    {"TagRole", op_tag_role, false},
    {"UntagRole", op_untag_role, false},
    {"ListRoleTags", op_list_role_tags, false},
    {NULL, NULL, false},
};

const struct rc_sim_service rc_sim_svc_iam = {
    .name = "iam",
    .protocol = RC_SIM_QUERY,
    .xmlns = IAM_XMLNS,
    .ops = iam_ops,
    .throttle_code = "Throttling",
    .throttle_status = 400,
    .reset = iam_reset,
    .save = iam_save,
    .load = iam_load,
};
