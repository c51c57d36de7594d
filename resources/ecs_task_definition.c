/* ecs_task_definition — aws_ecs_task_definition: immutable; every argument
 * but tags, skip_destroy and track_latest forces a new revision. The
 * container definitions are compared under the provider's reduction
 * (rc_svcu_norm_containers). Before registering, find() looks through the
 * family's newest ACTIVE revisions for one whose content equals the
 * configuration and adopts it: a rollback to a previous image re-points the
 * service at the revision already registered. Deleting as half of a
 * replacement keeps the newest RC_TD_KEEP ACTIVE revisions (so rollbacks
 * find them) and deregisters only older ones. ECS has no batch read: a
 * refresh runs one DescribeTaskDefinition per revision, concurrently. */
#include <stdlib.h>
#include <string.h>

#include "rc_alloc.h"
#include "svcutil.h"

#define RC_TD_KEEP 5       /* ACTIVE revisions kept when replaced */
#define TD_ADOPT_SCAN 10   /* newest revisions compared by find() */

static const struct rc_attr auth_schema[] = {
    {.name = "access_point_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {.name = "iam", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {0}};

static const struct rc_attr efs_schema[] = {
    {.name = "authorization_config",
     .type = RC_T_BLOCK_LIST,
     .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW,
     .block = auth_schema,
     .max_items = 1},
    {.name = "file_system_id", .type = RC_T_STRING, .flags = RC_A_REQUIRED | RC_A_FORCE_NEW},
    {.name = "root_directory", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {.name = "transit_encryption", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {.name = "transit_encryption_port", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {0}};

static const struct rc_attr volume_schema[] = {
    {.name = "configure_at_launch", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {.name = "efs_volume_configuration",
     .type = RC_T_BLOCK_LIST,
     .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW,
     .block = efs_schema,
     .max_items = 1},
    {.name = "host_path", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {.name = "name", .type = RC_T_STRING, .flags = RC_A_REQUIRED | RC_A_FORCE_NEW},
    {0}};

static const struct rc_attr placement_schema[] = {
    {.name = "expression", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {.name = "type", .type = RC_T_STRING, .flags = RC_A_REQUIRED | RC_A_FORCE_NEW},
    {0}};

static const struct rc_attr runtime_schema[] = {
    {.name = "cpu_architecture", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {.name = "operating_system_family", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {0}};

static const struct rc_attr ephemeral_schema[] = {
    {.name = "size_in_gib", .type = RC_T_NUMBER, .flags = RC_A_REQUIRED | RC_A_FORCE_NEW},
    {0}};

static const struct rc_attr proxy_schema[] = {
    {.name = "container_name", .type = RC_T_STRING, .flags = RC_A_REQUIRED | RC_A_FORCE_NEW},
    {.name = "properties", .type = RC_T_MAP, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {.name = "type", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW, .default_json = "\"APPMESH\""},
    {0}};

static const struct rc_attr td_schema[] = {
    {.name = "id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "arn", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "arn_without_revision", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "container_definitions",
     .type = RC_T_STRING,
     .flags = RC_A_REQUIRED | RC_A_FORCE_NEW | RC_A_JSON,
     .normalise = rc_svcu_norm_containers},
    {.name = "cpu", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW,
     .normalise = rc_svcu_norm_units},
    {.name = "enable_fault_injection",
     .type = RC_T_BOOL,
     .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "ephemeral_storage",
     .type = RC_T_BLOCK_LIST,
     .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW,
     .block = ephemeral_schema,
     .max_items = 1},
    {.name = "execution_role_arn", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {.name = "family", .type = RC_T_STRING, .flags = RC_A_REQUIRED | RC_A_FORCE_NEW},
    {.name = "ipc_mode", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {.name = "memory", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW,
     .normalise = rc_svcu_norm_units},
    {.name = "network_mode",
     .type = RC_T_STRING,
     .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "pid_mode", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {.name = "placement_constraints",
     .type = RC_T_BLOCK_SET,
     .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW,
     .block = placement_schema,
     .max_items = 10},
    {.name = "proxy_configuration",
     .type = RC_T_BLOCK_LIST,
     .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW,
     .block = proxy_schema,
     .max_items = 1},
    {.name = "requires_compatibilities",
     .type = RC_T_SET,
     .elem = RC_T_STRING,
     .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {.name = "revision", .type = RC_T_NUMBER, .flags = RC_A_COMPUTED},
    {.name = "runtime_platform",
     .type = RC_T_BLOCK_LIST,
     .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW,
     .block = runtime_schema,
     .max_items = 1},
    {.name = "skip_destroy", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    RC_SVCU_TAGS,
    {.name = "task_role_arn", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {.name = "track_latest", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    {.name = "volume",
     .type = RC_T_BLOCK_SET,
     .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW,
     .block = volume_schema},
    {0}};

/* ---------------- answer -> state ---------------- */

static struct rc_value *one_block(struct rc_value *o)
{
  struct rc_value *l = rc_value_seq_new(RC_TUPLE);
  if (o) rc_value_seq_push(l, o);
  return l;
}

static struct rc_value *volume_state(const struct rc_value *v)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  rc_svcu_put_str(o, "name", rc_aws_str(v, "name"));
  rc_svcu_put_str(o, "host_path", rc_value_str(rc_value_path(v, "host.sourcePath")));
  const struct rc_value *cal = rc_value_get(v, "configuredAtLaunch");
  rc_value_obj_put(o, "configure_at_launch", cal && rc_value_kind(cal) == RC_BOOL &&
                                                     rc_value_bool_get(cal)
                                                 ? rc_value_bool(true)
                                                 : rc_value_null());
  const struct rc_value *efs = rc_value_get(v, "efsVolumeConfiguration");
  struct rc_value *e = NULL;
  if (efs && rc_value_is_obj(efs)) {
    e = rc_value_obj_new(RC_OBJECT);
    rc_svcu_put_str(e, "file_system_id", rc_aws_str(efs, "fileSystemId"));
    const char *rd = rc_aws_str(efs, "rootDirectory");
    rc_svcu_put_str(e, "root_directory", rd && strcmp(rd, "/") != 0 ? rd : NULL);
    rc_svcu_put_str(e, "transit_encryption", rc_aws_str(efs, "transitEncryption"));
    const struct rc_value *port = rc_value_get(efs, "transitEncryptionPort");
    if (rc_svcu_int(port, 0) > 0)
      rc_svcu_put_int(e, "transit_encryption_port", port);
    else
      rc_value_obj_put(e, "transit_encryption_port", rc_value_null());
    const struct rc_value *ac = rc_value_get(efs, "authorizationConfig");
    struct rc_value *a = NULL;
    if (ac && rc_value_is_obj(ac)) {
      a = rc_value_obj_new(RC_OBJECT);
      rc_svcu_put_str(a, "access_point_id", rc_aws_str(ac, "accessPointId"));
      rc_svcu_put_str(a, "iam", rc_aws_str(ac, "iam"));
    }
    rc_value_obj_put(e, "authorization_config", one_block(a));
  }
  rc_value_obj_put(o, "efs_volume_configuration", one_block(e));
  return o;
}

static struct rc_value *td_state(struct rc_rctx *ctx, const struct rc_value *td,
                                 const struct rc_value *tags, const struct rc_value *prior)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  const char *arn = rc_aws_str(td, "taskDefinitionArn"), *family = rc_aws_str(td, "family");
  rc_svcu_put_str(o, "id", family);
  rc_svcu_put_str(o, "family", family);
  rc_svcu_put_str(o, "arn", arn);
  const char *colon = arn ? strrchr(arn, ':') : NULL;
  rc_value_obj_put(o, "arn_without_revision",
                   colon ? rc_value_string_n(arn, (size_t)(colon - arn)) : rc_value_null());
  rc_svcu_put_int(o, "revision", rc_value_get(td, "revision"));
  const struct rc_value *cds = rc_value_get(td, "containerDefinitions");
  char *raw = cds ? rc_value_dump_json(cds) : rc_strdup("[]");
  char *canon = rc_svcu_containers_canon(raw);
  rc_svcu_put_str(o, "container_definitions", canon ? canon : raw);
  rc_free(raw);
  rc_free(canon);
  rc_svcu_put_str(o, "cpu", rc_aws_str(td, "cpu"));
  rc_svcu_put_str(o, "memory", rc_aws_str(td, "memory"));
  rc_svcu_put_str(o, "network_mode", rc_aws_str(td, "networkMode"));
  rc_svcu_put_str(o, "execution_role_arn", rc_aws_str(td, "executionRoleArn"));
  rc_svcu_put_str(o, "task_role_arn", rc_aws_str(td, "taskRoleArn"));
  rc_svcu_put_str(o, "ipc_mode", rc_aws_str(td, "ipcMode"));
  rc_svcu_put_str(o, "pid_mode", rc_aws_str(td, "pidMode"));
  const struct rc_value *fi = rc_value_get(td, "enableFaultInjection");
  rc_svcu_put_bool(o, "enable_fault_injection", fi, false);
  rc_value_obj_put(o, "requires_compatibilities",
                   rc_svcu_str_set(rc_aws_list(td, "requiresCompatibilities")));

  struct rc_value *vols = rc_value_seq_new(RC_SET);
  const struct rc_value *vl = rc_aws_list(td, "volumes");
  for (size_t i = 0; i < rc_value_len(vl); i++)
    rc_value_seq_push(vols, volume_state(rc_value_index(vl, i)));
  rc_value_obj_put(o, "volume", rc_value_seq_seal(vols));

  struct rc_value *pcs = rc_value_seq_new(RC_SET);
  const struct rc_value *pl = rc_aws_list(td, "placementConstraints");
  for (size_t i = 0; i < rc_value_len(pl); i++) {
    const struct rc_value *p = rc_value_index(pl, i);
    struct rc_value *e = rc_value_obj_new(RC_OBJECT);
    rc_svcu_put_str(e, "type", rc_aws_str(p, "type"));
    rc_svcu_put_str(e, "expression", rc_aws_str(p, "expression"));
    rc_value_seq_push(pcs, e);
  }
  rc_value_obj_put(o, "placement_constraints", rc_value_seq_seal(pcs));

  const struct rc_value *rp = rc_value_get(td, "runtimePlatform");
  struct rc_value *r = NULL;
  if (rp && rc_value_is_obj(rp) && rc_value_len(rp)) {
    r = rc_value_obj_new(RC_OBJECT);
    rc_svcu_put_str(r, "cpu_architecture", rc_aws_str(rp, "cpuArchitecture"));
    rc_svcu_put_str(r, "operating_system_family", rc_aws_str(rp, "operatingSystemFamily"));
  }
  rc_value_obj_put(o, "runtime_platform", one_block(r));

  const struct rc_value *es = rc_value_get(td, "ephemeralStorage");
  struct rc_value *e = NULL;
  if (es && rc_value_is_obj(es)) {
    e = rc_value_obj_new(RC_OBJECT);
    rc_svcu_put_int(e, "size_in_gib", rc_value_get(es, "sizeInGiB"));
  }
  rc_value_obj_put(o, "ephemeral_storage", one_block(e));

  const struct rc_value *px = rc_value_get(td, "proxyConfiguration");
  struct rc_value *x = NULL;
  if (px && rc_value_is_obj(px)) {
    x = rc_value_obj_new(RC_OBJECT);
    rc_svcu_put_str(x, "container_name", rc_aws_str(px, "containerName"));
    rc_svcu_put_str(x, "type", rc_aws_str(px, "type"));
    struct rc_value *props = rc_value_obj_new(RC_MAP);
    const struct rc_value *pp = rc_aws_list(px, "properties");
    for (size_t i = 0; i < rc_value_len(pp); i++) {
      const struct rc_value *kv = rc_value_index(pp, i);
      const char *k = rc_aws_str(kv, "name"), *v = rc_aws_str(kv, "value");
      if (k) rc_value_obj_put(props, k, rc_value_string(v ? v : ""));
    }
    rc_value_obj_put(x, "properties", props);
  }
  rc_value_obj_put(o, "proxy_configuration", one_block(x));

  const struct rc_value *sd = prior ? rc_value_get(prior, "skip_destroy") : NULL;
  rc_svcu_put_bool(o, "skip_destroy", sd, false);
  const struct rc_value *tl = prior ? rc_value_get(prior, "track_latest") : NULL;
  rc_svcu_put_bool(o, "track_latest", tl, false);
  struct rc_value *t = rc_aws_tags_to_object(tags);
  rc_res_put_tags(ctx, o, t);
  rc_value_decref(t);
  return o;
}

/* ---------------- reads ---------------- */

static struct rc_value *describe_params(const char *ref)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *inc = rc_value_seq_new(RC_TUPLE);
  rc_value_obj_put(p, "taskDefinition", rc_value_string(ref ? ref : ""));
  rc_value_seq_push(inc, rc_value_string("TAGS"));
  rc_value_obj_put(p, "include", inc);
  return p;
}

/* "does not exist" answers of DescribeTaskDefinition (a ClientException) */
static bool missing(const struct rc_aws_req *r)
{
  if (r->status == RC_NOT_FOUND) return true;
  return r->status == RC_AWS && strstr(r->err.aws_code, "ClientException") &&
         (strstr(r->err.msg, "Unable to describe") || strstr(r->err.msg, "does not exist"));
}

/* the reference to describe for an item: the latest of the family when
 * track_latest, else the recorded ARN, else the id (import: family,
 * family:revision or ARN) */
static const char *item_ref(const struct rc_read_item *it)
{
  if (it->prior && rc_res_bool(it->prior, "track_latest", false) && rc_res_str(it->prior, "family"))
    return rc_res_str(it->prior, "family");
  const char *arn = it->prior ? rc_res_str(it->prior, "arn") : NULL;
  return arn ? arn : it->id;
}

static struct rc_value *read_params(void *ud, const struct rc_read_item *it)
{
  return describe_params(item_ref(it));
}

static struct rc_value *read_state(struct rc_rctx *ctx, void *ud,
                                   const struct rc_read_item *it,
                                   const struct rc_value *answer)
{
  const struct rc_value *td = rc_value_get(answer, "taskDefinition");
  const char *status = td ? rc_aws_str(td, "status") : NULL;
  if (!td || (status && strcmp(status, "INACTIVE") == 0)) return NULL;
  return td_state(ctx, td, rc_aws_list(answer, "tags"), it->prior);
}

static rc_status td_read_many(struct rc_rctx *ctx, struct rc_read_item *items, size_t n)
{
  static const struct rc_res_read_each how = {.service = "ecs",
                                              .op = "DescribeTaskDefinition",
                                              .params = read_params,
                                              .state = read_state,
                                              .gone = missing};
  return rc_res_read_each(ctx, &how, NULL, items, n);
}

/* read_many with the configuration-only values of the real prior (ud, may
 * be NULL) put back into what is read */
static rc_status ref_read_many(struct rc_rctx *ctx, const void *ud,
                               struct rc_read_item *items, size_t n)
{
  const struct rc_value *prior = ud;
  rc_status st = td_read_many(ctx, items, n);
  for (size_t i = 0; prior && i < n; i++) {
    if (!items[i].out) continue;
    rc_svcu_carry(items[i].out, prior, "track_latest");
    if (!rc_value_get(prior, "track_latest"))
      rc_value_obj_put(items[i].out, "track_latest", rc_value_bool(false));
  }
  return st;
}

static rc_status read_ref(struct rc_rctx *ctx, const char *ref, const struct rc_value *prior,
                          int wait_s, struct rc_value **out, struct rc_error *err)
{
  /* prior without track_latest/arn: the item reads exactly ref */
  struct rc_value *p = prior ? rc_value_copy(prior) : rc_value_obj_new(RC_OBJECT);
  rc_value_obj_del(p, "arn");
  rc_value_obj_put(p, "track_latest", rc_value_bool(false));
  rc_status st = rc_res_read_one_ud(ctx, ref_read_many, prior, ref, p, wait_s,
                                    "task definition", out, err);
  rc_value_decref(p);
  return st;
}

/* ---------------- content comparison (find) ---------------- */

/* canonical text of a value for comparison: nulls, empty collections and
 * false bools dropped, every sequence sorted, scalars as strings */
static void canon_text(const struct rc_value *v, struct rc_buf *b)
{
  if (!v || rc_value_is_null(v)) return;
  if (rc_value_is_seq(v)) {
    size_t n = rc_value_len(v);
    char **parts = rc_calloc(n ? n : 1, sizeof *parts);
    for (size_t i = 0; i < n; i++) {
      struct rc_buf e;
      rc_buf_init(&e, 0);
      canon_text(rc_value_index(v, i), &e);
      parts[i] = rc_buf_detach(&e);
    }
    for (size_t i = 1; i < n; i++) /* insertion sort: tiny lists */
      for (size_t k = i; k > 0 && strcmp(parts[k - 1], parts[k]) > 0; k--) {
        char *t = parts[k];
        parts[k] = parts[k - 1];
        parts[k - 1] = t;
      }
    rc_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
      rc_buf_printf(b, "%s,", parts[i]);
      rc_free(parts[i]);
    }
    rc_free(parts);
    rc_buf_putc(b, ']');
    return;
  }
  if (rc_value_is_obj(v)) {
    rc_buf_putc(b, '{');
    for (size_t i = 0; i < rc_value_len(v); i++) {
      struct rc_buf e;
      rc_buf_init(&e, 0);
      canon_text(rc_value_index(v, i), &e);
      if (e.len && strcmp(e.ptr, "[]") != 0 && strcmp(e.ptr, "{}") != 0)
        rc_buf_printf(b, "%s=%s;", rc_value_key(v, i), e.ptr);
      rc_buf_free(&e);
    }
    rc_buf_putc(b, '}');
    return;
  }
  if (rc_value_kind(v) == RC_BOOL) {
    if (rc_value_bool_get(v)) rc_buf_puts(b, "true");
    return;
  }
  if (rc_value_kind(v) == RC_NUMBER) {
    char tmp[64];
    rc_value_format_number(v, tmp, sizeof tmp);
    rc_buf_puts(b, tmp);
    return;
  }
  if (rc_value_str(v)) rc_buf_puts(b, rc_value_str(v));
}

static char *attr_text(const struct rc_attr *a, const struct rc_value *v)
{
  struct rc_value *n = a->normalise && v && rc_value_str(v) ? a->normalise(v) : NULL;
  struct rc_buf b;
  rc_buf_init(&b, 0);
  canon_text(n ? n : v, &b);
  rc_value_decref(n);
  char *s = rc_buf_detach(&b);
  if (strcmp(s, "[]") == 0 || strcmp(s, "{}") == 0) s[0] = '\0';
  return s;
}

/* true when a registered revision (its state) has the configuration's content */
static bool same_content(const struct rc_value *config, const struct rc_value *state)
{
  for (const struct rc_attr *a = td_schema; a->name; a++) {
    if (!(a->flags & RC_A_FORCE_NEW) || !(a->flags & (RC_A_REQUIRED | RC_A_OPTIONAL))) continue;
    const struct rc_value *c = rc_value_get(config, a->name);
    if ((a->flags & RC_A_COMPUTED) && (!c || rc_value_is_null(c))) continue;
    char *x = attr_text(a, c), *y = attr_text(a, rc_value_get(state, a->name));
    bool eq = strcmp(x, y) == 0;
    rc_free(x);
    rc_free(y);
    if (!eq) return false;
  }
  return true;
}

/* the family's ACTIVE revision ARNs, newest first (at most max) */
static rc_status list_active(struct rc_rctx *ctx, const char *family, size_t max,
                             struct rc_value **arns, struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(p, "familyPrefix", rc_value_string(family));
  rc_value_obj_put(p, "status", rc_value_string("ACTIVE"));
  rc_value_obj_put(p, "sort", rc_value_string("DESC"));
  rc_status st = rc_aws_call_all(ctx->aws, "ecs", "ListTaskDefinitions", p, "taskDefinitionArns",
                                 arns, err);
  rc_value_decref(p);
  if (st) return st;
  /* familyPrefix matches "web" in "web-worker" too: keep this family only */
  struct rc_value *l = rc_value_seq_new(RC_TUPLE);
  for (size_t i = 0; i < rc_value_len(*arns) && rc_value_len(l) < max; i++) {
    const char *a = rc_value_str(rc_value_index(*arns, i));
    const char *slash = a ? strrchr(a, '/') : NULL, *colon = a ? strrchr(a, ':') : NULL;
    if (!slash || !colon || colon < slash) continue;
    if ((size_t)(colon - slash - 1) == strlen(family) &&
        strncmp(slash + 1, family, strlen(family)) == 0)
      rc_value_seq_push(l, rc_value_incref(rc_value_index(*arns, i)));
  }
  rc_value_decref(*arns);
  *arns = l;
  return RC_OK;
}

static rc_status td_find(struct rc_rctx *ctx, const struct rc_value *config,
                         struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  struct rc_value *arns = NULL;
  rc_status st = list_active(ctx, rc_res_str(config, "family"), TD_ADOPT_SCAN, &arns, err);
  if (st) {
    rc_value_decref(arns);
    return st == RC_NOT_FOUND ? (rc_error_clear(err), RC_OK) : st;
  }
  size_t n = rc_value_len(arns);
  struct rc_read_item *items = rc_calloc(n ? n : 1, sizeof *items);
  for (size_t i = 0; i < n; i++)
    items[i] = (struct rc_read_item){.address = ctx->address,
                                     .id = rc_value_str(rc_value_index(arns, i)),
                                     .prior = config};
  if (n) st = td_read_many(ctx, items, n);
  for (size_t i = 0; i < n; i++) { /* newest first: the first match wins */
    if (!st && !*out && items[i].out && same_content(config, items[i].out)) {
      *out = items[i].out;
      continue;
    }
    if (st && items[i].status && err->code == RC_OK) *err = items[i].err;
    rc_value_decref(items[i].out);
  }
  rc_free(items);
  rc_value_decref(arns);
  return st;
}

/* ---------------- register ---------------- */

static void put_str(struct rc_value *p, const char *wire, const struct rc_value *cfg,
                    const char *name)
{
  const char *s = rc_res_str(cfg, name);
  if (s && *s) rc_value_obj_put(p, wire, rc_value_string(s));
}

static struct rc_value *volumes_wire(const struct rc_value *config)
{
  const struct rc_value *vs = rc_value_get(config, "volume");
  struct rc_value *l = rc_value_seq_new(RC_TUPLE);
  for (size_t i = 0; vs && rc_value_is_seq(vs) && i < rc_value_len(vs); i++) {
    const struct rc_value *v = rc_value_index(vs, i);
    struct rc_value *o = rc_value_obj_new(RC_OBJECT);
    put_str(o, "name", v, "name");
    const char *hp = rc_res_str(v, "host_path");
    if (hp && *hp) {
      struct rc_value *h = rc_value_obj_new(RC_OBJECT);
      rc_value_obj_put(h, "sourcePath", rc_value_string(hp));
      rc_value_obj_put(o, "host", h);
    }
    if (rc_res_bool(v, "configure_at_launch", false))
      rc_value_obj_put(o, "configuredAtLaunch", rc_value_bool(true));
    const struct rc_value *efs = rc_res_block(v, "efs_volume_configuration");
    if (efs) {
      struct rc_value *e = rc_value_obj_new(RC_OBJECT);
      put_str(e, "fileSystemId", efs, "file_system_id");
      put_str(e, "rootDirectory", efs, "root_directory");
      put_str(e, "transitEncryption", efs, "transit_encryption");
      int64_t port = rc_res_int(efs, "transit_encryption_port", 0);
      if (port > 0) rc_value_obj_put(e, "transitEncryptionPort", rc_value_int(port));
      const struct rc_value *ac = rc_res_block(efs, "authorization_config");
      if (ac) {
        struct rc_value *a = rc_value_obj_new(RC_OBJECT);
        put_str(a, "accessPointId", ac, "access_point_id");
        put_str(a, "iam", ac, "iam");
        rc_value_obj_put(e, "authorizationConfig", a);
      }
      rc_value_obj_put(o, "efsVolumeConfiguration", e);
    }
    rc_value_seq_push(l, o);
  }
  return l;
}

static rc_status td_register(struct rc_rctx *ctx, const struct rc_value *config,
                             struct rc_value **ans, struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  put_str(p, "family", config, "family");
  const char *cds = rc_res_str(config, "container_definitions");
  struct rc_value *cd = cds ? rc_value_parse_json(cds, strlen(cds), NULL) : NULL;
  if (!cd || !rc_value_is_seq(cd)) {
    rc_value_decref(cd);
    rc_value_decref(p);
    return rc_error_set(err, RC_EVAL,
                        "container_definitions is not a JSON array of container definitions");
  }
  rc_value_obj_put(p, "containerDefinitions", cd);
  put_str(p, "cpu", config, "cpu");
  put_str(p, "memory", config, "memory");
  put_str(p, "networkMode", config, "network_mode");
  put_str(p, "executionRoleArn", config, "execution_role_arn");
  put_str(p, "taskRoleArn", config, "task_role_arn");
  put_str(p, "ipcMode", config, "ipc_mode");
  put_str(p, "pidMode", config, "pid_mode");
  const struct rc_value *fi = rc_value_get(config, "enable_fault_injection");
  if (fi && rc_value_kind(fi) == RC_BOOL)
    rc_value_obj_put(p, "enableFaultInjection", rc_value_bool(rc_value_bool_get(fi)));
  const struct rc_value *rcmp = rc_value_get(config, "requires_compatibilities");
  if (rcmp && rc_value_is_seq(rcmp) && rc_value_len(rcmp))
    rc_value_obj_put(p, "requiresCompatibilities", rc_svcu_str_list(rcmp));
  struct rc_value *vols = volumes_wire(config);
  if (rc_value_len(vols))
    rc_value_obj_put(p, "volumes", vols);
  else
    rc_value_decref(vols);
  const struct rc_value *pcs = rc_value_get(config, "placement_constraints");
  if (pcs && rc_value_is_seq(pcs) && rc_value_len(pcs)) {
    struct rc_value *l = rc_value_seq_new(RC_TUPLE);
    for (size_t i = 0; i < rc_value_len(pcs); i++) {
      struct rc_value *o = rc_value_obj_new(RC_OBJECT);
      put_str(o, "type", rc_value_index(pcs, i), "type");
      put_str(o, "expression", rc_value_index(pcs, i), "expression");
      rc_value_seq_push(l, o);
    }
    rc_value_obj_put(p, "placementConstraints", l);
  }
  const struct rc_value *rp = rc_res_block(config, "runtime_platform");
  if (rp) {
    struct rc_value *o = rc_value_obj_new(RC_OBJECT);
    put_str(o, "cpuArchitecture", rp, "cpu_architecture");
    put_str(o, "operatingSystemFamily", rp, "operating_system_family");
    rc_value_obj_put(p, "runtimePlatform", o);
  }
  const struct rc_value *es = rc_res_block(config, "ephemeral_storage");
  if (es) {
    struct rc_value *o = rc_value_obj_new(RC_OBJECT);
    rc_value_obj_put(o, "sizeInGiB", rc_value_int(rc_res_int(es, "size_in_gib", 21)));
    rc_value_obj_put(p, "ephemeralStorage", o);
  }
  const struct rc_value *px = rc_res_block(config, "proxy_configuration");
  if (px) {
    struct rc_value *o = rc_value_obj_new(RC_OBJECT), *props = rc_value_seq_new(RC_TUPLE);
    put_str(o, "containerName", px, "container_name");
    put_str(o, "type", px, "type");
    const struct rc_value *pm = rc_value_get(px, "properties");
    for (size_t i = 0; pm && rc_value_is_obj(pm) && i < rc_value_len(pm); i++) {
      struct rc_value *kv = rc_value_obj_new(RC_OBJECT);
      rc_value_obj_put(kv, "name", rc_value_string(rc_value_key(pm, i)));
      rc_value_obj_put(kv, "value", rc_value_incref(rc_value_index(pm, i)));
      rc_value_seq_push(props, kv);
    }
    rc_value_obj_put(o, "properties", props);
    rc_value_obj_put(p, "proxyConfiguration", o);
  }
  struct rc_value *tags = rc_res_birth_tags(ctx, config);
  rc_value_obj_put(p, "tags", rc_svcu_json_tags(tags, "key", "value"));
  rc_value_decref(tags);
  /* an execution role created a moment ago may not be usable yet */
  static const char *const retry[] = {"Role is not valid", "is not authorized to perform",
                                      NULL};
  rc_status st = rc_svcu_call_retrying(ctx, "ecs", "RegisterTaskDefinition", p, retry,
                                       rc_res_timeout(ctx, "create", 120), ans, err);
  rc_value_decref(p);
  return st;
}

static rc_status td_create(struct rc_rctx *ctx, const struct rc_value *config,
                           struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  struct rc_value *ans = NULL;
  rc_status st = td_register(ctx, config, &ans, err);
  const char *arn = ans ? rc_value_str(rc_value_path(ans, "taskDefinition.taskDefinitionArn")) : NULL;
  if (!st && !arn) st = rc_error_set(err, RC_AWS, "RegisterTaskDefinition answered without an ARN");
  if (!st) st = read_ref(ctx, arn, config, 60, out, err);
  rc_value_decref(ans);
  return st;
}

/* only tags, skip_destroy and track_latest change in place */
static rc_status td_update(struct rc_rctx *ctx, const struct rc_value *prior,
                           const struct rc_value *config, struct rc_value **out,
                           struct rc_error *err)
{
  *out = NULL;
  const char *arn = rc_res_str(prior, "arn");
  rc_status st = rc_svcu_ecs_update_tags(ctx, arn, prior, config, err);
  if (!st) st = read_ref(ctx, arn, config, 60, out, err);
  return st;
}

static rc_status deregister(struct rc_rctx *ctx, const char *arn, struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(p, "taskDefinition", rc_value_string(arn));
  struct rc_aws_req r = {.service = "ecs", .op = "DeregisterTaskDefinition", .params = p};
  r.status = rc_aws_call(ctx->aws, "ecs", "DeregisterTaskDefinition", p, &r.out, &r.err);
  rc_value_decref(r.out);
  rc_value_decref(p);
  if (r.status == RC_OK || missing(&r)) return RC_OK;
  if (err && err->code == RC_OK) *err = r.err;
  return r.status;
}

static rc_status td_delete(struct rc_rctx *ctx, const struct rc_value *state,
                           struct rc_error *err)
{
  if (rc_res_bool(state, "skip_destroy", false)) return RC_OK;
  const char *arn = rc_res_str(state, "arn");
  if (!ctx->replacing) {
    /* destroyed for good: the revisions kept for rollbacks go too, but only
     * those this stack registered (its recon:stack tag) */
    rc_status st = deregister(ctx, arn, err);
    struct rc_value *arns = NULL;
    if (!st) st = list_active(ctx, rc_res_str(state, "family"), SIZE_MAX, &arns, err);
    for (size_t i = 0; !st && i < rc_value_len(arns); i++) {
      const char *other = rc_value_str(rc_value_index(arns, i));
      struct rc_value *p = rc_value_obj_new(RC_OBJECT), *out = NULL;
      rc_value_obj_put(p, "resourceArn", rc_value_string(other));
      struct rc_error terr = {0};
      if (rc_aws_call(ctx->aws, "ecs", "ListTagsForResource", p, &out, &terr) == RC_OK) {
        struct rc_value *tags = rc_aws_tags_to_object(rc_aws_list(out, "tags"));
        if (rc_value_str(rc_value_get(tags, RC_TAG_STACK)) &&
            strcmp(rc_value_str(rc_value_get(tags, RC_TAG_STACK)), ctx->stack) == 0)
          st = deregister(ctx, other, err);
        rc_value_decref(tags);
      }
      rc_value_decref(out);
      rc_value_decref(p);
    }
    rc_value_decref(arns);
    return st;
  }
  /* replaced by a new revision: keep the newest RC_TD_KEEP for rollbacks */
  struct rc_value *arns = NULL;
  rc_status st = list_active(ctx, rc_res_str(state, "family"), SIZE_MAX, &arns, err);
  for (size_t i = RC_TD_KEEP; !st && i < rc_value_len(arns); i++)
    st = deregister(ctx, rc_value_str(rc_value_index(arns, i)), err);
  rc_value_decref(arns);
  return st;
}

static rc_status td_import(struct rc_rctx *ctx, const char *id, struct rc_value **out,
                           struct rc_error *err)
{
  return read_ref(ctx, id, NULL, 0, out, err);
}

const struct rc_resource_type rc_rt_ecs_task_definition = {
    .name = "aws_ecs_task_definition",
    .flags = RC_RT_TAGGABLE,
    .schema = td_schema,
    .read_many = td_read_many,
    .find = td_find,
    .create = td_create,
    .update = td_update,
    .delete = td_delete,
    .import = td_import,
};
