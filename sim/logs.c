/* logs.c — CloudWatch Logs (JSON 1.1, Logs_20140328): log groups with
 * retention and tags. Groups are kept sorted by name, the order
 * DescribeLogGroups answers in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/rc_alloc.h"
#include "sim.h"
#include "svc_json.h"

struct group {
  char *name;
  char region[32]; /* groups are regional: the same name may exist in two regions */
  uint64_t created_ms;
  uint64_t visible_at;
  int retention; /* 0: never expire */
  char *kms;
  struct rc_sim_tags tags;
};
static struct group **g_groups;
static size_t g_n;

static const int k_retention[] = {1,   3,   5,   7,    14,   30,   60,   90,
                                  120, 150, 180, 365,  400,  545,  731,  1096,
                                  1827, 2192, 2557, 2922, 3288, 3653};

static void group_free(struct group *g)
{
  if (!g) return;
  rc_free(g->name);
  rc_free(g->kms);
  rc_sim_tags_free(&g->tags);
  rc_free(g);
}

static void logs_reset(void)
{
  for (size_t i = 0; i < g_n; i++) group_free(g_groups[i]);
  rc_free(g_groups);
  g_groups = NULL;
  g_n = 0;
}

/* Groups are sorted by (region, name). */
static int group_cmp(const struct group *g, const char *region, const char *name)
{
  int r = strcmp(g->region, region);
  return r ? r : strcmp(g->name, name);
}

/* Index of (region, name), or the insertion point with *found false. */
static size_t group_pos(const char *region, const char *name, bool *found)
{
  size_t lo = 0, hi = g_n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (group_cmp(g_groups[mid], region, name) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  *found = lo < g_n && group_cmp(g_groups[lo], region, name) == 0;
  return lo;
}

static void group_insert(struct group *g)
{
  bool found;
  size_t at = group_pos(g->region, g->name, &found);
  g_groups = rc_realloc(g_groups, (g_n + 1) * sizeof *g_groups);
  memmove(&g_groups[at + 1], &g_groups[at], (g_n - at) * sizeof *g_groups);
  g_groups[at] = g;
  g_n++;
}

/* The visible group called name, else ResourceNotFoundException answered. */
static struct group *find_group(struct rc_sim_call *c, const char *name)
{
  bool found;
  size_t at = group_pos(c->req.region, name, &found);
  if (!found || !rc_sim_visible(c, g_groups[at]->visible_at)) {
    rc_sim_error(c, 400, "ResourceNotFoundException", "The specified log group does not exist.");
    return NULL;
  }
  return g_groups[at];
}

/* "arn:aws:logs:REGION:ACCT:log-group:NAME" → the group, else answered. */
static struct group *find_by_arn(struct rc_sim_call *c, const char *arn)
{
  const char *p = arn ? strstr(arn, ":log-group:") : NULL;
  if (!arn || strncmp(arn, "arn:aws:logs:", 13) != 0 || !p) {
    rc_sim_error(c, 400, "InvalidParameterException", "Invalid resourceArn: %s",
                 arn ? arn : "null");
    return NULL;
  }
  char name[600];
  snprintf(name, sizeof name, "%s", p + 11);
  size_t n = strlen(name);
  if (n >= 2 && strcmp(name + n - 2, ":*") == 0) name[n - 2] = '\0';
  return find_group(c, name);
}

static bool valid_name(const char *s)
{
  size_t n = strlen(s);
  if (n < 1 || n > 512) return false;
  for (; *s; s++) {
    char ch = *s;
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              strchr("._-/#", ch);
    if (!ok) return false;
  }
  return true;
}

static bool tags_from_map(struct rc_sim_call *c, const json_t *m, struct rc_sim_tags *out)
{
  const char *k;
  json_t *v;
  if (!m || json_is_null(m)) return true;
  if (!json_is_object(m)) {
    rc_sim_error(c, 400, "InvalidParameterException", "tags must be a map");
    return false;
  }
  if (json_object_size(m) > 50) {
    rc_sim_error(c, 400, "InvalidParameterException",
                 "1 validation error detected: Value at 'tags' failed to satisfy constraint: "
                 "Member must have length less than or equal to 50");
    return false;
  }
  json_object_foreach((json_t *)m, k, v)
  {
    if (!json_is_string(v) || !*k) {
      rc_sim_error(c, 400, "InvalidParameterException", "Invalid tag %s", k);
      return false;
    }
    rc_sim_tags_set(out, k, json_string_value(v));
  }
  return true;
}

static void op_create(struct rc_sim_call *c)
{
  const char *name = rc_svcj_need(c, "logGroupName", NULL);
  if (!name) return;
  if (!valid_name(name)) {
    rc_sim_error(c, 400, "InvalidParameterException",
                 "1 validation error detected: Value '%s' at 'logGroupName' failed to satisfy "
                 "constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
                 name);
    return;
  }
  bool found;
  group_pos(c->req.region, name, &found);
  if (found) {
    rc_sim_error(c, 400, "ResourceAlreadyExistsException",
                 "The specified log group already exists");
    return;
  }
  struct rc_sim_tags tags = {0};
  if (!tags_from_map(c, rc_svcj_get(c, "tags"), &tags)) {
    rc_sim_tags_free(&tags);
    return;
  }
  struct group *g = rc_calloc(1, sizeof *g);
  g->name = rc_strdup(name);
  snprintf(g->region, sizeof g->region, "%s", c->req.region);
  g->kms = rc_strdup(rc_svcj_str(c, "kmsKeyId"));
  g->created_ms = c->now_ms;
  g->visible_at = rc_sim_visible_at(c);
  g->tags = tags;
  group_insert(g);
  rc_sim_reply_json(c, NULL);
}

static void op_delete(struct rc_sim_call *c)
{
  const char *name = rc_svcj_need(c, "logGroupName", NULL);
  if (!name) return;
  struct group *g = find_group(c, name);
  if (!g) return;
  bool found;
  size_t at = group_pos(g->region, name, &found);
  memmove(&g_groups[at], &g_groups[at + 1], (g_n - at - 1) * sizeof *g_groups);
  g_n--;
  group_free(g);
  rc_sim_reply_json(c, NULL);
}

static json_t *group_json(const struct rc_sim_call *c, const struct group *g)
{
  json_t *o = json_object();
  json_object_set_new(o, "logGroupName", json_string(g->name));
  json_object_set_new(o, "creationTime", json_integer((json_int_t)g->created_ms));
  if (g->retention) json_object_set_new(o, "retentionInDays", json_integer(g->retention));
  json_object_set_new(o, "metricFilterCount", json_integer(0));
  char *arn = rc_sim_arn(c, "logs", NULL, "log-group:%s:*", g->name);
  json_object_set_new(o, "arn", json_string(arn));
  arn[strlen(arn) - 2] = '\0';
  json_object_set_new(o, "logGroupArn", json_string(arn));
  rc_free(arn);
  json_object_set_new(o, "storedBytes", json_integer(0));
  if (g->kms) json_object_set_new(o, "kmsKeyId", json_string(g->kms));
  json_object_set_new(o, "logGroupClass", json_string("STANDARD"));
  return o;
}

static void op_describe(struct rc_sim_call *c)
{
  const char *prefix = rc_svcj_str(c, "logGroupNamePrefix");
  const char *pattern = rc_svcj_str(c, "logGroupNamePattern");
  if (prefix && pattern) {
    rc_sim_error(c, 400, "InvalidParameterException",
                 "LogGroup name prefix and LogGroup name pattern are mutually exclusive "
                 "parameters.");
    return;
  }
  size_t start, limit;
  if (!rc_svcj_page(c, "limit", "nextToken", 1, 50, 50, "InvalidParameterException", &start,
                    &limit))
    return;
  json_t *arr = json_array();
  size_t seen = 0, next = 0;
  bool more = false;
  for (size_t i = 0; i < g_n; i++) {
    const struct group *g = g_groups[i];
    if (!rc_sim_visible(c, g->visible_at) || !rc_sim_in_region(c, g->region)) continue;
    if (prefix && strncmp(g->name, prefix, strlen(prefix)) != 0) continue;
    if (pattern && !strstr(g->name, pattern)) continue;
    if (seen++ < start) continue;
    if (json_array_size(arr) == limit) {
      more = true;
      break;
    }
    json_array_append_new(arr, group_json(c, g));
    next = seen;
  }
  json_t *o = json_pack("{s:o}", "logGroups", arr);
  if (more) {
    char tok[40];
    rc_sim_page_token(next, tok, sizeof tok);
    json_object_set_new(o, "nextToken", json_string(tok));
  }
  rc_sim_reply_json(c, o);
}

static void op_put_retention(struct rc_sim_call *c)
{
  const char *name = rc_svcj_need(c, "logGroupName", NULL);
  if (!name) return;
  int64_t days = 0;
  bool bad = false, ok = false;
  if (rc_svcj_int(c, "retentionInDays", &days, &bad))
    for (size_t i = 0; i < sizeof k_retention / sizeof *k_retention; i++)
      if (days == k_retention[i]) ok = true;
  if (!ok) {
    if (!rc_svcj_get(c, "retentionInDays")) {
      rc_svcj_need(c, "retentionInDays", NULL);
      return;
    }
    rc_sim_error(c, 400, "InvalidParameterException",
                 "1 validation error detected: Value '%lld' at 'retentionInDays' failed to "
                 "satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, "
                 "60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, "
                 "3288, 3653]", (long long)days);
    return;
  }
  struct group *g = find_group(c, name);
  if (!g) return;
  g->retention = (int)days;
  rc_sim_reply_json(c, NULL);
}

static void op_delete_retention(struct rc_sim_call *c)
{
  const char *name = rc_svcj_need(c, "logGroupName", NULL);
  if (!name) return;
  struct group *g = find_group(c, name);
  if (!g) return;
  g->retention = 0;
  rc_sim_reply_json(c, NULL);
}

static void reply_tags(struct rc_sim_call *c, const struct group *g)
{
  rc_sim_reply_json(c, json_pack("{s:o}", "tags", rc_sim_tags_to_json(&g->tags)));
}

static bool add_tags(struct rc_sim_call *c, struct group *g)
{
  struct rc_sim_tags add = {0};
  json_t *m = rc_svcj_get(c, "tags");
  if (!m) {
    rc_svcj_need(c, "tags", NULL);
    return false;
  }
  if (!tags_from_map(c, m, &add)) {
    rc_sim_tags_free(&add);
    return false;
  }
  for (size_t i = 0; i < add.n; i++) rc_sim_tags_set(&g->tags, add.v[i].key, add.v[i].value);
  rc_sim_tags_free(&add);
  return true;
}

static void del_tags(struct group *g, const json_t *keys)
{
  size_t i;
  json_t *k;
  json_array_foreach(keys, i, k) if (json_is_string(k))
      rc_sim_tags_del(&g->tags, json_string_value(k), NULL);
}

static void op_tag_resource(struct rc_sim_call *c)
{
  struct group *g = find_by_arn(c, rc_svcj_str(c, "resourceArn"));
  if (g && add_tags(c, g)) rc_sim_reply_json(c, NULL);
}

static void op_untag_resource(struct rc_sim_call *c)
{
  struct group *g = find_by_arn(c, rc_svcj_str(c, "resourceArn"));
  if (!g) return;
  del_tags(g, rc_svcj_get(c, "tagKeys"));
  rc_sim_reply_json(c, NULL);
}

static void op_list_tags_resource(struct rc_sim_call *c)
{
  struct group *g = find_by_arn(c, rc_svcj_str(c, "resourceArn"));
  if (g) reply_tags(c, g);
}

static void op_tag_group(struct rc_sim_call *c)
{
  const char *name = rc_svcj_need(c, "logGroupName", NULL);
  struct group *g = name ? find_group(c, name) : NULL;
  if (g && add_tags(c, g)) rc_sim_reply_json(c, NULL);
}

static void op_untag_group(struct rc_sim_call *c)
{
  const char *name = rc_svcj_need(c, "logGroupName", NULL);
  struct group *g = name ? find_group(c, name) : NULL;
  if (!g) return;
  del_tags(g, rc_svcj_get(c, "tags"));
  rc_sim_reply_json(c, NULL);
}

static void op_list_tags_group(struct rc_sim_call *c)
{
  const char *name = rc_svcj_need(c, "logGroupName", NULL);
  struct group *g = name ? find_group(c, name) : NULL;
  if (g) reply_tags(c, g);
}

static json_t *logs_save(void)
{
  json_t *arr = json_array();
  for (size_t i = 0; i < g_n; i++) {
    const struct group *g = g_groups[i];
    json_t *o = json_pack("{s:s,s:I,s:I,s:o}", "name", g->name, "creation_time",
                          (json_int_t)g->created_ms, "visible_at", (json_int_t)g->visible_at,
                          "tags", rc_sim_tags_to_json(&g->tags));
    char *arn = rc_sim_arn(NULL, "logs", g->region[0] ? g->region : NULL, "log-group:%s", g->name);
    json_object_set_new(o, "region", json_string(g->region));
    json_object_set_new(o, "arn", json_string(arn));
    rc_free(arn);
    if (g->retention) json_object_set_new(o, "retention_in_days", json_integer(g->retention));
    if (g->kms) json_object_set_new(o, "kms_key_id", json_string(g->kms));
    json_array_append_new(arr, o);
  }
  return json_pack("{s:o}", "log_groups", arr);
}

static rc_status logs_load(const json_t *st)
{
  json_t *arr = json_object_get(st, "log_groups"), *v;
  size_t i;
  if (!arr) return RC_OK;
  if (!json_is_array(arr)) return RC_SYNTAX;
  json_array_foreach(arr, i, v)
  {
    const char *name = json_string_value(json_object_get(v, "name"));
    bool found;
    if (!name) return RC_SYNTAX;
    char region[32] = "";
    const char *rg = json_string_value(json_object_get(v, "region"));
    const char *arn = json_string_value(json_object_get(v, "arn"));
    if (rg) {
      snprintf(region, sizeof region, "%s", rg);
    } else if (arn && strncmp(arn, "arn:aws:logs:", 13) == 0) { /* files written before regions */
      const char *e = strchr(arn + 13, ':');
      if (e) snprintf(region, sizeof region, "%.*s", (int)(e - (arn + 13)), arn + 13);
    }
    group_pos(region, name, &found);
    if (found) continue;
    struct group *g = rc_calloc(1, sizeof *g);
    g->name = rc_strdup(name);
    snprintf(g->region, sizeof g->region, "%s", region);
    g->created_ms = (uint64_t)json_integer_value(json_object_get(v, "creation_time"));
    g->visible_at = (uint64_t)json_integer_value(json_object_get(v, "visible_at"));
    g->retention = (int)json_integer_value(json_object_get(v, "retention_in_days"));
    g->kms = rc_strdup(json_string_value(json_object_get(v, "kms_key_id")));
    rc_sim_tags_from_json(json_object_get(v, "tags"), &g->tags);
    group_insert(g);
  }
  return RC_OK;
}

static const struct rc_sim_op logs_ops[] = {
    {"CreateLogGroup", op_create, false},
    {"DeleteLogGroup", op_delete, false},
    {"DescribeLogGroups", op_describe, false},
    {"PutRetentionPolicy", op_put_retention, false},
    {"DeleteRetentionPolicy", op_delete_retention, false},
    {"TagResource", op_tag_resource, false},
    {"UntagResource", op_untag_resource, false},
    {"ListTagsForResource", op_list_tags_resource, false},
    {"TagLogGroup", op_tag_group, false},
    {"UntagLogGroup", op_untag_group, false},
    {"ListTagsLogGroup", op_list_tags_group, false},
    {NULL, NULL, false},
};

const struct rc_sim_service rc_sim_svc_logs = {
    .name = "logs",
    .protocol = RC_SIM_JSON,
    .target_prefix = "Logs_20140328",
    .ops = logs_ops,
    .throttle_code = "ThrottlingException",
    .throttle_status = 400,
    .reset = logs_reset,
    .save = logs_save,
    .load = logs_load,
};
