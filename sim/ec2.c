/* ec2.c — the EC2 service row (API 2016-11-15): its operation table, the
 * generic Describe machinery every kind shares (ids, filters, tags,
 * visibility, MaxResults/NextToken), and the state export/import, driven by
 * a field table per kind. */
#include "ec2_int.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/rc_alloc.h"

struct ec2_vec rc_ec2__vpcs, rc_ec2__subnets, rc_ec2__igws, rc_ec2__eips, rc_ec2__nats,
    rc_ec2__rtbs, rc_ec2__sgs, rc_ec2__rules, rc_ec2__enis;
int rc_ec2__nat_delay_ms = 1500;
int rc_ec2__nat_delete_ms = 1000;

bool rc_ec2__id_well_formed(const char *id, const char *prefix)
{
  size_t pl = strlen(prefix);
  if (strncmp(id, prefix, pl) != 0 || id[pl] != '-') return false;
  const char *h = id + pl + 1;
  size_t n = 0;
  for (; h[n]; n++)
    if (!((h[n] >= '0' && h[n] <= '9') || (h[n] >= 'a' && h[n] <= 'f'))) return false;
  return n == 8 || n == 17;
}

void rc_ec2__vec_push(struct ec2_vec *vec, void *res)
{
  vec->v = rc_realloc(vec->v, (vec->n + 1) * sizeof *vec->v);
  vec->v[vec->n++] = res;
}

void *rc_ec2__vec_find(const struct ec2_vec *vec, const char *id)
{
  if (!id) return NULL;
  for (size_t i = 0; i < vec->n; i++)
    if (strcmp(((struct ec2_res *)vec->v[i])->id, id) == 0) return vec->v[i];
  return NULL;
}

void rc_ec2__vec_remove(struct ec2_vec *vec, const void *res)
{
  for (size_t i = 0; i < vec->n; i++) {
    if (vec->v[i] == res) {
      memmove(&vec->v[i], &vec->v[i + 1], (vec->n - i - 1) * sizeof *vec->v);
      vec->n--;
      return;
    }
  }
}

void rc_ec2__res_init(struct rc_sim_call *c, struct ec2_res *r, const char *prefix,
                      const char *tag_type)
{
  rc_sim_id(prefix, r->id, sizeof r->id);
  if (tag_type) rc_sim_tags_from_spec(c, tag_type, &r->tags);
  r->created_ms = c->now_ms;
  r->visible_at = rc_sim_visible_at(c);
  snprintf(r->region, sizeof r->region, "%s", c->req.region);
}

bool rc_ec2__match_str(const struct rc_sim_filter *f, const char *name, const char *value,
                       bool *known, bool *result)
{
  if (strcmp(f->name, name) != 0) return false;
  *known = true;
  *result = value && rc_sim_filter_match(f, value);
  return true;
}

void rc_ec2__write_tags(struct rc_sim_call *c, const struct ec2_res *r)
{
  rc_sim_xml_tags(c, "tagSet", "item", "key", "value", &r->tags);
}

/* Reads a decimal number 0..max from *p, advancing it; false when absent. */
static bool read_num(const char **p, unsigned max, unsigned *out)
{
  const char *s = *p;
  unsigned v = 0;
  int digits = 0;
  while (*s >= '0' && *s <= '9' && digits < 4) {
    v = v * 10 + (unsigned)(*s++ - '0');
    digits++;
  }
  if (!digits || v > max) return false;
  *p = s;
  *out = v;
  return true;
}

bool rc_ec2__cidr_parse(const char *s, uint32_t *base, int *len)
{
  unsigned oct[4], l;
  if (!s) return false;
  for (int i = 0; i < 4; i++) {
    if (!read_num(&s, 255, &oct[i])) return false;
    if (*s++ != (i < 3 ? '.' : '/')) return false;
  }
  if (!read_num(&s, 32, &l) || *s) return false;
  *base = (oct[0] << 24) | (oct[1] << 16) | (oct[2] << 8) | oct[3];
  *len = (int)l;
  return true;
}

/* --- Describe --- */

static bool res_matches(const struct ec2_kind *k, const void *res,
                        const struct rc_sim_filters *fs, const char **bad_filter)
{
  const struct ec2_res *r = res;
  for (size_t i = 0; i < fs->n; i++) {
    const struct rc_sim_filter *f = &fs->v[i];
    bool handled = false, ok = false;
    ok = rc_sim_tags_filter(&r->tags, f, &handled);
    if (!handled && k->match) ok = k->match(res, f, &handled);
    if (!handled) {
      *bad_filter = f->name;
      return false;
    }
    if (!ok) return false;
  }
  return true;
}

void rc_ec2__describe(struct rc_sim_call *c, const struct ec2_kind *k)
{
  const char **ids = NULL;
  size_t nids = rc_sim_param_list(c, k->id_param, &ids);
  struct rc_sim_filters fs;
  rc_sim_filters_parse(c, k->filter_param ? k->filter_param : "Filter", &fs);
  size_t start = 0, limit = SIZE_MAX;
  const void **hits = NULL;
  size_t nhits = 0;
  if (k->page_lo && !rc_sim_page(c, "MaxResults", "NextToken", k->page_lo, k->page_hi,
                                 LONG_MAX, &start, &limit))
    goto out;
  for (size_t i = 0; i < nids; i++) {
    const struct ec2_res *r = rc_ec2__vec_find(k->vec, ids[i]);
    if (!r || !rc_sim_visible(c, r->visible_at) || !rc_sim_in_region(c, r->region)) {
      rc_sim_error(c, 400, k->notfound, k->notfound_fmt, ids[i]);
      goto out;
    }
  }
  hits = rc_calloc(k->vec->n + 1, sizeof *hits);
  for (size_t i = 0; i < k->vec->n; i++) {
    const struct ec2_res *r = k->vec->v[i];
    if (!rc_sim_visible(c, r->visible_at) || !rc_sim_in_region(c, r->region)) continue;
    if (nids) {
      bool want = false;
      for (size_t j = 0; j < nids && !want; j++) want = strcmp(ids[j], r->id) == 0;
      if (!want) continue;
    }
    const char *bad = NULL;
    bool ok = res_matches(k, r, &fs, &bad);
    if (bad) {
      rc_sim_error(c, 400, "InvalidParameterValue", "The filter '%s' is invalid", bad);
      goto out;
    }
    if (ok) hits[nhits++] = r;
  }
  rc_sim_reply_begin(c);
  size_t end = start < nhits ? (nhits - start > limit ? start + limit : nhits) : start;
  if (start >= end) {
    rc_sim_xml_empty(c, k->set_tag);
  } else {
    rc_sim_xml_open(c, k->set_tag);
    for (size_t i = start; i < end; i++) k->write(c, hits[i]);
    rc_sim_xml_close(c, k->set_tag);
  }
  if (end < nhits) {
    char tok[64];
    rc_sim_page_token(end, tok, sizeof tok);
    rc_sim_xml_str(c, "nextToken", tok);
  }
  rc_sim_reply_end(c);
out:
  rc_free(hits);
  rc_free(ids);
  rc_sim_filters_free(&fs);
}

void *rc_ec2__get(struct rc_sim_call *c, const struct ec2_kind *k, const char *id)
{
  struct ec2_res *r = rc_ec2__vec_find(k->vec, id);
  if (r && !rc_sim_in_region(c, r->region)) r = NULL; /* another region's */
  if (!r) rc_sim_error(c, 400, k->notfound, k->notfound_fmt, id ? id : "");
  return r;
}

void *rc_ec2__get_param(struct rc_sim_call *c, const struct ec2_kind *k, const char **id)
{
  *id = rc_sim_param(c, k->id_param);
  if (!*id) {
    rc_sim_error_missing(c, k->id_param);
    return NULL;
  }
  return rc_ec2__get(c, k, *id);
}

struct ec2_res *rc_ec2__any(const char *id, const char **type)
{
  static const struct {
    struct ec2_vec *vec;
    const char *type;
  } all[] = {
      {&rc_ec2__vpcs, "vpc"},
      {&rc_ec2__subnets, "subnet"},
      {&rc_ec2__igws, "internet-gateway"},
      {&rc_ec2__eips, "elastic-ip"},
      {&rc_ec2__nats, "natgateway"},
      {&rc_ec2__rtbs, "route-table"},
      {&rc_ec2__sgs, "security-group"},
      {&rc_ec2__rules, "security-group-rule"},
      {&rc_ec2__enis, "network-interface"},
  };
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
    struct ec2_res *r = rc_ec2__vec_find(all[i].vec, id);
    if (r) {
      if (type) *type = all[i].type;
      return r;
    }
  }
  return NULL;
}

/* --- state: a field table per kind --- */

enum ftype { FT_STR, FT_BOOL, FT_INT, FT_U64 };
struct field {
  const char *name;
  enum ftype t;
  size_t off, size;
};
#define FS(T, m) {#m, FT_STR, offsetof(T, m), sizeof(((T *)0)->m)}
#define FB(T, m) {#m, FT_BOOL, offsetof(T, m), sizeof(bool)}
#define FI(T, m) {#m, FT_INT, offsetof(T, m), sizeof(int)}
#define FU32(T, m) {#m, FT_U64, offsetof(T, m), sizeof(uint32_t)}
#define FU64(T, m) {#m, FT_U64, offsetof(T, m), sizeof(uint64_t)}

static const struct field vpc_fields[] = {
    FS(struct ec2_vpc, cidr),         FS(struct ec2_vpc, cidr_assoc),
    FS(struct ec2_vpc, dhcp),         FS(struct ec2_vpc, main_rtb),
    FS(struct ec2_vpc, default_sg),   FB(struct ec2_vpc, dns_support),
    FB(struct ec2_vpc, dns_hostnames), FS(struct ec2_vpc, tenancy),
    {NULL, FT_STR, 0, 0}};
static const struct field subnet_fields[] = {
    FS(struct ec2_subnet, vpc_id), FS(struct ec2_subnet, cidr),
    FS(struct ec2_subnet, az),     FS(struct ec2_subnet, az_id),
    FB(struct ec2_subnet, map_public_ip), FU32(struct ec2_subnet, next_host),
    {NULL, FT_STR, 0, 0}};
static const struct field igw_fields[] = {FS(struct ec2_igw, vpc_id), {NULL, FT_STR, 0, 0}};
static const struct field eip_fields[] = {
    FS(struct ec2_eip, public_ip), FS(struct ec2_eip, assoc_id), FS(struct ec2_eip, eni_id),
    FS(struct ec2_eip, private_ip), {NULL, FT_STR, 0, 0}};
static const struct field nat_fields[] = {
    FS(struct ec2_nat, vpc_id),     FS(struct ec2_nat, subnet_id),  FS(struct ec2_nat, state),
    FU64(struct ec2_nat, next_at_ms), FU64(struct ec2_nat, delete_ms),
    FS(struct ec2_nat, alloc_id),   FS(struct ec2_nat, eni_id),     FS(struct ec2_nat, private_ip),
    FS(struct ec2_nat, public_ip),  FS(struct ec2_nat, conn_type),
    FS(struct ec2_nat, client_token), FS(struct ec2_nat, fail_code),
    FS(struct ec2_nat, fail_msg),   {NULL, FT_STR, 0, 0}};
static const struct field rtb_fields[] = {FS(struct ec2_rtb, vpc_id), {NULL, FT_STR, 0, 0}};
static const struct field route_fields[] = {
    FS(struct ec2_route, dest), FS(struct ec2_route, gateway_id), FS(struct ec2_route, nat_id),
    FS(struct ec2_route, pcx_id), FS(struct ec2_route, tgw_id), FS(struct ec2_route, eni_id),
    FS(struct ec2_route, origin), {NULL, FT_STR, 0, 0}};
static const struct field assoc_fields[] = {
    FS(struct ec2_rtassoc, id), FS(struct ec2_rtassoc, subnet_id),
    FS(struct ec2_rtassoc, gateway_id), FB(struct ec2_rtassoc, main),
    {NULL, FT_STR, 0, 0}};
static const struct field sg_fields[] = {
    FS(struct ec2_sg, name), FS(struct ec2_sg, description), FS(struct ec2_sg, vpc_id),
    {NULL, FT_STR, 0, 0}};
static const struct field rule_fields[] = {
    FS(struct ec2_rule, group_id), FB(struct ec2_rule, egress),     FS(struct ec2_rule, proto),
    FI(struct ec2_rule, from),      FI(struct ec2_rule, to),         FS(struct ec2_rule, cidr),
    FS(struct ec2_rule, cidr6),     FS(struct ec2_rule, ref_group),
    FS(struct ec2_rule, prefix_list), FS(struct ec2_rule, description), {NULL, FT_STR, 0, 0}};
static const struct field eni_fields[] = {
    FS(struct ec2_eni, subnet_id),  FS(struct ec2_eni, vpc_id),     FS(struct ec2_eni, az),
    FS(struct ec2_eni, description), FS(struct ec2_eni, private_ip), FS(struct ec2_eni, mac),
    FS(struct ec2_eni, status),     FS(struct ec2_eni, type),
    FB(struct ec2_eni, requester_managed), FS(struct ec2_eni, attach_id), {NULL, FT_STR, 0, 0}};

static void fields_save(json_t *o, const void *base, const struct field *fl)
{
  const char *p = base;
  for (; fl->name; fl++) {
    switch (fl->t) {
    case FT_STR: json_object_set_new(o, fl->name, json_string(p + fl->off)); break;
    case FT_BOOL: json_object_set_new(o, fl->name, json_boolean(*(const bool *)(p + fl->off))); break;
    case FT_INT: json_object_set_new(o, fl->name, json_integer(*(const int *)(p + fl->off))); break;
    case FT_U64: {
      uint64_t v = fl->size == sizeof(uint32_t) ? *(const uint32_t *)(p + fl->off)
                                                : *(const uint64_t *)(p + fl->off);
      json_object_set_new(o, fl->name, json_integer((json_int_t)v));
      break;
    }
    }
  }
}

static void fields_load(void *base, const json_t *o, const struct field *fl)
{
  char *p = base;
  for (; fl->name; fl++) {
    json_t *v = json_object_get(o, fl->name);
    if (!v) continue;
    switch (fl->t) {
    case FT_STR: snprintf(p + fl->off, fl->size, "%s", json_string_value(v) ? json_string_value(v) : ""); break;
    case FT_BOOL: *(bool *)(p + fl->off) = json_is_true(v); break;
    case FT_INT: *(int *)(p + fl->off) = (int)json_integer_value(v); break;
    case FT_U64:
      if (fl->size == sizeof(uint32_t))
        *(uint32_t *)(p + fl->off) = (uint32_t)json_integer_value(v);
      else
        *(uint64_t *)(p + fl->off) = (uint64_t)json_integer_value(v);
      break;
    }
  }
}

static void rtb_extra_save(json_t *o, const void *res)
{
  const struct ec2_rtb *t = res;
  json_t *rs = json_array(), *as = json_array();
  for (size_t i = 0; i < t->n_routes; i++) {
    json_t *j = json_object();
    fields_save(j, &t->routes[i], route_fields);
    json_array_append_new(rs, j);
  }
  for (size_t i = 0; i < t->n_assocs; i++) {
    json_t *j = json_object();
    fields_save(j, &t->assocs[i], assoc_fields);
    json_array_append_new(as, j);
  }
  json_object_set_new(o, "routes", rs);
  json_object_set_new(o, "associations", as);
}

static void rtb_extra_load(void *res, const json_t *o)
{
  struct ec2_rtb *t = res;
  json_t *rs = json_object_get(o, "routes"), *as = json_object_get(o, "associations"), *v;
  size_t i;
  t->routes = rc_calloc(json_array_size(rs) + 1, sizeof *t->routes);
  json_array_foreach(rs, i, v) fields_load(&t->routes[t->n_routes++], v, route_fields);
  t->assocs = rc_calloc(json_array_size(as) + 1, sizeof *t->assocs);
  json_array_foreach(as, i, v) fields_load(&t->assocs[t->n_assocs++], v, assoc_fields);
}

static void eni_extra_save(json_t *o, const void *res)
{
  const struct ec2_eni *e = res;
  json_t *g = json_array();
  for (size_t i = 0; i < e->n_groups; i++) json_array_append_new(g, json_string(e->groups[i]));
  json_object_set_new(o, "groups", g);
}

static void eni_extra_load(void *res, const json_t *o)
{
  struct ec2_eni *e = res;
  json_t *g = json_object_get(o, "groups"), *v;
  size_t i;
  e->groups = rc_calloc(json_array_size(g) + 1, sizeof *e->groups);
  json_array_foreach(g, i, v) e->groups[e->n_groups++] = rc_strdup(json_string_value(v));
}

static void free_rtb(void *p) { rc_ec2__rtb_free(p); }
static void free_eni(void *p) { rc_ec2__eni_free(p); }
static void free_plain(void *p)
{
  rc_sim_tags_free(&((struct ec2_res *)p)->tags);
  rc_free(p);
}

static const struct kind_state {
  const char *key;
  struct ec2_vec *vec;
  size_t size;
  const struct field *fields;
  void (*extra_save)(json_t *, const void *);
  void (*extra_load)(void *, const json_t *);
  void (*destroy)(void *);
} kinds[] = {
    {"vpcs", &rc_ec2__vpcs, sizeof(struct ec2_vpc), vpc_fields, NULL, NULL, free_plain},
    {"subnets", &rc_ec2__subnets, sizeof(struct ec2_subnet), subnet_fields, NULL, NULL, free_plain},
    {"internet_gateways", &rc_ec2__igws, sizeof(struct ec2_igw), igw_fields, NULL, NULL, free_plain},
    {"addresses", &rc_ec2__eips, sizeof(struct ec2_eip), eip_fields, NULL, NULL, free_plain},
    {"nat_gateways", &rc_ec2__nats, sizeof(struct ec2_nat), nat_fields, NULL, NULL, free_plain},
    {"route_tables", &rc_ec2__rtbs, sizeof(struct ec2_rtb), rtb_fields, rtb_extra_save,
     rtb_extra_load, free_rtb},
    {"security_groups", &rc_ec2__sgs, sizeof(struct ec2_sg), sg_fields, NULL, NULL, free_plain},
    {"security_group_rules", &rc_ec2__rules, sizeof(struct ec2_rule), rule_fields, NULL, NULL,
     free_plain},
    {"network_interfaces", &rc_ec2__enis, sizeof(struct ec2_eni), eni_fields, eni_extra_save,
     eni_extra_load, free_eni},
};
#define N_KINDS (sizeof kinds / sizeof kinds[0])

static void ec2_reset(void)
{
  for (size_t k = 0; k < N_KINDS; k++) {
    struct ec2_vec *v = kinds[k].vec;
    for (size_t i = 0; i < v->n; i++) kinds[k].destroy(v->v[i]);
    rc_free(v->v);
    v->v = NULL;
    v->n = 0;
  }
}

static json_t *ec2_save(void)
{
  json_t *out = json_object();
  for (size_t k = 0; k < N_KINDS; k++) {
    json_t *arr = json_array();
    struct ec2_vec *v = kinds[k].vec;
    for (size_t i = 0; i < v->n; i++) {
      const struct ec2_res *r = v->v[i];
      json_t *o = json_object();
      json_object_set_new(o, "id", json_string(r->id));
      json_object_set_new(o, "tags", rc_sim_tags_to_json(&r->tags));
      json_object_set_new(o, "created_ms", json_integer((json_int_t)r->created_ms));
      json_object_set_new(o, "region", json_string(r->region));
      fields_save(o, r, kinds[k].fields);
      if (kinds[k].extra_save) kinds[k].extra_save(o, r);
      json_array_append_new(arr, o);
    }
    json_object_set_new(out, kinds[k].key, arr);
  }
  return out;
}

static rc_status ec2_load(const json_t *st)
{
  for (size_t k = 0; k < N_KINDS; k++) {
    json_t *arr = json_object_get(st, kinds[k].key), *o;
    size_t i;
    if (!arr) continue;
    if (!json_is_array(arr)) return RC_SYNTAX;
    json_array_foreach(arr, i, o)
    {
      const char *id = json_string_value(json_object_get(o, "id"));
      if (!id) return RC_SYNTAX;
      struct ec2_res *r = rc_calloc(1, kinds[k].size);
      snprintf(r->id, sizeof r->id, "%s", id);
      rc_sim_tags_from_json(json_object_get(o, "tags"), &r->tags);
      r->created_ms = (uint64_t)json_integer_value(json_object_get(o, "created_ms"));
      const char *region = json_string_value(json_object_get(o, "region"));
      snprintf(r->region, sizeof r->region, "%s", region ? region : "");
      fields_load(r, o, kinds[k].fields);
      if (kinds[k].extra_load) kinds[k].extra_load(r, o);
      rc_ec2__vec_push(kinds[k].vec, r);
    }
  }
  return RC_OK;
}

static void ec2_tick(uint64_t now) { rc_ec2__nat_tick(now); }

static const struct rc_sim_op ec2_ops[] = {
    {"CreateVpc", rc_ec2__create_vpc, false},
    {"DescribeVpcs", rc_ec2__describe_vpcs, false},
    {"DeleteVpc", rc_ec2__delete_vpc, false},
    {"ModifyVpcAttribute", rc_ec2__modify_vpc_attribute, false},
    {"DescribeVpcAttribute", rc_ec2__describe_vpc_attribute, false},
    {"CreateSubnet", rc_ec2__create_subnet, false},
    {"DescribeSubnets", rc_ec2__describe_subnets, false},
    {"DeleteSubnet", rc_ec2__delete_subnet, false},
    {"ModifySubnetAttribute", rc_ec2__modify_subnet_attribute, false},
    {"CreateInternetGateway", rc_ec2__create_igw, false},
    {"DescribeInternetGateways", rc_ec2__describe_igws, false},
    {"DeleteInternetGateway", rc_ec2__delete_igw, false},
    {"AttachInternetGateway", rc_ec2__attach_igw, false},
    {"DetachInternetGateway", rc_ec2__detach_igw, false},
    {"AllocateAddress", rc_ec2__allocate_address, false},
    {"ReleaseAddress", rc_ec2__release_address, false},
    {"DescribeAddresses", rc_ec2__describe_addresses, false},
    {"CreateNatGateway", rc_ec2__create_nat, false},
    {"DescribeNatGateways", rc_ec2__describe_nats, false},
    {"DeleteNatGateway", rc_ec2__delete_nat, false},
    {"CreateRouteTable", rc_ec2__create_rtb, false},
    {"DescribeRouteTables", rc_ec2__describe_rtbs, false},
    {"DeleteRouteTable", rc_ec2__delete_rtb, false},
    {"CreateRoute", rc_ec2__create_route, false},
    {"ReplaceRoute", rc_ec2__replace_route, false},
    {"DeleteRoute", rc_ec2__delete_route, false},
    {"AssociateRouteTable", rc_ec2__associate_rtb, false},
    {"DisassociateRouteTable", rc_ec2__disassociate_rtb, false},
    {"ReplaceRouteTableAssociation", rc_ec2__replace_rtb_assoc, false},
    {"CreateSecurityGroup", rc_ec2__create_sg, false},
    {"DescribeSecurityGroups", rc_ec2__describe_sgs, false},
    {"DeleteSecurityGroup", rc_ec2__delete_sg, false},
    {"AuthorizeSecurityGroupIngress", rc_ec2__authorize_ingress, false},
    {"AuthorizeSecurityGroupEgress", rc_ec2__authorize_egress, false},
    {"RevokeSecurityGroupIngress", rc_ec2__revoke_ingress, false},
    {"RevokeSecurityGroupEgress", rc_ec2__revoke_egress, false},
    {"DescribeSecurityGroupRules", rc_ec2__describe_sg_rules, false},
    {"ModifySecurityGroupRules", rc_ec2__modify_sg_rules, false},
    {"CreateNetworkInterface", rc_ec2__create_eni, false},
    {"DescribeNetworkInterfaces", rc_ec2__describe_enis, false},
    {"DeleteNetworkInterface", rc_ec2__delete_eni, false},
    {"DescribeAvailabilityZones", rc_ec2__describe_azs, false},
    {"DescribeAccountAttributes", rc_ec2__describe_account_attributes, false},
    {"CreateTags", rc_ec2__create_tags, false},
    {"DeleteTags", rc_ec2__delete_tags, false},
    {"DescribeTags", rc_ec2__describe_tags, false},
    {NULL, NULL, false},
};

static const struct rc_sim_flag ec2_flags[] = {
    {"nat-delay-ms", RC_SIM_FLAG_INT, &rc_ec2__nat_delay_ms,
     "NAT gateway pending → available delay (default 1500)"},
    {"nat-delete-ms", RC_SIM_FLAG_INT, &rc_ec2__nat_delete_ms,
     "NAT gateway deleting → deleted delay (default 1000)"},
    {NULL, RC_SIM_FLAG_INT, NULL, NULL},
};

const struct rc_sim_service rc_sim_svc_ec2 = {
    .name = "ec2",
    .protocol = RC_SIM_EC2,
    .xmlns = EC2_XMLNS,
    .ops = ec2_ops,
    .throttle_code = "RequestLimitExceeded",
    .throttle_status = 503,
    .flags = ec2_flags,
    .reset = ec2_reset,
    .save = ec2_save,
    .load = ec2_load,
    .tick = ec2_tick,
};
