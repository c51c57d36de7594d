/* ec2_gateway.c — internet gateways (attach/detach), Elastic IPs, and NAT
 * gateways with their delayed state machine: pending → available (or
 * failed when the VPC has no internet gateway), deleting → deleted. */
#include "ec2_int.h"

#include <stdio.h>
#include <string.h>
#include "common/rc_alloc.h"

/* --- internet gateways --- */

static bool igw_match(const void *res, const struct rc_sim_filter *f, bool *known)
{
  const struct ec2_igw *g = res;
  bool r = false;
  if (rc_ec2__match_str(f, "internet-gateway-id", g->r.id, known, &r) ||
      rc_ec2__match_str(f, "attachment.vpc-id", g->vpc_id[0] ? g->vpc_id : NULL, known, &r) ||
      rc_ec2__match_str(f, "attachment.state", g->vpc_id[0] ? "available" : NULL, known, &r) ||
      rc_ec2__match_str(f, "owner-id", RC_SIM_ACCOUNT, known, &r))
    return r;
  return false;
}

static void igw_write_as(struct rc_sim_call *c, const struct ec2_igw *g, const char *tag)
{
  rc_sim_xml_open(c, tag);
  rc_sim_xml_str(c, "internetGatewayId", g->r.id);
  rc_sim_xml_str(c, "ownerId", RC_SIM_ACCOUNT);
  if (g->vpc_id[0]) {
    rc_sim_xml_open(c, "attachmentSet");
    rc_sim_xml_open(c, "item");
    rc_sim_xml_str(c, "vpcId", g->vpc_id);
    rc_sim_xml_str(c, "state", "available");
    rc_sim_xml_close(c, "item");
    rc_sim_xml_close(c, "attachmentSet");
  } else {
    rc_sim_xml_empty(c, "attachmentSet");
  }
  rc_ec2__write_tags(c, &g->r);
  rc_sim_xml_close(c, tag);
}

static void igw_write(struct rc_sim_call *c, const void *res) { igw_write_as(c, res, "item"); }

static const struct ec2_kind igw_kind = {
    .vec = &rc_ec2__igws,
    .id_param = "InternetGatewayId",
    .notfound = "InvalidInternetGatewayID.NotFound",
    .notfound_fmt = "The internetGateway ID '%s' does not exist",
    .set_tag = "internetGatewaySet",
    .match = igw_match,
    .write = igw_write,
    .page_lo = 5,
    .page_hi = 1000,
};

void rc_ec2__create_igw(struct rc_sim_call *c)
{
  struct ec2_igw *g = rc_calloc(1, sizeof *g);
  rc_ec2__res_init(c, &g->r, "igw", "internet-gateway");
  rc_ec2__vec_push(&rc_ec2__igws, g);
  rc_sim_reply_begin(c);
  igw_write_as(c, g, "internetGateway");
  rc_sim_reply_end(c);
}

void rc_ec2__describe_igws(struct rc_sim_call *c) { rc_ec2__describe(c, &igw_kind); }

void rc_ec2__delete_igw(struct rc_sim_call *c)
{
  const char *id;
  struct ec2_igw *g = rc_ec2__get_param(c, &igw_kind, &id);
  if (!g) return;
  if (g->vpc_id[0]) {
    rc_sim_error(c, 400, "DependencyViolation",
                 "The internetGateway '%s' has dependencies and cannot be deleted.", id);
    return;
  }
  rc_ec2__vec_remove(&rc_ec2__igws, g);
  rc_sim_tags_free(&g->r.tags);
  rc_free(g);
  rc_sim_reply_empty(c);
}

static bool igw_vpc_args(struct rc_sim_call *c, struct ec2_igw **g, struct ec2_vpc **v)
{
  const char *id = rc_sim_param(c, "InternetGatewayId");
  const char *vpc = rc_sim_param(c, "VpcId");
  if (!id) {
    rc_sim_error_missing(c, "InternetGatewayId");
    return false;
  }
  if (!vpc) {
    rc_sim_error_missing(c, "VpcId");
    return false;
  }
  if (!(*g = rc_ec2__get(c, &igw_kind, id))) return false;
  *v = rc_ec2__vec_find(&rc_ec2__vpcs, vpc);
  if (!*v) {
    rc_sim_error(c, 400, "InvalidVpcID.NotFound", "The vpc ID '%s' does not exist", vpc);
    return false;
  }
  return true;
}

void rc_ec2__attach_igw(struct rc_sim_call *c)
{
  struct ec2_igw *g;
  struct ec2_vpc *v;
  if (!igw_vpc_args(c, &g, &v)) return;
  if (g->vpc_id[0]) {
    rc_sim_error(c, 400, "Resource.AlreadyAssociated",
                 "resource %s is already attached to network %s", g->r.id, g->vpc_id);
    return;
  }
  for (size_t i = 0; i < rc_ec2__igws.n; i++) {
    const struct ec2_igw *o = rc_ec2__igws.v[i];
    if (strcmp(o->vpc_id, v->r.id) == 0) {
      rc_sim_error(c, 400, "Resource.AlreadyAssociated",
                   "resource %s is already attached to network %s", o->r.id, v->r.id);
      return;
    }
  }
  snprintf(g->vpc_id, sizeof g->vpc_id, "%s", v->r.id);
  rc_sim_reply_empty(c);
}

void rc_ec2__detach_igw(struct rc_sim_call *c)
{
  struct ec2_igw *g;
  struct ec2_vpc *v;
  if (!igw_vpc_args(c, &g, &v)) return;
  if (strcmp(g->vpc_id, v->r.id) != 0) {
    rc_sim_error(c, 400, "Gateway.NotAttached", "resource %s is not attached to network %s",
                 g->r.id, v->r.id);
    return;
  }
  /* AWS refuses while public addresses in the VPC are mapped through it */
  for (size_t i = 0; i < rc_ec2__nats.n; i++) {
    const struct ec2_nat *n = rc_ec2__nats.v[i];
    if (strcmp(n->vpc_id, v->r.id) == 0 && strcmp(n->conn_type, "public") == 0 &&
        (strcmp(n->state, "available") == 0 || strcmp(n->state, "pending") == 0)) {
      rc_sim_error(c, 400, "DependencyViolation",
                   "Network %s has some mapped public address(es). Please unmap those public "
                   "address(es) before detaching the gateway.", v->r.id);
      return;
    }
  }
  g->vpc_id[0] = '\0';
  rc_sim_reply_empty(c);
}

/* --- Elastic IPs --- */

static bool eip_match(const void *res, const struct rc_sim_filter *f, bool *known)
{
  const struct ec2_eip *e = res;
  bool r = false;
  if (rc_ec2__match_str(f, "allocation-id", e->r.id, known, &r) ||
      rc_ec2__match_str(f, "association-id", e->assoc_id[0] ? e->assoc_id : NULL, known, &r) ||
      rc_ec2__match_str(f, "domain", "vpc", known, &r) ||
      rc_ec2__match_str(f, "network-interface-id", e->eni_id[0] ? e->eni_id : NULL, known, &r) ||
      rc_ec2__match_str(f, "network-interface-owner-id", e->eni_id[0] ? RC_SIM_ACCOUNT : NULL,
                        known, &r) ||
      rc_ec2__match_str(f, "private-ip-address", e->private_ip[0] ? e->private_ip : NULL, known,
                        &r) ||
      rc_ec2__match_str(f, "public-ip", e->public_ip, known, &r) ||
      rc_ec2__match_str(f, "network-border-group", "us-east-1", known, &r))
    return r;
  return false;
}

static void eip_write(struct rc_sim_call *c, const void *res)
{
  const struct ec2_eip *e = res;
  rc_sim_xml_open(c, "item");
  rc_sim_xml_str(c, "publicIp", e->public_ip);
  rc_sim_xml_str(c, "allocationId", e->r.id);
  rc_sim_xml_str(c, "domain", "vpc");
  if (e->assoc_id[0]) {
    rc_sim_xml_str(c, "associationId", e->assoc_id);
    rc_sim_xml_str(c, "networkInterfaceId", e->eni_id);
    rc_sim_xml_str(c, "networkInterfaceOwnerId", RC_SIM_ACCOUNT);
    rc_sim_xml_str(c, "privateIpAddress", e->private_ip);
  }
  rc_ec2__write_tags(c, &e->r);
  rc_sim_xml_str(c, "publicIpv4Pool", "amazon");
  rc_sim_xml_str(c, "networkBorderGroup", c->req.region);
  rc_sim_xml_close(c, "item");
}

static const struct ec2_kind eip_kind = {
    .vec = &rc_ec2__eips,
    .id_param = "AllocationId",
    .notfound = "InvalidAllocationID.NotFound",
    .notfound_fmt = "The allocation ID '%s' does not exist",
    .set_tag = "addressesSet",
    .match = eip_match,
    .write = eip_write,
};

void rc_ec2__allocate_address(struct rc_sim_call *c)
{
  const char *domain = rc_sim_param(c, "Domain");
  if (domain && strcmp(domain, "vpc") != 0 && strcmp(domain, "standard") != 0) {
    rc_sim_error(c, 400, "InvalidParameterValue",
                 "Value (%s) for parameter domain is invalid.", domain);
    return;
  }
  struct ec2_eip *e = rc_calloc(1, sizeof *e);
  rc_ec2__res_init(c, &e->r, "eipalloc", "elastic-ip");
  uint64_t r = rc_sim_rand();
  snprintf(e->public_ip, sizeof e->public_ip, "3.%u.%u.%u", (unsigned)(r & 255),
           (unsigned)((r >> 8) & 255), (unsigned)(((r >> 16) % 254) + 1));
  rc_ec2__vec_push(&rc_ec2__eips, e);
  rc_sim_reply_begin(c);
  rc_sim_xml_str(c, "publicIp", e->public_ip);
  rc_sim_xml_str(c, "domain", "vpc");
  rc_sim_xml_str(c, "allocationId", e->r.id);
  rc_sim_xml_str(c, "publicIpv4Pool", "amazon");
  rc_sim_xml_str(c, "networkBorderGroup", c->req.region);
  rc_sim_reply_end(c);
}

void rc_ec2__release_address(struct rc_sim_call *c)
{
  const char *id = rc_sim_param(c, "AllocationId");
  const char *ip = rc_sim_param(c, "PublicIp");
  struct ec2_eip *e = NULL;
  if (id) {
    if (!(e = rc_ec2__get(c, &eip_kind, id))) return;
  } else if (ip) {
    for (size_t i = 0; i < rc_ec2__eips.n && !e; i++)
      if (strcmp(((struct ec2_eip *)rc_ec2__eips.v[i])->public_ip, ip) == 0) e = rc_ec2__eips.v[i];
    if (!e) {
      rc_sim_error(c, 400, "InvalidAddress.NotFound", "Address '%s' not found.", ip);
      return;
    }
  } else {
    rc_sim_error_missing(c, "AllocationId");
    return;
  }
  bool in_use = e->assoc_id[0] != '\0';
  for (size_t i = 0; i < rc_ec2__nats.n && !in_use; i++) {
    const struct ec2_nat *n = rc_ec2__nats.v[i];
    in_use = strcmp(n->alloc_id, e->r.id) == 0 && strcmp(n->state, "deleted") != 0 &&
             strcmp(n->state, "failed") != 0;
  }
  if (in_use) {
    rc_sim_error(c, 400, "InvalidIPAddress.InUse", "Address %s is in use.", e->r.id);
    return;
  }
  rc_ec2__vec_remove(&rc_ec2__eips, e);
  rc_sim_tags_free(&e->r.tags);
  rc_free(e);
  rc_sim_reply_empty(c);
}

void rc_ec2__describe_addresses(struct rc_sim_call *c)
{
  const char **ips;
  size_t n = rc_sim_param_list(c, "PublicIp", &ips);
  for (size_t i = 0; i < n; i++) {
    bool found = false;
    for (size_t k = 0; k < rc_ec2__eips.n && !found; k++) {
      const struct ec2_eip *e = rc_ec2__eips.v[k];
      found = strcmp(e->public_ip, ips[i]) == 0 && rc_sim_visible(c, e->r.visible_at) &&
              rc_sim_in_region(c, e->r.region);
    }
    if (!found) {
      rc_sim_error(c, 400, "InvalidAddress.NotFound", "Address '%s' not found.", ips[i]);
      rc_free(ips);
      return;
    }
  }
  if (n == 0) {
    rc_free(ips);
    rc_ec2__describe(c, &eip_kind);
    return;
  }
  /* public-ip list: answer through the generic path with a hidden filter */
  struct ec2_vec keep = rc_ec2__eips, sub = {0};
  for (size_t k = 0; k < keep.n; k++)
    for (size_t i = 0; i < n; i++)
      if (strcmp(((struct ec2_eip *)keep.v[k])->public_ip, ips[i]) == 0) {
        rc_ec2__vec_push(&sub, keep.v[k]);
        break;
      }
  rc_free(ips);
  struct ec2_kind k = eip_kind;
  k.vec = &sub;
  rc_ec2__describe(c, &k);
  rc_free(sub.v);
}

/* --- NAT gateways --- */

static bool nat_match(const void *res, const struct rc_sim_filter *f, bool *known)
{
  const struct ec2_nat *n = res;
  bool r = false;
  if (rc_ec2__match_str(f, "nat-gateway-id", n->r.id, known, &r) ||
      rc_ec2__match_str(f, "state", n->state, known, &r) ||
      rc_ec2__match_str(f, "subnet-id", n->subnet_id, known, &r) ||
      rc_ec2__match_str(f, "vpc-id", n->vpc_id, known, &r))
    return r;
  return false;
}

static void nat_write_as(struct rc_sim_call *c, const struct ec2_nat *n, const char *tag)
{
  char ts[40];
  rc_sim_xml_open(c, tag);
  rc_sim_iso8601(n->r.created_ms, ts, sizeof ts);
  rc_sim_xml_str(c, "createTime", ts);
  if (n->delete_ms) {
    rc_sim_iso8601(n->delete_ms, ts, sizeof ts);
    rc_sim_xml_str(c, "deleteTime", ts);
  }
  if (n->fail_code[0]) {
    rc_sim_xml_str(c, "failureCode", n->fail_code);
    rc_sim_xml_str(c, "failureMessage", n->fail_msg);
  }
  rc_sim_xml_open(c, "natGatewayAddressSet");
  rc_sim_xml_open(c, "item");
  if (n->alloc_id[0]) rc_sim_xml_str(c, "allocationId", n->alloc_id);
  if (n->eni_id[0]) rc_sim_xml_str(c, "networkInterfaceId", n->eni_id);
  rc_sim_xml_str(c, "privateIp", n->private_ip);
  if (n->public_ip[0]) rc_sim_xml_str(c, "publicIp", n->public_ip);
  rc_sim_xml_bool(c, "isPrimary", true);
  rc_sim_xml_str(c, "status", "succeeded");
  rc_sim_xml_close(c, "item");
  rc_sim_xml_close(c, "natGatewayAddressSet");
  rc_sim_xml_str(c, "natGatewayId", n->r.id);
  rc_sim_xml_str(c, "state", n->state);
  rc_sim_xml_str(c, "subnetId", n->subnet_id);
  rc_sim_xml_str(c, "vpcId", n->vpc_id);
  rc_ec2__write_tags(c, &n->r);
  rc_sim_xml_str(c, "connectivityType", n->conn_type);
  rc_sim_xml_close(c, tag);
}

static void nat_write(struct rc_sim_call *c, const void *res) { nat_write_as(c, res, "item"); }

static const struct ec2_kind nat_kind = {
    .vec = &rc_ec2__nats,
    .id_param = "NatGatewayId",
    .notfound = "NatGatewayNotFound",
    .notfound_fmt = "The Nat Gateway %s was not found",
    .set_tag = "natGatewaySet",
    .match = nat_match,
    .write = nat_write,
    .page_lo = 5,
    .page_hi = 1000,
};

/* Releases what a NAT holds once it is deleted: its ENI and EIP association. */
static void nat_release(struct ec2_nat *n)
{
  struct ec2_eni *e = rc_ec2__vec_find(&rc_ec2__enis, n->eni_id);
  if (e) {
    rc_ec2__vec_remove(&rc_ec2__enis, e);
    rc_ec2__eni_free(e);
  }
  struct ec2_eip *a = rc_ec2__vec_find(&rc_ec2__eips, n->alloc_id);
  if (a && strcmp(a->eni_id, n->eni_id) == 0) {
    a->assoc_id[0] = a->eni_id[0] = a->private_ip[0] = '\0';
  }
}

void rc_ec2__nat_tick(uint64_t now)
{
  for (size_t i = 0; i < rc_ec2__nats.n;) {
    struct ec2_nat *n = rc_ec2__nats.v[i];
    if (strcmp(n->state, "pending") == 0 && now >= n->next_at_ms) {
      /* a public NAT needs the VPC's internet gateway when it comes up */
      bool igw = strcmp(n->conn_type, "public") != 0;
      for (size_t k = 0; k < rc_ec2__igws.n && !igw; k++)
        igw = strcmp(((struct ec2_igw *)rc_ec2__igws.v[k])->vpc_id, n->vpc_id) == 0;
      if (!igw) {
        snprintf(n->fail_code, sizeof n->fail_code, "Gateway.NotAttached");
        snprintf(n->fail_msg, sizeof n->fail_msg, "Network %s has no Internet gateway attached",
                 n->vpc_id);
      }
      if (n->fail_code[0]) {
        snprintf(n->state, sizeof n->state, "failed");
        nat_release(n);
      } else {
        snprintf(n->state, sizeof n->state, "available");
      }
    } else if (strcmp(n->state, "deleting") == 0 && now >= n->next_at_ms) {
      snprintf(n->state, sizeof n->state, "deleted");
      nat_release(n);
    }
    /* deleted and failed gateways stay visible for an hour, as on AWS */
    if ((strcmp(n->state, "deleted") == 0 || strcmp(n->state, "failed") == 0) &&
        now >= n->next_at_ms + 3600u * 1000u) {
      rc_ec2__vec_remove(&rc_ec2__nats, n);
      rc_sim_tags_free(&n->r.tags);
      rc_free(n);
      continue;
    }
    i++;
  }
}

void rc_ec2__create_nat(struct rc_sim_call *c)
{
  const char *subnet_id = rc_sim_param(c, "SubnetId");
  const char *alloc = rc_sim_param(c, "AllocationId");
  const char *token = rc_sim_param(c, "ClientToken");
  const char *ctype = rc_sim_param(c, "ConnectivityType");
  if (!ctype) ctype = "public";
  if (!subnet_id) {
    rc_sim_error_missing(c, "SubnetId");
    return;
  }
  if (token && *token) {
    for (size_t i = 0; i < rc_ec2__nats.n; i++) {
      struct ec2_nat *n = rc_ec2__nats.v[i];
      if (strcmp(n->client_token, token) != 0) continue;
      if (strcmp(n->subnet_id, subnet_id) != 0 || (alloc && strcmp(n->alloc_id, alloc) != 0)) {
        rc_sim_error(c, 400, "IdempotentParameterMismatch",
                     "The client token you have provided is associated with a resource that "
                     "is already deleted or has different parameters.");
        return;
      }
      rc_sim_reply_begin(c);
      rc_sim_xml_str(c, "clientToken", token);
      nat_write_as(c, n, "natGateway");
      rc_sim_reply_end(c);
      return;
    }
  }
  if (strcmp(ctype, "public") != 0 && strcmp(ctype, "private") != 0) {
    rc_sim_error(c, 400, "InvalidParameterValue",
                 "Value (%s) for parameter connectivityType is invalid.", ctype);
    return;
  }
  struct ec2_subnet *s = rc_ec2__vec_find(&rc_ec2__subnets, subnet_id);
  if (!s) {
    rc_sim_error(c, 400, "InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist",
                 subnet_id);
    return;
  }
  struct ec2_eip *e = NULL;
  if (strcmp(ctype, "public") == 0) {
    if (!alloc) {
      rc_sim_error(c, 400, "MissingParameter",
                   "The request must contain the parameter AllocationId");
      return;
    }
    if (!(e = rc_ec2__get(c, &eip_kind, alloc))) return;
    bool used = e->assoc_id[0] != '\0';
    for (size_t i = 0; i < rc_ec2__nats.n && !used; i++) {
      const struct ec2_nat *o = rc_ec2__nats.v[i];
      used = strcmp(o->alloc_id, alloc) == 0 && strcmp(o->state, "deleted") != 0 &&
             strcmp(o->state, "failed") != 0;
    }
    if (used) {
      rc_sim_error(c, 400, "Resource.AlreadyAssociated",
                   "Elastic IP address [%s] is already associated", alloc);
      return;
    }
  }
  struct ec2_nat *n = rc_calloc(1, sizeof *n);
  rc_ec2__res_init(c, &n->r, "nat", "natgateway");
  snprintf(n->vpc_id, sizeof n->vpc_id, "%s", s->vpc_id);
  snprintf(n->subnet_id, sizeof n->subnet_id, "%s", s->r.id);
  snprintf(n->state, sizeof n->state, "pending");
  snprintf(n->conn_type, sizeof n->conn_type, "%s", ctype);
  snprintf(n->client_token, sizeof n->client_token, "%s", token ? token : "");
  n->next_at_ms = c->now_ms + (uint64_t)(rc_ec2__nat_delay_ms > 0 ? rc_ec2__nat_delay_ms : 0);
  char desc[96];
  snprintf(desc, sizeof desc, "Interface for NAT Gateway %s", n->r.id);
  struct ec2_eni *eni = rc_ec2__eni_new(s, desc, "nat_gateway", true);
  snprintf(n->eni_id, sizeof n->eni_id, "%s", eni->r.id);
  snprintf(n->private_ip, sizeof n->private_ip, "%s", eni->private_ip);
  if (e) {
    snprintf(n->alloc_id, sizeof n->alloc_id, "%s", e->r.id);
    snprintf(n->public_ip, sizeof n->public_ip, "%s", e->public_ip);
    rc_sim_id("eipassoc", e->assoc_id, sizeof e->assoc_id);
    snprintf(e->eni_id, sizeof e->eni_id, "%s", eni->r.id);
    snprintf(e->private_ip, sizeof e->private_ip, "%s", eni->private_ip);
  }
  rc_ec2__vec_push(&rc_ec2__nats, n);
  rc_sim_reply_begin(c);
  if (token) rc_sim_xml_str(c, "clientToken", token);
  nat_write_as(c, n, "natGateway");
  rc_sim_reply_end(c);
}

void rc_ec2__describe_nats(struct rc_sim_call *c) { rc_ec2__describe(c, &nat_kind); }

void rc_ec2__delete_nat(struct rc_sim_call *c)
{
  const char *id;
  struct ec2_nat *n = rc_ec2__get_param(c, &nat_kind, &id);
  if (!n) return;
  if (strcmp(n->state, "pending") == 0 || strcmp(n->state, "available") == 0) {
    snprintf(n->state, sizeof n->state, "deleting");
    n->delete_ms = c->now_ms;
    n->next_at_ms = c->now_ms + (uint64_t)(rc_ec2__nat_delete_ms > 0 ? rc_ec2__nat_delete_ms : 0);
  }
  rc_sim_reply_begin(c);
  rc_sim_xml_str(c, "natGatewayId", n->r.id);
  rc_sim_reply_end(c);
}
