/* ec2_misc.c — availability zones, account attributes, tags on any EC2
 * resource (CreateTags/DeleteTags/DescribeTags), and network interfaces,
 * including the C functions ELBv2 and ECS use to give load balancers and
 * tasks their ENIs. */
#include "ec2_int.h"

#include <stdio.h>
#include <string.h>
#include "common/rc_alloc.h"

/* --- availability zones --- */

static int az_count(const char *region) { return strcmp(region, "us-east-1") == 0 ? 6 : 3; }

void rc_ec2__az_name(const char *region, int idx, char *out, size_t outsz)
{
  if (idx < 0 || idx >= az_count(region)) {
    snprintf(out, outsz, "%s", "");
    return;
  }
  snprintf(out, outsz, "%s%c", region, 'a' + idx);
}

/* "us-east-1" → "use1": first part, first letter of the middle ones, last part. */
static void region_code(const char *region, char *out, size_t outsz)
{
  char buf[64];
  snprintf(buf, sizeof buf, "%s", region);
  size_t o = 0;
  char *parts[8];
  int n = 0;
  char *p = buf;
  while (n < 8) {
    parts[n++] = p;
    char *dash = strchr(p, '-');
    if (!dash) break;
    *dash = '\0';
    p = dash + 1;
  }
  for (int i = 0; i < n && o + 4 < outsz; i++) {
    if (i == 0 || i == n - 1) {
      for (const char *q = parts[i]; *q && o + 1 < outsz; q++) out[o++] = *q;
    } else if (parts[i][0]) {
      out[o++] = parts[i][0];
    }
  }
  out[o] = '\0';
}

bool rc_ec2__az_lookup(const char *region, const char *az, char *az_id, size_t idsz)
{
  size_t rl = strlen(region);
  if (!az || strncmp(az, region, rl) != 0 || strlen(az) != rl + 1) return false;
  int idx = az[rl] - 'a';
  if (idx < 0 || idx >= az_count(region)) return false;
  char code[32];
  region_code(region, code, sizeof code);
  snprintf(az_id, idsz, "%s-az%d", code, idx + 1);
  return true;
}

void rc_ec2__describe_azs(struct rc_sim_call *c)
{
  struct rc_sim_filters fs;
  rc_sim_filters_parse(c, "Filter", &fs);
  const char **names, **ids;
  size_t nn = rc_sim_param_list(c, "ZoneName", &names);
  size_t ni = rc_sim_param_list(c, "ZoneId", &ids);
  const char *region = c->req.region;
  int n = az_count(region);
  for (size_t i = 0; i < nn; i++) {
    char tmp[32];
    if (!rc_ec2__az_lookup(region, names[i], tmp, sizeof tmp)) {
      rc_sim_error(c, 400, "InvalidParameterValue", "Invalid availability zone: [%s]", names[i]);
      goto out;
    }
  }
  rc_sim_reply_begin(c);
  rc_sim_xml_open(c, "availabilityZoneInfo");
  for (int i = 0; i < n; i++) {
    char name[40], id[32];
    rc_ec2__az_name(region, i, name, sizeof name);
    rc_ec2__az_lookup(region, name, id, sizeof id);
    bool want = nn == 0 && ni == 0;
    for (size_t k = 0; k < nn; k++) want |= strcmp(names[k], name) == 0;
    for (size_t k = 0; k < ni; k++) want |= strcmp(ids[k], id) == 0;
    for (size_t k = 0; k < fs.n && want; k++) {
      const struct rc_sim_filter *f = &fs.v[k];
      const char *v = !strcmp(f->name, "zone-name")       ? name
                      : !strcmp(f->name, "zone-id")       ? id
                      : !strcmp(f->name, "state")         ? "available"
                      : !strcmp(f->name, "region-name")   ? region
                      : !strcmp(f->name, "zone-type")     ? "availability-zone"
                      : !strcmp(f->name, "opt-in-status") ? "opt-in-not-required"
                      : !strcmp(f->name, "group-name")    ? region
                      : !strcmp(f->name, "network-border-group") ? region : NULL;
      want = v && rc_sim_filter_match(f, v);
    }
    if (!want) continue;
    rc_sim_xml_open(c, "item");
    rc_sim_xml_str(c, "zoneState", "available");
    rc_sim_xml_str(c, "optInStatus", "opt-in-not-required");
    rc_sim_xml_empty(c, "messageSet");
    rc_sim_xml_str(c, "regionName", region);
    rc_sim_xml_str(c, "zoneName", name);
    rc_sim_xml_str(c, "zoneId", id);
    rc_sim_xml_str(c, "groupName", region);
    rc_sim_xml_str(c, "networkBorderGroup", region);
    rc_sim_xml_str(c, "zoneType", "availability-zone");
    rc_sim_xml_close(c, "item");
  }
  rc_sim_xml_close(c, "availabilityZoneInfo");
  rc_sim_reply_end(c);
out:
  rc_free(names);
  rc_free(ids);
  rc_sim_filters_free(&fs);
}

void rc_ec2__describe_account_attributes(struct rc_sim_call *c)
{
  static const struct {
    const char *name, *value;
  } attrs[] = {{"supported-platforms", "VPC"},
               {"default-vpc", "none"},
               {"max-instances", "20"},
               {"vpc-max-security-groups-per-interface", "5"},
               {"max-elastic-ips", "5"},
               {"vpc-max-elastic-ips", "5"}};
  const char **want;
  size_t nw = rc_sim_param_list(c, "AttributeName", &want);
  rc_sim_reply_begin(c);
  rc_sim_xml_open(c, "accountAttributeSet");
  for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
    bool ok = nw == 0;
    for (size_t k = 0; k < nw; k++) ok |= strcmp(want[k], attrs[i].name) == 0;
    if (!ok) continue;
    rc_sim_xml_open(c, "item");
    rc_sim_xml_str(c, "attributeName", attrs[i].name);
    rc_sim_xml_open(c, "attributeValueSet");
    rc_sim_xml_open(c, "item");
    rc_sim_xml_str(c, "attributeValue", attrs[i].value);
    rc_sim_xml_close(c, "item");
    rc_sim_xml_close(c, "attributeValueSet");
    rc_sim_xml_close(c, "item");
  }
  rc_sim_xml_close(c, "accountAttributeSet");
  rc_sim_reply_end(c);
  rc_free(want);
}

/* --- tags --- */

/* The not-found error AWS gives for an id of this shape. */
static void id_not_found(struct rc_sim_call *c, const char *id)
{
  static const struct {
    const char *prefix, *code, *noun;
  } map[] = {
      {"vpc-", "InvalidVpcID.NotFound", "vpc ID"},
      {"subnet-", "InvalidSubnetID.NotFound", "subnet ID"},
      {"igw-", "InvalidInternetGatewayID.NotFound", "internetGateway ID"},
      {"eipalloc-", "InvalidAllocationID.NotFound", "allocation ID"},
      {"nat-", "InvalidNatGatewayID.NotFound", "natGateway ID"},
      {"rtb-", "InvalidRouteTableID.NotFound", "routeTable ID"},
      {"sgr-", "InvalidSecurityGroupRuleId.NotFound", "security group rule ID"},
      {"sg-", "InvalidGroup.NotFound", "security group"},
      {"eni-", "InvalidNetworkInterfaceID.NotFound", "networkInterface ID"},
  };
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
    if (strncmp(id, map[i].prefix, strlen(map[i].prefix)) == 0) {
      rc_sim_error(c, 400, map[i].code, "The %s '%s' does not exist", map[i].noun, id);
      return;
    }
  }
  rc_sim_error(c, 400, "InvalidID", "The ID '%s' is not valid", id);
}

void rc_ec2__create_tags(struct rc_sim_call *c)
{
  const char **ids;
  size_t n = rc_sim_param_list(c, "ResourceId", &ids);
  struct rc_sim_tags add = {0};
  rc_sim_tags_from_params(c, "Tag", &add);
  if (n == 0) {
    rc_sim_error_missing(c, "ResourceId");
    goto out;
  }
  if (add.n == 0) {
    rc_sim_error_missing(c, "Tag");
    goto out;
  }
  for (size_t i = 0; i < add.n; i++) {
    if (strncmp(add.v[i].key, "aws:", 4) == 0) {
      rc_sim_error(c, 400, "InvalidParameterValue",
                   "Tag keys starting with 'aws:' are reserved for internal use");
      goto out;
    }
    if (strlen(add.v[i].key) > 128 || strlen(add.v[i].value) > 256) {
      rc_sim_error(c, 400, "InvalidParameterValue", "Tag key or value is too long");
      goto out;
    }
  }
  for (size_t i = 0; i < n; i++) {
    struct ec2_res *r = rc_ec2__any(ids[i], NULL);
    if (!r) {
      id_not_found(c, ids[i]);
      goto out;
    }
    size_t total = r->tags.n;
    for (size_t k = 0; k < add.n; k++) total += rc_sim_tags_get(&r->tags, add.v[k].key) == NULL;
    if (total > 50) {
      rc_sim_error(c, 400, "TagLimitExceeded",
                   "The maximum number of Tags for a resource has been reached.");
      goto out;
    }
  }
  for (size_t i = 0; i < n; i++) {
    struct ec2_res *r = rc_ec2__any(ids[i], NULL);
    for (size_t k = 0; k < add.n; k++) rc_sim_tags_set(&r->tags, add.v[k].key, add.v[k].value);
  }
  rc_sim_reply_empty(c);
out:
  rc_free(ids);
  rc_sim_tags_free(&add);
}

void rc_ec2__delete_tags(struct rc_sim_call *c)
{
  const char **ids;
  size_t n = rc_sim_param_list(c, "ResourceId", &ids);
  if (n == 0) {
    rc_sim_error_missing(c, "ResourceId");
    rc_free(ids);
    return;
  }
  for (size_t i = 0; i < n; i++) {
    if (!rc_ec2__any(ids[i], NULL)) {
      id_not_found(c, ids[i]);
      rc_free(ids);
      return;
    }
  }
  int nt = rc_sim_param_max(c, "Tag");
  for (size_t i = 0; i < n; i++) {
    struct ec2_res *r = rc_ec2__any(ids[i], NULL);
    if (nt == 0) { /* no Tag list: every tag goes */
      rc_sim_tags_free(&r->tags);
      continue;
    }
    for (int k = 1; k <= nt; k++) {
      const char *key = rc_sim_paramf(c, "Tag.%d.Key", k);
      if (key) rc_sim_tags_del(&r->tags, key, rc_sim_paramf(c, "Tag.%d.Value", k));
    }
  }
  rc_free(ids);
  rc_sim_reply_empty(c);
}

void rc_ec2__describe_tags(struct rc_sim_call *c)
{
  static struct ec2_vec *const vecs[] = {&rc_ec2__vpcs, &rc_ec2__subnets, &rc_ec2__igws,
                                         &rc_ec2__eips, &rc_ec2__nats,    &rc_ec2__rtbs,
                                         &rc_ec2__sgs,  &rc_ec2__rules,   &rc_ec2__enis};
  struct rc_sim_filters fs;
  rc_sim_filters_parse(c, "Filter", &fs);
  size_t start, limit;
  if (!rc_sim_page(c, "MaxResults", "NextToken", 5, 1000, 1000, &start, &limit)) {
    rc_sim_filters_free(&fs);
    return;
  }
  size_t seen = 0, written = 0;
  bool more = false;
  rc_sim_reply_begin(c);
  rc_sim_xml_open(c, "tagSet");
  for (size_t v = 0; v < sizeof vecs / sizeof vecs[0] && !more; v++) {
    for (size_t i = 0; i < vecs[v]->n && !more; i++) {
      const struct ec2_res *r = vecs[v]->v[i];
      if (!rc_sim_visible(c, r->visible_at) || !rc_sim_in_region(c, r->region)) continue;
      const char *type = NULL;
      rc_ec2__any(r->id, &type);
      for (size_t t = 0; t < r->tags.n; t++) {
        const struct rc_sim_tag *tg = &r->tags.v[t];
        bool ok = true;
        for (size_t k = 0; k < fs.n && ok; k++) {
          const struct rc_sim_filter *f = &fs.v[k];
          if (!strcmp(f->name, "resource-id")) ok = rc_sim_filter_match(f, r->id);
          else if (!strcmp(f->name, "resource-type")) ok = rc_sim_filter_match(f, type);
          else if (!strcmp(f->name, "key")) ok = rc_sim_filter_match(f, tg->key);
          else if (!strcmp(f->name, "value")) ok = rc_sim_filter_match(f, tg->value);
          else if (!strncmp(f->name, "tag:", 4))
            ok = !strcmp(f->name + 4, tg->key) && rc_sim_filter_match(f, tg->value);
          else {
            rc_sim_error(c, 400, "InvalidParameterValue", "The filter '%s' is invalid",
                         f->name);
            rc_sim_filters_free(&fs);
            return;
          }
        }
        if (!ok) continue;
        if (seen++ < start) continue;
        if (written == limit) {
          more = true;
          break;
        }
        written++;
        rc_sim_xml_open(c, "item");
        rc_sim_xml_str(c, "resourceId", r->id);
        rc_sim_xml_str(c, "resourceType", type);
        rc_sim_xml_str(c, "key", tg->key);
        rc_sim_xml_str(c, "value", tg->value);
        rc_sim_xml_close(c, "item");
      }
    }
  }
  rc_sim_xml_close(c, "tagSet");
  if (more) {
    char tok[64];
    rc_sim_page_token(start + written, tok, sizeof tok);
    rc_sim_xml_str(c, "nextToken", tok);
  }
  rc_sim_reply_end(c);
  rc_sim_filters_free(&fs);
}

/* --- network interfaces --- */

void rc_ec2__eni_free(struct ec2_eni *e)
{
  if (!e) return;
  for (size_t i = 0; i < e->n_groups; i++) rc_free(e->groups[i]);
  rc_free(e->groups);
  rc_sim_tags_free(&e->r.tags);
  rc_free(e);
}

struct ec2_eni *rc_ec2__eni_new(const struct ec2_subnet *s, const char *description,
                                const char *type, bool requester_managed)
{
  struct ec2_eni *e = rc_calloc(1, sizeof *e);
  rc_sim_id("eni", e->r.id, sizeof e->r.id);
  e->r.created_ms = rc_sim_now_ms();
  snprintf(e->subnet_id, sizeof e->subnet_id, "%s", s->r.id);
  snprintf(e->r.region, sizeof e->r.region, "%s", s->r.region); /* the subnet's region */
  snprintf(e->vpc_id, sizeof e->vpc_id, "%s", s->vpc_id);
  snprintf(e->az, sizeof e->az, "%s", s->az);
  snprintf(e->description, sizeof e->description, "%s", description ? description : "");
  snprintf(e->type, sizeof e->type, "%s", type);
  snprintf(e->status, sizeof e->status, "in-use");
  e->requester_managed = requester_managed;
  rc_ec2__subnet_next_ip((struct ec2_subnet *)s, e->private_ip, sizeof e->private_ip);
  uint64_t r = rc_sim_rand();
  snprintf(e->mac, sizeof e->mac, "0e:%02x:%02x:%02x:%02x:%02x", (unsigned)(r & 255),
           (unsigned)((r >> 8) & 255), (unsigned)((r >> 16) & 255), (unsigned)((r >> 24) & 255),
           (unsigned)((r >> 32) & 255));
  rc_ec2__vec_push(&rc_ec2__enis, e);
  return e;
}

static const struct ec2_eip *eni_eip(const struct ec2_eni *e)
{
  for (size_t i = 0; i < rc_ec2__eips.n; i++) {
    const struct ec2_eip *a = rc_ec2__eips.v[i];
    if (strcmp(a->eni_id, e->r.id) == 0) return a;
  }
  return NULL;
}

static bool eni_match(const void *res, const struct rc_sim_filter *f, bool *known)
{
  const struct ec2_eni *e = res;
  bool r = false;
  const struct ec2_eip *a = eni_eip(e);
  if (rc_ec2__match_str(f, "network-interface-id", e->r.id, known, &r) ||
      rc_ec2__match_str(f, "subnet-id", e->subnet_id, known, &r) ||
      rc_ec2__match_str(f, "vpc-id", e->vpc_id, known, &r) ||
      rc_ec2__match_str(f, "availability-zone", e->az, known, &r) ||
      rc_ec2__match_str(f, "description", e->description, known, &r) ||
      rc_ec2__match_str(f, "status", e->status, known, &r) ||
      rc_ec2__match_str(f, "interface-type", e->type, known, &r) ||
      rc_ec2__match_str(f, "requester-managed", e->requester_managed ? "true" : "false", known,
                        &r) ||
      rc_ec2__match_str(f, "private-ip-address", e->private_ip, known, &r) ||
      rc_ec2__match_str(f, "addresses.private-ip-address", e->private_ip, known, &r) ||
      rc_ec2__match_str(f, "mac-address", e->mac, known, &r) ||
      rc_ec2__match_str(f, "owner-id", RC_SIM_ACCOUNT, known, &r) ||
      rc_ec2__match_str(f, "association.public-ip", a ? a->public_ip : NULL, known, &r) ||
      rc_ec2__match_str(f, "association.allocation-id", a ? a->r.id : NULL, known, &r))
    return r;
  if (!strcmp(f->name, "group-id") || !strcmp(f->name, "group-name")) {
    *known = true;
    for (size_t i = 0; i < e->n_groups; i++) {
      const struct ec2_sg *g = rc_ec2__vec_find(&rc_ec2__sgs, e->groups[i]);
      const char *v = !strcmp(f->name, "group-id") ? e->groups[i] : g ? g->name : NULL;
      if (v && rc_sim_filter_match(f, v)) return true;
    }
    return false;
  }
  return false;
}

static void eni_write_as(struct rc_sim_call *c, const struct ec2_eni *e, const char *tag)
{
  const struct ec2_eip *a = eni_eip(e);
  rc_sim_xml_open(c, tag);
  rc_sim_xml_str(c, "networkInterfaceId", e->r.id);
  rc_sim_xml_str(c, "subnetId", e->subnet_id);
  rc_sim_xml_str(c, "vpcId", e->vpc_id);
  rc_sim_xml_str(c, "availabilityZone", e->az);
  rc_sim_xml_str(c, "description", e->description);
  rc_sim_xml_str(c, "ownerId", RC_SIM_ACCOUNT);
  if (e->requester_managed) rc_sim_xml_str(c, "requesterId", "amazon-aws");
  rc_sim_xml_bool(c, "requesterManaged", e->requester_managed);
  rc_sim_xml_str(c, "status", e->status);
  rc_sim_xml_str(c, "macAddress", e->mac);
  rc_sim_xml_str(c, "privateIpAddress", e->private_ip);
  rc_sim_xml_bool(c, "sourceDestCheck", strcmp(e->type, "nat_gateway") != 0);
  rc_sim_xml_str(c, "interfaceType", e->type);
  if (e->n_groups == 0) {
    rc_sim_xml_empty(c, "groupSet");
  } else {
    rc_sim_xml_open(c, "groupSet");
    for (size_t i = 0; i < e->n_groups; i++) {
      const struct ec2_sg *g = rc_ec2__vec_find(&rc_ec2__sgs, e->groups[i]);
      rc_sim_xml_open(c, "item");
      rc_sim_xml_str(c, "groupId", e->groups[i]);
      rc_sim_xml_str(c, "groupName", g ? g->name : "");
      rc_sim_xml_close(c, "item");
    }
    rc_sim_xml_close(c, "groupSet");
  }
  if (a) {
    rc_sim_xml_open(c, "association");
    rc_sim_xml_str(c, "publicIp", a->public_ip);
    rc_sim_xml_str(c, "ipOwnerId", RC_SIM_ACCOUNT);
    rc_sim_xml_str(c, "allocationId", a->r.id);
    rc_sim_xml_str(c, "associationId", a->assoc_id);
    rc_sim_xml_close(c, "association");
  }
  rc_sim_xml_empty(c, "ipv6AddressesSet");
  rc_sim_xml_open(c, "privateIpAddressesSet");
  rc_sim_xml_open(c, "item");
  rc_sim_xml_str(c, "privateIpAddress", e->private_ip);
  rc_sim_xml_bool(c, "primary", true);
  rc_sim_xml_close(c, "item");
  rc_sim_xml_close(c, "privateIpAddressesSet");
  rc_ec2__write_tags(c, &e->r);
  rc_sim_xml_close(c, tag);
}

static void eni_write(struct rc_sim_call *c, const void *res) { eni_write_as(c, res, "item"); }

static const struct ec2_kind eni_kind = {
    .vec = &rc_ec2__enis,
    .id_param = "NetworkInterfaceId",
    .notfound = "InvalidNetworkInterfaceID.NotFound",
    .notfound_fmt = "The networkInterface ID '%s' does not exist",
    .set_tag = "networkInterfaceSet",
    .match = eni_match,
    .write = eni_write,
    .page_lo = 5,
    .page_hi = 1000,
};

void rc_ec2__describe_enis(struct rc_sim_call *c) { rc_ec2__describe(c, &eni_kind); }

static void eni_set_groups(struct ec2_eni *e, const char *const *ids, size_t n)
{
  e->groups = rc_calloc(n + 1, sizeof *e->groups);
  for (size_t i = 0; i < n; i++) e->groups[e->n_groups++] = rc_strdup(ids[i]);
}

void rc_ec2__create_eni(struct rc_sim_call *c)
{
  const char *subnet_id = rc_sim_param(c, "SubnetId");
  if (!subnet_id) {
    rc_sim_error_missing(c, "SubnetId");
    return;
  }
  struct ec2_subnet *s = rc_ec2__vec_find(&rc_ec2__subnets, subnet_id);
  if (!s) {
    rc_sim_error(c, 400, "InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist",
                 subnet_id);
    return;
  }
  const char **gids;
  size_t ng = rc_sim_param_list(c, "SecurityGroupId", &gids);
  for (size_t i = 0; i < ng; i++) {
    const struct ec2_sg *g = rc_ec2__vec_find(&rc_ec2__sgs, gids[i]);
    if (!g || strcmp(g->vpc_id, s->vpc_id) != 0) {
      rc_sim_error(c, 400, "InvalidGroup.NotFound", "The security group '%s' does not exist",
                   gids[i]);
      rc_free(gids);
      return;
    }
  }
  const char *type = rc_sim_param(c, "InterfaceType");
  struct ec2_eni *e = rc_ec2__eni_new(s, rc_sim_param(c, "Description"), type ? type : "interface",
                                      false);
  rc_sim_tags_from_spec(c, "network-interface", &e->r.tags);
  e->r.visible_at = rc_sim_visible_at(c);
  snprintf(e->status, sizeof e->status, "available");
  const char *ip = rc_sim_param(c, "PrivateIpAddress");
  if (ip) snprintf(e->private_ip, sizeof e->private_ip, "%s", ip);
  if (ng) {
    eni_set_groups(e, gids, ng);
  } else {
    const struct ec2_vpc *v = rc_ec2__vec_find(&rc_ec2__vpcs, s->vpc_id);
    const char *def = v ? v->default_sg : "";
    if (*def) eni_set_groups(e, &def, 1);
  }
  rc_free(gids);
  rc_sim_reply_begin(c);
  eni_write_as(c, e, "networkInterface");
  rc_sim_reply_end(c);
}

void rc_ec2__delete_eni(struct rc_sim_call *c)
{
  const char *id;
  struct ec2_eni *e = rc_ec2__get_param(c, &eni_kind, &id);
  if (!e) return;
  if (strcmp(e->status, "in-use") == 0) {
    rc_sim_error(c, 400, "InvalidNetworkInterface.InUse", "Interface: [%s] in use.", id);
    return;
  }
  rc_ec2__vec_remove(&rc_ec2__enis, e);
  rc_ec2__eni_free(e);
  rc_sim_reply_empty(c);
}

rc_status rc_sim_ec2_eni_create(const char *subnet_id, const char *const *group_ids,
                                size_t n_groups, const char *description, char *eni_id_out,
                                size_t id_sz, char *ip_out, size_t ip_sz)
{
  struct ec2_subnet *s = rc_ec2__vec_find(&rc_ec2__subnets, subnet_id);
  if (!s) return RC_NOT_FOUND;
  for (size_t i = 0; i < n_groups; i++)
    if (!rc_ec2__vec_find(&rc_ec2__sgs, group_ids[i])) return RC_NOT_FOUND;
  struct ec2_eni *e = rc_ec2__eni_new(s, description, "interface", true);
  eni_set_groups(e, group_ids, n_groups);
  if (eni_id_out) snprintf(eni_id_out, id_sz, "%s", e->r.id);
  if (ip_out) snprintf(ip_out, ip_sz, "%s", e->private_ip);
  return RC_OK;
}

rc_status rc_sim_ec2_eni_delete(const char *eni_id)
{
  struct ec2_eni *e = rc_ec2__vec_find(&rc_ec2__enis, eni_id);
  if (!e) return RC_NOT_FOUND;
  rc_ec2__vec_remove(&rc_ec2__enis, e);
  rc_ec2__eni_free(e);
  return RC_OK;
}
