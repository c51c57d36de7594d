/* sigv4 — AWS Signature Version 4 (header signing) with OpenSSL libcrypto.
 *
 * rc_sigv4_sign is pure: it signs a described request at a given time with
 * given keys and returns the canonical request, the string to sign, the
 * Authorization value and the headers the signer adds (x-amz-date,
 * x-amz-security-token, x-amz-content-sha256). Nothing here logs; callers must
 * never log keys, tokens, signatures or the Authorization value.
 *
 * Ownership: inputs are borrowed; the strings in struct rc_sigv4_out are
 * rc_malloc'd and freed by rc_sigv4_out_free (accepts a zeroed struct).
 *
 * Path rules (as botocore and the AWS test suite): the path is the request
 * line's path. Normal services (s3 == false): dot segments and empty
 * segments are removed (when normalize) and the path is URI-encoded once more
 * (so an already %-encoded wire path is double-encoded). S3: the path is used
 * unchanged (single encoding, no normalisation). The query is the wire query
 * (no '?'); its pairs are %-decoded, re-encoded per RFC 3986 and sorted by
 * key then value. Header values are trimmed and inner whitespace runs
 * collapsed; repeated names are joined with ','. */
#ifndef RC_SIGV4_H
#define RC_SIGV4_H
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct rc_sigv4_header {
  const char *name, *value;
};

struct rc_sigv4_in {
  const char *method;       /* "GET", "POST" ... */
  const char *path;         /* request-line path; NULL or "" means "/" */
  const char *query;        /* wire query without '?'; NULL none */
  const struct rc_sigv4_header *headers; /* all signed; host added if absent */
  size_t nheaders;
  const char *host;         /* used when headers carry no host; may be NULL */
  const char *body;
  size_t body_len;
  const char *region, *service;
  const char *access_key, *secret_key, *session_token; /* token may be NULL */
  time_t when;              /* UTC seconds */
  bool s3;                  /* S3 path rules + x-amz-content-sha256 header */
  bool normalize;           /* non-S3 path normalisation (default true) */
  bool sign_body_header;    /* add x-amz-content-sha256 even when !s3 */
  bool omit_session_token;  /* token header added after signing (not signed) */
};

struct rc_sigv4_out {
  char *canonical_request;
  char *string_to_sign;
  char *authorization;      /* the Authorization header value */
  char signature[65];
  char amz_date[17];        /* YYYYMMDDTHHMMSSZ */
  char payload_hash[65];    /* hex SHA-256 of the body */
};

/* A small cache of derived signing keys, looked up by a SHA-256 of
 * (secret, date, region, service) so no secret is stored; thread-safe. */
struct rc_sigv4_cache;
struct rc_sigv4_cache *rc_sigv4_cache_new(void);
void rc_sigv4_cache_free(struct rc_sigv4_cache *c);

/* Signs in. cache may be NULL. Returns 0, or -1 when an input is missing. */
int rc_sigv4_sign(const struct rc_sigv4_in *in, struct rc_sigv4_cache *cache,
                  struct rc_sigv4_out *out);
void rc_sigv4_out_free(struct rc_sigv4_out *out);

/* Helpers shared by the protocols. */
void rc_sigv4_sha256_hex(const void *data, size_t len, char hex[65]);
/* RFC 3986 percent-encoding (unreserved A-Za-z0-9-_.~ kept); keep_slash keeps '/'.
 * Appends to *buf (an rc_buf). Returns 0 or -1 when the buffer cap is hit. */
struct rc_buf;
int rc_sigv4_uri_encode(struct rc_buf *buf, const char *s, size_t n, bool keep_slash);
/* Formats t as YYYYMMDDTHHMMSSZ. */
void rc_sigv4_amz_date(time_t t, char out[17]);

#endif
