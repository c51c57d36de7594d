/* Retries in the SDKs' standard mode and client-side pacing.
 *
 * - What is retried: throttling codes, HTTP 5xx and 429, transport failures
 *   (connection refused/reset, timeouts, empty replies).
 * - How often (client.c): failed attempts are counted by kind, as the SDKs'
 *   standard mode does: up to RC_LIMIT_RETRY_ATTEMPTS non-throttling ones and
 *   RC_LIMIT_THROTTLE_ATTEMPTS throttling ones within the 2-minute deadline.
 *   A transfer under 1 byte/s for 30 s fails as a timeout (http.c).
 * - Backoff: full jitter, rand01 * min(cap, base * 2^(attempt-1)), base 100 ms,
 *   cap 20 s.
 * - Budget: a token bucket shared by the client (500 tokens, 5 per retry, 10
 *   per retry after a timeout; a success refunds what it took, or 1 token).
 *   When it is empty, errors return at once instead of multiplying load.
 * - Pacing: per-category token buckets just under AWS's refill rates, so a
 *   full-parallelism apply does not provoke throttling. A bucket may go
 *   negative: a caller reserves its token and sleeps until it is due, which
 *   keeps callers in arrival order. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "aws_int.h"

static const char *const throttle_codes[] = {
    "Throttling", "ThrottlingException", "ThrottledException", "RequestLimitExceeded",
    "TooManyRequestsException", "RequestThrottled", "RequestThrottledException", "SlowDown",
    "ProvisionedThroughputExceededException", "EC2ThrottledException",
    "PriorRequestNotComplete", "BandwidthLimitExceeded", "TransactionInProgressException",
    "RequestLimitExceededException", NULL};

static const char *const transient_codes[] = {"RequestTimeout", "RequestTimeoutException",
                                              "InternalError", "InternalFailure",
                                              "ServiceUnavailable", "IDPCommunicationError", NULL};

bool rc_aws__is_throttle_code(const char *code)
{
  if (!code || !*code) return false;
  for (int i = 0; throttle_codes[i]; i++)
    if (strcmp(code, throttle_codes[i]) == 0) return true;
  return false;
}

enum rc_aws__retry_kind rc_aws__retry_classify(int http_status, const char *code,
                                               const struct rc_aws__http_err *e)
{
  if (http_status == 0) {
    if (e && e->too_big) return RC_RETRY_NO;
    if (e && e->timeout) return RC_RETRY_TIMEOUT;
    return RC_RETRY_TRANSIENT;
  }
  if (rc_aws__is_throttle_code(code) || http_status == 429) return RC_RETRY_THROTTLE;
  if (http_status >= 500) return RC_RETRY_TRANSIENT;
  for (int i = 0; code && transient_codes[i]; i++)
    if (strcmp(code, transient_codes[i]) == 0) return RC_RETRY_TRANSIENT;
  return RC_RETRY_NO;
}

uint64_t rc_aws__backoff_ms(double rand01, int attempt)
{
  if (attempt < 1) attempt = 1;
  double ceil_ms = RC_AWS_RETRY_CAP_MS;
  if (attempt < 30) {
    double e = (double)RC_AWS_RETRY_BASE_MS * (double)(1u << (attempt - 1));
    if (e < ceil_ms) ceil_ms = e;
  }
  if (rand01 < 0) rand01 = 0;
  if (rand01 >= 1) rand01 = 0.999999;
  return (uint64_t)floor(rand01 * ceil_ms);
}

void rc_aws__budget_init(struct rc_aws__budget *b)
{
  pthread_mutex_init(&b->mu, NULL);
  b->tokens = RC_AWS_BUDGET_MAX;
}

bool rc_aws__budget_take(struct rc_aws__budget *b, enum rc_aws__retry_kind k, int *cost)
{
  int c = k == RC_RETRY_TIMEOUT ? RC_AWS_BUDGET_TIMEOUT_COST : RC_AWS_BUDGET_RETRY_COST;
  pthread_mutex_lock(&b->mu);
  bool ok = b->tokens >= c;
  if (ok) b->tokens -= c;
  pthread_mutex_unlock(&b->mu);
  if (ok && cost) *cost += c;
  return ok;
}

void rc_aws__budget_success(struct rc_aws__budget *b, int taken)
{
  pthread_mutex_lock(&b->mu);
  b->tokens += taken ? taken : 1;
  if (b->tokens > RC_AWS_BUDGET_MAX) b->tokens = RC_AWS_BUDGET_MAX;
  pthread_mutex_unlock(&b->mu);
}

int rc_aws__budget_tokens(struct rc_aws__budget *b)
{
  pthread_mutex_lock(&b->mu);
  int t = b->tokens;
  pthread_mutex_unlock(&b->mu);
  return t;
}

/* --- pacing --- */
enum { B_EC2_READ, B_EC2_MUTATE, B_SG_RULES, B_NAT, B_TAGS, B_ELB_READ, B_ECS_READ };

static const struct {
  const char *name;
  double rate;
} bucket_defs[RC_AWS_NBUCKETS] = {
    [B_EC2_READ] = {"ec2-read", 20},   [B_EC2_MUTATE] = {"ec2-mutate", 5},
    [B_SG_RULES] = {"sg-rules", 5},    [B_NAT] = {"create-nat-gateway", 1},
    [B_TAGS] = {"create-tags", 10},    [B_ELB_READ] = {"elbv2-read", 10},
    [B_ECS_READ] = {"ecs-read", 20},
};

void rc_aws__pacer_init(struct rc_aws__pacer *p)
{
  pthread_mutex_init(&p->mu, NULL);
  for (int i = 0; i < RC_AWS_NBUCKETS; i++) {
    p->b[i].name = bucket_defs[i].name;
    p->b[i].rate = bucket_defs[i].rate;
    p->b[i].tokens = bucket_defs[i].rate; /* a full bucket: one second's burst */
    p->b[i].last_ms = UINT64_MAX;         /* set on first use */
  }
}

static bool is_read(const char *op)
{
  return strncmp(op, "Describe", 8) == 0 || strncmp(op, "Get", 3) == 0 ||
         strncmp(op, "List", 4) == 0;
}

int rc_aws__pacer_category(const char *service, const char *op)
{
  if (!service || !op) return -1;
  if (strcmp(service, "ec2") == 0) {
    if (is_read(op)) return B_EC2_READ;
    if (strcmp(op, "CreateNatGateway") == 0) return B_NAT;
    if (strcmp(op, "CreateTags") == 0 || strcmp(op, "DeleteTags") == 0) return B_TAGS;
    if (strncmp(op, "AuthorizeSecurityGroup", 22) == 0 ||
        strncmp(op, "RevokeSecurityGroup", 19) == 0 ||
        strncmp(op, "ModifySecurityGroupRules", 24) == 0 ||
        strncmp(op, "UpdateSecurityGroupRuleDescriptions", 35) == 0)
      return B_SG_RULES;
    return B_EC2_MUTATE;
  }
  if (strcmp(service, "elbv2") == 0 && is_read(op)) return B_ELB_READ;
  if (strcmp(service, "ecs") == 0 && is_read(op)) return B_ECS_READ;
  return -1;
}

uint64_t rc_aws__pacer_reserve(struct rc_aws__pacer *p, int cat, uint64_t now_ms)
{
  if (cat < 0 || cat >= RC_AWS_NBUCKETS) return 0;
  pthread_mutex_lock(&p->mu);
  struct rc_aws__bucket *b = &p->b[cat];
  if (b->last_ms == UINT64_MAX) b->last_ms = now_ms;
  if (now_ms > b->last_ms) {
    b->tokens += (double)(now_ms - b->last_ms) * b->rate / 1000.0;
    if (b->tokens > b->rate) b->tokens = b->rate;
    b->last_ms = now_ms;
  }
  b->tokens -= 1;
  uint64_t wait = 0;
  if (b->tokens < 0) wait = (uint64_t)ceil(-b->tokens * 1000.0 / b->rate);
  pthread_mutex_unlock(&p->mu);
  return wait;
}
