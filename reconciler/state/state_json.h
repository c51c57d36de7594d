/* state_json — the layout of struct rc_state, shared by state.c (the
 * record) and state_json.c (the document). Not an API. */
#ifndef RC_STATE_JSON_H
#define RC_STATE_JSON_H
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "state.h"

#define RC_STATE_SALT_BYTES 16

struct rc_state__output {
  char *name;
  struct rc_value *value; /* marked sensitive as a whole when sensitive */
  bool sensitive;
};

struct rc_state {
  char *lineage;
  uint64_t serial;
  char salt[2 * RC_STATE_SALT_BYTES + 1 + 96]; /* hex; loaded salts may be longer */
  char *recon_version;
  struct rc_state_resource *res; /* sorted by rc_state__addr_cmp; strings owned */
  size_t n_res, cap_res;
  /* res_json[i]: res[i] serialised as it appears in the document (NULL until
   * rc_state_to_json needs it; dropped whenever res[i] changes), so a write
   * after one action re-encodes one resource, not all of them */
  char **res_json;
  struct rc_state__output *outs; /* sorted by name */
  size_t n_outs, cap_outs;
};

struct rc_state *rc_state__alloc(void); /* no lineage, no salt */
int rc_state__addr_cmp(const char *a, const char *b);
/* hex SHA-256(salt || canonical JSON of v, marks removed) into out[65]. */
void rc_state__hash(const char *salt, const struct rc_value *v, char out[65]);

#endif
