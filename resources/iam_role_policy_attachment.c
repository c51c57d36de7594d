/* iam_role_policy_attachment — aws_iam_role_policy_attachment: a managed
 * policy attached to a role, found by its natural key (role + policy ARN),
 * id "role/policy_arn" (the provider's import form). A refresh lists the
 * attached policies once per distinct role, all roles concurrently. Nothing
 * changes in place: both arguments force a new attachment. */
#include <string.h>

#include "rc_alloc.h"
#include "svcutil.h"

#define RPA_VISIBLE_S 60

static const struct rc_attr rpa_schema[] = {
    {.name = "id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "policy_arn", .type = RC_T_STRING, .flags = RC_A_REQUIRED | RC_A_FORCE_NEW},
    {.name = "role", .type = RC_T_STRING, .flags = RC_A_REQUIRED | RC_A_FORCE_NEW},
    {0}};

/* splits "role/arn:aws:iam::...": the role is everything before the first '/' */
static bool split_id(const char *id, char **role, const char **arn)
{
  const char *s = id ? strchr(id, '/') : NULL;
  if (!s || s == id || !s[1]) return false;
  *role = rc_strndup(id, (size_t)(s - id));
  *arn = s + 1;
  return true;
}

static struct rc_value *state_of(const char *role, const char *arn)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(o, "id", rc_value_string_steal(rc_asprintf("%s/%s", role, arn)));
  rc_svcu_put_str(o, "policy_arn", arn);
  rc_svcu_put_str(o, "role", role);
  return o;
}

static rc_status rpa_read_many(struct rc_rctx *ctx, struct rc_read_item *items, size_t n)
{
  char **roles = rc_calloc(n ? n : 1, sizeof *roles);
  const char **arns = rc_calloc(n ? n : 1, sizeof *arns);
  size_t *req_of = rc_calloc(n ? n : 1, sizeof *req_of);
  struct rc_aws_req *reqs = rc_calloc(n ? n : 1, sizeof *reqs);
  struct rc_value **lists = rc_calloc(n ? n : 1, sizeof *lists);
  size_t nr = 0;
  for (size_t i = 0; i < n; i++) {
    items[i].out = NULL;
    items[i].status = RC_OK;
    req_of[i] = SIZE_MAX;
    if (!split_id(items[i].id, &roles[i], &arns[i])) continue;
    for (size_t k = 0; k < i; k++)
      if (roles[k] && strcmp(roles[k], roles[i]) == 0) req_of[i] = req_of[k];
    if (req_of[i] != SIZE_MAX) continue;
    struct rc_value *p = rc_value_obj_new(RC_OBJECT);
    rc_aws_param(p, "RoleName", roles[i]);
    rc_aws_param(p, "MaxItems", "1000");
    reqs[nr] = (struct rc_aws_req){.service = "iam", .op = "ListAttachedRolePolicies",
                                   .params = p};
    req_of[i] = nr++;
  }
  rc_aws_call_many(ctx->aws, reqs, nr);
  /* a role with more than a page of policies: follow the markers */
  for (size_t r = 0; r < nr; r++) {
    if (reqs[r].status) continue;
    const char *trunc = rc_aws_str(reqs[r].out, "IsTruncated");
    if (trunc && strcmp(trunc, "true") == 0) {
      struct rc_error e = {0};
      reqs[r].status = rc_aws_call_all(ctx->aws, "iam", "ListAttachedRolePolicies",
                                       reqs[r].params, "AttachedPolicies", &lists[r], &e);
      reqs[r].err = e;
    } else {
      lists[r] = rc_value_incref(rc_aws_list(reqs[r].out, "AttachedPolicies"));
    }
  }
  rc_status st = RC_OK;
  for (size_t i = 0; i < n; i++) {
    if (req_of[i] == SIZE_MAX) continue;
    struct rc_aws_req *r = &reqs[req_of[i]];
    if (r->status == RC_NOT_FOUND) continue; /* the role is gone: so is the attachment */
    if (r->status) {
      items[i].status = r->status;
      items[i].err = r->err;
      if (!st) st = r->status;
      continue;
    }
    const struct rc_value *l = lists[req_of[i]];
    for (size_t k = 0; l && k < rc_value_len(l); k++) {
      const char *a = rc_aws_str(rc_value_index(l, k), "PolicyArn");
      if (a && strcmp(a, arns[i]) == 0) {
        items[i].out = state_of(roles[i], arns[i]);
        break;
      }
    }
  }
  for (size_t r = 0; r < nr; r++) {
    rc_value_decref(reqs[r].out);
    rc_value_decref((struct rc_value *)reqs[r].params);
    rc_value_decref(lists[r]);
  }
  for (size_t i = 0; i < n; i++) rc_free(roles[i]);
  rc_free(roles);
  rc_free(arns);
  rc_free(req_of);
  rc_free(reqs);
  rc_free(lists);
  return st;
}

static char *attachment_id(const struct rc_value *config)
{
  return rc_asprintf("%s/%s", rc_res_str(config, "role"), rc_res_str(config, "policy_arn"));
}

static rc_status rpa_find(struct rc_rctx *ctx, const struct rc_value *config,
                          struct rc_value **out, struct rc_error *err)
{
  char *id = attachment_id(config);
  rc_status st =
      rc_res_read_one(ctx, rpa_read_many, id, NULL, 0, "policy attachment", out, err);
  rc_free(id);
  if (st == RC_NOT_FOUND) {
    rc_error_clear(err);
    st = RC_OK;
  }
  return st;
}

static struct rc_value *params_of(const struct rc_value *v)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_aws_param(p, "RoleName", rc_res_str(v, "role"));
  rc_aws_param(p, "PolicyArn", rc_res_str(v, "policy_arn"));
  return p;
}

static rc_status rpa_create(struct rc_rctx *ctx, const struct rc_value *config,
                            struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  struct rc_value *p = params_of(config);
  /* a role created a moment ago may not be visible to IAM yet */
  static const char *const retry[] = {"The role with name", NULL};
  rc_status st = rc_svcu_call_retrying(ctx, "iam", "AttachRolePolicy", p, retry, RPA_VISIBLE_S,
                                       NULL, err);
  rc_value_decref(p);
  if (st) return st;
  char *id = attachment_id(config);
  st = rc_res_read_one(ctx, rpa_read_many, id, NULL, RPA_VISIBLE_S, "policy attachment",
                       out, err);
  rc_free(id);
  return st;
}

static rc_status rpa_delete(struct rc_rctx *ctx, const struct rc_value *state,
                            struct rc_error *err)
{
  struct rc_value *p = params_of(state);
  rc_status st = rc_svcu_call(ctx, "iam", "DetachRolePolicy", p, err);
  rc_value_decref(p);
  return st;
}

static rc_status rpa_import(struct rc_rctx *ctx, const char *id, struct rc_value **out,
                            struct rc_error *err)
{
  return rc_res_read_one(ctx, rpa_read_many, id, NULL, 0, "policy attachment", out, err);
}

const struct rc_resource_type rc_rt_iam_role_policy_attachment = {
    .name = "aws_iam_role_policy_attachment",
    .schema = rpa_schema,
    .read_many = rpa_read_many,
    .find = rpa_find,
    .create = rpa_create,
    .delete = rpa_delete,
    .import = rpa_import,
};
