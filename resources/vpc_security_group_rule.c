/* vpc_security_group_rule — aws_vpc_security_group_ingress_rule and
 * aws_vpc_security_group_egress_rule (two rows, one code path: they differ
 * only in direction). One rule per resource, id = the sgr- rule id, created
 * with Authorize…(TagSpecification security-group-rule) so it is born
 * tagged and found by its tags; changed in place by ModifySecurityGroupRules;
 * refreshed by one DescribeSecurityGroupRules filtered by every rule id. */
#include <stdio.h>
#include <string.h>

#include "ec2util.h"
#include "rc_alloc.h"

static const struct rc_attr rule_schema[] = {
    RC_EC2U_ID,
    {.name = "arn", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "cidr_ipv4", .type = RC_T_STRING, .flags = RC_A_OPTIONAL, .normalise = rc_ec2u_norm_cidr},
    {.name = "cidr_ipv6", .type = RC_T_STRING, .flags = RC_A_OPTIONAL, .normalise = rc_ec2u_norm_cidr},
    {.name = "description", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "from_port", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL},
    {.name = "ip_protocol", .type = RC_T_STRING, .flags = RC_A_REQUIRED, .normalise = rc_ec2u_norm_protocol},
    {.name = "prefix_list_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "referenced_security_group_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "security_group_id", .type = RC_T_STRING, .flags = RC_A_REQUIRED | RC_A_FORCE_NEW},
    {.name = "security_group_rule_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "to_port", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL},
    RC_EC2U_TAGS,
    {0}};

static struct rc_value *rule_to_state(struct rc_rctx *ctx, const struct rc_value *it,
                                      const struct rc_value *prior)
{
  (void)prior;
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  const char *id = rc_aws_str(it, "securityGroupRuleId");
  rc_ec2u_put_str(o, "id", id);
  rc_ec2u_put_str(o, "security_group_rule_id", id);
  rc_value_obj_put(o, "arn", rc_value_string_steal(rc_ec2u_arn(
                                 ctx, rc_aws_str(it, "groupOwnerId"), "security-group-rule", id)));
  rc_ec2u_put_str(o, "cidr_ipv4", rc_aws_str(it, "cidrIpv4"));
  rc_ec2u_put_str(o, "cidr_ipv6", rc_aws_str(it, "cidrIpv6"));
  rc_ec2u_put_str(o, "description", rc_aws_str(it, "description"));
  struct rc_value *pv = rc_value_string(rc_aws_str(it, "ipProtocol") ? rc_aws_str(it, "ipProtocol") : "-1");
  struct rc_value *proto = rc_ec2u_norm_protocol(pv);
  rc_value_decref(pv);
  bool all = strcmp(rc_value_str(proto), "-1") == 0;
  rc_value_obj_put(o, "ip_protocol", proto);
  if (all) { /* no ports for all protocols: the provider leaves them null */
    rc_value_obj_put(o, "from_port", rc_value_null());
    rc_value_obj_put(o, "to_port", rc_value_null());
  } else {
    rc_ec2u_put_int(o, "from_port", rc_aws_str(it, "fromPort"));
    rc_ec2u_put_int(o, "to_port", rc_aws_str(it, "toPort"));
  }
  rc_ec2u_put_str(o, "prefix_list_id", rc_aws_str(it, "prefixListId"));
  const struct rc_value *ref = rc_value_path(it, "referencedGroupInfo.groupId");
  rc_ec2u_put_str(o, "referenced_security_group_id", ref ? rc_value_str(ref) : NULL);
  rc_ec2u_put_str(o, "security_group_id", rc_aws_str(it, "groupId"));
  rc_ec2u_put_tags(ctx, o, it);
  return o;
}

static bool ingress_live(const struct rc_value *it)
{
  const char *e = rc_aws_str(it, "isEgress");
  return !e || strcmp(e, "false") == 0;
}

static bool egress_live(const struct rc_value *it)
{
  const char *e = rc_aws_str(it, "isEgress");
  return e && strcmp(e, "true") == 0;
}

static const struct rc_ec2u_kind kinds[2] = {
    {.describe_op = "DescribeSecurityGroupRules",
     .list_key = "securityGroupRuleSet",
     .id_filter = "security-group-rule-id",
     .id_key = "securityGroupRuleId",
     .to_state = rule_to_state,
     .live = ingress_live},
    {.describe_op = "DescribeSecurityGroupRules",
     .list_key = "securityGroupRuleSet",
     .id_filter = "security-group-rule-id",
     .id_key = "securityGroupRuleId",
     .to_state = rule_to_state,
     .live = egress_live},
};

/* the peer of a rule: kind and value */
static char peer_of(const struct rc_value *cfg, const char **peer)
{
  static const struct {
    const char *attr;
    char kind;
  } peers[] = {{"cidr_ipv4", 'c'}, {"cidr_ipv6", '6'}, {"prefix_list_id", 'p'},
               {"referenced_security_group_id", 'g'}};
  for (size_t i = 0; i < sizeof peers / sizeof *peers; i++) {
    const char *v = rc_res_str(cfg, peers[i].attr);
    if (v && *v) {
      *peer = v;
      return peers[i].kind;
    }
  }
  *peer = NULL;
  return 0;
}

static const char *proto_of(const struct rc_value *cfg, char *buf, size_t n)
{
  const struct rc_value *pv = rc_value_get(cfg, "ip_protocol");
  struct rc_value *p = pv ? rc_ec2u_norm_protocol(pv) : NULL;
  snprintf(buf, n, "%s", p && rc_value_str(p) ? rc_value_str(p) : "-1");
  rc_value_decref(p);
  return buf;
}

static rc_status rule_create(struct rc_rctx *ctx, const struct rc_value *config,
                             struct rc_value **out, struct rc_error *err, int egress)
{
  *out = NULL;
  const char *peer;
  char kind = peer_of(config, &peer), proto[32];
  if (!kind)
    return rc_error_set(err, RC_USAGE, "one of cidr_ipv4, cidr_ipv6, prefix_list_id, "
                                       "referenced_security_group_id must be set");
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *ans = NULL;
  rc_aws_param(p, "GroupId", rc_res_str(config, "security_group_id"));
  rc_ec2u_sg_perm(p, 1, proto_of(config, proto, sizeof proto), rc_res_int(config, "from_port", -1),
                  rc_res_int(config, "to_port", -1), kind, peer, rc_res_str(config, "description"));
  rc_res_ec2_tag_spec(ctx, p, 1, "security-group-rule", config);
  rc_status st = rc_res_call_retrying(
      ctx, "ec2", egress ? "AuthorizeSecurityGroupEgress" : "AuthorizeSecurityGroupIngress", p, NULL,
      RC_EC2U_VISIBLE_S, &ans, err);
  rc_value_decref(p);
  if (st) return st;
  const struct rc_value *set = rc_aws_list(ans, "securityGroupRuleSet");
  char *id = rc_value_len(set) ? rc_strdup(rc_aws_str(rc_value_index(set, 0), "securityGroupRuleId")) : NULL;
  rc_value_decref(ans);
  if (!id) return rc_error_set(err, RC_AWS, "Authorize answered without a security group rule id");
  st = rc_ec2u_read_one(ctx, &kinds[egress], id, config, RC_EC2U_VISIBLE_S, out, err);
  rc_free(id);
  return st;
}

static rc_status rule_update(struct rc_rctx *ctx, const struct rc_value *prior,
                             const struct rc_value *config, struct rc_value **out,
                             struct rc_error *err, int egress)
{
  *out = NULL;
  const char *id = rc_res_str(prior, "id");
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  char proto[32];
  rc_aws_param(p, "GroupId", rc_res_str(prior, "security_group_id"));
  rc_aws_param(p, "SecurityGroupRule.1.SecurityGroupRuleId", id);
  const char *r = "SecurityGroupRule.1.SecurityGroupRule";
  rc_aws_paramf(p, proto_of(config, proto, sizeof proto), "%s.IpProtocol", r);
  if (strcmp(proto, "-1") != 0) {
    char key[96];
    snprintf(key, sizeof key, "%s.FromPort", r);
    rc_value_obj_put(p, key, rc_value_int(rc_res_int(config, "from_port", -1)));
    snprintf(key, sizeof key, "%s.ToPort", r);
    rc_value_obj_put(p, key, rc_value_int(rc_res_int(config, "to_port", -1)));
  }
  static const char *const peers[][2] = {{"cidr_ipv4", "CidrIpv4"},
                                         {"cidr_ipv6", "CidrIpv6"},
                                         {"prefix_list_id", "PrefixListId"},
                                         {"referenced_security_group_id", "ReferencedGroupId"},
                                         {"description", "Description"}};
  for (size_t i = 0; i < sizeof peers / sizeof *peers; i++) {
    const char *v = rc_res_str(config, peers[i][0]);
    if (v && *v) rc_aws_paramf(p, v, "%s.%s", r, peers[i][1]);
  }
  rc_status st = rc_ec2u_call(ctx, "ModifySecurityGroupRules", p, err);
  rc_value_decref(p);
  if (!st) {
    struct rc_value *tags = rc_res_tags_all(ctx, config);
    st = rc_res_ec2_update_tags(ctx, id, rc_value_get(prior, "tags_all"), tags, err);
    rc_value_decref(tags);
  }
  if (!st) st = rc_ec2u_read_one(ctx, &kinds[egress], id, config, RC_EC2U_VISIBLE_S, out, err);
  return st;
}

static rc_status rule_delete(struct rc_rctx *ctx, const struct rc_value *state,
                             struct rc_error *err, int egress)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_aws_param(p, "GroupId", rc_res_str(state, "security_group_id"));
  rc_aws_param(p, "SecurityGroupRuleId.1", rc_res_str(state, "id"));
  struct rc_error e = {0};
  rc_status st = rc_ec2u_call(
      ctx, egress ? "RevokeSecurityGroupEgress" : "RevokeSecurityGroupIngress", p, &e);
  rc_value_decref(p);
  if (st == RC_NOT_FOUND) return RC_OK; /* the rule or its group is gone */
  if (st && err && err->code == RC_OK) *err = e;
  return st;
}

#define ROW(dir, e)                                                                               \
  static rc_status dir##_read_many(struct rc_rctx *ctx, struct rc_read_item *items, size_t n)   \
  {                                                                                              \
    return rc_ec2u_read_many(ctx, &kinds[e], items, n);                                          \
  }                                                                                              \
  static rc_status dir##_find(struct rc_rctx *ctx, const struct rc_value *config,               \
                              struct rc_value **out, struct rc_error *err)                       \
  {                                                                                              \
    return rc_ec2u_find_tagged(ctx, &kinds[e], config, out, err);                                \
  }                                                                                              \
  static rc_status dir##_create(struct rc_rctx *ctx, const struct rc_value *config,             \
                                struct rc_value **out, struct rc_error *err)                     \
  {                                                                                              \
    return rule_create(ctx, config, out, err, e);                                                \
  }                                                                                              \
  static rc_status dir##_update(struct rc_rctx *ctx, const struct rc_value *prior,              \
                                const struct rc_value *config, struct rc_value **out,            \
                                struct rc_error *err)                                            \
  {                                                                                              \
    return rule_update(ctx, prior, config, out, err, e);                                         \
  }                                                                                              \
  static rc_status dir##_delete(struct rc_rctx *ctx, const struct rc_value *state,              \
                                struct rc_error *err)                                            \
  {                                                                                              \
    return rule_delete(ctx, state, err, e);                                                      \
  }                                                                                              \
  static rc_status dir##_import(struct rc_rctx *ctx, const char *id, struct rc_value **out,     \
                                struct rc_error *err)                                            \
  {                                                                                              \
    return rc_ec2u_read_one(ctx, &kinds[e], id, NULL, 0, out, err);                             \
  }                                                                                              \
  const struct rc_resource_type rc_rt_vpc_security_group_##dir##_rule = {                        \
      .name = "aws_vpc_security_group_" #dir "_rule",                                           \
      .flags = RC_RT_TAGGABLE,                                                                   \
      .schema = rule_schema,                                                                     \
      .read_many = dir##_read_many,                                                              \
      .find = dir##_find,                                                                        \
      .create = dir##_create,                                                                    \
      .update = dir##_update,                                                                    \
      .delete = dir##_delete,                                                                    \
      .import = dir##_import,                                                                    \
  };

ROW(ingress, 0)
ROW(egress, 1)
