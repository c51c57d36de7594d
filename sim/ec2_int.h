/* ec2_int.h — EC2's state, shared by the sim/ec2_*.c files only. Every
 * resource struct begins with struct ec2_res (id, tags, visibility, creation
 * time) so the generic Describe machinery (ec2.c) can page, filter by id and
 * tags, and hide not-yet-visible resources for any kind. Resources are owned
 * by their kind's vector (struct ec2_vec); all access happens under the
 * global sim lock. */
#ifndef RC_SIM_EC2_INT_H
#define RC_SIM_EC2_INT_H
#include "sim.h"

#define EC2_XMLNS "http://ec2.amazonaws.com/doc/2016-11-15/"

struct ec2_res {
  char id[40];
  struct rc_sim_tags tags;
  uint64_t visible_at;
  uint64_t created_ms;
  char region[32];        /* of the creating call: other regions do not see it */
};

struct ec2_vec {
  void **v; /* each points to a struct whose first member is struct ec2_res */
  size_t n;
};

void rc_ec2__vec_push(struct ec2_vec *vec, void *res);
void *rc_ec2__vec_find(const struct ec2_vec *vec, const char *id);
/* Removes res from vec (keeps order); does not free it. */
void rc_ec2__vec_remove(struct ec2_vec *vec, const void *res);

/* How one kind is described: which params carry ids, its not-found error,
 * its filters and its writer. */
typedef bool (*ec2_match_fn)(const void *res, const struct rc_sim_filter *f, bool *known);
typedef void (*ec2_write_fn)(struct rc_sim_call *c, const void *res);
struct ec2_kind {
  struct ec2_vec *vec;
  const char *id_param;     /* "VpcId" → VpcId.1..N */
  const char *notfound;     /* "InvalidVpcID.NotFound" */
  const char *notfound_fmt; /* "The vpc ID '%s' does not exist" */
  const char *set_tag;      /* "vpcSet" */
  ec2_match_fn match;       /* non-tag filters; NULL: only tag filters */
  ec2_write_fn write;       /* writes one <item>...</item> */
  long page_lo, page_hi;    /* MaxResults bounds; 0: no pagination */
  const char *filter_param; /* "Filter" */
};
/* A whole Describe call: ids, filters, visibility, pagination, answer. */
void rc_ec2__describe(struct rc_sim_call *c, const struct ec2_kind *k);
/* Looks up a visible resource by id; answers not-found and returns NULL. */
void *rc_ec2__get(struct rc_sim_call *c, const struct ec2_kind *k, const char *id);
/* The same for the id in the call's k->id_param (in *id), answering
 * MissingParameter when absent. */
void *rc_ec2__get_param(struct rc_sim_call *c, const struct ec2_kind *k, const char **id);
/* Sets the common fields of a new resource: id from prefix, tags from the
 * call's TagSpecification for tag_type (may be NULL), times. */
void rc_ec2__res_init(struct rc_sim_call *c, struct ec2_res *r, const char *prefix,
                      const char *tag_type);
/* String filter helper: sets *known and returns whether value matches. */
bool rc_ec2__match_str(const struct rc_sim_filter *f, const char *name, const char *value,
                       bool *known, bool *result);
/* The item's tagSet. */
void rc_ec2__write_tags(struct rc_sim_call *c, const struct ec2_res *r);

/* --- kinds (one per file) --- */
struct ec2_vpc {
  struct ec2_res r;
  char cidr[48];
  char cidr_assoc[48];
  char dhcp[32];
  char main_rtb[40];
  char default_sg[40];
  bool dns_support, dns_hostnames;
  char tenancy[16];
};
struct ec2_subnet {
  struct ec2_res r;
  char vpc_id[40];
  char cidr[48];
  char az[32];
  char az_id[32];
  bool map_public_ip;
  uint32_t next_host; /* offset of the next private IP handed out */
};
struct ec2_igw {
  struct ec2_res r;
  char vpc_id[40]; /* "" when detached */
};
struct ec2_eip {
  struct ec2_res r;
  char public_ip[20];
  char assoc_id[40];
  char eni_id[40];
  char private_ip[20];
};
struct ec2_nat {
  struct ec2_res r;
  char vpc_id[40];
  char subnet_id[40];
  char state[16];        /* pending, available, deleting, deleted, failed */
  uint64_t next_at_ms;   /* when pending→available or deleting→deleted */
  uint64_t delete_ms;
  char alloc_id[40];
  char eni_id[40];
  char private_ip[20];
  char public_ip[20];
  char conn_type[16];    /* public, private */
  char client_token[80];
  char fail_code[64];
  char fail_msg[200];
};
struct ec2_route {
  char dest[48];
  char gateway_id[40];   /* igw-, vgw-, vpce- (gateway load balancer endpoint) or "local" */
  char nat_id[40];
  char pcx_id[40];       /* targets recon-sim does not model: stored as given */
  char tgw_id[40];
  char eni_id[40];       /* must exist in the table's VPC */
  char origin[32];       /* CreateRouteTable, CreateRoute */
};
struct ec2_rtassoc {
  char id[40];
  char subnet_id[40];    /* "" for a gateway (edge) or the main association */
  char gateway_id[40];   /* edge association: igw- attached to the VPC */
  bool main;
};
struct ec2_rtb {
  struct ec2_res r;
  char vpc_id[40];
  struct ec2_route *routes;
  size_t n_routes;
  struct ec2_rtassoc *assocs;
  size_t n_assocs;
};
struct ec2_rule {
  struct ec2_res r;      /* sgr- id and tags */
  char group_id[40];
  bool egress;
  char proto[16];        /* "-1", "tcp", "udp", "icmp" or a number */
  int from, to;          /* -1 when not applicable */
  char cidr[48];         /* IPv4 range, or "" */
  char cidr6[64];
  char ref_group[40];    /* referenced group, or "" */
  char prefix_list[40];
  char description[256];
};
struct ec2_sg {
  struct ec2_res r;
  char name[256];
  char description[256];
  char vpc_id[40];
};
struct ec2_eni {
  struct ec2_res r;
  char subnet_id[40];
  char vpc_id[40];
  char az[32];
  char description[256];
  char **groups;
  size_t n_groups;
  char private_ip[20];
  char mac[20];
  char status[16];       /* available, in-use */
  char type[32];         /* interface, nat_gateway */
  bool requester_managed;
  char attach_id[40];
};

extern struct ec2_vec rc_ec2__vpcs, rc_ec2__subnets, rc_ec2__igws, rc_ec2__eips, rc_ec2__nats,
    rc_ec2__rtbs, rc_ec2__sgs, rc_ec2__rules, rc_ec2__enis;
extern int rc_ec2__nat_delay_ms;
extern int rc_ec2__nat_delete_ms;

/* Ops per file (registered in ec2.c's table). */
void rc_ec2__create_vpc(struct rc_sim_call *c);
void rc_ec2__describe_vpcs(struct rc_sim_call *c);
void rc_ec2__delete_vpc(struct rc_sim_call *c);
void rc_ec2__modify_vpc_attribute(struct rc_sim_call *c);
void rc_ec2__describe_vpc_attribute(struct rc_sim_call *c);
void rc_ec2__create_subnet(struct rc_sim_call *c);
void rc_ec2__describe_subnets(struct rc_sim_call *c);
void rc_ec2__delete_subnet(struct rc_sim_call *c);
void rc_ec2__modify_subnet_attribute(struct rc_sim_call *c);
void rc_ec2__create_igw(struct rc_sim_call *c);
void rc_ec2__describe_igws(struct rc_sim_call *c);
void rc_ec2__delete_igw(struct rc_sim_call *c);
void rc_ec2__attach_igw(struct rc_sim_call *c);
void rc_ec2__detach_igw(struct rc_sim_call *c);
void rc_ec2__allocate_address(struct rc_sim_call *c);
void rc_ec2__release_address(struct rc_sim_call *c);
void rc_ec2__describe_addresses(struct rc_sim_call *c);
void rc_ec2__create_nat(struct rc_sim_call *c);
void rc_ec2__describe_nats(struct rc_sim_call *c);
void rc_ec2__delete_nat(struct rc_sim_call *c);
void rc_ec2__nat_tick(uint64_t now);
void rc_ec2__create_rtb(struct rc_sim_call *c);
void rc_ec2__describe_rtbs(struct rc_sim_call *c);
void rc_ec2__delete_rtb(struct rc_sim_call *c);
void rc_ec2__create_route(struct rc_sim_call *c);
void rc_ec2__replace_route(struct rc_sim_call *c);
void rc_ec2__delete_route(struct rc_sim_call *c);
void rc_ec2__associate_rtb(struct rc_sim_call *c);
void rc_ec2__disassociate_rtb(struct rc_sim_call *c);
void rc_ec2__replace_rtb_assoc(struct rc_sim_call *c);
void rc_ec2__create_sg(struct rc_sim_call *c);
void rc_ec2__describe_sgs(struct rc_sim_call *c);
void rc_ec2__delete_sg(struct rc_sim_call *c);
void rc_ec2__authorize_ingress(struct rc_sim_call *c);
void rc_ec2__authorize_egress(struct rc_sim_call *c);
void rc_ec2__revoke_ingress(struct rc_sim_call *c);
void rc_ec2__revoke_egress(struct rc_sim_call *c);
void rc_ec2__describe_sg_rules(struct rc_sim_call *c);
void rc_ec2__modify_sg_rules(struct rc_sim_call *c);
void rc_ec2__create_eni(struct rc_sim_call *c);
void rc_ec2__describe_enis(struct rc_sim_call *c);
void rc_ec2__delete_eni(struct rc_sim_call *c);
void rc_ec2__describe_azs(struct rc_sim_call *c);
void rc_ec2__describe_account_attributes(struct rc_sim_call *c);
void rc_ec2__create_tags(struct rc_sim_call *c);
void rc_ec2__delete_tags(struct rc_sim_call *c);
void rc_ec2__describe_tags(struct rc_sim_call *c);

/* Cross-file helpers. */
/* Creates the main route table and default SG of a new VPC (ec2_route.c / ec2_sg.c). */
struct ec2_rtb *rc_ec2__rtb_new(struct rc_sim_call *c, const char *vpc_id, const char *cidr,
                                bool main);
struct ec2_sg *rc_ec2__sg_new(struct rc_sim_call *c, const char *vpc_id, const char *name,
                              const char *desc, bool default_egress);
void rc_ec2__rtb_free(struct ec2_rtb *t);
void rc_ec2__sg_destroy(struct ec2_sg *g); /* removes its rules too */
void rc_ec2__eni_free(struct ec2_eni *e);
/* A free private IP of a subnet (ec2_subnet.c). */
void rc_ec2__subnet_next_ip(struct ec2_subnet *s, char *out, size_t outsz);
/* CIDR parsing: "10.0.0.0/16" → base address and prefix length. */
bool rc_ec2__cidr_parse(const char *s, uint32_t *base, int *len);
/* "prefix-" followed by 8 or 17 lower-case hex digits, as AWS's ids. */
bool rc_ec2__id_well_formed(const char *id, const char *prefix);
/* An ENI in a subnet (ec2_misc.c); the sim.h wrapper is rc_sim_ec2_eni_create. */
struct ec2_eni *rc_ec2__eni_new(const struct ec2_subnet *s, const char *description,
                                const char *type, bool requester_managed);
/* Availability zones of a region (ec2_misc.c): name of the idx-th zone
 * ("us-east-1a"), and whether az is one of them (writes its zone id). */
#define EC2_N_AZS 6
void rc_ec2__az_name(const char *region, int idx, char *out, size_t outsz);
bool rc_ec2__az_lookup(const char *region, const char *az, char *az_id, size_t idsz);
/* Any resource by id, for CreateTags: its ec2_res and resource-type name. */
struct ec2_res *rc_ec2__any(const char *id, const char **type);

#endif
