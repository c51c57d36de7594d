/* security_group_rule — aws_security_group_rule, the provider's standalone
 * rule: one (type, group, protocol, ports) with one or more peers
 * (cidr_blocks, ipv6_cidr_blocks, prefix_list_ids, source_security_group_id
 * or self). AWS keeps one security group rule per peer; the resource exists
 * while every one of its peers' rules does. It cannot carry tags: it is
 * found by its tuple, and its id is the provider's "sgrule-<crc32>" of the
 * tuple (IPPermissionIDHash), so state moves between recon and Terraform.
 *
 * Calls: create = one Authorize…(one permission per peer; a Duplicate with
 * the same tuple adopts what is there and authorizes only what is missing);
 * refresh = one DescribeSecurityGroupRules filtered by group-id with every
 * rule's group (chunks of 200, paginated), matched by tuple — never the
 * group's inline list, so a group without inline rules is not a dependency;
 * description = ModifySecurityGroupRules of the matched rule ids; delete =
 * Revoke… (already gone is success). Import takes the provider's id form
 * SGID_TYPE_PROTOCOL_FROM_TO_SOURCE[_SOURCE]*.
 *
 * Arguments are every one FORCE_NEW but description, as in the provider.
 * from_port/to_port are kept as configured (the provider suppresses their
 * diff for protocol "-1", where AWS ignores them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ec2util.h"
#include "rc_alloc.h"
#include "rc_buf.h"

static const struct rc_attr sgr_schema[] = {
    {.name = "id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "cidr_blocks", .type = RC_T_LIST, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW, .normalise = rc_ec2u_norm_cidr_set},
    {.name = "description", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "from_port", .type = RC_T_NUMBER, .flags = RC_A_REQUIRED | RC_A_FORCE_NEW},
    {.name = "ipv6_cidr_blocks", .type = RC_T_LIST, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW, .normalise = rc_ec2u_norm_cidr_set},
    {.name = "prefix_list_ids", .type = RC_T_LIST, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {.name = "protocol", .type = RC_T_STRING, .flags = RC_A_REQUIRED | RC_A_FORCE_NEW, .normalise = rc_ec2u_norm_protocol},
    {.name = "security_group_id", .type = RC_T_STRING, .flags = RC_A_REQUIRED | RC_A_FORCE_NEW},
    {.name = "security_group_rule_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "self", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW, .default_json = "false"},
    {.name = "source_security_group_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "to_port", .type = RC_T_NUMBER, .flags = RC_A_REQUIRED | RC_A_FORCE_NEW},
    {.name = "type", .type = RC_T_STRING, .flags = RC_A_REQUIRED | RC_A_FORCE_NEW},
    {0}};

/* --- the rule's tuple, borrowed from a configuration or state object --- */
struct peer {
  char kind;       /* c: IPv4 CIDR, 6: IPv6 CIDR, p: prefix list, g: group */
  const char *val; /* for g: the group id without an "owner/" prefix */
};

struct tuple {
  bool egress;
  const char *type, *group, *desc;
  char proto[32];
  bool all; /* protocol "-1": ports are not sent nor compared */
  int64_t from, to;
  struct peer *p;
  size_t n;
};

static void tuple_free(struct tuple *t) { rc_free(t->p); }

static void peer_add(struct tuple *t, char kind, const char *val)
{
  for (size_t i = 0; i < t->n; i++) /* self and the same source are one pair */
    if (t->p[i].kind == kind && strcmp(t->p[i].val, val) == 0) return;
  t->p = rc_realloc(t->p, (t->n + 1) * sizeof *t->p);
  t->p[t->n++] = (struct peer){kind, val};
}

static const struct {
  const char *attr;
  char kind;
} peer_lists[] = {{"cidr_blocks", 'c'}, {"ipv6_cidr_blocks", '6'}, {"prefix_list_ids", 'p'}};

static bool list_set(const struct rc_value *cfg, const char *key)
{
  const struct rc_value *l = rc_value_get(cfg, key);
  return l && rc_value_is_seq(l) && rc_value_len(l) > 0;
}

/* The tuple of cfg; RC_USAGE with the provider's words when it is not one. */
static rc_status tuple_of(const struct rc_value *cfg, struct tuple *t, struct rc_error *err)
{
  memset(t, 0, sizeof *t);
  t->type = rc_res_str(cfg, "type");
  if (!t->type || (strcmp(t->type, "ingress") != 0 && strcmp(t->type, "egress") != 0))
    return rc_error_set(err, RC_USAGE, "expected type to be one of [\"ingress\" \"egress\"], got %s",
                        t->type ? t->type : "nothing");
  t->egress = strcmp(t->type, "egress") == 0;
  t->group = rc_res_str(cfg, "security_group_id");
  if (!t->group || !*t->group)
    return rc_error_set(err, RC_USAGE, "security_group_id is required");
  const struct rc_value *pv = rc_value_get(cfg, "protocol");
  struct rc_value *proto = pv ? rc_ec2u_norm_protocol(pv) : NULL;
  snprintf(t->proto, sizeof t->proto, "%s", proto && rc_value_str(proto) ? rc_value_str(proto) : "-1");
  rc_value_decref(proto);
  t->all = strcmp(t->proto, "-1") == 0;
  t->from = rc_res_int(cfg, "from_port", 0);
  t->to = rc_res_int(cfg, "to_port", 0);
  const char *d = rc_res_str(cfg, "description");
  t->desc = d && *d ? d : NULL;
  bool self = rc_res_bool(cfg, "self", false);
  const char *src = rc_res_str(cfg, "source_security_group_id");
  if (src && !*src) src = NULL;
  if (self && list_set(cfg, "cidr_blocks"))
    return rc_error_set(err, RC_USAGE, "'self': conflicts with 'cidr_blocks'");
  if (src && (list_set(cfg, "cidr_blocks") || list_set(cfg, "ipv6_cidr_blocks")))
    return rc_error_set(err, RC_USAGE, "\"source_security_group_id\": conflicts with cidr_blocks");
  for (size_t l = 0; l < sizeof peer_lists / sizeof *peer_lists; l++) {
    const struct rc_value *lv = rc_value_get(cfg, peer_lists[l].attr);
    for (size_t i = 0; lv && rc_value_is_seq(lv) && i < rc_value_len(lv); i++) {
      const char *s = rc_value_str(rc_value_index(lv, i));
      if (!s || !*s) {
        tuple_free(t);
        return rc_error_set(err, RC_USAGE, "empty element found in %s - consider using the "
                                           "compact function", peer_lists[l].attr);
      }
      peer_add(t, peer_lists[l].kind, s);
    }
  }
  if (self) peer_add(t, 'g', t->group);
  if (src) {
    const char *slash = strchr(src, '/'); /* [OwnerID/]SecurityGroupID */
    peer_add(t, 'g', slash ? slash + 1 : src);
  }
  if (!t->n)
    return rc_error_set(err, RC_USAGE,
                        "One of ['cidr_blocks', 'ipv6_cidr_blocks', 'self', "
                        "'source_security_group_id', 'prefix_list_ids'] must be set to create an "
                        "AWS Security Group Rule");
  return RC_OK;
}

/* --- the provider's id: "sgrule-" + crc32 of the tuple (IPPermissionIDHash) --- */
static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void hash_kind(struct rc_buf *b, const struct tuple *t, char kind)
{
  const char **v = rc_calloc(t->n + 1, sizeof *v);
  size_t m = 0;
  for (size_t i = 0; i < t->n; i++)
    if (t->p[i].kind == kind) v[m++] = t->p[i].val;
  qsort(v, m, sizeof *v, cmp_str);
  for (size_t i = 0; i < m; i++) {
    rc_buf_printf(b, "%s-", v[i]);
    if (kind == 'g') rc_buf_putc(b, '-'); /* no GroupName in a VPC pair */
  }
  rc_free(v);
}

static char *tuple_id(const struct tuple *t)
{
  struct rc_buf b;
  rc_buf_init(&b, 0);
  rc_buf_printf(&b, "%s-", t->group);
  if (!t->all && t->from > 0) rc_buf_printf(&b, "%lld-", (long long)t->from);
  if (!t->all && t->to > 0) rc_buf_printf(&b, "%lld-", (long long)t->to);
  rc_buf_printf(&b, "%s-%s-", t->proto, t->type);
  static const char kinds[] = {'c', '6', 'p', 'g'};
  for (size_t k = 0; k < sizeof kinds; k++) hash_kind(&b, t, kinds[k]);
  char *id = rc_asprintf("sgrule-%lu", (unsigned long)rc_ec2u_crc32(b.ptr));
  rc_buf_free(&b);
  return id;
}

/* --- matching AWS's rules (DescribeSecurityGroupRules items) --- */
static bool same_cidr(const char *a, const char *b)
{
  if (!a || !b) return false;
  struct rc_value *va = rc_value_string(a), *vb = rc_value_string(b);
  struct rc_value *na = rc_ec2u_norm_cidr(va), *nb = rc_ec2u_norm_cidr(vb);
  bool eq = strcmp(na ? rc_value_str(na) : a, nb ? rc_value_str(nb) : b) == 0;
  rc_value_decref(va);
  rc_value_decref(vb);
  rc_value_decref(na);
  rc_value_decref(nb);
  return eq;
}

static bool port_is(const struct rc_value *it, const char *key, int64_t want)
{
  const char *s = rc_aws_str(it, key);
  if (!s) return false;
  char *end;
  long long v = strtoll(s, &end, 10);
  return *end == '\0' && end != s && v == want;
}

static bool rule_matches(const struct tuple *t, const struct peer *p, const struct rc_value *it)
{
  const char *g = rc_aws_str(it, "groupId"), *e = rc_aws_str(it, "isEgress");
  if (!g || strcmp(g, t->group) != 0) return false;
  if ((e && strcmp(e, "true") == 0) != t->egress) return false;
  struct rc_value *pv = rc_value_string(rc_aws_str(it, "ipProtocol") ? rc_aws_str(it, "ipProtocol") : "-1");
  struct rc_value *proto = rc_ec2u_norm_protocol(pv);
  bool same = proto && rc_value_str(proto) && strcmp(rc_value_str(proto), t->proto) == 0;
  rc_value_decref(pv);
  rc_value_decref(proto);
  if (!same) return false;
  if (!t->all && (!port_is(it, "fromPort", t->from) || !port_is(it, "toPort", t->to))) return false;
  switch (p->kind) {
  case 'c':
    return same_cidr(rc_aws_str(it, "cidrIpv4"), p->val);
  case '6':
    return same_cidr(rc_aws_str(it, "cidrIpv6"), p->val);
  case 'p': {
    const char *v = rc_aws_str(it, "prefixListId");
    return v && strcmp(v, p->val) == 0;
  }
  default: {
    const struct rc_value *ref = rc_value_path(it, "referencedGroupInfo.groupId");
    return ref && rc_value_str(ref) && strcmp(rc_value_str(ref), p->val) == 0;
  }
  }
}

/* For every peer, its AWS rule in list (NULL when missing); the number found. */
static size_t match_all(const struct tuple *t, const struct rc_value *list,
                        const struct rc_value **hit)
{
  size_t found = 0;
  for (size_t i = 0; i < t->n; i++) {
    hit[i] = NULL;
    for (size_t k = 0; k < rc_value_len(list) && !hit[i]; k++)
      if (rule_matches(t, &t->p[i], rc_value_index(list, k))) hit[i] = rc_value_index(list, k);
    if (hit[i]) found++;
  }
  return found;
}

/* The state of the rule whose every peer is in hit: the configuration's
 * arguments (the provider keeps them as written), AWS's description (the
 * first peer's that has one) and, for a single peer, its sgr- id. */
static struct rc_value *state_of(const struct rc_value *cfg, const struct tuple *t,
                                 const struct rc_value *const *hit)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(o, "id", rc_value_string_steal(tuple_id(t)));
  rc_value_obj_put(o, "type", rc_value_string(t->type));
  rc_value_obj_put(o, "security_group_id", rc_value_string(t->group));
  rc_value_obj_put(o, "protocol", rc_value_string(t->proto));
  rc_value_obj_put(o, "from_port", rc_value_int(t->from));
  rc_value_obj_put(o, "to_port", rc_value_int(t->to));
  for (size_t l = 0; l < sizeof peer_lists / sizeof *peer_lists; l++)
    rc_ec2u_carry(o, cfg, peer_lists[l].attr);
  rc_value_obj_put(o, "self", rc_value_bool(rc_res_bool(cfg, "self", false)));
  rc_ec2u_carry(o, cfg, "source_security_group_id");
  const char *desc = NULL;
  for (size_t i = 0; i < t->n && !desc; i++) {
    const char *d = rc_aws_str(hit[i], "description");
    if (d && *d) desc = d;
  }
  rc_ec2u_put_str(o, "description", desc);
  rc_ec2u_put_str(o, "security_group_rule_id",
                  t->n == 1 ? rc_aws_str(hit[0], "securityGroupRuleId") : NULL);
  return o;
}

/* Every rule of the groups (one filter, chunks of 200, paginated). */
static rc_status describe_groups(struct rc_rctx *ctx, const char *const *groups, size_t n,
                                 struct rc_value **list, struct rc_error *err)
{
  struct rc_value *acc = rc_value_seq_new(RC_TUPLE);
  *list = NULL;
  for (size_t at = 0; at < n; at += RC_EC2U_FILTER_MAX) {
    struct rc_value *p = rc_value_obj_new(RC_OBJECT), *part = NULL;
    rc_aws_param(p, "Filter.1.Name", "group-id");
    size_t m = n - at < RC_EC2U_FILTER_MAX ? n - at : RC_EC2U_FILTER_MAX;
    for (size_t i = 0; i < m; i++) rc_aws_paramf(p, groups[at + i], "Filter.1.Value.%zu", i + 1);
    rc_status st = rc_aws_call_all(ctx->aws, "ec2", "DescribeSecurityGroupRules", p,
                                   "securityGroupRuleSet", &part, err);
    rc_value_decref(p);
    if (st) {
      rc_value_decref(acc);
      return st;
    }
    for (size_t i = 0; i < rc_value_len(part); i++)
      rc_value_seq_push(acc, rc_value_incref(rc_value_index(part, i)));
    rc_value_decref(part);
  }
  *list = acc;
  return RC_OK;
}

/* The rule of cfg as it is now: *out its state, or NULL when a peer is
 * missing. *list (optional) receives the group's rules. */
static rc_status read_tuple(struct rc_rctx *ctx, const struct rc_value *cfg, const struct tuple *t,
                            struct rc_value **out, struct rc_value **list, struct rc_error *err)
{
  *out = NULL;
  struct rc_value *rules = NULL;
  rc_status st = describe_groups(ctx, &t->group, 1, &rules, err);
  if (st) return st;
  const struct rc_value **hit = rc_calloc(t->n + 1, sizeof *hit);
  if (match_all(t, rules, hit) == t->n) *out = state_of(cfg, t, hit);
  rc_free(hit);
  if (list)
    *list = rules;
  else
    rc_value_decref(rules);
  return RC_OK;
}

/* read_tuple, retrying for wait_s while the rule is not all visible. */
static rc_status read_visible(struct rc_rctx *ctx, const struct rc_value *cfg,
                              const struct tuple *t, int wait_s, struct rc_value **out,
                              struct rc_error *err)
{
  int64_t deadline = rc_res_now_ms() + (int64_t)wait_s * 1000;
  int delay = 200;
  for (;;) {
    rc_status st = read_tuple(ctx, cfg, t, out, NULL, err);
    if (st || *out) return st;
    if (rc_res_now_ms() + delay > deadline) {
      char *id = tuple_id(t);
      rc_error_set(err, RC_NOT_FOUND, "Security Group (%s) Rule (%s) not found", t->group, id);
      rc_free(id);
      return RC_NOT_FOUND;
    }
    if (rc_res_sleep(ctx, delay)) return rc_error_set(err, RC_CANCELLED, "cancelled");
    delay = delay * 2 > 2000 ? 2000 : delay * 2;
  }
}

static rc_status sgr_read_many(struct rc_rctx *ctx, struct rc_read_item *items, size_t n)
{
  struct tuple *ts = rc_calloc(n + 1, sizeof *ts);
  const char **groups = rc_calloc(n + 1, sizeof *groups);
  bool *ok = rc_calloc(n + 1, sizeof *ok);
  size_t ng = 0;
  for (size_t i = 0; i < n; i++) {
    items[i].out = NULL;
    items[i].status = tuple_of(items[i].prior, &ts[i], &items[i].err);
    if (items[i].status) continue;
    ok[i] = true;
    size_t g = 0;
    while (g < ng && strcmp(groups[g], ts[i].group) != 0) g++;
    if (g == ng) groups[ng++] = ts[i].group;
  }
  struct rc_value *list = NULL;
  struct rc_error err = {0};
  rc_status st = ng ? describe_groups(ctx, groups, ng, &list, &err) : RC_OK;
  for (size_t i = 0; i < n; i++) {
    if (!ok[i]) continue;
    if (st) {
      items[i].status = st;
      items[i].err = err;
    } else {
      const struct rc_value **hit = rc_calloc(ts[i].n + 1, sizeof *hit);
      if (match_all(&ts[i], list, hit) == ts[i].n) items[i].out = state_of(items[i].prior, &ts[i], hit);
      rc_free(hit);
    }
    tuple_free(&ts[i]);
  }
  rc_value_decref(list);
  rc_free(ts);
  rc_free(groups);
  rc_free(ok);
  return st;
}

static rc_status sgr_find(struct rc_rctx *ctx, const struct rc_value *config,
                          struct rc_value **out, struct rc_error *err)
{
  struct tuple t;
  *out = NULL;
  rc_status st = tuple_of(config, &t, err);
  if (!st) st = read_tuple(ctx, config, &t, out, NULL, err);
  tuple_free(&t);
  return st;
}

/* Authorize (or Revoke) the peers of t for which want[i] is true (all when
 * want is NULL), one permission per peer. */
static rc_status permit(struct rc_rctx *ctx, const struct tuple *t, bool revoke, const bool *want,
                        struct rc_error *err)
{
  const char *op = revoke ? (t->egress ? "RevokeSecurityGroupEgress" : "RevokeSecurityGroupIngress")
                          : (t->egress ? "AuthorizeSecurityGroupEgress" : "AuthorizeSecurityGroupIngress");
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *ans = NULL;
  rc_aws_param(p, "GroupId", t->group);
  int k = 0;
  for (size_t i = 0; i < t->n; i++)
    if (!want || want[i])
      rc_ec2u_sg_perm(p, ++k, t->proto, t->from, t->to, t->p[i].kind, t->p[i].val,
                      revoke ? NULL : t->desc);
  rc_status st = RC_OK;
  if (k && revoke)
    st = rc_aws_call(ctx->aws, "ec2", op, p, &ans, err);
  else if (k) /* a group created a moment ago may not be visible yet */
    st = rc_res_call_retrying(ctx, "ec2", op, p, NULL, RC_EC2U_VISIBLE_S, &ans, err);
  rc_value_decref(ans);
  rc_value_decref(p);
  return st;
}

/* ModifySecurityGroupRules: the description of every matched rule to t's. */
static rc_status set_description(struct rc_rctx *ctx, const struct tuple *t,
                                 const struct rc_value *const *hit, struct rc_error *err)
{
  static const char *const wire[] = {"CidrIpv4", "CidrIpv6", "PrefixListId", "ReferencedGroupId"};
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_aws_param(p, "GroupId", t->group);
  for (size_t i = 0; i < t->n; i++) {
    char pfx[64], key[128];
    snprintf(pfx, sizeof pfx, "SecurityGroupRule.%zu", i + 1);
    rc_aws_paramf(p, rc_aws_str(hit[i], "securityGroupRuleId"), "%s.SecurityGroupRuleId", pfx);
    rc_aws_paramf(p, t->proto, "%s.SecurityGroupRule.IpProtocol", pfx);
    if (!t->all) {
      snprintf(key, sizeof key, "%s.SecurityGroupRule.FromPort", pfx);
      rc_value_obj_put(p, key, rc_value_int(t->from));
      snprintf(key, sizeof key, "%s.SecurityGroupRule.ToPort", pfx);
      rc_value_obj_put(p, key, rc_value_int(t->to));
    }
    int w = t->p[i].kind == 'c' ? 0 : t->p[i].kind == '6' ? 1 : t->p[i].kind == 'p' ? 2 : 3;
    rc_aws_paramf(p, t->p[i].val, "%s.SecurityGroupRule.%s", pfx, wire[w]);
    if (t->desc) rc_aws_paramf(p, t->desc, "%s.SecurityGroupRule.Description", pfx);
  }
  rc_status st = rc_ec2u_call(ctx, "ModifySecurityGroupRules", p, err);
  rc_value_decref(p);
  return st;
}

static bool desc_differs(const struct rc_value *state, const struct tuple *t)
{
  const char *have = rc_res_str(state, "description");
  if (have && !*have) have = NULL;
  return (have == NULL) != (t->desc == NULL) || (have && strcmp(have, t->desc) != 0);
}

/* After InvalidPermission.Duplicate: authorize the peers that are missing,
 * bring the description of those that exist to the configured one. */
static rc_status adopt(struct rc_rctx *ctx, const struct tuple *t, struct rc_error *err)
{
  struct rc_value *list = NULL;
  rc_status st = describe_groups(ctx, &t->group, 1, &list, err);
  if (st) return st;
  const struct rc_value **hit = rc_calloc(t->n + 1, sizeof *hit);
  bool *missing = rc_calloc(t->n + 1, sizeof *missing);
  size_t found = match_all(t, list, hit), k = 0;
  bool redesc = false;
  for (size_t i = 0; i < t->n; i++) {
    missing[i] = !hit[i];
    if (!hit[i]) continue;
    hit[k++] = hit[i];
    const char *d = rc_aws_str(hit[i], "description");
    if (d && !*d) d = NULL;
    if ((d == NULL) != (t->desc == NULL) || (d && strcmp(d, t->desc) != 0)) redesc = true;
  }
  if (found < t->n) st = permit(ctx, t, false, missing, err);
  if (!st && redesc && found) { /* the found peers, in order, as a tuple of their own */
    struct tuple sub = *t;
    sub.p = rc_calloc(found + 1, sizeof *sub.p);
    sub.n = 0;
    for (size_t i = 0; i < t->n; i++)
      if (!missing[i]) sub.p[sub.n++] = t->p[i];
    st = set_description(ctx, &sub, hit, err);
    tuple_free(&sub);
  }
  rc_free(hit);
  rc_free(missing);
  rc_value_decref(list);
  return st;
}

static rc_status sgr_create(struct rc_rctx *ctx, const struct rc_value *config,
                            struct rc_value **out, struct rc_error *err)
{
  struct tuple t;
  *out = NULL;
  rc_status st = tuple_of(config, &t, err);
  if (st) return st;
  struct rc_error e = {0};
  st = permit(ctx, &t, false, NULL, &e);
  if (st && strcmp(e.aws_code, "InvalidPermission.Duplicate") == 0)
    st = adopt(ctx, &t, err); /* recon's own rule after a crash, or one made by hand */
  else if (st && err && err->code == RC_OK)
    *err = e;
  if (!st) st = read_visible(ctx, config, &t, rc_res_timeout(ctx, "create", 300), out, err);
  tuple_free(&t);
  return st;
}

static rc_status sgr_update(struct rc_rctx *ctx, const struct rc_value *prior,
                            const struct rc_value *config, struct rc_value **out,
                            struct rc_error *err)
{
  (void)prior;
  struct tuple t;
  *out = NULL;
  rc_status st = tuple_of(config, &t, err);
  if (st) return st;
  struct rc_value *now = NULL, *list = NULL;
  st = read_tuple(ctx, config, &t, &now, &list, err);
  if (!st && !now) {
    char *id = tuple_id(&t);
    st = rc_error_set(err, RC_NOT_FOUND, "Security Group (%s) Rule (%s) not found", t.group, id);
    rc_free(id);
  }
  if (!st && desc_differs(now, &t)) {
    const struct rc_value **hit = rc_calloc(t.n + 1, sizeof *hit);
    match_all(&t, list, hit);
    st = set_description(ctx, &t, hit, err);
    rc_free(hit);
  }
  rc_value_decref(now);
  rc_value_decref(list);
  if (!st) st = read_visible(ctx, config, &t, RC_EC2U_VISIBLE_S, out, err);
  tuple_free(&t);
  return st;
}

static rc_status sgr_delete(struct rc_rctx *ctx, const struct rc_value *state,
                            struct rc_error *err)
{
  struct tuple t;
  rc_status st = tuple_of(state, &t, err);
  if (st) return st;
  struct rc_error e = {0};
  st = permit(ctx, &t, true, NULL, &e);
  if (st == RC_NOT_FOUND && t.n > 1) {
    /* AWS revokes all or nothing: revoke the peers that are still there */
    struct rc_value *list = NULL;
    memset(&e, 0, sizeof e);
    st = describe_groups(ctx, &t.group, 1, &list, &e);
    const struct rc_value **hit = rc_calloc(t.n + 1, sizeof *hit);
    bool *left = rc_calloc(t.n + 1, sizeof *left);
    size_t found = st ? 0 : match_all(&t, list, hit);
    for (size_t i = 0; i < t.n; i++) left[i] = hit[i] != NULL;
    if (!st && found) st = permit(ctx, &t, true, left, &e);
    rc_free(hit);
    rc_free(left);
    rc_value_decref(list);
  }
  tuple_free(&t);
  if (st == RC_NOT_FOUND) return RC_OK; /* InvalidPermission.NotFound, InvalidGroup.NotFound */
  if (st && err && err->code == RC_OK) *err = e;
  return st;
}

/* --- import: SGID_TYPE_PROTOCOL_FROM_TO_SOURCE[_SOURCE]* --- */
static bool parse_int(const char *s, int64_t *v)
{
  char *end;
  long long n = strtoll(s, &end, 10);
  if (end == s || *end) return false;
  *v = n;
  return true;
}

static rc_status import_cfg(const char *id, struct rc_value **cfg, struct rc_error *err)
{
#define BAD(why)                                                                                 \
  do {                                                                                           \
    rc_error_set(err, RC_USAGE,                                                                  \
                 "unexpected format for ID (\"%s\"), expected "                                  \
                 "SECURITYGROUPID_TYPE_PROTOCOL_FROMPORT_TOPORT_SOURCE[_SOURCE]*: %s",           \
                 id, why);                                                                       \
    goto bad;                                                                                    \
  } while (0)
  *cfg = NULL;
  char *buf = rc_strdup(id);
  const char *part[64];
  size_t np = 0;
  for (char *s = buf; np < 64;) {
    part[np++] = s;
    char *u = strchr(s, '_');
    if (!u) break;
    *u = '\0';
    s = u + 1;
  }
  int64_t from = 0, to = 0, pnum;
  struct rc_value *o = NULL;
  if (np < 6) BAD("too few parts");
  if (strncmp(part[0], "sg-", 3) != 0) BAD("invalid Security Group ID");
  if (strcmp(part[1], "ingress") != 0 && strcmp(part[1], "egress") != 0)
    BAD("expecting 'ingress' or 'egress'");
  static const char *const named[] = {"udp", "tcp", "icmp", "all", "icmpv6"};
  bool known = false;
  for (size_t i = 0; i < sizeof named / sizeof *named; i++) known |= strcmp(part[2], named[i]) == 0;
  if (!known && !parse_int(part[2], &pnum))
    BAD("protocol must be tcp/udp/icmp/icmpv6/all or a number");
  struct rc_value *pv = rc_value_string(part[2]), *proto = rc_ec2u_norm_protocol(pv);
  rc_value_decref(pv);
  bool icmp = strcmp(rc_value_str(proto), "icmp") == 0 || strcmp(rc_value_str(proto), "icmpv6") == 0;
  if (icmp) {
    if (!parse_int(part[3], &from) || from < -1 || from > 255) {
      rc_value_decref(proto);
      BAD("invalid icmp type");
    }
    if (!parse_int(part[4], &to) || to < -1 || to > 255) {
      rc_value_decref(proto);
      BAD("invalid icmp code");
    }
  } else {
    const char *why = !parse_int(part[3], &from) ? "invalid from_port"
                      : !parse_int(part[4], &to) ? "invalid to_port"
                      : to < from                ? "to_port lower than from_port"
                                                 : NULL;
    if (why) {
      rc_value_decref(proto);
      BAD(why);
    }
  }
  o = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(o, "security_group_id", rc_value_string(part[0]));
  rc_value_obj_put(o, "type", rc_value_string(part[1]));
  rc_value_obj_put(o, "protocol", proto);
  rc_value_obj_put(o, "from_port", rc_value_int(from));
  rc_value_obj_put(o, "to_port", rc_value_int(to));
  struct rc_value *lists[3] = {rc_value_seq_new(RC_LIST), rc_value_seq_new(RC_LIST),
                               rc_value_seq_new(RC_LIST)};
  bool self = false;
  for (size_t i = 5; i < np; i++) {
    const char *v = part[i];
    if (strcmp(v, "self") == 0)
      self = true;
    else if (strstr(v, "sg-"))
      rc_value_obj_put(o, "source_security_group_id", rc_value_string(v));
    else if (strchr(v, ':'))
      rc_value_seq_push(lists[1], rc_value_string(v));
    else if (strstr(v, "pl-"))
      rc_value_seq_push(lists[2], rc_value_string(v));
    else if (strchr(v, '.'))
      rc_value_seq_push(lists[0], rc_value_string(v));
    else {
      for (int k = 0; k < 3; k++) rc_value_decref(lists[k]);
      BAD("source must be cidr, ipv6cidr, prefix list, 'self', or a Security Group ID");
    }
  }
  for (size_t l = 0; l < 3; l++) {
    if (rc_value_len(lists[l]))
      rc_value_obj_put(o, peer_lists[l].attr, rc_value_seq_seal(lists[l]));
    else
      rc_value_decref(lists[l]);
  }
  rc_value_obj_put(o, "self", rc_value_bool(self));
  rc_free(buf);
  *cfg = o;
  return RC_OK;
bad:
  rc_value_decref(o);
  rc_free(buf);
  return RC_USAGE;
#undef BAD
}

static rc_status sgr_import(struct rc_rctx *ctx, const char *id, struct rc_value **out,
                            struct rc_error *err)
{
  *out = NULL;
  struct rc_value *cfg = NULL;
  struct tuple t;
  rc_status st = import_cfg(id, &cfg, err);
  if (st) return st;
  st = tuple_of(cfg, &t, err);
  if (!st) st = read_tuple(ctx, cfg, &t, out, NULL, err);
  if (!st && !*out)
    st = rc_error_set(err, RC_NOT_FOUND, "Security Group (%s) Rule (%s) not found", t.group, id);
  tuple_free(&t);
  rc_value_decref(cfg);
  return st;
}

const struct rc_resource_type rc_rt_security_group_rule = {
    .name = "aws_security_group_rule",
    .schema = sgr_schema,
    .read_many = sgr_read_many,
    .find = sgr_find,
    .create = sgr_create,
    .update = sgr_update,
    .delete = sgr_delete,
    .import = sgr_import,
};
