/* aws — recon's AWS client: credentials chain, SigV4, libcurl multi transport,
 * query/XML, JSON 1.1 and REST-XML (S3) protocols, retries with backoff and
 * jitter, client-side pacing, pagination, endpoints.
 *
 * Ownership: arguments are borrowed; *out values belong to the caller
 * (rc_value_decref). A client is safe to use from several threads at once:
 * every call may come from a different walker thread.
 *
 * Request values:
 *  - query protocols (ec2, elbv2, iam, sts): params is an object of flat wire
 *    parameters, e.g. {"CidrBlock": "10.0.0.0/16", "TagSpecification.1.ResourceType":
 *    "vpc", "Filter.1.Name": "tag:recon:stack", "Filter.1.Value.1": "prod"}.
 *    Values may be strings, numbers or bools (formatted as AWS expects:
 *    true/false, integers without a decimal point). Action and Version are
 *    added by the client. rc_aws_params_* below help build them.
 *  - JSON 1.1 (ecs, logs): params is the request body object.
 * Response values:
 *  - query/XML: the XML turned into values generically. EC2: the children of
 *    the root element (requestId dropped). ELBv2/IAM/STS: the children of the
 *    <OpResult> element. An element whose children are all <item> or all
 *    <member> becomes a tuple; an element with child elements an object; an
 *    element with text a string (numbers and booleans stay strings, as on the
 *    wire); an empty element null.
 *  - JSON 1.1: the parsed body ({} for an empty body).
 * Errors: RC_AWS (or RC_NOT_FOUND when the AWS code ends in "NotFound" or
 * "NotFoundException" or is "NoSuchEntity"/"ResourceNotFoundException";
 * RC_DEPENDENCY for DependencyViolation/ResourceInUse;
 * RC_THROTTLED when throttling outlasted the retry budget); err holds
 * aws_code, msg (AWS's message), request_id, http_status and attempts.
 * RC_NETWORK for transport failures after retries (RC_TOO_BIG for an answer
 * past RC_LIMIT_HTTP_BODY); usage mistakes (unknown service) are RC_USAGE.
 * When a call took more than one attempt, msg ends "(after N attempts)".
 *
 * Transport: one worker thread per client drives a libcurl multi handle;
 * callers (any thread) queue an exchange and block until it is done, so at
 * most max_parallel exchanges are in flight for the whole client and
 * keep-alive connections are reused per host. Retries, backoff sleeps and
 * pacing happen in the calling thread. rc_aws_call_many runs its requests on
 * min(n, max_parallel) threads (the caller's included).
 * Credentials come from the SDKs' chain (env, shared files with
 * credential_process and role_arn, web identity, ECS, IMDSv2) and are refreshed
 * 5 minutes before they expire. RECON_LOG=debug|trace logs each attempt and
 * retry on stderr, never a credential, token or signature. */
#ifndef RC_AWS_H
#define RC_AWS_H
#include <stdbool.h>
#include <stddef.h>
#include "rc_status.h"
#include "rc_value.h"

struct rc_aws_client;

struct rc_aws_settings {
  const char *region;                 /* NULL: AWS_REGION, AWS_DEFAULT_REGION, profile */
  const char *profile;                /* NULL: AWS_PROFILE or "default" */
  const struct rc_value *endpoints;   /* object {"ec2": "http://..."} or NULL */
  const char *assume_role_arn;        /* provider assume_role {}; NULL none */
  const char *assume_role_session_name;
  const char *assume_role_external_id;
  int max_parallel;                   /* requests in flight; 0 → 10 */
  int pacing;                         /* -1 off, 1 on, 0 auto (on for AWS endpoints) */
};

/* Resolves region and credentials (lazily: the first call fetches them). */
rc_status rc_aws_client_new(const struct rc_aws_settings *s, struct rc_aws_client **out,
                            struct rc_error *err);
void rc_aws_client_free(struct rc_aws_client *c);
const char *rc_aws_client_region(const struct rc_aws_client *c);

/* One synchronous call with retries. */
rc_status rc_aws_call(struct rc_aws_client *c, const char *service, const char *op,
                      const struct rc_value *params, struct rc_value **out,
                      struct rc_error *err);

/* N calls concurrently (bounded by max_parallel); returns when all are done.
 * Each request gets its own status, out and err. */
struct rc_aws_req {
  const char *service, *op;
  const struct rc_value *params;
  struct rc_value *out;   /* caller owns after the call */
  rc_status status;
  struct rc_error err;
};
void rc_aws_call_many(struct rc_aws_client *c, struct rc_aws_req *reqs, size_t n);

/* Follows NextToken/nextToken/Marker/NextMarker until the end and returns the
 * concatenation of the list found at list_key in each page (a key of the
 * response value, e.g. "vpcSet", "LoadBalancers", "logGroups"). */
rc_status rc_aws_call_all(struct rc_aws_client *c, const char *service, const char *op,
                          const struct rc_value *params, const char *list_key,
                          struct rc_value **out_list, struct rc_error *err);

/* Per service.operation call counts, e.g. {"ec2.DescribeVpcs": 3}; and the
 * number of retries made, under the key "retries". A paginated call counts
 * each page; S3 calls count as "s3.PutObject" etc. New reference. */
struct rc_value *rc_aws_client_counts(struct rc_aws_client *c);

/* --- building query parameters --- */
/* params[key] = string value. obj must be under construction. */
void rc_aws_param(struct rc_value *params, const char *key, const char *val);
/* params[formatted key] = val, e.g. rc_aws_paramf(p, "sg-1", "GroupId.%d", 1). */
void rc_aws_paramf(struct rc_value *params, const char *val, const char *key_fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Tags as TagSpecification.N.{ResourceType,Tag.M.Key,Tag.M.Value} (EC2). */
void rc_aws_param_tag_spec(struct rc_value *params, int n, const char *resource_type,
                           const struct rc_value *tags);

/* --- reading answers --- */
/* The list at key of an answer: a tuple, or an empty tuple when absent/null. Borrowed. */
const struct rc_value *rc_aws_list(const struct rc_value *v, const char *key);
/* A string field, or NULL. */
const char *rc_aws_str(const struct rc_value *v, const char *key);
/* EC2 tagSet / ELBv2 Tags / IAM Tags / ECS tags lists to an object {key: value}. New ref. */
struct rc_value *rc_aws_tags_to_object(const struct rc_value *list);

/* --- S3 (REST-XML) for the remote state backend --- */
struct rc_s3_object {
  char *body; size_t len; /* owned; rc_free */
  char etag[128];
};
/* if_match: ETag required (NULL none); if_none_match_star: create only.
 * A failed precondition is RC_CONFLICT (HTTP 412). */
rc_status rc_aws_s3_put(struct rc_aws_client *c, const char *bucket, const char *key,
                        const char *body, size_t len, const char *if_match,
                        bool if_none_match_star, char etag_out[128], struct rc_error *err);
rc_status rc_aws_s3_get(struct rc_aws_client *c, const char *bucket, const char *key,
                        struct rc_s3_object *out, struct rc_error *err); /* RC_NOT_FOUND */
/* HeadObject: the ETag and size without the body; RC_NOT_FOUND when absent.
 * etag_out and size_out may be NULL. */
rc_status rc_aws_s3_head(struct rc_aws_client *c, const char *bucket, const char *key,
                         char etag_out[128], size_t *size_out, struct rc_error *err);
rc_status rc_aws_s3_delete(struct rc_aws_client *c, const char *bucket, const char *key,
                           struct rc_error *err);

/* --- the test seam: replace the HTTP exchange (after signing) --- */
struct rc_aws_http_req {
  const char *method, *url, *body;
  size_t body_len;
  const char *const *headers; /* "Name: value", NULL-terminated */
};
struct rc_aws_http_resp {
  int status;                 /* 0: connection failed */
  char *body; size_t len;     /* rc_malloc'd */
  char *headers;              /* raw header block, rc_malloc'd, may be NULL */
};
typedef void (*rc_aws_transport_fn)(void *ud, const struct rc_aws_http_req *req,
                                     struct rc_aws_http_resp *resp);
void rc_aws_client_set_transport(struct rc_aws_client *c, rc_aws_transport_fn fn, void *ud);

#endif
