/* ec2_subnet.c — subnets: create (CIDR inside the VPC, no overlap), describe,
 * delete (refused while ENIs live in it), map-public-ip attribute; and the
 * subnet lookups other services use (sim.h). */
#include "ec2_int.h"

#include <stdio.h>
#include <string.h>
#include "common/rc_alloc.h"

static size_t used_ips(const struct ec2_subnet *s)
{
  size_t n = 0;
  for (size_t i = 0; i < rc_ec2__enis.n; i++)
    n += strcmp(((struct ec2_eni *)rc_ec2__enis.v[i])->subnet_id, s->r.id) == 0;
  return n;
}

static bool subnet_match(const void *res, const struct rc_sim_filter *f, bool *known)
{
  const struct ec2_subnet *s = res;
  bool r = false;
  char arn[160] = "";
  if (strcmp(f->name, "subnet-arn") == 0) /* only built when asked: Describe is hot */
    snprintf(arn, sizeof arn, "arn:aws:ec2:%.*s:%s:subnet/%s", (int)(strlen(s->az) - 1), s->az,
             RC_SIM_ACCOUNT, s->r.id);
  if (rc_ec2__match_str(f, "subnet-id", s->r.id, known, &r) ||
      rc_ec2__match_str(f, "vpc-id", s->vpc_id, known, &r) ||
      rc_ec2__match_str(f, "cidr-block", s->cidr, known, &r) ||
      rc_ec2__match_str(f, "cidr", s->cidr, known, &r) ||
      rc_ec2__match_str(f, "cidrBlock", s->cidr, known, &r) ||
      rc_ec2__match_str(f, "availability-zone", s->az, known, &r) ||
      rc_ec2__match_str(f, "availabilityZone", s->az, known, &r) ||
      rc_ec2__match_str(f, "availability-zone-id", s->az_id, known, &r) ||
      rc_ec2__match_str(f, "state", "available", known, &r) ||
      rc_ec2__match_str(f, "map-public-ip-on-launch", s->map_public_ip ? "true" : "false", known,
                        &r) ||
      rc_ec2__match_str(f, "default-for-az", "false", known, &r) ||
      rc_ec2__match_str(f, "defaultForAz", "false", known, &r) ||
      rc_ec2__match_str(f, "owner-id", RC_SIM_ACCOUNT, known, &r) ||
      rc_ec2__match_str(f, "subnet-arn", arn, known, &r))
    return r;
  return false;
}

static void subnet_write_as(struct rc_sim_call *c, const struct ec2_subnet *s, const char *tag)
{
  uint32_t base;
  int len;
  rc_ec2__cidr_parse(s->cidr, &base, &len);
  long total = (1L << (32 - len)) - 5 - (long)used_ips(s);
  rc_sim_xml_open(c, tag);
  rc_sim_xml_str(c, "subnetId", s->r.id);
  rc_sim_xml_strf(c, "subnetArn", "arn:aws:ec2:%s:%s:subnet/%s", c->req.region, RC_SIM_ACCOUNT,
                  s->r.id);
  rc_sim_xml_str(c, "state", "available");
  rc_sim_xml_str(c, "ownerId", RC_SIM_ACCOUNT);
  rc_sim_xml_str(c, "vpcId", s->vpc_id);
  rc_sim_xml_str(c, "cidrBlock", s->cidr);
  rc_sim_xml_empty(c, "ipv6CidrBlockAssociationSet");
  rc_sim_xml_int(c, "availableIpAddressCount", total < 0 ? 0 : total);
  rc_sim_xml_str(c, "availabilityZone", s->az);
  rc_sim_xml_str(c, "availabilityZoneId", s->az_id);
  rc_sim_xml_bool(c, "defaultForAz", false);
  rc_sim_xml_bool(c, "mapPublicIpOnLaunch", s->map_public_ip);
  rc_sim_xml_bool(c, "mapCustomerOwnedIpOnLaunch", false);
  rc_sim_xml_bool(c, "assignIpv6AddressOnCreation", false);
  rc_ec2__write_tags(c, &s->r);
  rc_sim_xml_bool(c, "enableDns64", false);
  rc_sim_xml_bool(c, "ipv6Native", false);
  rc_sim_xml_open(c, "privateDnsNameOptionsOnLaunch");
  rc_sim_xml_str(c, "hostnameType", "ip-name");
  rc_sim_xml_bool(c, "enableResourceNameDnsARecord", false);
  rc_sim_xml_bool(c, "enableResourceNameDnsAAAARecord", false);
  rc_sim_xml_close(c, "privateDnsNameOptionsOnLaunch");
  rc_sim_xml_close(c, tag);
}

static void subnet_write(struct rc_sim_call *c, const void *res)
{
  subnet_write_as(c, res, "item");
}

static const struct ec2_kind subnet_kind = {
    .vec = &rc_ec2__subnets,
    .id_param = "SubnetId",
    .notfound = "InvalidSubnetID.NotFound",
    .notfound_fmt = "The subnet ID '%s' does not exist",
    .set_tag = "subnetSet",
    .match = subnet_match,
    .write = subnet_write,
    .page_lo = 5,
    .page_hi = 1000,
};

void rc_ec2__create_subnet(struct rc_sim_call *c)
{
  const char *vpc_id = rc_sim_param(c, "VpcId");
  const char *cidr = rc_sim_param(c, "CidrBlock");
  if (!vpc_id) {
    rc_sim_error_missing(c, "VpcId");
    return;
  }
  if (!cidr) {
    rc_sim_error_missing(c, "CidrBlock");
    return;
  }
  struct ec2_vpc *v = rc_ec2__vec_find(&rc_ec2__vpcs, vpc_id);
  if (!v) {
    rc_sim_error(c, 400, "InvalidVpcID.NotFound", "The vpc ID '%s' does not exist", vpc_id);
    return;
  }
  uint32_t base, vbase;
  int len, vlen;
  if (!rc_ec2__cidr_parse(cidr, &base, &len)) {
    rc_sim_error(c, 400, "InvalidParameterValue",
                 "Value (%s) for parameter cidrBlock is invalid. This is not a valid CIDR block.",
                 cidr);
    return;
  }
  rc_ec2__cidr_parse(v->cidr, &vbase, &vlen);
  uint32_t mask = len ? 0xffffffffu << (32 - len) : 0;
  uint32_t vmask = vlen ? 0xffffffffu << (32 - vlen) : 0;
  if (len < 16 || len > 28 || len < vlen || (base & vmask) != vbase || (base & ~mask) != 0) {
    rc_sim_error(c, 400, "InvalidSubnet.Range", "The CIDR '%s' is invalid.", cidr);
    return;
  }
  for (size_t i = 0; i < rc_ec2__subnets.n; i++) {
    const struct ec2_subnet *o = rc_ec2__subnets.v[i];
    uint32_t ob;
    int ol;
    if (strcmp(o->vpc_id, vpc_id) != 0 || !rc_ec2__cidr_parse(o->cidr, &ob, &ol)) continue;
    int l = ol < len ? ol : len;
    uint32_t m = l ? 0xffffffffu << (32 - l) : 0;
    if ((ob & m) == (base & m)) {
      rc_sim_error(c, 400, "InvalidSubnet.Conflict",
                   "The CIDR '%s' conflicts with another subnet", cidr);
      return;
    }
  }
  const char *az = rc_sim_param(c, "AvailabilityZone");
  const char *az_id = rc_sim_param(c, "AvailabilityZoneId");
  char azbuf[32], idbuf[32];
  if (!az && az_id) {
    for (int i = 0; i < EC2_N_AZS && !az; i++) {
      rc_ec2__az_name(c->req.region, i, azbuf, sizeof azbuf);
      rc_ec2__az_lookup(c->req.region, azbuf, idbuf, sizeof idbuf);
      if (strcmp(idbuf, az_id) == 0) az = azbuf;
    }
    if (!az) {
      rc_sim_error(c, 400, "InvalidParameterValue",
                   "Value (%s) for parameter availabilityZoneId is invalid.", az_id);
      return;
    }
  }
  if (!az) {
    size_t n = 0;
    for (size_t i = 0; i < rc_ec2__subnets.n; i++)
      n += strcmp(((struct ec2_subnet *)rc_ec2__subnets.v[i])->vpc_id, vpc_id) == 0;
    rc_ec2__az_name(c->req.region, (int)(n % 3), azbuf, sizeof azbuf);
    az = azbuf;
  }
  if (!rc_ec2__az_lookup(c->req.region, az, idbuf, sizeof idbuf)) {
    char a0[32], a1[32], a2[32];
    rc_ec2__az_name(c->req.region, 0, a0, sizeof a0);
    rc_ec2__az_name(c->req.region, 1, a1, sizeof a1);
    rc_ec2__az_name(c->req.region, 2, a2, sizeof a2);
    rc_sim_error(c, 400, "InvalidParameterValue",
                 "Value (%s) for parameter availabilityZone is invalid. Subnets can currently "
                 "only be created in the following availability zones: %s, %s, %s.",
                 az, a0, a1, a2);
    return;
  }
  struct ec2_subnet *s = rc_calloc(1, sizeof *s);
  rc_ec2__res_init(c, &s->r, "subnet", "subnet");
  snprintf(s->vpc_id, sizeof s->vpc_id, "%s", vpc_id);
  snprintf(s->cidr, sizeof s->cidr, "%s", cidr);
  snprintf(s->az, sizeof s->az, "%s", az);
  snprintf(s->az_id, sizeof s->az_id, "%s", idbuf);
  rc_ec2__vec_push(&rc_ec2__subnets, s);
  rc_sim_reply_begin(c);
  subnet_write_as(c, s, "subnet");
  rc_sim_reply_end(c);
}

void rc_ec2__describe_subnets(struct rc_sim_call *c) { rc_ec2__describe(c, &subnet_kind); }

void rc_ec2__delete_subnet(struct rc_sim_call *c)
{
  const char *id;
  struct ec2_subnet *s = rc_ec2__get_param(c, &subnet_kind, &id);
  if (!s) return;
  bool dep = used_ips(s) > 0;
  for (size_t i = 0; i < rc_ec2__nats.n && !dep; i++) {
    const struct ec2_nat *n = rc_ec2__nats.v[i];
    dep = strcmp(n->subnet_id, id) == 0 && strcmp(n->state, "deleted") != 0 &&
          strcmp(n->state, "failed") != 0;
  }
  if (dep) {
    rc_sim_error(c, 400, "DependencyViolation",
                 "The subnet '%s' has dependencies and cannot be deleted.", id);
    return;
  }
  /* AWS drops the subnet's route table associations with it */
  for (size_t i = 0; i < rc_ec2__rtbs.n; i++) {
    struct ec2_rtb *t = rc_ec2__rtbs.v[i];
    for (size_t k = 0; k < t->n_assocs;) {
      if (strcmp(t->assocs[k].subnet_id, id) == 0) {
        memmove(&t->assocs[k], &t->assocs[k + 1], (t->n_assocs - k - 1) * sizeof *t->assocs);
        t->n_assocs--;
      } else {
        k++;
      }
    }
  }
  rc_ec2__vec_remove(&rc_ec2__subnets, s);
  rc_sim_tags_free(&s->r.tags);
  rc_free(s);
  rc_sim_reply_empty(c);
}

void rc_ec2__modify_subnet_attribute(struct rc_sim_call *c)
{
  const char *id;
  struct ec2_subnet *s = rc_ec2__get_param(c, &subnet_kind, &id);
  if (!s) return;
  bool val, bad = false;
  if (rc_sim_param_bool(c, "MapPublicIpOnLaunch.Value", &val, &bad)) s->map_public_ip = val;
  if (bad) {
    rc_sim_error(c, 400, "InvalidParameterValue", "Invalid boolean value");
    return;
  }
  rc_sim_reply_empty(c);
}

void rc_ec2__subnet_next_ip(struct ec2_subnet *s, char *out, size_t outsz)
{
  uint32_t base;
  int len;
  rc_ec2__cidr_parse(s->cidr, &base, &len);
  uint32_t size = 1u << (32 - len);
  uint32_t host = 4 + (s->next_host % (size > 5 ? size - 5 : 1));
  s->next_host++;
  uint32_t ip = base + host;
  snprintf(out, outsz, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

rc_status rc_sim_ec2_subnet_info(const char *subnet_id, struct rc_sim_subnet_info *out)
{
  const struct ec2_subnet *s = rc_ec2__vec_find(&rc_ec2__subnets, subnet_id);
  if (!s) return RC_NOT_FOUND;
  snprintf(out->vpc_id, sizeof out->vpc_id, "%s", s->vpc_id);
  snprintf(out->az, sizeof out->az, "%s", s->az);
  snprintf(out->az_id, sizeof out->az_id, "%s", s->az_id);
  snprintf(out->cidr, sizeof out->cidr, "%s", s->cidr);
  return RC_OK;
}
