/* ec2_sg.c — security groups and their rules: each rule is its own resource
 * (sgr-…) as DescribeSecurityGroupRules shows them; DescribeSecurityGroups
 * folds them back into ipPermissions grouped by protocol and port range.
 * Authorize/Revoke through IpPermissions.N.* or rule ids, duplicates and
 * references checked, and the delete rules (default group, referenced, in use). */
#include "ec2_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/rc_alloc.h"

struct ec2_sg *rc_ec2__sg_new(struct rc_sim_call *c, const char *vpc_id, const char *name,
                              const char *desc, bool default_egress)
{
  struct ec2_sg *g = rc_calloc(1, sizeof *g);
  rc_ec2__res_init(c, &g->r, "sg", NULL);
  snprintf(g->vpc_id, sizeof g->vpc_id, "%s", vpc_id);
  snprintf(g->name, sizeof g->name, "%s", name);
  snprintf(g->description, sizeof g->description, "%s", desc);
  rc_ec2__vec_push(&rc_ec2__sgs, g);
  if (default_egress) {
    struct ec2_rule *r = rc_calloc(1, sizeof *r);
    rc_ec2__res_init(c, &r->r, "sgr", NULL);
    snprintf(r->group_id, sizeof r->group_id, "%s", g->r.id);
    r->egress = true;
    snprintf(r->proto, sizeof r->proto, "-1");
    r->from = r->to = -1;
    snprintf(r->cidr, sizeof r->cidr, "0.0.0.0/0");
    rc_ec2__vec_push(&rc_ec2__rules, r);
  }
  return g;
}

static void rule_free(struct ec2_rule *r)
{
  rc_sim_tags_free(&r->r.tags);
  rc_free(r);
}

void rc_ec2__sg_destroy(struct ec2_sg *g)
{
  for (size_t i = 0; i < rc_ec2__rules.n;) {
    struct ec2_rule *r = rc_ec2__rules.v[i];
    if (strcmp(r->group_id, g->r.id) == 0) {
      rc_ec2__vec_remove(&rc_ec2__rules, r);
      rule_free(r);
    } else {
      i++;
    }
  }
  rc_ec2__vec_remove(&rc_ec2__sgs, g);
  rc_sim_tags_free(&g->r.tags);
  rc_free(g);
}

rc_status rc_sim_ec2_sg_vpc(const char *group_id, char *vpc_out, size_t outsz)
{
  const struct ec2_sg *g = rc_ec2__vec_find(&rc_ec2__sgs, group_id);
  if (!g) return RC_NOT_FOUND;
  if (vpc_out) snprintf(vpc_out, outsz, "%s", g->vpc_id);
  return RC_OK;
}

static bool has_ports(const char *proto)
{
  return strcmp(proto, "-1") != 0;
}

/* --- describe groups --- */

static bool perm_match(const struct ec2_sg *g, bool egress, const char *k,
                       const struct rc_sim_filter *f)
{
  for (size_t i = 0; i < rc_ec2__rules.n; i++) {
    const struct ec2_rule *r = rc_ec2__rules.v[i];
    if (r->egress != egress || strcmp(r->group_id, g->r.id) != 0) continue;
    char num[16];
    const char *v = NULL;
    if (!strcmp(k, "cidr")) v = r->cidr[0] ? r->cidr : NULL;
    else if (!strcmp(k, "ipv6-cidr")) v = r->cidr6[0] ? r->cidr6 : NULL;
    else if (!strcmp(k, "group-id")) v = r->ref_group[0] ? r->ref_group : NULL;
    else if (!strcmp(k, "prefix-list-id")) v = r->prefix_list[0] ? r->prefix_list : NULL;
    else if (!strcmp(k, "protocol")) v = r->proto;
    else if (!strcmp(k, "from-port")) { snprintf(num, sizeof num, "%d", r->from); v = num; }
    else if (!strcmp(k, "to-port")) { snprintf(num, sizeof num, "%d", r->to); v = num; }
    if (v && rc_sim_filter_match(f, v)) return true;
  }
  return false;
}

static bool sg_match(const void *res, const struct rc_sim_filter *f, bool *known)
{
  const struct ec2_sg *g = res;
  bool r = false;
  if (rc_ec2__match_str(f, "group-id", g->r.id, known, &r) ||
      rc_ec2__match_str(f, "group-name", g->name, known, &r) ||
      rc_ec2__match_str(f, "vpc-id", g->vpc_id, known, &r) ||
      rc_ec2__match_str(f, "description", g->description, known, &r) ||
      rc_ec2__match_str(f, "owner-id", RC_SIM_ACCOUNT, known, &r))
    return r;
  static const char *const keys[] = {"cidr", "ipv6-cidr", "group-id", "prefix-list-id",
                                     "protocol", "from-port", "to-port"};
  bool egress = strncmp(f->name, "egress.ip-permission.", 21) == 0;
  const char *k = egress ? f->name + 21
                  : strncmp(f->name, "ip-permission.", 14) == 0 ? f->name + 14 : NULL;
  if (!k) return false;
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    if (strcmp(k, keys[i]) == 0) {
      *known = true;
      return perm_match(g, egress, k, f);
    }
  }
  return false;
}

static void perms_write(struct rc_sim_call *c, const struct ec2_sg *g, bool egress,
                        const char *tag)
{
  size_t n = 0;
  const struct ec2_rule **mine = rc_calloc(rc_ec2__rules.n + 1, sizeof *mine);
  for (size_t i = 0; i < rc_ec2__rules.n; i++) {
    const struct ec2_rule *r = rc_ec2__rules.v[i];
    if (r->egress == egress && strcmp(r->group_id, g->r.id) == 0) mine[n++] = r;
  }
  if (n == 0) {
    rc_sim_xml_empty(c, tag);
    rc_free(mine);
    return;
  }
  bool *done = rc_calloc(n, sizeof *done);
  rc_sim_xml_open(c, tag);
  for (size_t i = 0; i < n; i++) {
    if (done[i]) continue;
    const struct ec2_rule *h = mine[i];
    rc_sim_xml_open(c, "item");
    rc_sim_xml_str(c, "ipProtocol", h->proto);
    if (has_ports(h->proto)) {
      rc_sim_xml_int(c, "fromPort", h->from);
      rc_sim_xml_int(c, "toPort", h->to);
    }
    /* one list per peer kind, each gathering the rules of the same (proto, ports) */
    static const char *const lists[] = {"groups", "ipRanges", "ipv6Ranges", "prefixListIds"};
    for (int li = 0; li < 4; li++) {
      bool open = false;
      for (size_t k = i; k < n; k++) {
        const struct ec2_rule *r = mine[k];
        if (strcmp(r->proto, h->proto) || r->from != h->from || r->to != h->to) continue;
        const char *peer = li == 0 ? r->ref_group : li == 1 ? r->cidr : li == 2 ? r->cidr6
                                                                               : r->prefix_list;
        if (!peer[0]) continue;
        done[k] = true;
        if (!open) rc_sim_xml_open(c, lists[li]);
        open = true;
        rc_sim_xml_open(c, "item");
        if (li == 0) {
          rc_sim_xml_str(c, "userId", RC_SIM_ACCOUNT);
          rc_sim_xml_str(c, "groupId", peer);
        } else {
          rc_sim_xml_str(c, li == 1 ? "cidrIp" : li == 2 ? "cidrIpv6" : "prefixListId", peer);
        }
        if (r->description[0]) rc_sim_xml_str(c, "description", r->description);
        rc_sim_xml_close(c, "item");
      }
      if (open)
        rc_sim_xml_close(c, lists[li]);
      else
        rc_sim_xml_empty(c, lists[li]);
    }
    rc_sim_xml_close(c, "item");
  }
  rc_sim_xml_close(c, tag);
  rc_free(done);
  rc_free(mine);
}

static void sg_write(struct rc_sim_call *c, const void *res)
{
  const struct ec2_sg *g = res;
  rc_sim_xml_open(c, "item");
  rc_sim_xml_str(c, "ownerId", RC_SIM_ACCOUNT);
  rc_sim_xml_str(c, "groupId", g->r.id);
  rc_sim_xml_str(c, "groupName", g->name);
  rc_sim_xml_str(c, "groupDescription", g->description);
  rc_sim_xml_str(c, "vpcId", g->vpc_id);
  perms_write(c, g, false, "ipPermissions");
  perms_write(c, g, true, "ipPermissionsEgress");
  rc_ec2__write_tags(c, &g->r);
  rc_sim_xml_close(c, "item");
}

static const struct ec2_kind sg_kind = {
    .vec = &rc_ec2__sgs,
    .id_param = "GroupId",
    .notfound = "InvalidGroup.NotFound",
    .notfound_fmt = "The security group '%s' does not exist",
    .set_tag = "securityGroupInfo",
    .match = sg_match,
    .write = sg_write,
    .page_lo = 5,
    .page_hi = 1000,
};

void rc_ec2__describe_sgs(struct rc_sim_call *c)
{
  const char **names;
  size_t n = rc_sim_param_list(c, "GroupName", &names);
  if (n == 0) {
    rc_free(names);
    rc_ec2__describe(c, &sg_kind);
    return;
  }
  struct ec2_vec sub = {0};
  for (size_t i = 0; i < n; i++) {
    bool found = false;
    for (size_t k = 0; k < rc_ec2__sgs.n; k++) {
      struct ec2_sg *g = rc_ec2__sgs.v[k];
      if (strcmp(g->name, names[i]) == 0 && rc_sim_visible(c, g->r.visible_at) &&
          rc_sim_in_region(c, g->r.region)) {
        rc_ec2__vec_push(&sub, g);
        found = true;
      }
    }
    if (!found) {
      rc_sim_error(c, 400, "InvalidGroup.NotFound", "The security group '%s' does not exist",
                   names[i]);
      rc_free(names);
      rc_free(sub.v);
      return;
    }
  }
  rc_free(names);
  struct ec2_kind k = sg_kind;
  k.vec = &sub;
  rc_ec2__describe(c, &k);
  rc_free(sub.v);
}

void rc_ec2__create_sg(struct rc_sim_call *c)
{
  const char *name = rc_sim_param(c, "GroupName");
  const char *desc = rc_sim_param(c, "GroupDescription");
  const char *vpc_id = rc_sim_param(c, "VpcId");
  if (!name) {
    rc_sim_error_missing(c, "GroupName");
    return;
  }
  if (!desc) {
    rc_sim_error_missing(c, "GroupDescription");
    return;
  }
  if (!vpc_id) {
    rc_sim_error(c, 400, "VPCIdNotSpecified", "No default VPC for this user");
    return;
  }
  if (strlen(name) > 255 || strlen(desc) > 255 || !*name) {
    rc_sim_error(c, 400, "InvalidParameterValue",
                 "Value for parameter groupName or groupDescription is invalid.");
    return;
  }
  if (strncmp(name, "sg-", 3) == 0) {
    rc_sim_error(c, 400, "InvalidParameterValue",
                 "Group names may not be in the format sg-*");
    return;
  }
  if (strcmp(name, "default") == 0) {
    rc_sim_error(c, 400, "InvalidGroup.Reserved", "The security group 'default' is reserved");
    return;
  }
  if (!rc_ec2__vec_find(&rc_ec2__vpcs, vpc_id)) {
    rc_sim_error(c, 400, "InvalidVpcID.NotFound", "The vpc ID '%s' does not exist", vpc_id);
    return;
  }
  for (size_t i = 0; i < rc_ec2__sgs.n; i++) {
    const struct ec2_sg *g = rc_ec2__sgs.v[i];
    if (strcmp(g->vpc_id, vpc_id) == 0 && strcmp(g->name, name) == 0) {
      rc_sim_error(c, 400, "InvalidGroup.Duplicate",
                   "The security group '%s' already exists for VPC '%s'", name, vpc_id);
      return;
    }
  }
  struct ec2_sg *g = rc_ec2__sg_new(c, vpc_id, name, desc, true);
  rc_sim_tags_from_spec(c, "security-group", &g->r.tags);
  rc_sim_reply_begin(c);
  rc_sim_xml_str(c, "groupId", g->r.id);
  rc_ec2__write_tags(c, &g->r);
  rc_sim_xml_strf(c, "securityGroupArn", "arn:aws:ec2:%s:%s:security-group/%s", c->req.region,
                  RC_SIM_ACCOUNT, g->r.id);
  rc_sim_reply_end(c);
}

static struct ec2_sg *group_arg(struct rc_sim_call *c)
{
  const char *id = rc_sim_param(c, "GroupId");
  const char *name = rc_sim_param(c, "GroupName");
  if (id) return rc_ec2__get(c, &sg_kind, id);
  if (name) {
    for (size_t i = 0; i < rc_ec2__sgs.n; i++)
      if (strcmp(((struct ec2_sg *)rc_ec2__sgs.v[i])->name, name) == 0) return rc_ec2__sgs.v[i];
    rc_sim_error(c, 400, "InvalidGroup.NotFound", "The security group '%s' does not exist",
                 name);
    return NULL;
  }
  rc_sim_error(c, 400, "MissingParameter",
               "The request must contain the parameter groupName or groupId");
  return NULL;
}

void rc_ec2__delete_sg(struct rc_sim_call *c)
{
  struct ec2_sg *g = group_arg(c);
  if (!g) return;
  if (strcmp(g->name, "default") == 0) {
    rc_sim_error(c, 400, "CannotDelete",
                 "the specified group: \"%s\" name: \"default\" cannot be deleted by a user",
                 g->r.id);
    return;
  }
  bool dep = false;
  for (size_t i = 0; i < rc_ec2__rules.n && !dep; i++) {
    const struct ec2_rule *r = rc_ec2__rules.v[i];
    dep = strcmp(r->ref_group, g->r.id) == 0 && strcmp(r->group_id, g->r.id) != 0;
  }
  for (size_t i = 0; i < rc_ec2__enis.n && !dep; i++) {
    const struct ec2_eni *e = rc_ec2__enis.v[i];
    for (size_t k = 0; k < e->n_groups && !dep; k++) dep = strcmp(e->groups[k], g->r.id) == 0;
  }
  if (dep) {
    rc_sim_error(c, 400, "DependencyViolation", "resource %s has a dependent object", g->r.id);
    return;
  }
  rc_ec2__sg_destroy(g);
  rc_sim_reply_begin(c);
  rc_sim_xml_bool(c, "return", true);
  rc_sim_reply_end(c);
}

/* --- rules from the request --- */

struct rule_list {
  struct ec2_rule *v;
  size_t n;
};

static void list_push(struct rule_list *l, const struct ec2_rule *r)
{
  l->v = rc_realloc(l->v, (l->n + 1) * sizeof *l->v);
  l->v[l->n++] = *r;
}

static bool norm_proto(const char *in, char *out, size_t outsz)
{
  static const struct {
    const char *in, *out;
  } map[] = {{"-1", "-1"}, {"all", "-1"}, {"tcp", "tcp"}, {"6", "tcp"}, {"udp", "udp"},
             {"17", "udp"}, {"icmp", "icmp"}, {"1", "icmp"}, {"icmpv6", "icmpv6"},
             {"58", "icmpv6"}};
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
    if (strcasecmp(in, map[i].in) == 0) {
      snprintf(out, outsz, "%s", map[i].out);
      return true;
    }
  }
  char *end;
  long v = strtol(in, &end, 10);
  if (*in && !*end && v >= 0 && v <= 255) {
    snprintf(out, outsz, "%ld", v);
    return true;
  }
  return false;
}

/* Fills proto/from/to of base from an IpPermissions entry; false on error. */
static bool perm_head(struct rc_sim_call *c, const char *pfx, struct ec2_rule *base)
{
  const char *proto = rc_sim_paramf(c, "%s.IpProtocol", pfx);
  if (!proto) {
    rc_sim_error(c, 400, "MissingParameter", "The request must contain the parameter ipProtocol");
    return false;
  }
  if (!norm_proto(proto, base->proto, sizeof base->proto)) {
    rc_sim_error(c, 400, "InvalidParameterValue",
                 "Invalid value '%s' for IP protocol. Unknown protocol.", proto);
    return false;
  }
  char key[128];
  int64_t from = -1, to = -1;
  bool bad = false, hf, ht;
  snprintf(key, sizeof key, "%s.FromPort", pfx);
  hf = rc_sim_param_int(c, key, &from, &bad);
  snprintf(key, sizeof key, "%s.ToPort", pfx);
  ht = rc_sim_param_int(c, key, &to, &bad);
  if (!has_ports(base->proto)) {
    base->from = base->to = -1;
    return true;
  }
  bool tcpudp = !strcmp(base->proto, "tcp") || !strcmp(base->proto, "udp");
  if (bad || (tcpudp && (!hf || !ht))) {
    rc_sim_error(c, 400, "InvalidParameterValue",
                 "Invalid value 'Must specify both from and to ports with TCP/UDP.' for "
                 "portRange");
    return false;
  }
  if (tcpudp && (from < 0 || to > 65535 || from > to)) {
    rc_sim_error(c, 400, "InvalidParameterValue",
                 "Invalid port range (%lld, %lld)", (long long)from, (long long)to);
    return false;
  }
  base->from = (int)from;
  base->to = (int)to;
  return true;
}

/* Reads the rules of IpPermissions.N (or the legacy top-level form) for g. */
static bool parse_rules(struct rc_sim_call *c, const struct ec2_sg *g, bool egress,
                        struct rule_list *out)
{
  int np = rc_sim_param_max(c, "IpPermissions");
  struct ec2_rule base;
  if (np == 0) {
    const char *cidr = rc_sim_param(c, "CidrIp");
    const char *src = rc_sim_param(c, "SourceSecurityGroupName");
    if (!rc_sim_param(c, "IpProtocol")) {
      rc_sim_error(c, 400, "MissingParameter",
                   "The request must contain the parameter ipPermissions");
      return false;
    }
    memset(&base, 0, sizeof base);
    base.egress = egress;
    snprintf(base.group_id, sizeof base.group_id, "%s", g->r.id);
    /* the top-level IpProtocol/FromPort/ToPort read as a pseudo entry */
    const char *proto = rc_sim_param(c, "IpProtocol");
    if (!norm_proto(proto, base.proto, sizeof base.proto)) {
      rc_sim_error(c, 400, "InvalidParameterValue",
                   "Invalid value '%s' for IP protocol. Unknown protocol.", proto);
      return false;
    }
    int64_t f = -1, t = -1;
    rc_sim_param_int(c, "FromPort", &f, NULL);
    rc_sim_param_int(c, "ToPort", &t, NULL);
    base.from = has_ports(base.proto) ? (int)f : -1;
    base.to = has_ports(base.proto) ? (int)t : -1;
    if (cidr) snprintf(base.cidr, sizeof base.cidr, "%s", cidr);
    if (src) {
      for (size_t i = 0; i < rc_ec2__sgs.n; i++) {
        const struct ec2_sg *o = rc_ec2__sgs.v[i];
        if (strcmp(o->name, src) == 0 && strcmp(o->vpc_id, g->vpc_id) == 0)
          snprintf(base.ref_group, sizeof base.ref_group, "%s", o->r.id);
      }
      if (!base.ref_group[0]) {
        rc_sim_error(c, 400, "InvalidGroup.NotFound", "The security group '%s' does not exist",
                     src);
        return false;
      }
    }
    list_push(out, &base);
    return true;
  }
  for (int i = 1; i <= np; i++) {
    char pfx[64];
    snprintf(pfx, sizeof pfx, "IpPermissions.%d", i);
    if (rc_sim_param_max(c, pfx) == 0 && !rc_sim_paramf(c, "%s.IpProtocol", pfx)) continue;
    memset(&base, 0, sizeof base);
    base.egress = egress;
    snprintf(base.group_id, sizeof base.group_id, "%s", g->r.id);
    if (!perm_head(c, pfx, &base)) return false;
    size_t before = out->n;
    static const struct {
      const char *list, *field;
      int kind;
    } peers[] = {{"IpRanges", "CidrIp", 1},
                 {"Ipv6Ranges", "CidrIpv6", 2},
                 {"Groups", "GroupId", 3},
                 {"PrefixListIds", "PrefixListId", 4}};
    for (size_t p = 0; p < 4; p++) {
      char lp[96];
      snprintf(lp, sizeof lp, "%s.%s", pfx, peers[p].list);
      int nm = rc_sim_param_max(c, lp);
      for (int m = 1; m <= nm; m++) {
        const char *v = rc_sim_paramf(c, "%s.%d.%s", lp, m, peers[p].field);
        const char *d = rc_sim_paramf(c, "%s.%d.Description", lp, m);
        if (!v && peers[p].kind == 3) {
          const char *gname = rc_sim_paramf(c, "%s.%d.GroupName", lp, m);
          for (size_t k = 0; gname && k < rc_ec2__sgs.n && !v; k++) {
            const struct ec2_sg *o = rc_ec2__sgs.v[k];
            if (strcmp(o->name, gname) == 0 && strcmp(o->vpc_id, g->vpc_id) == 0) v = o->r.id;
          }
          if (gname && !v) {
            rc_sim_error(c, 400, "InvalidGroup.NotFound",
                         "The security group '%s' does not exist", gname);
            return false;
          }
        }
        if (!v) continue;
        struct ec2_rule r = base;
        uint32_t b;
        int l;
        switch (peers[p].kind) {
        case 1:
          if (!rc_ec2__cidr_parse(v, &b, &l)) {
            rc_sim_error(c, 400, "InvalidParameterValue",
                         "CIDR block %s is malformed", v);
            return false;
          }
          snprintf(r.cidr, sizeof r.cidr, "%s", v);
          break;
        case 2: snprintf(r.cidr6, sizeof r.cidr6, "%s", v); break;
        case 3:
          if (!rc_ec2__vec_find(&rc_ec2__sgs, v)) {
            rc_sim_error(c, 400, "InvalidGroup.NotFound",
                         "The security group '%s' does not exist", v);
            return false;
          }
          snprintf(r.ref_group, sizeof r.ref_group, "%s", v);
          break;
        default: snprintf(r.prefix_list, sizeof r.prefix_list, "%s", v); break;
        }
        if (d) snprintf(r.description, sizeof r.description, "%s", d);
        list_push(out, &r);
      }
    }
    if (out->n == before) {
      /* a permission with no peer is accepted by AWS and changes nothing */
      continue;
    }
  }
  return true;
}

static bool same_rule(const struct ec2_rule *a, const struct ec2_rule *b)
{
  return a->egress == b->egress && !strcmp(a->group_id, b->group_id) &&
         !strcmp(a->proto, b->proto) && a->from == b->from && a->to == b->to &&
         !strcmp(a->cidr, b->cidr) && !strcmp(a->cidr6, b->cidr6) &&
         !strcmp(a->ref_group, b->ref_group) && !strcmp(a->prefix_list, b->prefix_list);
}

static void rule_peer(const struct ec2_rule *r, char *out, size_t outsz)
{
  snprintf(out, outsz, "%s", r->cidr[0] ? r->cidr : r->cidr6[0] ? r->cidr6
                             : r->ref_group[0] ? r->ref_group : r->prefix_list);
}

static void rule_write(struct rc_sim_call *c, const void *res)
{
  const struct ec2_rule *r = res;
  rc_sim_xml_open(c, "item");
  rc_sim_xml_str(c, "securityGroupRuleId", r->r.id);
  rc_sim_xml_str(c, "groupId", r->group_id);
  rc_sim_xml_str(c, "groupOwnerId", RC_SIM_ACCOUNT);
  rc_sim_xml_bool(c, "isEgress", r->egress);
  rc_sim_xml_str(c, "ipProtocol", r->proto);
  rc_sim_xml_int(c, "fromPort", r->from);
  rc_sim_xml_int(c, "toPort", r->to);
  if (r->cidr[0]) rc_sim_xml_str(c, "cidrIpv4", r->cidr);
  if (r->cidr6[0]) rc_sim_xml_str(c, "cidrIpv6", r->cidr6);
  if (r->prefix_list[0]) rc_sim_xml_str(c, "prefixListId", r->prefix_list);
  if (r->ref_group[0]) {
    rc_sim_xml_open(c, "referencedGroupInfo");
    rc_sim_xml_str(c, "groupId", r->ref_group);
    rc_sim_xml_str(c, "userId", RC_SIM_ACCOUNT);
    rc_sim_xml_close(c, "referencedGroupInfo");
  }
  if (r->description[0]) rc_sim_xml_str(c, "description", r->description);
  rc_ec2__write_tags(c, &r->r);
  rc_sim_xml_close(c, "item");
}

static void authorize(struct rc_sim_call *c, bool egress)
{
  struct ec2_sg *g = group_arg(c);
  if (!g) return;
  struct rule_list l = {0};
  if (!parse_rules(c, g, egress, &l)) goto out;
  for (size_t i = 0; i < l.n; i++) {
    bool dup = false;
    for (size_t k = 0; k < rc_ec2__rules.n && !dup; k++) dup = same_rule(rc_ec2__rules.v[k], &l.v[i]);
    for (size_t k = 0; k < i && !dup; k++) dup = same_rule(&l.v[k], &l.v[i]);
    if (dup) {
      char peer[64];
      rule_peer(&l.v[i], peer, sizeof peer);
      if (has_ports(l.v[i].proto))
        rc_sim_error(c, 400, "InvalidPermission.Duplicate",
                     "the specified rule \"peer: %s, %s, from port: %d, to port: %d, ALLOW\" "
                     "already exists", peer, l.v[i].proto, l.v[i].from, l.v[i].to);
      else
        rc_sim_error(c, 400, "InvalidPermission.Duplicate",
                     "the specified rule \"peer: %s, ALL, ALLOW\" already exists", peer);
      goto out;
    }
  }
  rc_sim_reply_begin(c);
  rc_sim_xml_bool(c, "return", true);
  if (l.n) rc_sim_xml_open(c, "securityGroupRuleSet");
  else rc_sim_xml_empty(c, "securityGroupRuleSet");
  for (size_t i = 0; i < l.n; i++) {
    struct ec2_rule *r = rc_calloc(1, sizeof *r);
    *r = l.v[i];
    memset(&r->r, 0, sizeof r->r);
    rc_ec2__res_init(c, &r->r, "sgr", "security-group-rule");
    rc_ec2__vec_push(&rc_ec2__rules, r);
    rule_write(c, r);
  }
  if (l.n) rc_sim_xml_close(c, "securityGroupRuleSet");
  rc_sim_reply_end(c);
out:
  rc_free(l.v);
}

static void revoke(struct rc_sim_call *c, bool egress)
{
  struct ec2_sg *g = group_arg(c);
  if (!g) return;
  struct rule_list l = {0};
  const char **ids = NULL;
  size_t nids = rc_sim_param_list(c, "SecurityGroupRuleId", &ids);
  struct ec2_rule **hit = NULL;
  size_t nhit = 0;
  if (nids) {
    hit = rc_calloc(nids, sizeof *hit);
    for (size_t i = 0; i < nids; i++) {
      struct ec2_rule *r = rc_ec2__vec_find(&rc_ec2__rules, ids[i]);
      if (!r || strcmp(r->group_id, g->r.id) != 0 || r->egress != egress) {
        rc_sim_error(c, 400, "InvalidSecurityGroupRuleId.NotFound",
                     "The security group rule ID '%s' does not exist", ids[i]);
        goto out;
      }
      hit[nhit++] = r;
    }
  } else {
    if (!parse_rules(c, g, egress, &l)) goto out;
    hit = rc_calloc(l.n + 1, sizeof *hit);
    for (size_t i = 0; i < l.n; i++) {
      struct ec2_rule *found = NULL;
      for (size_t k = 0; k < rc_ec2__rules.n && !found; k++)
        if (same_rule(rc_ec2__rules.v[k], &l.v[i])) found = rc_ec2__rules.v[k];
      if (!found) {
        rc_sim_error(c, 400, "InvalidPermission.NotFound",
                     "The specified rule does not exist in this security group.");
        goto out;
      }
      hit[nhit++] = found;
    }
  }
  for (size_t i = 0; i < nhit; i++) {
    if (!rc_ec2__vec_find(&rc_ec2__rules, hit[i]->r.id)) continue; /* listed twice */
    rc_ec2__vec_remove(&rc_ec2__rules, hit[i]);
    rule_free(hit[i]);
  }
  rc_sim_reply_empty(c);
out:
  rc_free(hit);
  rc_free(ids);
  rc_free(l.v);
}

void rc_ec2__authorize_ingress(struct rc_sim_call *c) { authorize(c, false); }
void rc_ec2__authorize_egress(struct rc_sim_call *c) { authorize(c, true); }
void rc_ec2__revoke_ingress(struct rc_sim_call *c) { revoke(c, false); }
void rc_ec2__revoke_egress(struct rc_sim_call *c) { revoke(c, true); }

static bool rule_match(const void *res, const struct rc_sim_filter *f, bool *known)
{
  const struct ec2_rule *r = res;
  bool m = false;
  if (rc_ec2__match_str(f, "group-id", r->group_id, known, &m) ||
      rc_ec2__match_str(f, "security-group-rule-id", r->r.id, known, &m))
    return m;
  return false;
}

static const struct ec2_kind rule_kind = {
    .vec = &rc_ec2__rules,
    .id_param = "SecurityGroupRuleId",
    .notfound = "InvalidSecurityGroupRuleId.NotFound",
    .notfound_fmt = "The security group rule ID '%s' does not exist",
    .set_tag = "securityGroupRuleSet",
    .match = rule_match,
    .write = rule_write,
    .page_lo = 5,
    .page_hi = 1000,
};

void rc_ec2__describe_sg_rules(struct rc_sim_call *c) { rc_ec2__describe(c, &rule_kind); }

void rc_ec2__modify_sg_rules(struct rc_sim_call *c)
{
  struct ec2_sg *g = group_arg(c);
  if (!g) return;
  int n = rc_sim_param_max(c, "SecurityGroupRule");
  if (n == 0) {
    rc_sim_error_missing(c, "SecurityGroupRule");
    return;
  }
  struct ec2_rule *upd = rc_calloc((size_t)n, sizeof *upd);
  struct ec2_rule **tgt = rc_calloc((size_t)n, sizeof *tgt);
  size_t nu = 0;
  for (int i = 1; i <= n; i++) {
    const char *id = rc_sim_paramf(c, "SecurityGroupRule.%d.SecurityGroupRuleId", i);
    if (!id) continue;
    struct ec2_rule *r = rc_ec2__vec_find(&rc_ec2__rules, id);
    if (!r || strcmp(r->group_id, g->r.id) != 0) {
      rc_sim_error(c, 400, "InvalidSecurityGroupRuleId.NotFound",
                   "The security group rule ID '%s' does not exist", id);
      goto out;
    }
    char pfx[96];
    snprintf(pfx, sizeof pfx, "SecurityGroupRule.%d.SecurityGroupRule", i);
    struct ec2_rule u = *r;
    if (!perm_head(c, pfx, &u)) goto out;
    u.cidr[0] = u.cidr6[0] = u.ref_group[0] = u.prefix_list[0] = u.description[0] = '\0';
    const char *v;
    if ((v = rc_sim_paramf(c, "%s.CidrIpv4", pfx))) snprintf(u.cidr, sizeof u.cidr, "%s", v);
    if ((v = rc_sim_paramf(c, "%s.CidrIpv6", pfx))) snprintf(u.cidr6, sizeof u.cidr6, "%s", v);
    if ((v = rc_sim_paramf(c, "%s.PrefixListId", pfx)))
      snprintf(u.prefix_list, sizeof u.prefix_list, "%s", v);
    if ((v = rc_sim_paramf(c, "%s.ReferencedGroupId", pfx))) {
      if (!rc_ec2__vec_find(&rc_ec2__sgs, v)) {
        rc_sim_error(c, 400, "InvalidGroup.NotFound", "The security group '%s' does not exist",
                     v);
        goto out;
      }
      snprintf(u.ref_group, sizeof u.ref_group, "%s", v);
    }
    if ((v = rc_sim_paramf(c, "%s.Description", pfx)))
      snprintf(u.description, sizeof u.description, "%s", v);
    if (!u.cidr[0] && !u.cidr6[0] && !u.ref_group[0] && !u.prefix_list[0]) {
      rc_sim_error(c, 400, "InvalidParameterValue",
                   "One of CidrIpv4, CidrIpv6, PrefixListId or ReferencedGroupId is required");
      goto out;
    }
    upd[nu] = u;
    tgt[nu++] = r;
  }
  for (size_t i = 0; i < nu; i++) {
    struct ec2_res keep = tgt[i]->r;
    *tgt[i] = upd[i];
    tgt[i]->r = keep;
  }
  rc_sim_reply_empty(c);
out:
  rc_free(upd);
  rc_free(tgt);
}
