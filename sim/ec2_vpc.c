/* ec2_vpc.c — VPCs: create (with the main route table and the default
 * security group), describe, delete with AWS's dependency rule, and the DNS
 * attributes. */
#include "ec2_int.h"

#include <stdio.h>
#include <string.h>
#include "common/rc_alloc.h"

static bool vpc_match(const void *res, const struct rc_sim_filter *f, bool *known)
{
  const struct ec2_vpc *v = res;
  bool r = false;
  if (rc_ec2__match_str(f, "vpc-id", v->r.id, known, &r) ||
      rc_ec2__match_str(f, "cidr", v->cidr, known, &r) ||
      rc_ec2__match_str(f, "cidr-block", v->cidr, known, &r) ||
      rc_ec2__match_str(f, "cidr-block-association.cidr-block", v->cidr, known, &r) ||
      rc_ec2__match_str(f, "cidr-block-association.association-id", v->cidr_assoc, known, &r) ||
      rc_ec2__match_str(f, "cidr-block-association.state", "associated", known, &r) ||
      rc_ec2__match_str(f, "state", "available", known, &r) ||
      rc_ec2__match_str(f, "is-default", "false", known, &r) ||
      rc_ec2__match_str(f, "owner-id", RC_SIM_ACCOUNT, known, &r) ||
      rc_ec2__match_str(f, "dhcp-options-id", v->dhcp, known, &r))
    return r;
  return false;
}

static void vpc_write_as(struct rc_sim_call *c, const struct ec2_vpc *v, const char *tag)
{
  rc_sim_xml_open(c, tag);
  rc_sim_xml_str(c, "vpcId", v->r.id);
  rc_sim_xml_str(c, "ownerId", RC_SIM_ACCOUNT);
  rc_sim_xml_str(c, "state", "available");
  rc_sim_xml_str(c, "cidrBlock", v->cidr);
  rc_sim_xml_open(c, "cidrBlockAssociationSet");
  rc_sim_xml_open(c, "item");
  rc_sim_xml_str(c, "associationId", v->cidr_assoc);
  rc_sim_xml_str(c, "cidrBlock", v->cidr);
  rc_sim_xml_open(c, "cidrBlockState");
  rc_sim_xml_str(c, "state", "associated");
  rc_sim_xml_close(c, "cidrBlockState");
  rc_sim_xml_close(c, "item");
  rc_sim_xml_close(c, "cidrBlockAssociationSet");
  rc_sim_xml_empty(c, "ipv6CidrBlockAssociationSet");
  rc_sim_xml_str(c, "dhcpOptionsId", v->dhcp);
  rc_ec2__write_tags(c, &v->r);
  rc_sim_xml_str(c, "instanceTenancy", v->tenancy);
  rc_sim_xml_bool(c, "isDefault", false);
  rc_sim_xml_close(c, tag);
}

static void vpc_write(struct rc_sim_call *c, const void *res) { vpc_write_as(c, res, "item"); }

static const struct ec2_kind vpc_kind = {
    .vec = &rc_ec2__vpcs,
    .id_param = "VpcId",
    .notfound = "InvalidVpcID.NotFound",
    .notfound_fmt = "The vpc ID '%s' does not exist",
    .set_tag = "vpcSet",
    .match = vpc_match,
    .write = vpc_write,
    .page_lo = 5,
    .page_hi = 1000,
};

void rc_ec2__create_vpc(struct rc_sim_call *c)
{
  const char *cidr = rc_sim_param(c, "CidrBlock");
  if (!cidr) { /* IPAM pools are not modelled: AWS's answer without either */
    rc_sim_error(c, 400, "MissingParameter",
                 "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.");
    return;
  }
  uint32_t base;
  int len;
  if (!rc_ec2__cidr_parse(cidr, &base, &len)) {
    rc_sim_error(c, 400, "InvalidParameterValue",
                 "Value (%s) for parameter cidrBlock is invalid. This is not a valid CIDR block.",
                 cidr);
    return;
  }
  if (len < 16 || len > 28) {
    rc_sim_error(c, 400, "InvalidVpc.Range", "The CIDR '%s' is invalid.", cidr);
    return;
  }
  const char *tenancy = rc_sim_param(c, "InstanceTenancy");
  struct ec2_vpc *v = rc_calloc(1, sizeof *v);
  rc_ec2__res_init(c, &v->r, "vpc", "vpc");
  uint32_t mask = len ? 0xffffffffu << (32 - len) : 0;
  base &= mask;
  snprintf(v->cidr, sizeof v->cidr, "%u.%u.%u.%u/%d", base >> 24, (base >> 16) & 255,
           (base >> 8) & 255, base & 255, len);
  rc_sim_id("vpc-cidr-assoc", v->cidr_assoc, sizeof v->cidr_assoc);
  snprintf(v->dhcp, sizeof v->dhcp, "dopt-0c1b2a3d4e5f60789");
  snprintf(v->tenancy, sizeof v->tenancy, "%s", tenancy ? tenancy : "default");
  v->dns_support = true;
  v->dns_hostnames = false;
  rc_ec2__vec_push(&rc_ec2__vpcs, v);
  struct ec2_rtb *main_rtb = rc_ec2__rtb_new(c, v->r.id, v->cidr, true);
  snprintf(v->main_rtb, sizeof v->main_rtb, "%s", main_rtb->r.id);
  struct ec2_sg *sg = rc_ec2__sg_new(c, v->r.id, "default", "default VPC security group", true);
  snprintf(v->default_sg, sizeof v->default_sg, "%s", sg->r.id);
  rc_sim_reply_begin(c);
  vpc_write_as(c, v, "vpc");
  rc_sim_reply_end(c);
}

void rc_ec2__describe_vpcs(struct rc_sim_call *c) { rc_ec2__describe(c, &vpc_kind); }

void rc_ec2__delete_vpc(struct rc_sim_call *c)
{
  const char *id;
  struct ec2_vpc *v = rc_ec2__get_param(c, &vpc_kind, &id);
  if (!v) return;
  bool dep = false;
  for (size_t i = 0; i < rc_ec2__subnets.n && !dep; i++)
    dep = strcmp(((struct ec2_subnet *)rc_ec2__subnets.v[i])->vpc_id, id) == 0;
  for (size_t i = 0; i < rc_ec2__igws.n && !dep; i++)
    dep = strcmp(((struct ec2_igw *)rc_ec2__igws.v[i])->vpc_id, id) == 0;
  for (size_t i = 0; i < rc_ec2__sgs.n && !dep; i++) {
    const struct ec2_sg *g = rc_ec2__sgs.v[i];
    dep = strcmp(g->vpc_id, id) == 0 && strcmp(g->r.id, v->default_sg) != 0;
  }
  for (size_t i = 0; i < rc_ec2__rtbs.n && !dep; i++) {
    const struct ec2_rtb *t = rc_ec2__rtbs.v[i];
    dep = strcmp(t->vpc_id, id) == 0 && strcmp(t->r.id, v->main_rtb) != 0;
  }
  for (size_t i = 0; i < rc_ec2__enis.n && !dep; i++)
    dep = strcmp(((struct ec2_eni *)rc_ec2__enis.v[i])->vpc_id, id) == 0;
  for (size_t i = 0; i < rc_ec2__nats.n && !dep; i++) {
    const struct ec2_nat *n = rc_ec2__nats.v[i];
    dep = strcmp(n->vpc_id, id) == 0 && strcmp(n->state, "deleted") != 0;
  }
  if (dep) {
    rc_sim_error(c, 400, "DependencyViolation",
                 "The vpc '%s' has dependencies and cannot be deleted.", id);
    return;
  }
  struct ec2_rtb *t = rc_ec2__vec_find(&rc_ec2__rtbs, v->main_rtb);
  if (t) {
    rc_ec2__vec_remove(&rc_ec2__rtbs, t);
    rc_ec2__rtb_free(t);
  }
  struct ec2_sg *g = rc_ec2__vec_find(&rc_ec2__sgs, v->default_sg);
  if (g) rc_ec2__sg_destroy(g);
  rc_ec2__vec_remove(&rc_ec2__vpcs, v);
  rc_sim_tags_free(&v->r.tags);
  rc_free(v);
  rc_sim_reply_empty(c);
}

void rc_ec2__modify_vpc_attribute(struct rc_sim_call *c)
{
  const char *id;
  struct ec2_vpc *v = rc_ec2__get_param(c, &vpc_kind, &id);
  if (!v) return;
  bool val, bad = false;
  int n = 0;
  if (rc_sim_param_bool(c, "EnableDnsSupport.Value", &val, &bad)) {
    v->dns_support = val;
    n++;
  }
  if (rc_sim_param_bool(c, "EnableDnsHostnames.Value", &val, &bad)) {
    v->dns_hostnames = val;
    n++;
  }
  if (rc_sim_param_bool(c, "EnableNetworkAddressUsageMetrics.Value", &val, &bad)) n++;
  if (bad) {
    rc_sim_error(c, 400, "InvalidParameterValue", "Invalid boolean value");
    return;
  }
  if (n != 1) {
    rc_sim_error(c, 400, "InvalidParameterCombination",
                 "Fields for multiple attribute types specified: enableDnsSupport, "
                 "enableDnsHostnames");
    return;
  }
  rc_sim_reply_empty(c);
}

void rc_ec2__describe_vpc_attribute(struct rc_sim_call *c)
{
  const char *id = rc_sim_param(c, "VpcId");
  const char *attr = rc_sim_param(c, "Attribute");
  if (!id) {
    rc_sim_error_missing(c, "VpcId");
    return;
  }
  if (!attr) {
    rc_sim_error_missing(c, "Attribute");
    return;
  }
  struct ec2_vpc *v = rc_ec2__get(c, &vpc_kind, id);
  if (!v) return;
  bool val;
  if (strcmp(attr, "enableDnsSupport") == 0)
    val = v->dns_support;
  else if (strcmp(attr, "enableDnsHostnames") == 0)
    val = v->dns_hostnames;
  else if (strcmp(attr, "enableNetworkAddressUsageMetrics") == 0)
    val = false;
  else {
    rc_sim_error(c, 400, "InvalidParameterValue",
                 "Value (%s) for parameter attribute is invalid. Unknown attribute.", attr);
    return;
  }
  rc_sim_reply_begin(c);
  rc_sim_xml_str(c, "vpcId", v->r.id);
  rc_sim_xml_open(c, attr);
  rc_sim_xml_bool(c, "value", val);
  rc_sim_xml_close(c, attr);
  rc_sim_reply_end(c);
}
