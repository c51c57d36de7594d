/* aws_int — what the files of resources/aws/ share; not for other layers
 * (tests include it for the seams: injected clock, sleep and random source).
 *
 * Ownership: as aws.h. struct rc_aws__creds strings are rc_malloc'd and wiped
 * by rc_aws__creds_clear. Credentials never reach a log line or an rc_error. */
#ifndef RC_AWS_INT_H
#define RC_AWS_INT_H
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "aws.h"
#include "rc_buf.h"
#include "sigv4.h"

/* --- services and endpoints (endpoints.c) --- */
enum rc_aws__proto { RC_AWS_QUERY, RC_AWS_JSON11, RC_AWS_RESTXML };

struct rc_aws__svc {
  const char *name;         /* awscli's name: "elbv2" */
  const char *signing_name; /* "elasticloadbalancing" */
  const char *host_prefix;  /* "elasticloadbalancing" */
  const char *env_suffix;   /* AWS_ENDPOINT_URL_<this> */
  const char *version;      /* query API version */
  const char *target;       /* JSON 1.1 X-Amz-Target prefix */
  enum rc_aws__proto proto;
  bool global;              /* one endpoint, signed for us-east-1 (iam) */
  bool ec2_style;           /* EC2 answers and list encoding */
  const char *aliases[6];   /* other names accepted in settings.endpoints */
};

/* The service by awscli name or alias; NULL when unknown. */
const struct rc_aws__svc *rc_aws__svc_find(const char *name);

struct rc_aws__endpoint {
  char *base;        /* "https://ec2.us-east-1.amazonaws.com" or the override, no trailing '/' */
  char *host;        /* host[:port] as sent in Host */
  char *path;        /* path prefix of an override ("" for none) */
  const char *signing_region;
  bool custom;       /* an override was used */
};
/* Resolves: settings.endpoints (name or alias), AWS_ENDPOINT_URL_<SVC>,
 * AWS_ENDPOINT_URL, then the AWS default. RC_USAGE on a malformed URL. */
rc_status rc_aws__endpoint_resolve(const struct rc_aws_client *c, const struct rc_aws__svc *s,
                                   struct rc_aws__endpoint *ep, struct rc_error *err);
void rc_aws__endpoint_free(struct rc_aws__endpoint *ep);
/* Splits a URL into host[:port] and path; false when it is not http(s)://host... */
bool rc_aws__url_split(const char *url, char **host, char **path);

/* --- logging (log.c): RECON_LOG=debug|trace, to stderr --- */
enum { RC_AWS_LOG_OFF = 0, RC_AWS_LOG_DEBUG = 1, RC_AWS_LOG_TRACE = 2 };
int rc_aws__log_level(void);
void rc_aws__log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* --- transport (http.c): one worker thread drives a curl multi handle; callers
 * queue a transfer and block until it is done. At most max_parallel transfers
 * run at once; connections are kept alive and reused per host. --- */
struct rc_aws__http;
struct rc_aws__http_opts {
  long connect_ms, total_ms; /* 0: 10 s / 120 s */
  bool no_proxy;             /* metadata endpoints: never through a proxy */
};
struct rc_aws__http_err {
  int curl_code;   /* CURLcode, 0 ok */
  bool timeout;
  bool too_big;    /* answer passed the body cap */
  char msg[256];
};
struct rc_aws__http *rc_aws__http_new(int max_parallel);
void rc_aws__http_free(struct rc_aws__http *h);
/* Blocks until the exchange is done. resp->status 0 on transport failure, with e set. */
void rc_aws__http_do(struct rc_aws__http *h, const struct rc_aws_http_req *req,
                     const struct rc_aws__http_opts *o, struct rc_aws_http_resp *resp,
                     struct rc_aws__http_err *e);
/* Test hook: the answer size cap (default RC_LIMIT_HTTP_BODY). */
void rc_aws__http_set_body_cap(struct rc_aws__http *h, size_t cap);
/* A transfer moving under 1 byte/s for this many seconds fails as a timeout
 * (an endpoint that never answers or drips). Test hook to shorten it. */
#define RC_AWS_LOW_SPEED_TIME_S 30L
void rc_aws__http_set_low_speed_time(struct rc_aws__http *h, long seconds);
void rc_aws__http_resp_free(struct rc_aws_http_resp *r);
/* A header value from a raw header block (case-insensitive name), copied into
 * out; false when absent. */
bool rc_aws__header(const char *block, const char *name, char *out, size_t outsz);

/* --- retries and pacing (retry.c) --- */
struct rc_aws__hooks {
  uint64_t (*now_ms)(void *ud);          /* monotonic */
  void (*sleep_ms)(void *ud, uint64_t ms);
  double (*rand01)(void *ud);            /* [0, 1) */
  time_t (*wall)(void *ud);              /* UTC seconds: signing, expiry */
  void *ud;
};
/* Test-only: replace the clock, sleep, random source and wall clock. */
void rc_aws__client_set_hooks(struct rc_aws_client *c, const struct rc_aws__hooks *h);
uint64_t rc_aws__now_ms(const struct rc_aws_client *c);
time_t rc_aws__wall(const struct rc_aws_client *c);

enum rc_aws__retry_kind { RC_RETRY_NO, RC_RETRY_TRANSIENT, RC_RETRY_THROTTLE, RC_RETRY_TIMEOUT };
bool rc_aws__is_throttle_code(const char *code);
/* Classifies an attempt's outcome: http status (0: no answer), AWS code. */
enum rc_aws__retry_kind rc_aws__retry_classify(int http_status, const char *code,
                                               const struct rc_aws__http_err *e);
/* Full-jitter capped exponential backoff for the attempt that just failed (1-based). */
uint64_t rc_aws__backoff_ms(double rand01, int attempt);

#define RC_AWS_RETRY_BASE_MS 100
#define RC_AWS_RETRY_CAP_MS 20000
#define RC_AWS_THROTTLE_DEADLINE_MS 120000
#define RC_AWS_BUDGET_MAX 500
#define RC_AWS_BUDGET_RETRY_COST 5
#define RC_AWS_BUDGET_TIMEOUT_COST 10

struct rc_aws__budget {
  pthread_mutex_t mu;
  int tokens;
};
void rc_aws__budget_init(struct rc_aws__budget *b);
/* Takes the cost of one retry; false when the budget is spent. */
bool rc_aws__budget_take(struct rc_aws__budget *b, enum rc_aws__retry_kind k, int *cost);
/* After a success: refund what this call took, or 1 token when it took none. */
void rc_aws__budget_success(struct rc_aws__budget *b, int taken);
int rc_aws__budget_tokens(struct rc_aws__budget *b);

/* Client-side pacing: token buckets per category. */
struct rc_aws__bucket {
  const char *name;
  double rate, tokens; /* tokens per second; current (may be negative: reserved) */
  uint64_t last_ms;
};
#define RC_AWS_NBUCKETS 7
struct rc_aws__pacer {
  pthread_mutex_t mu;
  struct rc_aws__bucket b[RC_AWS_NBUCKETS];
};
void rc_aws__pacer_init(struct rc_aws__pacer *p);
/* The bucket an operation draws from, or -1. */
int rc_aws__pacer_category(const char *service, const char *op);
/* Milliseconds to wait before the call may go (a token is reserved). */
uint64_t rc_aws__pacer_reserve(struct rc_aws__pacer *p, int cat, uint64_t now_ms);

/* --- credentials (creds.c) --- */
struct rc_aws__creds {
  char *access_key, *secret_key, *session_token;
  time_t expiration; /* 0: does not expire */
  const char *source; /* "env", "profile", "process", "web-identity", "container", "imds", "assume-role" */
};
void rc_aws__creds_clear(struct rc_aws__creds *cr);
void rc_aws__creds_copy(struct rc_aws__creds *dst, const struct rc_aws__creds *src);
/* The current credentials (fetched on first use, refreshed 5 minutes before
 * they expire); a copy the caller clears. Thread-safe. */
rc_status rc_aws__creds_get(struct rc_aws_client *c, struct rc_aws__creds *out,
                            struct rc_error *err);
/* The region from the profile's config, or NULL (rc_malloc'd). */
char *rc_aws__profile_region(const char *profile);
/* The profile in use: settings, AWS_PROFILE, "default" (borrowed). */
const char *rc_aws__profile_name(const struct rc_aws_client *c);
#define RC_AWS_REFRESH_MARGIN_S 300

/* --- protocols (query.c, json11.c) --- */
struct rc_aws__wire {
  struct rc_buf body;
  const char *content_type;
  char target[192]; /* X-Amz-Target, "" for none */
};
rc_status rc_aws__query_encode(const struct rc_aws__svc *s, const char *op,
                               const struct rc_value *params, struct rc_aws__wire *w,
                               struct rc_error *err);
rc_status rc_aws__query_decode(const struct rc_aws__svc *s, const char *op, const char *body,
                               size_t len, struct rc_value **out, struct rc_error *err);
/* Fills err->aws_code, msg and request_id from an XML error answer (any of
 * <Response><Errors><Error>, <ErrorResponse><Error>, S3's <Error>). */
void rc_aws__xml_error(const char *body, size_t len, struct rc_error *err);
/* Generic element → value conversion of a whole document (tests, S3). */
struct rc_value *rc_aws__xml_to_value(const char *body, size_t len);

rc_status rc_aws__json_encode(const struct rc_aws__svc *s, const char *op,
                              const struct rc_value *params, struct rc_aws__wire *w,
                              struct rc_error *err);
rc_status rc_aws__json_decode(const char *body, size_t len, struct rc_value **out,
                              struct rc_error *err);
void rc_aws__json_error(const char *body, size_t len, const char *headers,
                        struct rc_error *err);

/* The rc_status an AWS error code maps to (before retries). */
rc_status rc_aws__code_status(const char *code, int http_status);

/* --- the exchange core (client.c) --- */
struct rc_aws__exchange {
  const struct rc_aws__svc *svc;
  const char *op;
  const char *method;
  const char *url;          /* full URL */
  const char *host;         /* Host header, as signed */
  const char *path;         /* request path as on the wire */
  const char *query;        /* wire query or NULL */
  const struct rc_sigv4_header *headers; /* extra headers, signed */
  size_t nheaders;
  const char *body;
  size_t len;
  const char *signing_region;
  bool unsigned_req;        /* AssumeRoleWithWebIdentity */
};
/* Sends ex with the standard retries and pacing, signing each attempt with
 * creds (NULL: the client's). On a 2xx answer *resp holds it (caller frees with
 * rc_aws__http_resp_free); otherwise err is set (with attempts) and the code
 * returned. */
rc_status rc_aws__perform(struct rc_aws_client *c, const struct rc_aws__exchange *ex,
                          const struct rc_aws__creds *creds, struct rc_aws_http_resp *resp,
                          struct rc_error *err);
/* rc_aws_call with explicit credentials (STS from the credential chain). */
rc_status rc_aws__call_with(struct rc_aws_client *c, const char *service, const char *op,
                            const struct rc_value *params, const struct rc_aws__creds *creds,
                            bool unsigned_req, struct rc_value **out, struct rc_error *err);
/* Plain HTTP for metadata endpoints (IMDS, container): no signing, no retries. */
void rc_aws__http_plain(struct rc_aws_client *c, const struct rc_aws_http_req *req,
                        const struct rc_aws__http_opts *o, struct rc_aws_http_resp *resp,
                        struct rc_aws__http_err *e);

/* Counts one call of service.op (rc_aws_client_counts). */
void rc_aws__count_call(struct rc_aws_client *c, const char *svc, const char *op);

struct rc_aws__count {
  char *name;
  long n;
};

struct rc_aws_client {
  char *region;
  char *profile;            /* settings.profile or NULL */
  bool profile_explicit;
  struct rc_value *endpoints;
  char *assume_role_arn, *assume_role_session_name, *assume_role_external_id;
  int max_parallel;
  int pacing_mode;

  struct rc_sigv4_cache *sigcache;
  struct rc_aws__http *http;
  rc_aws_transport_fn transport;
  void *transport_ud;

  struct rc_aws__hooks hooks;
  struct rc_aws__budget budget;
  struct rc_aws__pacer pacer;

  pthread_mutex_t cred_mu;
  struct rc_aws__creds creds;
  bool have_creds;
  int cred_fetches;         /* how many times the chain ran (tests) */

  pthread_mutex_t count_mu;
  struct rc_aws__count *counts;
  size_t ncounts, capcounts;
  long retries;
};

#endif
