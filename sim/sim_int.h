/* sim_int.h — helpers shared by the core files of recon-sim (sim_core.c,
 * sim_request.c, sim_sigv4.c, sim_server.c); service files use sim.h only.
 * Strings returned are new (rc_free) unless said otherwise. */
#ifndef RC_SIM_INT_H
#define RC_SIM_INT_H
#include "sim.h"

/* Decodes %XX (and '+' as space when plus_space) of s[0..n) into a new string. */
char *rc_sim__url_decode(const char *s, size_t n, bool plus_space);
/* Appends the name=value pairs of a query string or form body to the call's
 * params (unsorted); rc_sim__params_sort makes them searchable. */
void rc_sim__params_add_form(struct rc_sim_request *r, const char *s, size_t n);
void rc_sim__params_sort(struct rc_sim_request *r);
/* Parses "AWS4-HMAC-SHA256 Credential=AK/DATE/REGION/SERVICE/aws4_request,
 * SignedHeaders=a;b, Signature=hex". Returns false with why set when malformed.
 * Out-buffers are NUL-terminated. */
struct rc_sim__auth {
  char access_key[128];
  char date[16];
  char region[32];
  char service[32];
  char signed_headers[512];
  char signature[80];
};
bool rc_sim__auth_parse(const char *header, struct rc_sim__auth *out, char *why, size_t whysz);
/* Recomputes the SigV4 signature of the call with the secret key; true when it
 * matches. canonical (may be NULL) receives the canonical request. */
bool rc_sim__sigv4_verify(const struct rc_sim_call *c, const struct rc_sim__auth *a,
                          const char *secret, struct rc_buf *canonical);
/* The signature for given pieces (tests use the official vectors). */
void rc_sim__sigv4_signature(const char *secret, const char *date, const char *region,
                             const char *service, const char *string_to_sign, char out[65]);
void rc_sim__sha256_hex(const void *data, size_t n, char out[65]);

/* Per-operation call counters ("ec2.CreateVpc"); lock held. */
void rc_sim__count(const char *key);
json_t *rc_sim__counts_json(void);
void rc_sim__counts_reset(void);

#endif
