/* security_group — aws_security_group: CreateSecurityGroup with tags at
 * birth; inline ingress/egress blocks reconciled by Revoke/Authorize of the
 * difference, one peer (CIDR, IPv6 CIDR, prefix list, group) per
 * permission so that the difference is exact. As the provider does, the
 * allow-all egress rule AWS adds to a new VPC group is revoked at create:
 * only configured rules exist. revoke_rules_on_delete revokes every rule
 * before the delete (groups that reference each other); the delete retries
 * DependencyViolation while ENIs detach. Refresh: one DescribeSecurityGroups. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ec2util.h"
#include "rc_alloc.h"

static const struct rc_attr rule_block[] = {
    {.name = "cidr_blocks", .type = RC_T_LIST, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL, .normalise = rc_ec2u_norm_cidr_set},
    {.name = "description", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "from_port", .type = RC_T_NUMBER, .flags = RC_A_REQUIRED},
    {.name = "ipv6_cidr_blocks", .type = RC_T_LIST, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL, .normalise = rc_ec2u_norm_cidr_set},
    {.name = "prefix_list_ids", .type = RC_T_LIST, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "protocol", .type = RC_T_STRING, .flags = RC_A_REQUIRED, .normalise = rc_ec2u_norm_protocol},
    {.name = "security_groups", .type = RC_T_SET, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "self", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    {.name = "to_port", .type = RC_T_NUMBER, .flags = RC_A_REQUIRED},
    {0}};

static const struct rc_attr sg_schema[] = {
    RC_EC2U_ID,
    {.name = "arn", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "description", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW, .default_json = "\"Managed by Terraform\""},
    {.name = "egress", .type = RC_T_BLOCK_SET, .flags = RC_A_OPTIONAL | RC_A_COMPUTED, .block = rule_block},
    {.name = "ingress", .type = RC_T_BLOCK_SET, .flags = RC_A_OPTIONAL | RC_A_COMPUTED, .block = rule_block},
    {.name = "name", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "name_prefix", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "owner_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "revoke_rules_on_delete", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    {.name = "vpc_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    RC_EC2U_TAGS,
    {0}};

/* --- AWS permissions → rule blocks: one block per (permission, description) --- */
struct peers {
  const char *desc;
  struct rc_value *cidrs, *cidr6, *pls, *groups;
  bool self;
};

static struct peers *peers_for(struct peers *g, size_t *ng, const char *desc)
{
  for (size_t i = 0; i < *ng; i++)
    if ((!g[i].desc && !desc) || (g[i].desc && desc && strcmp(g[i].desc, desc) == 0)) return &g[i];
  struct peers *p = &g[(*ng)++];
  *p = (struct peers){.desc = desc,
                      .cidrs = rc_value_seq_new(RC_LIST),
                      .cidr6 = rc_value_seq_new(RC_LIST),
                      .pls = rc_value_seq_new(RC_LIST),
                      .groups = rc_value_seq_new(RC_SET)};
  return p;
}

static struct rc_value *list_or_null(struct rc_value *l)
{
  if (rc_value_len(l)) return rc_value_seq_seal(l);
  rc_value_decref(l);
  return rc_value_null();
}

static const char *nonempty(const char *s) { return s && *s ? s : NULL; }

static void perm_blocks(struct rc_value *out, const struct rc_value *perm, const char *self_id)
{
  size_t cap = 4;
  static const char *const lists[] = {"ipRanges", "ipv6Ranges", "prefixListIds", "groups"};
  for (size_t l = 0; l < 4; l++) cap += rc_value_len(rc_aws_list(perm, lists[l]));
  struct peers *g = rc_calloc(cap, sizeof *g);
  size_t ng = 0;
  for (size_t l = 0; l < 4; l++) {
    const struct rc_value *lv = rc_aws_list(perm, lists[l]);
    for (size_t i = 0; i < rc_value_len(lv); i++) {
      const struct rc_value *e = rc_value_index(lv, i);
      struct peers *p = peers_for(g, &ng, nonempty(rc_aws_str(e, "description")));
      const char *v;
      switch (l) {
      case 0:
        if ((v = rc_aws_str(e, "cidrIp"))) rc_value_seq_push(p->cidrs, rc_value_string(v));
        break;
      case 1:
        if ((v = rc_aws_str(e, "cidrIpv6"))) rc_value_seq_push(p->cidr6, rc_value_string(v));
        break;
      case 2:
        if ((v = rc_aws_str(e, "prefixListId"))) rc_value_seq_push(p->pls, rc_value_string(v));
        break;
      default:
        if (!(v = rc_aws_str(e, "groupId"))) break;
        if (self_id && strcmp(v, self_id) == 0)
          p->self = true;
        else
          rc_value_seq_push(p->groups, rc_value_string(v));
      }
    }
  }
  struct rc_value *pv = rc_value_string(rc_aws_str(perm, "ipProtocol") ? rc_aws_str(perm, "ipProtocol") : "-1");
  struct rc_value *proto = rc_ec2u_norm_protocol(pv);
  rc_value_decref(pv);
  const char *fp = rc_aws_str(perm, "fromPort"), *tp = rc_aws_str(perm, "toPort");
  for (size_t i = 0; i < ng; i++) {
    struct rc_value *o = rc_value_obj_new(RC_OBJECT);
    rc_value_obj_put(o, "cidr_blocks", list_or_null(g[i].cidrs));
    rc_value_obj_put(o, "ipv6_cidr_blocks", list_or_null(g[i].cidr6));
    rc_value_obj_put(o, "prefix_list_ids", list_or_null(g[i].pls));
    rc_value_obj_put(o, "security_groups", list_or_null(g[i].groups));
    rc_ec2u_put_str(o, "description", g[i].desc);
    rc_value_obj_put(o, "self", rc_value_bool(g[i].self));
    rc_value_obj_put(o, "protocol", rc_value_incref(proto));
    rc_value_obj_put(o, "from_port", rc_value_int(fp ? strtoll(fp, NULL, 10) : 0));
    rc_value_obj_put(o, "to_port", rc_value_int(tp ? strtoll(tp, NULL, 10) : 0));
    rc_value_seq_push(out, o);
  }
  rc_value_decref(proto);
  rc_free(g);
}

static struct rc_value *rules_of(const struct rc_value *it, const char *key, const char *self_id)
{
  struct rc_value *set = rc_value_seq_new(RC_SET);
  const struct rc_value *perms = rc_aws_list(it, key);
  for (size_t i = 0; i < rc_value_len(perms); i++)
    perm_blocks(set, rc_value_index(perms, i), self_id);
  return rc_value_seq_seal(set);
}

static struct rc_value *sg_to_state(struct rc_rctx *ctx, const struct rc_value *it,
                                    const struct rc_value *prior)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  const char *id = rc_aws_str(it, "groupId"), *owner = rc_aws_str(it, "ownerId");
  rc_ec2u_put_str(o, "id", id);
  const char *arn = rc_aws_str(it, "securityGroupArn");
  if (arn)
    rc_ec2u_put_str(o, "arn", arn);
  else
    rc_value_obj_put(o, "arn", rc_value_string_steal(rc_ec2u_arn(ctx, owner, "security-group", id)));
  const char *desc = rc_aws_str(it, "groupDescription");
  rc_value_obj_put(o, "description", rc_value_string(desc ? desc : ""));
  const char *name = rc_aws_str(it, "groupName");
  rc_ec2u_put_str(o, "name", name);
  const char *np = rc_res_str(prior, "name_prefix");
  rc_ec2u_put_str(o, "name_prefix", np && name && strncmp(name, np, strlen(np)) == 0 ? np : NULL);
  rc_ec2u_put_str(o, "owner_id", owner);
  rc_ec2u_put_str(o, "vpc_id", rc_aws_str(it, "vpcId"));
  rc_value_obj_put(o, "revoke_rules_on_delete",
                   rc_value_bool(rc_res_bool(prior, "revoke_rules_on_delete", false)));
  rc_value_obj_put(o, "ingress", rules_of(it, "ipPermissions", id));
  rc_value_obj_put(o, "egress", rules_of(it, "ipPermissionsEgress", id));
  rc_ec2u_put_tags(ctx, o, it);
  return o;
}

static const struct rc_ec2u_kind sg_kind = {
    .describe_op = "DescribeSecurityGroups",
    .list_key = "securityGroupInfo",
    .id_filter = "group-id",
    .id_key = "groupId",
    .to_state = sg_to_state,
};

static rc_status sg_read_many(struct rc_rctx *ctx, struct rc_read_item *items, size_t n)
{
  return rc_ec2u_read_many(ctx, &sg_kind, items, n);
}

static rc_status sg_find(struct rc_rctx *ctx, const struct rc_value *config,
                         struct rc_value **out, struct rc_error *err)
{
  return rc_ec2u_find_tagged(ctx, &sg_kind, config, out, err);
}

/* --- rule blocks → atoms (one peer each) and the difference --- */
struct atom {
  char proto[32];
  int64_t from, to;
  char kind; /* c 6 p g */
  char peer[128];
  char desc[256];
};

struct atoms {
  struct atom *v;
  size_t n;
};

static void atom_add(struct atoms *a, const char *proto, int64_t from, int64_t to, char kind,
                     const char *peer, const char *desc)
{
  a->v = rc_realloc(a->v, (a->n + 1) * sizeof *a->v);
  struct atom *t = &a->v[a->n++];
  memset(t, 0, sizeof *t);
  snprintf(t->proto, sizeof t->proto, "%s", proto);
  bool all = strcmp(proto, "-1") == 0;
  t->from = all ? 0 : from;
  t->to = all ? 0 : to;
  t->kind = kind;
  snprintf(t->peer, sizeof t->peer, "%s", peer);
  snprintf(t->desc, sizeof t->desc, "%s", desc ? desc : "");
}

static void atoms_of(struct atoms *a, const struct rc_value *rules, const char *self_id)
{
  for (size_t i = 0; rules && rc_value_is_seq(rules) && i < rc_value_len(rules); i++) {
    const struct rc_value *r = rc_value_index(rules, i);
    const struct rc_value *pv = rc_value_get(r, "protocol");
    struct rc_value *proto = pv ? rc_ec2u_norm_protocol(pv) : rc_value_string("-1");
    const char *p = rc_value_str(proto) ? rc_value_str(proto) : "-1";
    int64_t from = rc_res_int(r, "from_port", 0), to = rc_res_int(r, "to_port", 0);
    const char *desc = rc_res_str(r, "description");
    static const struct {
      const char *key;
      char kind;
    } lists[] = {{"cidr_blocks", 'c'}, {"ipv6_cidr_blocks", '6'}, {"prefix_list_ids", 'p'},
                 {"security_groups", 'g'}};
    for (size_t l = 0; l < 4; l++) {
      const struct rc_value *lv = rc_value_get(r, lists[l].key);
      for (size_t k = 0; lv && rc_value_is_seq(lv) && k < rc_value_len(lv); k++) {
        const struct rc_value *e = rc_value_index(lv, k);
        struct rc_value *ne = lists[l].kind == 'c' || lists[l].kind == '6' ? rc_ec2u_norm_cidr(e) : NULL;
        const char *s = rc_value_str(ne ? ne : e);
        if (s) atom_add(a, p, from, to, lists[l].kind, s, desc);
        rc_value_decref(ne);
      }
    }
    if (rc_res_bool(r, "self", false) && self_id) atom_add(a, p, from, to, 'g', self_id, desc);
    rc_value_decref(proto);
  }
}

static bool atom_eq(const struct atom *x, const struct atom *y)
{
  return strcmp(x->proto, y->proto) == 0 && x->from == y->from && x->to == y->to &&
         x->kind == y->kind && strcmp(x->peer, y->peer) == 0 && strcmp(x->desc, y->desc) == 0;
}

static bool atom_in(const struct atom *x, const struct atoms *set)
{
  for (size_t i = 0; i < set->n; i++)
    if (atom_eq(x, &set->v[i])) return true;
  return false;
}

/* Authorize or Revoke, Ingress or Egress, the atoms of `from` not in `other` */
static rc_status apply_atoms(struct rc_rctx *ctx, const char *op, const char *id,
                             const struct atoms *from, const struct atoms *other,
                             struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_aws_param(p, "GroupId", id);
  int n = 0;
  for (size_t i = 0; i < from->n; i++) {
    const struct atom *t = &from->v[i];
    if (other && atom_in(t, other)) continue;
    n++;
    rc_ec2u_sg_perm(p, n, t->proto, t->from, t->to, t->kind, t->peer,
                    strncmp(op, "Revoke", 6) == 0 ? NULL : t->desc);
  }
  rc_status st = RC_OK;
  if (n) { /* a group created a moment ago may not be visible yet */
    struct rc_value *out = NULL;
    st = rc_res_call_retrying(ctx, "ec2", op, p, NULL, RC_EC2U_VISIBLE_S, &out, err);
    rc_value_decref(out);
  }
  rc_value_decref(p);
  return st;
}

static rc_status reconcile(struct rc_rctx *ctx, const char *id, bool egress,
                           const struct rc_value *have, const struct rc_value *want,
                           struct rc_error *err)
{
  struct atoms h = {0}, w = {0};
  atoms_of(&h, have, id);
  atoms_of(&w, want, id);
  rc_status st = apply_atoms(ctx, egress ? "RevokeSecurityGroupEgress" : "RevokeSecurityGroupIngress",
                             id, &h, &w, err);
  if (!st)
    st = apply_atoms(ctx, egress ? "AuthorizeSecurityGroupEgress" : "AuthorizeSecurityGroupIngress",
                     id, &w, &h, err);
  rc_free(h.v);
  rc_free(w.v);
  return st;
}

static rc_status sg_create(struct rc_rctx *ctx, const struct rc_value *config,
                           struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  const char *name = rc_res_str(config, "name");
  char *gen = NULL;
  if (!name || !*name) { /* the provider's "terraform-" + unique id, stable per plan here */
    const char *prefix = rc_res_str(config, "name_prefix");
    char tok[27];
    rc_ec2u_client_token(ctx, "aws_security_group.name", tok, 26);
    gen = rc_asprintf("%s%s", prefix ? prefix : "terraform-", tok);
    name = gen;
  }
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *ans = NULL;
  rc_aws_param(p, "GroupName", name);
  const char *desc = rc_res_str(config, "description");
  rc_aws_param(p, "GroupDescription", desc ? desc : "Managed by Terraform");
  const char *vpc = rc_res_str(config, "vpc_id");
  if (vpc && *vpc) rc_aws_param(p, "VpcId", vpc);
  rc_res_ec2_tag_spec(ctx, p, 1, "security-group", config);
  rc_status st = rc_res_call_retrying(ctx, "ec2", "CreateSecurityGroup", p, NULL,
                                      RC_EC2U_VISIBLE_S, &ans, err);
  rc_value_decref(p);
  rc_free(gen);
  if (st) return st;
  char *id = rc_strdup(rc_aws_str(ans, "groupId"));
  rc_value_decref(ans);
  if (!id) return rc_error_set(err, RC_AWS, "CreateSecurityGroup answered without a groupId");
  struct rc_value *now = NULL;
  st = rc_ec2u_read_one(ctx, &sg_kind, id, config, RC_EC2U_VISIBLE_S, &now, err);
  /* from what AWS made (the default egress rule included) to the configuration */
  if (!st) st = reconcile(ctx, id, true, rc_value_get(now, "egress"), rc_value_get(config, "egress"), err);
  if (!st) st = reconcile(ctx, id, false, rc_value_get(now, "ingress"), rc_value_get(config, "ingress"), err);
  rc_value_decref(now);
  if (!st) st = rc_ec2u_read_one(ctx, &sg_kind, id, config, RC_EC2U_VISIBLE_S, out, err);
  rc_free(id);
  return st;
}

static rc_status sg_update(struct rc_rctx *ctx, const struct rc_value *prior,
                           const struct rc_value *config, struct rc_value **out,
                           struct rc_error *err)
{
  const char *id = rc_res_str(prior, "id");
  *out = NULL;
  rc_status st = RC_OK;
  static const char *const dirs[] = {"egress", "ingress"};
  for (int d = 0; d < 2 && !st; d++) {
    const struct rc_value *want = rc_value_get(config, dirs[d]);
    if (!want || rc_value_is_null(want)) continue; /* unset: Optional+Computed, left alone */
    st = reconcile(ctx, id, d == 0, rc_value_get(prior, dirs[d]), want, err);
  }
  if (!st) {
    struct rc_value *tags = rc_res_tags_all(ctx, config);
    st = rc_res_ec2_update_tags(ctx, id, rc_value_get(prior, "tags_all"), tags, err);
    rc_value_decref(tags);
  }
  if (!st) st = rc_ec2u_read_one(ctx, &sg_kind, id, config, RC_EC2U_VISIBLE_S, out, err);
  return st;
}

static rc_status sg_delete(struct rc_rctx *ctx, const struct rc_value *state,
                           struct rc_error *err)
{
  static const char *const retry[] = {"DependencyViolation", NULL};
  const char *id = rc_res_str(state, "id");
  if (rc_res_bool(state, "revoke_rules_on_delete", false)) {
    struct rc_value *now = NULL;
    rc_status st = rc_ec2u_read_one(ctx, &sg_kind, id, state, 0, &now, err);
    if (st == RC_NOT_FOUND) {
      rc_error_clear(err);
      return RC_OK;
    }
    if (!st) st = reconcile(ctx, id, false, rc_value_get(now, "ingress"), NULL, err);
    if (!st) st = reconcile(ctx, id, true, rc_value_get(now, "egress"), NULL, err);
    rc_value_decref(now);
    if (st) return st;
  }
  return rc_ec2u_delete(ctx, "DeleteSecurityGroup", "GroupId", id, retry,
                        rc_res_timeout(ctx, "delete", 900), err);
}

static rc_status sg_import(struct rc_rctx *ctx, const char *id, struct rc_value **out,
                           struct rc_error *err)
{
  return rc_ec2u_read_one(ctx, &sg_kind, id, NULL, 0, out, err);
}

const struct rc_resource_type rc_rt_security_group = {
    .name = "aws_security_group",
    .flags = RC_RT_TAGGABLE,
    .schema = sg_schema,
    .read_many = sg_read_many,
    .find = sg_find,
    .create = sg_create,
    .update = sg_update,
    .delete = sg_delete,
    .import = sg_import,
};
