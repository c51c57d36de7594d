/* ec2_route.c — route tables: the VPC's main table with its local route,
 * routes to internet and NAT gateways, subnet associations (explicit and
 * main), and the dependency rule on delete. */
#include "ec2_int.h"

#include <stdio.h>
#include <string.h>
#include "common/rc_alloc.h"

struct ec2_rtb *rc_ec2__rtb_new(struct rc_sim_call *c, const char *vpc_id, const char *cidr,
                                bool main)
{
  struct ec2_rtb *t = rc_calloc(1, sizeof *t);
  rc_ec2__res_init(c, &t->r, "rtb", NULL);
  snprintf(t->vpc_id, sizeof t->vpc_id, "%s", vpc_id);
  t->routes = rc_calloc(1, sizeof *t->routes);
  snprintf(t->routes[0].dest, sizeof t->routes[0].dest, "%s", cidr);
  snprintf(t->routes[0].gateway_id, sizeof t->routes[0].gateway_id, "local");
  snprintf(t->routes[0].origin, sizeof t->routes[0].origin, "CreateRouteTable");
  t->n_routes = 1;
  if (main) {
    t->assocs = rc_calloc(1, sizeof *t->assocs);
    rc_sim_id("rtbassoc", t->assocs[0].id, sizeof t->assocs[0].id);
    t->assocs[0].main = true;
    t->n_assocs = 1;
  }
  rc_ec2__vec_push(&rc_ec2__rtbs, t);
  return t;
}

void rc_ec2__rtb_free(struct ec2_rtb *t)
{
  if (!t) return;
  rc_sim_tags_free(&t->r.tags);
  rc_free(t->routes);
  rc_free(t->assocs);
  rc_free(t);
}

static const char *route_state(const struct ec2_route *r)
{
  if (r->nat_id[0]) {
    const struct ec2_nat *n = rc_ec2__vec_find(&rc_ec2__nats, r->nat_id);
    if (!n || strcmp(n->state, "deleted") == 0 || strcmp(n->state, "failed") == 0 ||
        strcmp(n->state, "deleting") == 0)
      return "blackhole";
  } else if (strncmp(r->gateway_id, "igw-", 4) == 0) {
    if (!rc_ec2__vec_find(&rc_ec2__igws, r->gateway_id)) return "blackhole";
  } else if (r->eni_id[0]) {
    if (!rc_ec2__vec_find(&rc_ec2__enis, r->eni_id)) return "blackhole";
  }
  return "active";
}

static bool rtb_match(const void *res, const struct rc_sim_filter *f, bool *known)
{
  const struct ec2_rtb *t = res;
  bool r = false;
  if (rc_ec2__match_str(f, "route-table-id", t->r.id, known, &r) ||
      rc_ec2__match_str(f, "vpc-id", t->vpc_id, known, &r) ||
      rc_ec2__match_str(f, "owner-id", RC_SIM_ACCOUNT, known, &r))
    return r;
  if (strncmp(f->name, "association.", 12) == 0) {
    const char *k = f->name + 12;
    if (strcmp(k, "route-table-association-id") && strcmp(k, "route-table-id") &&
        strcmp(k, "subnet-id") && strcmp(k, "gateway-id") && strcmp(k, "main") &&
        strcmp(k, "association-state"))
      return false;
    *known = true;
    for (size_t i = 0; i < t->n_assocs; i++) {
      const struct ec2_rtassoc *a = &t->assocs[i];
      const char *v = !strcmp(k, "route-table-association-id") ? a->id
                      : !strcmp(k, "route-table-id")           ? t->r.id
                      : !strcmp(k, "subnet-id")                ? (a->subnet_id[0] ? a->subnet_id : NULL)
                      : !strcmp(k, "gateway-id")               ? (a->gateway_id[0] ? a->gateway_id : NULL)
                      : !strcmp(k, "main")                     ? (a->main ? "true" : "false")
                                                               : "associated";
      if (v && rc_sim_filter_match(f, v)) return true;
    }
    /* association.main=false also matches a table that has no main association */
    if (!strcmp(k, "main") && rc_sim_filter_match(f, "false")) {
      for (size_t i = 0; i < t->n_assocs; i++)
        if (t->assocs[i].main) return false;
      return true;
    }
    return false;
  }
  if (strncmp(f->name, "route.", 6) == 0) {
    const char *k = f->name + 6;
    if (strcmp(k, "destination-cidr-block") && strcmp(k, "gateway-id") &&
        strcmp(k, "nat-gateway-id") && strcmp(k, "origin") && strcmp(k, "state"))
      return false;
    *known = true;
    for (size_t i = 0; i < t->n_routes; i++) {
      const struct ec2_route *rt = &t->routes[i];
      const char *v = !strcmp(k, "destination-cidr-block") ? rt->dest
                      : !strcmp(k, "gateway-id")           ? rt->gateway_id
                      : !strcmp(k, "nat-gateway-id")       ? rt->nat_id
                      : !strcmp(k, "origin")               ? rt->origin
                                                           : route_state(rt);
      if (v && *v && rc_sim_filter_match(f, v)) return true;
    }
    return false;
  }
  return false;
}

static void assoc_write(struct rc_sim_call *c, const struct ec2_rtb *t,
                        const struct ec2_rtassoc *a)
{
  rc_sim_xml_open(c, "item");
  rc_sim_xml_bool(c, "main", a->main);
  rc_sim_xml_str(c, "routeTableAssociationId", a->id);
  rc_sim_xml_str(c, "routeTableId", t->r.id);
  if (a->subnet_id[0]) rc_sim_xml_str(c, "subnetId", a->subnet_id);
  if (a->gateway_id[0]) rc_sim_xml_str(c, "gatewayId", a->gateway_id);
  rc_sim_xml_open(c, "associationState");
  rc_sim_xml_str(c, "state", "associated");
  rc_sim_xml_close(c, "associationState");
  rc_sim_xml_close(c, "item");
}

static void rtb_write_as(struct rc_sim_call *c, const struct ec2_rtb *t, const char *tag)
{
  rc_sim_xml_open(c, tag);
  rc_sim_xml_str(c, "routeTableId", t->r.id);
  rc_sim_xml_str(c, "vpcId", t->vpc_id);
  rc_sim_xml_str(c, "ownerId", RC_SIM_ACCOUNT);
  rc_sim_xml_open(c, "routeSet");
  for (size_t i = 0; i < t->n_routes; i++) {
    const struct ec2_route *r = &t->routes[i];
    rc_sim_xml_open(c, "item");
    rc_sim_xml_str(c, "destinationCidrBlock", r->dest);
    if (r->gateway_id[0]) rc_sim_xml_str(c, "gatewayId", r->gateway_id);
    if (r->nat_id[0]) rc_sim_xml_str(c, "natGatewayId", r->nat_id);
    if (r->pcx_id[0]) rc_sim_xml_str(c, "vpcPeeringConnectionId", r->pcx_id);
    if (r->tgw_id[0]) rc_sim_xml_str(c, "transitGatewayId", r->tgw_id);
    if (r->eni_id[0]) {
      rc_sim_xml_str(c, "networkInterfaceId", r->eni_id);
      rc_sim_xml_str(c, "instanceOwnerId", RC_SIM_ACCOUNT);
    }
    rc_sim_xml_str(c, "state", route_state(r));
    rc_sim_xml_str(c, "origin", r->origin);
    rc_sim_xml_close(c, "item");
  }
  rc_sim_xml_close(c, "routeSet");
  if (t->n_assocs == 0) {
    rc_sim_xml_empty(c, "associationSet");
  } else {
    rc_sim_xml_open(c, "associationSet");
    for (size_t i = 0; i < t->n_assocs; i++) assoc_write(c, t, &t->assocs[i]);
    rc_sim_xml_close(c, "associationSet");
  }
  rc_sim_xml_empty(c, "propagatingVgwSet");
  rc_ec2__write_tags(c, &t->r);
  rc_sim_xml_close(c, tag);
}

static void rtb_write(struct rc_sim_call *c, const void *res) { rtb_write_as(c, res, "item"); }

static const struct ec2_kind rtb_kind = {
    .vec = &rc_ec2__rtbs,
    .id_param = "RouteTableId",
    .notfound = "InvalidRouteTableID.NotFound",
    .notfound_fmt = "The routeTable ID '%s' does not exist",
    .set_tag = "routeTableSet",
    .match = rtb_match,
    .write = rtb_write,
    .page_lo = 5,
    .page_hi = 100,
};

void rc_ec2__create_rtb(struct rc_sim_call *c)
{
  const char *vpc_id = rc_sim_param(c, "VpcId");
  if (!vpc_id) {
    rc_sim_error_missing(c, "VpcId");
    return;
  }
  struct ec2_vpc *v = rc_ec2__vec_find(&rc_ec2__vpcs, vpc_id);
  if (!v) {
    rc_sim_error(c, 400, "InvalidVpcID.NotFound", "The vpc ID '%s' does not exist", vpc_id);
    return;
  }
  struct ec2_rtb *t = rc_ec2__rtb_new(c, v->r.id, v->cidr, false);
  rc_sim_tags_from_spec(c, "route-table", &t->r.tags);
  rc_sim_reply_begin(c);
  rtb_write_as(c, t, "routeTable");
  rc_sim_reply_end(c);
}

void rc_ec2__describe_rtbs(struct rc_sim_call *c) { rc_ec2__describe(c, &rtb_kind); }

void rc_ec2__delete_rtb(struct rc_sim_call *c)
{
  const char *id;
  struct ec2_rtb *t = rc_ec2__get_param(c, &rtb_kind, &id);
  if (!t) return;
  if (t->n_assocs > 0) {
    rc_sim_error(c, 400, "DependencyViolation",
                 "The routeTable '%s' has dependencies and cannot be deleted.", id);
    return;
  }
  rc_ec2__vec_remove(&rc_ec2__rtbs, t);
  rc_ec2__rtb_free(t);
  rc_sim_reply_empty(c);
}

static struct ec2_route *find_route(struct ec2_rtb *t, const char *dest)
{
  for (size_t i = 0; i < t->n_routes; i++)
    if (strcmp(t->routes[i].dest, dest) == 0) return &t->routes[i];
  return NULL;
}

/* Reads RouteTableId, DestinationCidrBlock and the target; false on error. */
static bool route_args(struct rc_sim_call *c, struct ec2_rtb **t, const char **dest,
                       struct ec2_route *target, bool need_target)
{
  const char *id = rc_sim_param(c, "RouteTableId");
  *dest = rc_sim_param(c, "DestinationCidrBlock");
  if (!id) {
    rc_sim_error_missing(c, "RouteTableId");
    return false;
  }
  if (!(*t = rc_ec2__get(c, &rtb_kind, id))) return false;
  if (!*dest) {
    rc_sim_error(c, 400, "MissingParameter",
                 "The request must contain exactly one of DestinationCidrBlock, "
                 "DestinationIpv6CidrBlock or DestinationPrefixListId");
    return false;
  }
  uint32_t b;
  int l;
  if (!rc_ec2__cidr_parse(*dest, &b, &l)) {
    rc_sim_error(c, 400, "InvalidParameterValue",
                 "Value (%s) for parameter destinationCidrBlock is invalid. This is not a valid "
                 "CIDR block.", *dest);
    return false;
  }
  if (!need_target) return true;
  memset(target, 0, sizeof *target);
  /* exactly one target; the ones recon-sim does not model (peering, transit
   * gateway, virtual private gateway, gateway load balancer endpoint) are
   * stored as given once their id is well formed */
  static const struct {
    const char *param, *prefix, *malformed;
  } tk[] = {{"GatewayId", NULL, NULL},
            {"NatGatewayId", NULL, NULL},
            {"VpcPeeringConnectionId", "pcx", "InvalidVpcPeeringConnectionId.Malformed"},
            {"TransitGatewayId", "tgw", "InvalidTransitGatewayID.Malformed"},
            {"NetworkInterfaceId", "eni", "InvalidNetworkInterfaceId.Malformed"},
            {"VpcEndpointId", "vpce", "InvalidVpcEndpointId.Malformed"}};
  const char *val[6];
  int given = 0, which = -1;
  for (int k = 0; k < 6; k++)
    if ((val[k] = rc_sim_param(c, tk[k].param))) {
      given++;
      which = k;
    }
  if (given != 1) {
    rc_sim_error(c, 400, given ? "InvalidParameterCombination" : "MissingParameter",
                 "The request must contain exactly one of gatewayId, natGatewayId, "
                 "networkInterfaceId, vpcPeeringConnectionId, transitGatewayId or "
                 "vpcEndpointId");
    return false;
  }
  const char *tid = val[which];
  if (tk[which].prefix && !rc_ec2__id_well_formed(tid, tk[which].prefix)) {
    rc_sim_error(c, 400, tk[which].malformed, "Invalid id: \"%s\" (expecting \"%s-...\")", tid,
                 tk[which].prefix);
    return false;
  }
  if (which == 0 && strncmp(tid, "igw-", 4) == 0) {
    const struct ec2_igw *g = rc_ec2__vec_find(&rc_ec2__igws, tid);
    if (!g) {
      rc_sim_error(c, 400, "InvalidGatewayID.NotFound", "The gateway ID '%s' does not exist",
                   tid);
      return false;
    }
    if (strcmp(g->vpc_id, (*t)->vpc_id) != 0) {
      rc_sim_error(c, 400, "InvalidParameterValue",
                   "route table %s and network gateway %s belong to different networks",
                   (*t)->r.id, tid);
      return false;
    }
    snprintf(target->gateway_id, sizeof target->gateway_id, "%s", tid);
  } else if (which == 0) {
    if (!rc_ec2__id_well_formed(tid, "vgw") && !rc_ec2__id_well_formed(tid, "vpce")) {
      rc_sim_error(c, 400, "InvalidGatewayID.NotFound", "The gateway ID '%s' does not exist",
                   tid);
      return false;
    }
    snprintf(target->gateway_id, sizeof target->gateway_id, "%s", tid);
  } else if (which == 1) {
    const struct ec2_nat *n = rc_ec2__vec_find(&rc_ec2__nats, tid);
    if (!n || strcmp(n->state, "deleted") == 0) {
      rc_sim_error(c, 400, "InvalidNatGatewayID.NotFound", "The natGateway ID '%s' does not exist",
                   tid);
      return false;
    }
    if (strcmp(n->vpc_id, (*t)->vpc_id) != 0) {
      rc_sim_error(c, 400, "InvalidParameterValue",
                   "route table %s and NAT gateway %s belong to different networks", (*t)->r.id,
                   tid);
      return false;
    }
    snprintf(target->nat_id, sizeof target->nat_id, "%s", tid);
  } else if (which == 4) {
    const struct ec2_eni *e = rc_ec2__vec_find(&rc_ec2__enis, tid);
    if (!e) {
      rc_sim_error(c, 400, "InvalidNetworkInterfaceID.NotFound",
                   "The networkInterface ID '%s' does not exist", tid);
      return false;
    }
    if (strcmp(e->vpc_id, (*t)->vpc_id) != 0) {
      rc_sim_error(c, 400, "InvalidParameterValue",
                   "route table %s and interface %s belong to different networks", (*t)->r.id,
                   tid);
      return false;
    }
    snprintf(target->eni_id, sizeof target->eni_id, "%s", tid);
  } else if (which == 2) {
    snprintf(target->pcx_id, sizeof target->pcx_id, "%s", tid);
  } else if (which == 3) {
    snprintf(target->tgw_id, sizeof target->tgw_id, "%s", tid);
  } else {
    snprintf(target->gateway_id, sizeof target->gateway_id, "%s", tid); /* AWS shows vpce- as gatewayId */
  }
  snprintf(target->dest, sizeof target->dest, "%s", *dest);
  return true;
}

void rc_ec2__create_route(struct rc_sim_call *c)
{
  struct ec2_rtb *t;
  const char *dest;
  struct ec2_route nr;
  if (!route_args(c, &t, &dest, &nr, true)) return;
  if (find_route(t, dest)) {
    rc_sim_error(c, 400, "RouteAlreadyExists",
                 "The route identified by %s already exists.", dest);
    return;
  }
  snprintf(nr.origin, sizeof nr.origin, "CreateRoute");
  t->routes = rc_realloc(t->routes, (t->n_routes + 1) * sizeof *t->routes);
  t->routes[t->n_routes++] = nr;
  rc_sim_reply_empty(c);
}

void rc_ec2__replace_route(struct rc_sim_call *c)
{
  struct ec2_rtb *t;
  const char *dest;
  struct ec2_route nr;
  if (!route_args(c, &t, &dest, &nr, true)) return;
  struct ec2_route *r = find_route(t, dest);
  if (!r) {
    rc_sim_error(c, 400, "InvalidRoute.NotFound",
                 "no route with destination-cidr-block %s in route table %s", dest, t->r.id);
    return;
  }
  if (strcmp(r->gateway_id, "local") == 0) {
    rc_sim_error(c, 400, "InvalidParameterValue",
                 "cannot replace local route %s in route table %s", dest, t->r.id);
    return;
  }
  snprintf(nr.origin, sizeof nr.origin, "CreateRoute");
  *r = nr;
  rc_sim_reply_empty(c);
}

void rc_ec2__delete_route(struct rc_sim_call *c)
{
  struct ec2_rtb *t;
  const char *dest;
  if (!route_args(c, &t, &dest, NULL, false)) return;
  struct ec2_route *r = find_route(t, dest);
  if (!r) {
    rc_sim_error(c, 400, "InvalidRoute.NotFound",
                 "no route with destination-cidr-block %s in route table %s", dest, t->r.id);
    return;
  }
  if (strcmp(r->gateway_id, "local") == 0) {
    rc_sim_error(c, 400, "InvalidParameterValue",
                 "cannot remove local route %s in route table %s", dest, t->r.id);
    return;
  }
  size_t i = (size_t)(r - t->routes);
  memmove(&t->routes[i], &t->routes[i + 1], (t->n_routes - i - 1) * sizeof *t->routes);
  t->n_routes--;
  rc_sim_reply_empty(c);
}

static struct ec2_rtb *find_assoc(const char *id, size_t *idx)
{
  for (size_t i = 0; i < rc_ec2__rtbs.n; i++) {
    struct ec2_rtb *t = rc_ec2__rtbs.v[i];
    for (size_t k = 0; k < t->n_assocs; k++) {
      if (strcmp(t->assocs[k].id, id) == 0) {
        *idx = k;
        return t;
      }
    }
  }
  return NULL;
}

static void assoc_push(struct ec2_rtb *t, const struct ec2_rtassoc *a)
{
  t->assocs = rc_realloc(t->assocs, (t->n_assocs + 1) * sizeof *t->assocs);
  t->assocs[t->n_assocs++] = *a;
}

static void assoc_drop(struct ec2_rtb *t, size_t k)
{
  memmove(&t->assocs[k], &t->assocs[k + 1], (t->n_assocs - k - 1) * sizeof *t->assocs);
  t->n_assocs--;
}

static void assoc_answer(struct rc_sim_call *c, const char *tag, const char *id)
{
  rc_sim_reply_begin(c);
  rc_sim_xml_str(c, tag, id);
  rc_sim_xml_open(c, "associationState");
  rc_sim_xml_str(c, "state", "associated");
  rc_sim_xml_close(c, "associationState");
  rc_sim_reply_end(c);
}

/* The association of a subnet or gateway anywhere, else NULL. */
static struct ec2_rtb *assoc_of(const char *subnet_id, const char *gw_id, size_t *idx)
{
  for (size_t i = 0; i < rc_ec2__rtbs.n; i++) {
    struct ec2_rtb *o = rc_ec2__rtbs.v[i];
    for (size_t k = 0; k < o->n_assocs; k++) {
      const char *have = subnet_id ? o->assocs[k].subnet_id : o->assocs[k].gateway_id;
      if (have[0] && strcmp(have, subnet_id ? subnet_id : gw_id) == 0) {
        *idx = k;
        return o;
      }
    }
  }
  return NULL;
}

void rc_ec2__associate_rtb(struct rc_sim_call *c)
{
  const char *id = rc_sim_param(c, "RouteTableId");
  const char *subnet_id = rc_sim_param(c, "SubnetId");
  const char *gw_id = rc_sim_param(c, "GatewayId");
  if (!id) {
    rc_sim_error_missing(c, "RouteTableId");
    return;
  }
  if (!subnet_id && !gw_id) {
    rc_sim_error(c, 400, "MissingParameter",
                 "The request must contain the parameter subnetId or gatewayId");
    return;
  }
  if (subnet_id && gw_id) {
    rc_sim_error(c, 400, "InvalidParameterCombination",
                 "The parameter subnetId cannot be used with the parameter gatewayId");
    return;
  }
  struct ec2_rtb *t = rc_ec2__get(c, &rtb_kind, id);
  if (!t) return;
  if (subnet_id) {
    const struct ec2_subnet *s = rc_ec2__vec_find(&rc_ec2__subnets, subnet_id);
    if (!s) {
      rc_sim_error(c, 400, "InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist",
                   subnet_id);
      return;
    }
    if (strcmp(s->vpc_id, t->vpc_id) != 0) {
      rc_sim_error(c, 400, "InvalidParameterValue",
                   "Route table %s and subnet %s belong to different networks", id, subnet_id);
      return;
    }
  } else {
    const struct ec2_igw *g =
        strncmp(gw_id, "igw-", 4) == 0 ? rc_ec2__vec_find(&rc_ec2__igws, gw_id) : NULL;
    if (!g && !rc_ec2__id_well_formed(gw_id, "vgw")) {
      rc_sim_error(c, 400, "InvalidGatewayID.NotFound", "The gateway ID '%s' does not exist",
                   gw_id);
      return;
    }
    if (g && strcmp(g->vpc_id, t->vpc_id) != 0) {
      rc_sim_error(c, 400, "InvalidParameterValue",
                   "Route table %s and gateway %s belong to different networks", id, gw_id);
      return;
    }
  }
  size_t k;
  const struct ec2_rtb *o = assoc_of(subnet_id, gw_id, &k);
  if (o == t) {
    /* AWS answers the existing association for the same pair */
    assoc_answer(c, "associationId", o->assocs[k].id);
    return;
  }
  if (o) {
    rc_sim_error(c, 400, "Resource.AlreadyAssociated",
                 "the specified association for route table %s conflicts with an existing "
                 "association", id);
    return;
  }
  struct ec2_rtassoc a;
  memset(&a, 0, sizeof a);
  rc_sim_id("rtbassoc", a.id, sizeof a.id);
  if (subnet_id) snprintf(a.subnet_id, sizeof a.subnet_id, "%s", subnet_id);
  else snprintf(a.gateway_id, sizeof a.gateway_id, "%s", gw_id);
  assoc_push(t, &a);
  assoc_answer(c, "associationId", a.id);
}

void rc_ec2__disassociate_rtb(struct rc_sim_call *c)
{
  const char *id = rc_sim_param(c, "AssociationId");
  if (!id) {
    rc_sim_error_missing(c, "AssociationId");
    return;
  }
  size_t k;
  struct ec2_rtb *t = find_assoc(id, &k);
  if (!t) {
    rc_sim_error(c, 400, "InvalidAssociationID.NotFound",
                 "The association ID '%s' does not exist", id);
    return;
  }
  if (t->assocs[k].main) {
    rc_sim_error(c, 400, "InvalidParameterValue",
                 "cannot disassociate the main route table association %s", id);
    return;
  }
  assoc_drop(t, k);
  rc_sim_reply_empty(c);
}

void rc_ec2__replace_rtb_assoc(struct rc_sim_call *c)
{
  const char *id = rc_sim_param(c, "AssociationId");
  const char *rtb = rc_sim_param(c, "RouteTableId");
  if (!id) {
    rc_sim_error_missing(c, "AssociationId");
    return;
  }
  if (!rtb) {
    rc_sim_error_missing(c, "RouteTableId");
    return;
  }
  size_t k;
  struct ec2_rtb *old = find_assoc(id, &k);
  if (!old) {
    rc_sim_error(c, 400, "InvalidAssociationID.NotFound",
                 "The association ID '%s' does not exist", id);
    return;
  }
  struct ec2_rtb *t = rc_ec2__get(c, &rtb_kind, rtb);
  if (!t) return;
  if (strcmp(t->vpc_id, old->vpc_id) != 0) {
    rc_sim_error(c, 400, "InvalidParameterValue",
                 "Route table %s and association %s belong to different networks", rtb, id);
    return;
  }
  struct ec2_rtassoc a = old->assocs[k];
  assoc_drop(old, k);
  rc_sim_id("rtbassoc", a.id, sizeof a.id);
  assoc_push(t, &a);
  if (a.main) {
    struct ec2_vpc *v = rc_ec2__vec_find(&rc_ec2__vpcs, t->vpc_id);
    if (v) snprintf(v->main_rtb, sizeof v->main_rtb, "%s", t->r.id);
  }
  assoc_answer(c, "newAssociationId", a.id);
}
