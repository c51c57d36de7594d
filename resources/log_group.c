/* log_group — aws_cloudwatch_log_group: CreateLogGroup with tags at birth,
 * retention through Put/DeleteRetentionPolicy, tags through TagResource /
 * UntagResource. A refresh lists the groups sharing a name prefix with one
 * paginated DescribeLogGroups per prefix (names sorted and cut where their
 * common prefix gets too short) and fetches tags with ListTagsForResource,
 * all groups concurrently (Logs has no batch tag read). */
#include <stdlib.h>
#include <string.h>

#include "rc_alloc.h"
#include "svcutil.h"

#define LG_VISIBLE_S 60
#define LG_MIN_PREFIX 5 /* a shorter common prefix splits the batch */

static const struct rc_attr lg_schema[] = {
    {.name = "id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "arn", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "kms_key_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "log_group_class",
     .type = RC_T_STRING,
     .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "name", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "name_prefix",
     .type = RC_T_STRING,
     .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "retention_in_days", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL, .default_json = "0"},
    {.name = "skip_destroy", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    RC_SVCU_TAGS,
    {0}};

static char *trim_arn(const char *arn)
{
  if (!arn) return NULL;
  size_t n = strlen(arn);
  if (n >= 2 && strcmp(arn + n - 2, ":*") == 0) n -= 2;
  return rc_strndup(arn, n);
}

/* state from a DescribeLogGroups item and its tags */
static struct rc_value *lg_state(struct rc_rctx *ctx, const struct rc_value *g,
                                 const struct rc_value *tags, const struct rc_value *prior)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  const char *name = rc_aws_str(g, "logGroupName");
  rc_svcu_put_str(o, "id", name);
  rc_svcu_put_str(o, "name", name);
  const char *arn = rc_aws_str(g, "logGroupArn");
  char *a = trim_arn(arn ? arn : rc_aws_str(g, "arn"));
  rc_svcu_put_str(o, "arn", a);
  rc_free(a);
  rc_svcu_put_str(o, "kms_key_id", rc_aws_str(g, "kmsKeyId"));
  const char *cls = rc_aws_str(g, "logGroupClass");
  rc_svcu_put_str(o, "log_group_class", cls ? cls : "STANDARD");
  rc_value_obj_put(o, "retention_in_days",
                   rc_value_int(rc_svcu_int(rc_value_get(g, "retentionInDays"), 0)));
  rc_svcu_carry(o, prior, "name_prefix");
  const struct rc_value *sd = prior ? rc_value_get(prior, "skip_destroy") : NULL;
  rc_svcu_put_bool(o, "skip_destroy", sd, false);
  rc_res_put_tags(ctx, o, tags);
  return o;
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static size_t lcp(const char *a, const char *b)
{
  size_t i = 0;
  while (a[i] && a[i] == b[i]) i++;
  return i;
}

/* Describes the groups named in names (sorted, unique), one paginated call per
 * prefix batch; *groups an object name -> item. */
static rc_status describe_names(struct rc_rctx *ctx, const char **names, size_t n,
                                struct rc_value **groups, struct rc_error *err)
{
  *groups = rc_value_obj_new(RC_OBJECT);
  size_t i = 0;
  while (i < n) {
    size_t j = i + 1, pl = strlen(names[i]);
    while (j < n) {
      size_t l = lcp(names[i], names[j]);
      if (l < LG_MIN_PREFIX && l < pl) break;
      pl = l < pl ? l : pl;
      j++;
    }
    char *prefix = rc_strndup(names[i], pl);
    struct rc_value *p = rc_value_obj_new(RC_OBJECT), *list = NULL;
    if (*prefix) rc_value_obj_put(p, "logGroupNamePrefix", rc_value_string(prefix));
    rc_free(prefix);
    rc_status st = rc_aws_call_all(ctx->aws, "logs", "DescribeLogGroups", p, "logGroups", &list,
                                   err);
    rc_value_decref(p);
    if (st) {
      rc_value_decref(list);
      return st;
    }
    for (size_t k = 0; k < rc_value_len(list); k++) {
      const struct rc_value *g = rc_value_index(list, k);
      const char *name = rc_aws_str(g, "logGroupName");
      if (!name) continue;
      for (size_t m = i; m < j; m++)
        if (strcmp(names[m], name) == 0)
          rc_value_obj_put(*groups, name, rc_value_incref(g));
    }
    rc_value_decref(list);
    i = j;
  }
  return RC_OK;
}

/* ListTagsForResource of an item's group; NULL when the group is gone */
static struct rc_value *tags_params(void *groups, const struct rc_read_item *it)
{
  const struct rc_value *g = it->id ? rc_value_get(groups, it->id) : NULL;
  if (!g) return NULL;
  const char *arn = rc_aws_str(g, "logGroupArn");
  char *a = trim_arn(arn ? arn : rc_aws_str(g, "arn"));
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(p, "resourceArn", rc_value_string_steal(a));
  return p;
}

static struct rc_value *tags_state(struct rc_rctx *ctx, void *groups,
                                   const struct rc_read_item *it,
                                   const struct rc_value *answer)
{
  return lg_state(ctx, rc_value_get(groups, it->id), rc_value_get(answer, "tags"),
                  it->prior);
}

static rc_status lg_read_many(struct rc_rctx *ctx, struct rc_read_item *items, size_t n)
{
  const char **names = rc_calloc(n ? n : 1, sizeof *names);
  size_t nn = 0;
  for (size_t i = 0; i < n; i++) {
    items[i].out = NULL;
    items[i].status = RC_OK;
    if (items[i].id) names[nn++] = items[i].id;
  }
  qsort(names, nn, sizeof *names, cmp_str);
  struct rc_value *groups = NULL;
  struct rc_error err = {0};
  rc_status st = describe_names(ctx, names, nn, &groups, &err);
  rc_free(names);
  if (st) {
    for (size_t i = 0; i < n; i++) {
      items[i].status = st;
      items[i].err = err;
    }
    rc_value_decref(groups);
    return st;
  }
  /* tags: one ListTagsForResource per live group, concurrently (NOT_FOUND:
   * deleted between the two calls) */
  static const struct rc_res_read_each how = {.service = "logs",
                                              .op = "ListTagsForResource",
                                              .params = tags_params,
                                              .state = tags_state};
  st = rc_res_read_each(ctx, &how, groups, items, n);
  rc_value_decref(groups);
  return st;
}

static rc_status lg_find(struct rc_rctx *ctx, const struct rc_value *config,
                         struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  const char *name = rc_res_str(config, "name");
  char *gen = name ? NULL : rc_svcu_name(ctx, config, 512);
  rc_status st = rc_res_read_one(ctx, lg_read_many, name ? name : gen, config, 0,
                                 "log group", out, err);
  rc_free(gen);
  if (st == RC_NOT_FOUND) {
    rc_error_clear(err);
    return RC_OK;
  }
  return st;
}

static rc_status put_retention(struct rc_rctx *ctx, const char *name, int64_t days,
                               struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(p, "logGroupName", rc_value_string(name));
  rc_status st;
  if (days > 0) {
    rc_value_obj_put(p, "retentionInDays", rc_value_int(days));
    st = rc_svcu_call(ctx, "logs", "PutRetentionPolicy", p, err);
  } else {
    st = rc_svcu_call(ctx, "logs", "DeleteRetentionPolicy", p, err);
  }
  rc_value_decref(p);
  return st;
}

static rc_status lg_create(struct rc_rctx *ctx, const struct rc_value *config,
                           struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  char *name = rc_svcu_name(ctx, config, 512);
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(p, "logGroupName", rc_value_string(name));
  const char *s;
  if ((s = rc_res_str(config, "kms_key_id")) && *s) rc_value_obj_put(p, "kmsKeyId", rc_value_string(s));
  if ((s = rc_res_str(config, "log_group_class")) && *s)
    rc_value_obj_put(p, "logGroupClass", rc_value_string(s));
  struct rc_value *tags = rc_res_birth_tags(ctx, config);
  rc_value_obj_put(p, "tags", rc_svcu_tag_map(tags));
  rc_value_decref(tags);
  rc_status st = rc_svcu_call(ctx, "logs", "CreateLogGroup", p, err);
  rc_value_decref(p);
  if (st && strcmp(err->aws_code, "ResourceAlreadyExistsException") == 0) {
    rc_error_clear(err); /* a retried create: converge below */
    st = RC_OK;
  }
  int64_t days = rc_res_int(config, "retention_in_days", 0);
  if (!st && days > 0) {
    /* the new group may not be visible to PutRetentionPolicy at once */
    int64_t deadline = rc_res_now_ms() + (int64_t)LG_VISIBLE_S * 1000;
    for (;;) {
      struct rc_error e = {0};
      st = put_retention(ctx, name, days, &e);
      if (st != RC_NOT_FOUND || rc_res_now_ms() >= deadline) {
        if (st && err->code == RC_OK) *err = e;
        break;
      }
      if (rc_res_sleep(ctx, 500)) {
        st = rc_error_set(err, RC_CANCELLED, "cancelled");
        break;
      }
    }
  }
  if (!st)
    st = rc_res_read_one(ctx, lg_read_many, name, config, LG_VISIBLE_S, "log group", out,
                         err);
  rc_free(name);
  return st;
}

static rc_status lg_update(struct rc_rctx *ctx, const struct rc_value *prior,
                           const struct rc_value *config, struct rc_value **out,
                           struct rc_error *err)
{
  *out = NULL;
  const char *name = rc_res_str(prior, "id");
  const char *arn = rc_res_str(prior, "arn");
  rc_status st = RC_OK;
  int64_t want = rc_res_int(config, "retention_in_days", 0);
  if (want != rc_res_int(prior, "retention_in_days", 0)) st = put_retention(ctx, name, want, err);
  const char *kw = rc_res_str(config, "kms_key_id"), *kh = rc_res_str(prior, "kms_key_id");
  if (!st && !(kw ? kh && strcmp(kw, kh) == 0 : !kh || !*kh)) {
    struct rc_value *p = rc_value_obj_new(RC_OBJECT);
    rc_value_obj_put(p, "logGroupName", rc_value_string(name));
    if (kw && *kw) {
      rc_value_obj_put(p, "kmsKeyId", rc_value_string(kw));
      st = rc_svcu_call(ctx, "logs", "AssociateKmsKey", p, err);
    } else {
      st = rc_svcu_call(ctx, "logs", "DisassociateKmsKey", p, err);
    }
    rc_value_decref(p);
  }
  if (!st) {
    struct rc_value *want_tags = rc_res_tags_all(ctx, config), *add, *del;
    rc_svcu_tags_diff(rc_value_get(prior, "tags_all"), want_tags, &add, &del);
    if (rc_value_len(del)) {
      struct rc_value *p = rc_value_obj_new(RC_OBJECT);
      rc_value_obj_put(p, "resourceArn", rc_value_string(arn));
      rc_value_obj_put(p, "tagKeys", rc_value_incref(del));
      st = rc_svcu_call(ctx, "logs", "UntagResource", p, err);
      rc_value_decref(p);
    }
    if (!st && rc_value_len(add)) {
      struct rc_value *p = rc_value_obj_new(RC_OBJECT);
      rc_value_obj_put(p, "resourceArn", rc_value_string(arn));
      rc_value_obj_put(p, "tags", rc_value_incref(add));
      st = rc_svcu_call(ctx, "logs", "TagResource", p, err);
      rc_value_decref(p);
    }
    rc_value_decref(add);
    rc_value_decref(del);
    rc_value_decref(want_tags);
  }
  if (!st)
    st = rc_res_read_one(ctx, lg_read_many, name, config, LG_VISIBLE_S, "log group", out,
                         err);
  return st;
}

static rc_status lg_delete(struct rc_rctx *ctx, const struct rc_value *state,
                           struct rc_error *err)
{
  if (rc_res_bool(state, "skip_destroy", false)) return RC_OK; /* only forgotten */
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(p, "logGroupName", rc_value_string(rc_res_str(state, "id")));
  rc_status st = rc_svcu_call(ctx, "logs", "DeleteLogGroup", p, err);
  rc_value_decref(p);
  return st;
}

static rc_status lg_import(struct rc_rctx *ctx, const char *id, struct rc_value **out,
                           struct rc_error *err)
{
  return rc_res_read_one(ctx, lg_read_many, id, NULL, 0, "log group", out, err);
}

const struct rc_resource_type rc_rt_cloudwatch_log_group = {
    .name = "aws_cloudwatch_log_group",
    .flags = RC_RT_TAGGABLE,
    .schema = lg_schema,
    .read_many = lg_read_many,
    .find = lg_find,
    .create = lg_create,
    .update = lg_update,
    .delete = lg_delete,
    .import = lg_import,
};
