/* sim.h — the interface between recon-sim's core and its service files.
 *
 * A service is one table row (struct rc_sim_service) listed in sim/services.c;
 * its operations are a table {name, handler}. The core parses the HTTP
 * request, authenticates it (SigV4 shape, optionally the signature), routes it
 * by the credential scope's service then by X-Amz-Target or Action, injects
 * the configured misbehaviour, and calls the handler with ONE GLOBAL LOCK
 * HELD: handlers, tick, reset, save and load never run concurrently, so a
 * service keeps its state in plain static variables of its own file.
 *
 * Ownership, in jansson's words: everything in struct rc_sim_call belongs to
 * the core; handlers borrow it for the duration of the call. Strings that
 * functions here return are borrowed from the call unless the doc says "new"
 * (then rc_free them). json_t results named "steal" are taken over.
 *
 * Writing a handler:
 *   static void op_create_vpc(struct rc_sim_call *c) {
 *     const char *cidr = rc_sim_param(c, "CidrBlock");
 *     if (!cidr) { rc_sim_error_missing(c, "CidrBlock"); return; }
 *     ...
 *     rc_sim_reply_begin(c);                 // <CreateVpcResponse xmlns=..><requestId>..
 *     rc_sim_xml_open(c, "vpc");
 *     rc_sim_xml_str(c, "vpcId", id);        // escaped; NULL value → nothing
 *     rc_sim_xml_close(c, "vpc");
 *     rc_sim_reply_end(c);
 *   }
 * Query services (ELBv2, IAM, STS): rc_sim_reply_begin opens
 * <OpResponse xmlns><OpResult>, rc_sim_reply_end closes it and adds
 * ResponseMetadata/RequestId; rc_sim_reply_empty for operations without a
 * result element. JSON 1.1 services: rc_sim_reply_json(c, obj). REST (S3):
 * rc_sim_reply_raw + rc_sim_header. Errors: rc_sim_error(c, status, code, fmt,
 * ...) in the service's protocol shape; it discards anything written before.
 *
 * Time is milliseconds since the epoch (rc_sim_now_ms); delayed transitions
 * store an absolute deadline and are applied lazily: the core calls every
 * service's tick(now) before each handler and before a state export. */
#ifndef RC_SIM_H
#define RC_SIM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "common/rc_buf.h"
#include "common/rc_status.h"

#define RC_SIM_ACCOUNT "123456789012"
#define RC_SIM_MAX_HEADERS 16 /* extra response headers per call */

enum rc_sim_protocol {
  RC_SIM_EC2,      /* query request, EC2 XML answers (<requestId>, <Response><Errors>) */
  RC_SIM_QUERY,    /* query request, <OpResult> + ResponseMetadata (ELBv2, IAM, STS) */
  RC_SIM_JSON,     /* JSON 1.1, X-Amz-Target: Prefix.Operation (ECS, Logs) */
  RC_SIM_REST_XML  /* method + path (S3): the service's `rest` handler gets all */
};

struct rc_sim_kv {
  char *key; /* headers: lower-cased name */
  char *val;
};

struct rc_sim_request {
  char *method;               /* "POST" */
  char *path;                 /* raw path, still %-encoded, no query */
  char *query;                /* raw query string after '?', "" when none */
  struct rc_sim_kv *headers;  /* as received, names lower-cased */
  size_t n_headers;
  char *body;                 /* NUL-terminated copy of the body */
  size_t body_len;
  struct rc_sim_kv *params;   /* query string + form body, url-decoded, sorted by key */
  size_t n_params;
  json_t *json;               /* JSON 1.1 body when it parsed, else NULL */
  char service[32];           /* credential scope service, "ec2" */
  char region[32];            /* credential scope region, "us-east-1" */
  char access_key[128];       /* credential's access key id, "" when unsigned */
  char action[128];           /* Action param or X-Amz-Target operation; "" for REST */
  char request_id[40];        /* uuid-like, unique per call */
};

struct rc_sim_response {
  int status;                 /* 200 unless set */
  char content_type[64];
  struct rc_buf body;
  struct rc_sim_kv headers[RC_SIM_MAX_HEADERS];
  size_t n_headers;
  bool drop;                  /* close the connection without answering */
};

struct rc_sim_service;
struct rc_sim_call {
  const struct rc_sim_service *svc; /* set by routing */
  struct rc_sim_request req;
  struct rc_sim_response resp;
  uint64_t now_ms;                  /* time the call was routed */
};

typedef void (*rc_sim_handler_fn)(struct rc_sim_call *c);

struct rc_sim_op {
  const char *name;   /* "CreateVpc" — the Action / X-Amz-Target operation */
  rc_sim_handler_fn fn;
  bool unsigned_ok;   /* accepted without Authorization (AssumeRoleWithWebIdentity) */
};

/* A command-line flag a service adds to recon-sim (-name VALUE). */
enum rc_sim_flag_kind { RC_SIM_FLAG_INT, RC_SIM_FLAG_DOUBLE, RC_SIM_FLAG_STRING };
struct rc_sim_flag {
  const char *name;   /* without the dash: "nat-delay-ms" */
  enum rc_sim_flag_kind kind;
  void *ptr;          /* int *, double * or char ** (string is rc_strdup'd) */
  const char *help;
};

struct rc_sim_service {
  const char *name;            /* SigV4 scope service: "ec2", "elasticloadbalancing" */
  enum rc_sim_protocol protocol;
  const char *xmlns;           /* EC2/query answers' namespace */
  const char *target_prefix;   /* JSON 1.1: "AmazonEC2ContainerServiceV20141113" */
  const struct rc_sim_op *ops; /* terminated by {NULL} */
  rc_sim_handler_fn rest;      /* REST_XML: handles every request; NULL otherwise */
  const char *throttle_code;   /* "RequestLimitExceeded", "Throttling", "ThrottlingException" */
  int throttle_status;         /* 503 for EC2, 400 for the others */
  const struct rc_sim_flag *flags; /* terminated by {NULL}; may be NULL */
  /* Hooks, each may be NULL; all run with the global lock held. */
  void (*reset)(void);               /* drop every resource */
  json_t *(*save)(void);             /* new object: kind → [resource objects with "tags"] */
  rc_status (*load)(const json_t *); /* inverse of save (borrowed) */
  void (*tick)(uint64_t now_ms);     /* apply due delayed transitions */
};

/* --- the registry (sim/services.c) --- */
extern const struct rc_sim_service *const rc_sim_services[]; /* NULL-terminated */
const struct rc_sim_service *rc_sim_service_find(const char *name);

/* --- configuration (set by main before rc_sim_start; tests may set it) --- */
struct rc_sim_config {
  uint64_t seed;              /* ids, jitter, misbehaviour draws */
  int latency_ms, latency_jitter_ms;
  double throttle_rate, error_rate, drop_rate; /* 0..1 */
  int consistency_delay_ms;   /* new resources invisible to Describe/Get/List */
  char *verify_access_key;    /* -verify-signature: NULL = shape check only */
  char *verify_secret;
};
extern struct rc_sim_config rc_sim_config;

/* --- life cycle, locking, dispatch (sim_core.c) --- */
void rc_sim_init(uint64_t seed);   /* seeds the generator; clears every service */
void rc_sim_reset_all(void);       /* takes the lock; every service's reset + counters */
void rc_sim_lock(void);
void rc_sim_unlock(void);
/* A call from raw pieces (all copied); headers added with rc_sim_call_header. */
struct rc_sim_call *rc_sim_call_new(const char *method, const char *uri, const char *body,
                                    size_t body_len);
void rc_sim_call_header(struct rc_sim_call *c, const char *name, const char *value);
void rc_sim_call_free(struct rc_sim_call *c); /* NULL ok */
/* Parses, authenticates, routes, misbehaves, runs the handler under the lock
 * (sleeps for latency outside it), counts the call. Fills c->resp. Handles
 * the /_sim/ endpoints too. */
void rc_sim_dispatch(struct rc_sim_call *c);
/* Only the parsing step (params, json, credential scope): for tests. */
rc_status rc_sim_call_parse(struct rc_sim_call *c);
/* Every service's state as {"ec2": {...}, "iam": {...}}: new reference. */
json_t *rc_sim_state_export(void);
rc_status rc_sim_state_save(const char *path);
rc_status rc_sim_state_load(const char *path); /* missing file → RC_OK, empty */

/* --- clock and ids --- */
uint64_t rc_sim_now_ms(void);
void rc_sim_clock_freeze(uint64_t now_ms); /* tests: fixed clock; 0 = real clock again */
void rc_sim_clock_advance(uint64_t ms);    /* tests: moves a frozen clock */
uint64_t rc_sim_rand(void);                /* deterministic from the seed; lock held */
/* "prefix-" + 17 lower-case hex digits: "vpc-0a1b2c3d4e5f60718". */
void rc_sim_id(const char *prefix, char *out, size_t outsz);
void rc_sim_hex(size_t ndigits, char *out, size_t outsz); /* random hex digits */
/* New "arn:aws:SERVICE:REGION:123456789012:RESOURCE"; region from the call
 * (pass region_override "" for global services such as iam). */
char *rc_sim_arn(const struct rc_sim_call *c, const char *service, const char *region_override,
                 const char *resource_fmt, ...) __attribute__((format(printf, 4, 5)));
/* ISO 8601 UTC with milliseconds: "2026-11-21T23:27:16.713Z". */
void rc_sim_iso8601(uint64_t ms, char *out, size_t outsz);
/* Eventual consistency: the instant a resource created now becomes visible,
 * and whether a resource with that instant is visible at this call. */
uint64_t rc_sim_visible_at(const struct rc_sim_call *c);
bool rc_sim_visible(const struct rc_sim_call *c, uint64_t visible_at);
/* Regions: a regional resource records the region of the call that created
 * it (the credential scope's) and only calls signed for that region see it.
 * True when c is NULL (the core, exports), region is NULL or "" (global, or
 * recorded before regions were), or equal to the call's region. */
bool rc_sim_in_region(const struct rc_sim_call *c, const char *region);
/* The same for a resource known by its ARN (arn:aws:svc:REGION:...). */
bool rc_sim_arn_in_region(const struct rc_sim_call *c, const char *arn);

/* --- request parameters (query protocol; url-decoded) --- */
const char *rc_sim_param(const struct rc_sim_call *c, const char *key); /* NULL if absent */
const char *rc_sim_paramf(const struct rc_sim_call *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Largest N for which "prefix.N" or "prefix.N.*" is present; 0 when none. */
int rc_sim_param_max(const struct rc_sim_call *c, const char *prefix);
/* Values of prefix.1..prefix.N (gaps skipped), in index order. Returns the
 * count; *out is a new array of borrowed strings (rc_free the array). */
size_t rc_sim_param_list(const struct rc_sim_call *c, const char *prefix, const char ***out);
/* Typed reads: return false when absent; set *bad (may be NULL) when present
 * but malformed. */
bool rc_sim_param_int(const struct rc_sim_call *c, const char *key, int64_t *out, bool *bad);
bool rc_sim_param_bool(const struct rc_sim_call *c, const char *key, bool *out, bool *bad);
const char *rc_sim_header_get(const struct rc_sim_call *c, const char *name); /* any case */

/* --- filters (Filter.N.Name / Filter.N.Value.M) --- */
struct rc_sim_filter {
  char *name;
  char **values;
  size_t n_values;
};
struct rc_sim_filters {
  struct rc_sim_filter *v;
  size_t n;
};
void rc_sim_filters_parse(const struct rc_sim_call *c, const char *prefix,
                          struct rc_sim_filters *out);
void rc_sim_filters_free(struct rc_sim_filters *f);
/* True when value matches any of the filter's values (AWS wildcards * and ?). */
bool rc_sim_filter_match(const struct rc_sim_filter *f, const char *value);
bool rc_sim_glob(const char *pattern, const char *s);

/* --- tags --- */
struct rc_sim_tag {
  char *key;
  char *value;
};
struct rc_sim_tags {
  struct rc_sim_tag *v;
  size_t n;
};
void rc_sim_tags_set(struct rc_sim_tags *t, const char *key, const char *value);
/* Removes key (only when value is NULL or equal); true if removed. */
bool rc_sim_tags_del(struct rc_sim_tags *t, const char *key, const char *value);
const char *rc_sim_tags_get(const struct rc_sim_tags *t, const char *key);
void rc_sim_tags_free(struct rc_sim_tags *t);
/* Handles tag:<key>, tag-key and tag-value filters: *handled says whether the
 * filter was a tag filter; returns whether the tags match it. */
bool rc_sim_tags_filter(const struct rc_sim_tags *t, const struct rc_sim_filter *f,
                        bool *handled);
/* EC2: TagSpecification.N.ResourceType == resource_type, its Tag.M.Key/Value. */
void rc_sim_tags_from_spec(const struct rc_sim_call *c, const char *resource_type,
                           struct rc_sim_tags *out);
/* Lists "prefix.N.Key"/"prefix.N.Value" (EC2 "Tag") or "Tags.member" (ELBv2/IAM). */
void rc_sim_tags_from_params(const struct rc_sim_call *c, const char *prefix,
                             struct rc_sim_tags *out);
/* <set_tag><item_tag><ktag>k</ktag><vtag>v</vtag></item_tag>...</set_tag>;
 * EC2: ("tagSet","item","key","value"); ELBv2/IAM: ("Tags","member","Key","Value"). */
void rc_sim_xml_tags(struct rc_sim_call *c, const char *set_tag, const char *item_tag,
                     const char *ktag, const char *vtag, const struct rc_sim_tags *t);
json_t *rc_sim_tags_to_json(const struct rc_sim_tags *t);   /* new: {"k": "v"} */
void rc_sim_tags_from_json(const json_t *obj, struct rc_sim_tags *out);

/* --- answers --- */
void rc_sim_reply_begin(struct rc_sim_call *c);
void rc_sim_reply_end(struct rc_sim_call *c);
void rc_sim_reply_empty(struct rc_sim_call *c); /* query: no Result element; EC2: <return>true */
void rc_sim_reply_json(struct rc_sim_call *c, json_t *steal); /* NULL → "{}" */
void rc_sim_reply_raw(struct rc_sim_call *c, int status, const char *content_type,
                      const void *data, size_t len);
void rc_sim_header(struct rc_sim_call *c, const char *name, const char *value);
/* The service's error shape; 5xx are Type Receiver in query errors. */
void rc_sim_error(struct rc_sim_call *c, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void rc_sim_error_missing(struct rc_sim_call *c, const char *param); /* MissingParameter 400 */

/* XML writing into c->resp.body; text is escaped (& < > " '). */
void rc_sim_xml_escape(struct rc_buf *b, const char *s);
void rc_sim_xml_open(struct rc_sim_call *c, const char *tag);
void rc_sim_xml_close(struct rc_sim_call *c, const char *tag);
void rc_sim_xml_empty(struct rc_sim_call *c, const char *tag); /* <tag/> */
void rc_sim_xml_str(struct rc_sim_call *c, const char *tag, const char *value); /* NULL: none */
void rc_sim_xml_strf(struct rc_sim_call *c, const char *tag, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void rc_sim_xml_int(struct rc_sim_call *c, const char *tag, int64_t v);
void rc_sim_xml_bool(struct rc_sim_call *c, const char *tag, bool v);

/* --- pagination --- */
/* Reads max_key/token_key. max must be within [lo, hi] (else 400
 * InvalidParameterValue is answered and false returned); absent → dflt.
 * *start is the offset the token encodes (0 without a token); a bad token is
 * answered with InvalidParameterValue ("Invalid NextToken") too. */
bool rc_sim_page(struct rc_sim_call *c, const char *max_key, const char *token_key, long lo,
                 long hi, long dflt, size_t *start, size_t *limit);
/* An opaque token for the next offset into out. */
void rc_sim_page_token(size_t next, char *out, size_t outsz);

/* --- EC2 functions for other services (sim/ec2_*.c); lock held --- */
struct rc_sim_subnet_info {
  char vpc_id[40];
  char az[32];
  char az_id[32];
  char cidr[48];
};
/* RC_NOT_FOUND when the subnet does not exist. */
rc_status rc_sim_ec2_subnet_info(const char *subnet_id, struct rc_sim_subnet_info *out);
/* RC_NOT_FOUND when the group does not exist; vpc_out may be NULL. */
rc_status rc_sim_ec2_sg_vpc(const char *group_id, char *vpc_out, size_t outsz);
/* Creates an in-use ENI (interface type "interface", requester-managed) in a
 * subnet with security groups; writes its id and private IPv4 address.
 * RC_NOT_FOUND for an unknown subnet or group. */
rc_status rc_sim_ec2_eni_create(const char *subnet_id, const char *const *group_ids,
                                size_t n_groups, const char *description, char *eni_id_out,
                                size_t id_sz, char *ip_out, size_t ip_sz);
rc_status rc_sim_ec2_eni_delete(const char *eni_id); /* RC_NOT_FOUND if absent */

/* --- IAM functions for other services (sim/iam.c); lock held --- */
/* Whether another service may use (assume) the role an ARN names at now_ms:
 * false only while -consistency-delay-ms is set and the role is younger than
 * it, as IAM's propagation makes a fresh role unusable by ECS for a while.
 * Roles recon-sim does not hold are usable (their ARNs are not checked). */
bool rc_sim_iam_role_usable(const char *role_arn, uint64_t now_ms);

#endif
