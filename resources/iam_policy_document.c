/* iam_policy_document — data aws_iam_policy_document: renders an IAM policy
 * locally, as terraform-provider-aws does: Version "2012-10-17" by default,
 * statements in order with keys Sid, Effect, Action, NotAction, Resource,
 * NotResource, Principal, NotPrincipal, Condition; a one-element list
 * collapses to a string and longer lists are sorted in reverse (the
 * provider's policyDecodeConfigStringList); principals of one type merge;
 * "json" indented by two spaces, "minified_json" compact, "id" the CRC-32 of
 * the JSON. source/override documents are not supported yet. */
#include <stdlib.h>
#include <string.h>

#include "rc_alloc.h"
#include "svcutil.h"

static const struct rc_attr principal_schema[] = {
    {.name = "identifiers", .type = RC_T_SET, .elem = RC_T_STRING, .flags = RC_A_REQUIRED},
    {.name = "type", .type = RC_T_STRING, .flags = RC_A_REQUIRED},
    {0}};

static const struct rc_attr condition_schema[] = {
    {.name = "test", .type = RC_T_STRING, .flags = RC_A_REQUIRED},
    {.name = "values", .type = RC_T_LIST, .elem = RC_T_STRING, .flags = RC_A_REQUIRED},
    {.name = "variable", .type = RC_T_STRING, .flags = RC_A_REQUIRED},
    {0}};

static const struct rc_attr statement_schema[] = {
    {.name = "actions", .type = RC_T_SET, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "condition", .type = RC_T_BLOCK_SET, .flags = RC_A_OPTIONAL, .block = condition_schema},
    {.name = "effect", .type = RC_T_STRING, .flags = RC_A_OPTIONAL, .default_json = "\"Allow\""},
    {.name = "not_actions", .type = RC_T_SET, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "not_principals", .type = RC_T_BLOCK_SET, .flags = RC_A_OPTIONAL, .block = principal_schema},
    {.name = "not_resources", .type = RC_T_SET, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "principals", .type = RC_T_BLOCK_SET, .flags = RC_A_OPTIONAL, .block = principal_schema},
    {.name = "resources", .type = RC_T_SET, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "sid", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {0}};

static const struct rc_attr doc_schema[] = {
    {.name = "id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "json", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "minified_json", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "policy_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "statement", .type = RC_T_BLOCK_LIST, .flags = RC_A_OPTIONAL, .block = statement_schema},
    {.name = "version", .type = RC_T_STRING, .flags = RC_A_OPTIONAL, .default_json = "\"2012-10-17\""},
    {0}};

static int cmp_desc(const void *a, const void *b)
{
  return strcmp(*(const char *const *)b, *(const char *const *)a);
}

/* strings of a sequence: one → a JSON string, more → reverse-sorted array,
 * none → NULL */
static json_t *string_list(const struct rc_value *seq)
{
  size_t n = seq && rc_value_is_seq(seq) ? rc_value_len(seq) : 0;
  const char **s = rc_calloc(n ? n : 1, sizeof *s);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    const char *v = rc_value_str(rc_value_index(seq, i));
    bool dup = false;
    for (size_t k = 0; v && k < m; k++) dup = dup || strcmp(s[k], v) == 0;
    if (v && !dup) s[m++] = v;
  }
  json_t *j = NULL;
  if (m == 1) {
    j = json_string(s[0]);
  } else if (m > 1) {
    qsort(s, m, sizeof *s, cmp_desc);
    j = json_array();
    for (size_t i = 0; i < m; i++) json_array_append_new(j, json_string(s[i]));
  }
  rc_free(s);
  return j;
}

/* principals blocks → {"Service": ..., "AWS": ...}; the lone {"*": ["*"]}
 * and {"AWS": "*"}... as the provider renders them */
static json_t *principals(const struct rc_value *blocks)
{
  size_t n = blocks && rc_value_is_seq(blocks) ? rc_value_len(blocks) : 0;
  if (!n) return NULL;
  struct rc_value *by_type = rc_value_obj_new(RC_OBJECT);
  for (size_t i = 0; i < n; i++) {
    const struct rc_value *b = rc_value_index(blocks, i);
    const char *t = rc_res_str(b, "type");
    if (!t) continue;
    const struct rc_value *had = rc_value_get(by_type, t);
    struct rc_value *l = rc_value_seq_new(RC_TUPLE);
    for (size_t k = 0; had && k < rc_value_len(had); k++)
      rc_value_seq_push(l, rc_value_incref(rc_value_index(had, k)));
    const struct rc_value *ids = rc_value_get(b, "identifiers");
    for (size_t k = 0; ids && rc_value_is_seq(ids) && k < rc_value_len(ids); k++)
      rc_value_seq_push(l, rc_value_incref(rc_value_index(ids, k)));
    rc_value_obj_put(by_type, t, l);
  }
  json_t *o;
  const struct rc_value *star = rc_value_get(by_type, "*");
  if (rc_value_len(by_type) == 1 && star && rc_value_len(star) == 1 &&
      rc_value_str(rc_value_index(star, 0)) && strcmp(rc_value_str(rc_value_index(star, 0)), "*") == 0) {
    o = json_string("*");
  } else {
    o = json_object();
    for (size_t i = 0; i < rc_value_len(by_type); i++)
      json_object_set_new(o, rc_value_key(by_type, i), string_list(rc_value_index(by_type, i)));
  }
  rc_value_decref(by_type);
  return o;
}

static json_t *conditions(const struct rc_value *blocks)
{
  size_t n = blocks && rc_value_is_seq(blocks) ? rc_value_len(blocks) : 0;
  if (!n) return NULL;
  json_t *o = json_object();
  for (size_t i = 0; i < n; i++) {
    const struct rc_value *b = rc_value_index(blocks, i);
    const char *t = rc_res_str(b, "test"), *var = rc_res_str(b, "variable");
    if (!t || !var) continue;
    json_t *inner = json_object_get(o, t);
    if (!inner) {
      inner = json_object();
      json_object_set_new(o, t, inner);
    }
    const struct rc_value *vals = rc_value_get(b, "values");
    size_t nv = vals && rc_value_is_seq(vals) ? rc_value_len(vals) : 0;
    json_t *v;
    if (nv == 1) {
      v = json_string(rc_value_str(rc_value_index(vals, 0)) ? rc_value_str(rc_value_index(vals, 0)) : "");
    } else {
      v = json_array(); /* condition values keep their order */
      for (size_t k = 0; k < nv; k++) {
        const char *s = rc_value_str(rc_value_index(vals, k));
        json_array_append_new(v, json_string(s ? s : ""));
      }
    }
    json_object_set_new(inner, var, v);
  }
  return o;
}

static void set_opt(json_t *o, const char *key, json_t *v)
{
  if (v) json_object_set_new(o, key, v);
}

/* the policy as a jansson object in the provider's key order; new ref */
static json_t *render(const struct rc_value *config)
{
  json_t *doc = json_object();
  const char *ver = rc_res_str(config, "version");
  json_object_set_new(doc, "Version", json_string(ver && *ver ? ver : "2012-10-17"));
  const char *pid = rc_res_str(config, "policy_id");
  if (pid && *pid) json_object_set_new(doc, "Id", json_string(pid));
  json_t *sts = json_array();
  const struct rc_value *sl = rc_value_get(config, "statement");
  for (size_t i = 0; sl && rc_value_is_seq(sl) && i < rc_value_len(sl); i++) {
    const struct rc_value *s = rc_value_index(sl, i);
    json_t *o = json_object();
    const char *sid = rc_res_str(s, "sid"), *eff = rc_res_str(s, "effect");
    if (sid && *sid) json_object_set_new(o, "Sid", json_string(sid));
    json_object_set_new(o, "Effect", json_string(eff && *eff ? eff : "Allow"));
    set_opt(o, "Action", string_list(rc_value_get(s, "actions")));
    set_opt(o, "NotAction", string_list(rc_value_get(s, "not_actions")));
    set_opt(o, "Resource", string_list(rc_value_get(s, "resources")));
    set_opt(o, "NotResource", string_list(rc_value_get(s, "not_resources")));
    set_opt(o, "Principal", principals(rc_value_get(s, "principals")));
    set_opt(o, "NotPrincipal", principals(rc_value_get(s, "not_principals")));
    set_opt(o, "Condition", conditions(rc_value_get(s, "condition")));
    json_array_append_new(sts, o);
  }
  json_object_set_new(doc, "Statement", sts);
  return doc;
}

static uint32_t crc32_ieee(const char *s)
{
  uint32_t c = 0xFFFFFFFFu;
  for (; *s; s++) {
    c ^= (unsigned char)*s;
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

static rc_status doc_read(struct rc_rctx *ctx, const struct rc_value *config,
                          struct rc_value **out, struct rc_error *err)
{
  (void)ctx;
  (void)err;
  json_t *doc = render(config);
  char *pretty = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  char *mini = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(doc);
  struct rc_value *o = rc_value_copy(config);
  uint32_t h = crc32_ieee(pretty);
  int32_t signed_h = (int32_t)h; /* the provider's HashcodeString: a non-negative int */
  long long id = signed_h < 0 ? -(long long)signed_h : signed_h;
  rc_value_obj_put(o, "id", rc_value_string_steal(rc_asprintf("%lld", id)));
  rc_value_obj_put(o, "json", rc_value_string(pretty));
  rc_value_obj_put(o, "minified_json", rc_value_string(mini));
  free(pretty);
  free(mini);
  *out = o;
  return RC_OK;
}

const struct rc_resource_type rc_ds_iam_policy_document = {
    .name = "aws_iam_policy_document",
    .flags = RC_RT_DATA,
    .schema = doc_schema,
    .read = doc_read,
};
