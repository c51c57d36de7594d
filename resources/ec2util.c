#include "ec2util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sigv4.h"
#include "rc_alloc.h"
#include "rc_buf.h"

static bool item_live(const struct rc_ec2u_kind *k, const struct rc_value *item)
{
  return !k->live || k->live(item);
}

rc_status rc_ec2u_describe(struct rc_rctx *ctx, const struct rc_ec2u_kind *k,
                           const struct rc_value *params, struct rc_value **list,
                           struct rc_error *err)
{
  struct rc_value *all = NULL;
  *list = NULL;
  rc_status st = rc_aws_call_all(ctx->aws, "ec2", k->describe_op, params, k->list_key, &all, err);
  if (st) return st;
  struct rc_value *live = rc_value_seq_new(RC_TUPLE);
  for (size_t i = 0; i < rc_value_len(all); i++) {
    const struct rc_value *it = rc_value_index(all, i);
    if (item_live(k, it)) rc_value_seq_push(live, rc_value_incref(it));
  }
  rc_value_decref(all);
  *list = live;
  return RC_OK;
}

rc_status rc_ec2u_describe_ids(struct rc_rctx *ctx, const struct rc_ec2u_kind *k,
                               const char *const *ids, size_t n, struct rc_value **list,
                               struct rc_error *err)
{
  struct rc_value *acc = rc_value_seq_new(RC_TUPLE);
  *list = NULL;
  for (size_t at = 0; at < n; at += RC_EC2U_FILTER_MAX) {
    struct rc_value *p = rc_value_obj_new(RC_OBJECT), *part = NULL;
    rc_aws_param(p, "Filter.1.Name", k->id_filter);
    size_t m = n - at < RC_EC2U_FILTER_MAX ? n - at : RC_EC2U_FILTER_MAX;
    for (size_t i = 0; i < m; i++) rc_aws_paramf(p, ids[at + i], "Filter.1.Value.%zu", i + 1);
    rc_status st = rc_ec2u_describe(ctx, k, p, &part, err);
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

static const struct rc_value *find_item(const struct rc_ec2u_kind *k, const struct rc_value *list,
                                        const char *id)
{
  for (size_t i = 0; id && i < rc_value_len(list); i++) {
    const char *v = rc_aws_str(rc_value_index(list, i), k->id_key);
    if (v && strcmp(v, id) == 0) return rc_value_index(list, i);
  }
  return NULL;
}

struct id_ix {
  const char *id;
  const struct rc_value *item;
};

static int cmp_id_ix(const void *a, const void *b)
{
  return strcmp(((const struct id_ix *)a)->id, ((const struct id_ix *)b)->id);
}

/* The answer's items sorted by id, so matching N requested ids costs
 * N log N rather than a scan of the whole answer per id. */
static struct id_ix *index_items(const struct rc_ec2u_kind *k, const struct rc_value *list,
                                 size_t *n)
{
  size_t len = list ? rc_value_len(list) : 0;
  struct id_ix *ix = rc_calloc(len + 1, sizeof *ix);
  *n = 0;
  for (size_t i = 0; i < len; i++) {
    const char *v = rc_aws_str(rc_value_index(list, i), k->id_key);
    if (v) ix[(*n)++] = (struct id_ix){v, rc_value_index(list, i)};
  }
  qsort(ix, *n, sizeof *ix, cmp_id_ix);
  return ix;
}

static const struct rc_value *lookup_item(const struct id_ix *ix, size_t n, const char *id)
{
  if (!id) return NULL;
  struct id_ix key = {id, NULL};
  const struct id_ix *hit = bsearch(&key, ix, n, sizeof *ix, cmp_id_ix);
  return hit ? hit->item : NULL;
}

rc_status rc_ec2u_read_many(struct rc_rctx *ctx, const struct rc_ec2u_kind *k,
                            struct rc_read_item *items, size_t n)
{
  const char **ids = rc_calloc(n + 1, sizeof *ids);
  struct rc_value **states = rc_calloc(n + 1, sizeof *states);
  struct rc_value **found = rc_calloc(n + 1, sizeof *found);
  struct rc_value *list = NULL;
  struct rc_error err = {0};
  size_t nids = 0, nfound = 0;
  for (size_t i = 0; i < n; i++)
    if (items[i].id && *items[i].id) ids[nids++] = items[i].id;
  rc_status st = nids ? rc_ec2u_describe_ids(ctx, k, ids, nids, &list, &err) : RC_OK;
  size_t nix = 0;
  struct id_ix *ix = st ? NULL : index_items(k, list, &nix);
  for (size_t i = 0; !st && i < n; i++) {
    const struct rc_value *it = lookup_item(ix, nix, items[i].id);
    if (!it) continue;
    states[i] = k->to_state(ctx, it, items[i].prior);
    found[nfound++] = states[i];
  }
  if (!st && k->enrich && nfound) st = k->enrich(ctx, found, nfound, &err);
  for (size_t i = 0; i < n; i++) {
    items[i].status = st;
    if (st) {
      items[i].err = err;
      rc_value_decref(states[i]);
      items[i].out = NULL;
    } else {
      items[i].out = states[i];
    }
  }
  rc_value_decref(list);
  rc_free(ix);
  rc_free(ids);
  rc_free(states);
  rc_free(found);
  return st;
}

rc_status rc_ec2u_read_one(struct rc_rctx *ctx, const struct rc_ec2u_kind *k, const char *id,
                           const struct rc_value *prior, int wait_s, struct rc_value **out,
                           struct rc_error *err)
{
  *out = NULL;
  int64_t deadline = rc_res_now_ms() + (int64_t)wait_s * 1000;
  int delay = 200;
  for (;;) {
    struct rc_value *list = NULL;
    const char *ids[1] = {id};
    rc_status st = rc_ec2u_describe_ids(ctx, k, ids, 1, &list, err);
    if (st) return st;
    const struct rc_value *it = find_item(k, list, id);
    if (it) {
      struct rc_value *s = k->to_state(ctx, it, prior);
      rc_value_decref(list);
      if (k->enrich && (st = k->enrich(ctx, &s, 1, err))) {
        rc_value_decref(s);
        return st;
      }
      *out = s;
      return RC_OK;
    }
    rc_value_decref(list);
    if (rc_res_now_ms() + delay > deadline)
      return rc_error_set(err, RC_NOT_FOUND, "%s: %s not found", k->describe_op, id);
    if (rc_res_sleep(ctx, delay))
      return rc_error_set(err, RC_CANCELLED, "cancelled while reading %s", id);
    delay = delay * 2 > 2000 ? 2000 : delay * 2;
  }
}

rc_status rc_ec2u_find_tagged(struct rc_rctx *ctx, const struct rc_ec2u_kind *k,
                              const struct rc_value *config, struct rc_value **out,
                              struct rc_error *err)
{
  *out = NULL;
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *list = NULL;
  rc_res_ec2_tag_filters(ctx, p, 1);
  rc_status st = rc_ec2u_describe(ctx, k, p, &list, err);
  rc_value_decref(p);
  if (st) return st;
  if (rc_value_len(list)) {
    struct rc_value *s = k->to_state(ctx, rc_value_index(list, 0), config);
    if (k->enrich && (st = k->enrich(ctx, &s, 1, err))) {
      rc_value_decref(s);
      s = NULL;
    }
    *out = s;
  }
  rc_value_decref(list);
  return st;
}

rc_status rc_ec2u_call(struct rc_rctx *ctx, const char *op, const struct rc_value *params,
                       struct rc_error *err)
{
  struct rc_value *out = NULL;
  rc_status st = rc_aws_call(ctx->aws, "ec2", op, params, &out, err);
  rc_value_decref(out);
  return st;
}

static bool retryable(rc_status st, const struct rc_error *e, const char *const *retry_on)
{
  for (const char *const *r = retry_on; r && *r; r++)
    if (strstr(e->aws_code, *r) || strstr(e->msg, *r)) return true;
  return st == RC_DEPENDENCY && retry_on;
}

rc_status rc_ec2u_call_retry(struct rc_rctx *ctx, const char *op, const struct rc_value *params,
                             const char *const *retry_on, int timeout_s, struct rc_error *err)
{
  int64_t deadline = rc_res_now_ms() + (int64_t)timeout_s * 1000;
  int delay = 500;
  for (;;) {
    struct rc_error e = {0};
    rc_status st = rc_ec2u_call(ctx, op, params, &e);
    if (st == RC_OK) return RC_OK;
    if (!retryable(st, &e, retry_on) || rc_res_now_ms() + delay > deadline) {
      if (err && err->code == RC_OK) *err = e;
      return st;
    }
    if (rc_res_sleep(ctx, delay)) {
      if (err && err->code == RC_OK) *err = e;
      return RC_CANCELLED;
    }
    delay = delay * 2 > 5000 ? 5000 : delay * 2;
  }
}

rc_status rc_ec2u_delete(struct rc_rctx *ctx, const char *op, const char *id_param,
                         const char *id, const char *const *retry_on, int timeout_s,
                         struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_aws_param(p, id_param, id);
  struct rc_error e = {0};
  rc_status st = rc_ec2u_call_retry(ctx, op, p, retry_on, timeout_s, &e);
  rc_value_decref(p);
  if (st == RC_NOT_FOUND) return RC_OK;
  if (st && err && err->code == RC_OK) *err = e;
  return st;
}

void rc_ec2u_put_str(struct rc_value *o, const char *key, const char *s)
{
  rc_value_obj_put(o, key, s && *s ? rc_value_string(s) : rc_value_null());
}

void rc_ec2u_put_bool(struct rc_value *o, const char *key, const char *s, bool dflt)
{
  rc_value_obj_put(o, key, rc_value_bool(s ? strcmp(s, "true") == 0 : dflt));
}

void rc_ec2u_put_int(struct rc_value *o, const char *key, const char *s)
{
  if (s && *s) {
    char *end;
    long long n = strtoll(s, &end, 10);
    if (*end == '\0') {
      rc_value_obj_put(o, key, rc_value_int(n));
      return;
    }
  }
  rc_value_obj_put(o, key, rc_value_null());
}

void rc_ec2u_carry(struct rc_value *o, const struct rc_value *prior, const char *key)
{
  const struct rc_value *v = prior ? rc_value_get(prior, key) : NULL;
  rc_value_obj_put(o, key, v && rc_value_is_wholly_known(v) ? rc_value_incref(v) : rc_value_null());
}

void rc_ec2u_put_tags(struct rc_rctx *ctx, struct rc_value *o, const struct rc_value *item)
{
  struct rc_value *t = rc_res_ec2_tags(item);
  rc_res_put_tags(ctx, o, t);
  rc_value_decref(t);
}

char *rc_ec2u_arn(struct rc_rctx *ctx, const char *owner, const char *what, const char *id)
{
  const char *region = ctx->region && *ctx->region ? ctx->region
                                                   : (ctx->aws ? rc_aws_client_region(ctx->aws) : "");
  return rc_asprintf("arn:aws:ec2:%s:%s:%s/%s", region ? region : "", owner ? owner : "", what,
                     id ? id : "");
}

void rc_ec2u_client_token(const struct rc_rctx *ctx, const char *salt, char *out, size_t maxlen)
{
  char *src = rc_asprintf("%s|%s|%s|%s", ctx->idempotency_seed ? ctx->idempotency_seed : "",
                          ctx->stack ? ctx->stack : "", ctx->address ? ctx->address : "",
                          salt ? salt : "");
  char hex[65];
  rc_sigv4_sha256_hex(src, strlen(src), hex);
  rc_free(src);
  if (maxlen > 64) maxlen = 64;
  memcpy(out, hex, maxlen);
  out[maxlen] = '\0';
}

struct rc_value *rc_ec2u_norm_cidr(const struct rc_value *v)
{
  const char *s = rc_value_str(v);
  if (!s) return NULL;
  const char *slash = strchr(s, '/');
  if (!slash || slash - s >= 64) return NULL;
  char addr[64];
  memcpy(addr, s, (size_t)(slash - s));
  addr[slash - s] = '\0';
  char *end;
  long len = strtol(slash + 1, &end, 10);
  if (*end || end == slash + 1) return NULL;
  unsigned char bytes[16];
  int fam = strchr(addr, ':') ? AF_INET6 : AF_INET;
  int nbytes = fam == AF_INET6 ? 16 : 4;
  if (len < 0 || len > nbytes * 8 || inet_pton(fam, addr, bytes) != 1) return NULL;
  for (int i = 0; i < nbytes; i++) {
    long keep = len - i * 8;
    if (keep <= 0)
      bytes[i] = 0;
    else if (keep < 8)
      bytes[i] &= (unsigned char)(0xff << (8 - keep));
  }
  char txt[INET6_ADDRSTRLEN];
  if (!inet_ntop(fam, bytes, txt, sizeof txt)) return NULL;
  char *r = rc_asprintf("%s/%ld", txt, len);
  return rc_value_string_steal(r);
}

struct rc_value *rc_ec2u_norm_cidr_set(const struct rc_value *v)
{
  if (!rc_value_is_seq(v)) return NULL;
  struct rc_value *r = rc_value_seq_new(rc_value_kind(v) == RC_SET ? RC_SET : RC_LIST);
  for (size_t i = 0; i < rc_value_len(v); i++) {
    const struct rc_value *e = rc_value_index(v, i);
    struct rc_value *n = rc_ec2u_norm_cidr(e);
    rc_value_seq_push(r, n ? n : rc_value_incref(e));
  }
  return rc_value_seq_seal(r);
}

const struct rc_ec2u_route_field rc_ec2u_route_fields[] = {
    {"cidr_block", "destination_cidr_block", "DestinationCidrBlock", "destinationCidrBlock", true},
    {"ipv6_cidr_block", "destination_ipv6_cidr_block", "DestinationIpv6CidrBlock",
     "destinationIpv6CidrBlock", true},
    {"destination_prefix_list_id", "destination_prefix_list_id", "DestinationPrefixListId",
     "destinationPrefixListId", true},
    {"carrier_gateway_id", "carrier_gateway_id", "CarrierGatewayId", "carrierGatewayId", false},
    {"core_network_arn", "core_network_arn", "CoreNetworkArn", "coreNetworkArn", false},
    {"egress_only_gateway_id", "egress_only_gateway_id", "EgressOnlyInternetGatewayId",
     "egressOnlyInternetGatewayId", false},
    {"gateway_id", "gateway_id", "GatewayId", "gatewayId", false},
    {"local_gateway_id", "local_gateway_id", "LocalGatewayId", "localGatewayId", false},
    {"nat_gateway_id", "nat_gateway_id", "NatGatewayId", "natGatewayId", false},
    {"network_interface_id", "network_interface_id", "NetworkInterfaceId", "networkInterfaceId",
     false},
    {"transit_gateway_id", "transit_gateway_id", "TransitGatewayId", "transitGatewayId", false},
    {"vpc_endpoint_id", "vpc_endpoint_id", "VpcEndpointId", NULL, false},
    {"vpc_peering_connection_id", "vpc_peering_connection_id", "VpcPeeringConnectionId",
     "vpcPeeringConnectionId", false},
    {0}};

struct rc_value *rc_ec2u_route_obj(const struct rc_value *r, bool block)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  const char *gw = rc_aws_str(r, "gatewayId");
  bool vpce = gw && strncmp(gw, "vpce-", 5) == 0; /* AWS reports endpoints as gateways */
  for (const struct rc_ec2u_route_field *f = rc_ec2u_route_fields; f->block; f++) {
    const char *name = block ? f->block : f->attr;
    const char *v = f->answer ? rc_aws_str(r, f->answer) : NULL;
    if (!f->answer) v = vpce ? gw : NULL;
    if (strcmp(f->block, "gateway_id") == 0 && vpce) v = NULL;
    rc_ec2u_put_str(o, name, v);
  }
  return o;
}

const char *rc_ec2u_route_dest(const struct rc_value *route, bool block)
{
  for (const struct rc_ec2u_route_field *f = rc_ec2u_route_fields; f->block && f->dest; f++) {
    const char *v = rc_res_str(route, block ? f->block : f->attr);
    if (v && *v) return v;
  }
  return NULL;
}

void rc_ec2u_route_params(struct rc_value *params, const char *rtb, const struct rc_value *route,
                          bool block, bool with_target)
{
  rc_aws_param(params, "RouteTableId", rtb);
  for (const struct rc_ec2u_route_field *f = rc_ec2u_route_fields; f->block; f++) {
    if (!f->dest && !with_target) continue;
    const char *v = rc_res_str(route, block ? f->block : f->attr);
    if (v && *v) rc_aws_param(params, f->wire, v);
  }
}

bool rc_ec2u_route_hidden(const struct rc_value *r)
{
  const char *origin = rc_aws_str(r, "origin"), *gw = rc_aws_str(r, "gatewayId");
  if (gw && strcmp(gw, "local") == 0) return true;
  return origin && (strcmp(origin, "CreateRouteTable") == 0 ||
                    strcmp(origin, "EnableVgwRoutePropagation") == 0);
}

uint32_t rc_ec2u_crc32(const char *s)
{
  uint32_t c = 0xffffffffu;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    c ^= *p;
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
  }
  return c ^ 0xffffffffu;
}

struct rc_value *rc_ec2u_norm_protocol(const struct rc_value *v)
{
  static const struct {
    const char *num, *name;
  } names[] = {{"1", "icmp"}, {"6", "tcp"}, {"17", "udp"}, {"58", "icmpv6"}};
  char buf[32];
  const char *s = rc_value_str(v);
  if (!s) {
    if (rc_value_kind(v) != RC_NUMBER) return NULL;
    rc_value_format_number(v, buf, sizeof buf);
    s = buf;
  }
  char low[32];
  size_t i = 0;
  for (; s[i] && i < sizeof low - 1; i++) low[i] = (char)tolower((unsigned char)s[i]);
  low[i] = '\0';
  if (strcmp(low, "all") == 0 || strcmp(low, "-1") == 0) return rc_value_string("-1");
  for (size_t k = 0; k < sizeof names / sizeof *names; k++)
    if (strcmp(low, names[k].num) == 0) return rc_value_string(names[k].name);
  return rc_value_string(low);
}

void rc_ec2u_sg_perm(struct rc_value *p, int n, const char *proto, int64_t from, int64_t to,
                     char kind, const char *peer, const char *desc)
{
  rc_aws_paramf(p, proto, "IpPermissions.%d.IpProtocol", n);
  if (strcmp(proto, "-1") != 0) {
    char key[64];
    snprintf(key, sizeof key, "IpPermissions.%d.FromPort", n);
    rc_value_obj_put(p, key, rc_value_int(from));
    snprintf(key, sizeof key, "IpPermissions.%d.ToPort", n);
    rc_value_obj_put(p, key, rc_value_int(to));
  }
  const char *list = kind == 'c' ? "IpRanges" : kind == '6' ? "Ipv6Ranges"
                   : kind == 'p' ? "PrefixListIds" : "Groups";
  const char *field = kind == 'c' ? "CidrIp" : kind == '6' ? "CidrIpv6"
                    : kind == 'p' ? "PrefixListId" : "GroupId";
  rc_aws_paramf(p, peer, "IpPermissions.%d.%s.1.%s", n, list, field);
  if (desc && *desc) rc_aws_paramf(p, desc, "IpPermissions.%d.%s.1.Description", n, list);
}

int rc_ec2u_filter1(struct rc_value *params, int n, const char *name, const char *value)
{
  if (!value || !*value) return n;
  rc_aws_paramf(params, name, "Filter.%d.Name", n);
  rc_aws_paramf(params, value, "Filter.%d.Value.1", n);
  return n + 1;
}

int rc_ec2u_ds_filters(struct rc_value *params, int n, const struct rc_value *cfg)
{
  const struct rc_value *fs = rc_value_get(cfg, "filter");
  for (size_t i = 0; fs && rc_value_is_seq(fs) && i < rc_value_len(fs); i++) {
    const struct rc_value *f = rc_value_index(fs, i);
    const char *name = rc_res_str(f, "name");
    const struct rc_value *vals = rc_value_get(f, "values");
    if (!name) continue;
    rc_aws_paramf(params, name, "Filter.%d.Name", n);
    for (size_t k = 0; vals && rc_value_is_seq(vals) && k < rc_value_len(vals); k++) {
      const char *v = rc_value_str(rc_value_index(vals, k));
      if (v) rc_aws_paramf(params, v, "Filter.%d.Value.%zu", n, k + 1);
    }
    n++;
  }
  const struct rc_value *tags = rc_value_get(cfg, "tags");
  for (size_t i = 0; tags && rc_value_is_obj(tags) && i < rc_value_len(tags); i++) {
    const char *v = rc_value_str(rc_value_index(tags, i));
    if (!v) continue;
    char name[300];
    snprintf(name, sizeof name, "tag:%s", rc_value_key(tags, i));
    n = rc_ec2u_filter1(params, n, name, v);
  }
  return n;
}
