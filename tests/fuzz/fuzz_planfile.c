/* fuzz_planfile — the saved-plan loader on arbitrary bytes: it must reject
 * (always saying why) or accept, never crash, leak or read out of bounds.
 * Inputs that are JSON objects are also tried with their checksum fixed, so
 * the fuzzer reaches the field and value decoders behind it. What loads
 * must render (text and JSON), save and load again to the same rendering. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "plan.h"
#include "rc_alloc.h"

static void check(const char *text, size_t len)
{
  struct rc_plan p;
  struct rc_error err;
  rc_error_clear(&err);
  if (rc_plan_from_json(text, len, "fuzz", &p, &err) != RC_OK) {
    if (err.code == RC_OK || !err.msg[0]) abort();
    if (p.nchanges || p.ndrift || p.noutputs || p.variables) abort(); /* zeroed on error */
    return;
  }
  struct rc_buf t1, t2, j;
  rc_buf_init(&t1, 0), rc_buf_init(&t2, 0), rc_buf_init(&j, 0);
  rc_plan_render_text(&p, false, &t1);
  rc_plan_render_json(&p, &j);
  size_t n = 0;
  char *saved = rc_plan_to_json(&p, &n);
  struct rc_plan q;
  if (rc_plan_from_json(saved, n, "fuzz-again", &q, NULL) != RC_OK) abort();
  rc_plan_render_text(&q, false, &t2);
  if (strcmp(t1.ptr, t2.ptr) != 0) abort();
  rc_plan_free(&q);
  rc_free(saved);
  rc_buf_free(&t1), rc_buf_free(&t2), rc_buf_free(&j);
  rc_plan_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  check((const char *)data, size);
  json_t *d = json_loadb((const char *)data, size, JSON_ALLOW_NUL, NULL);
  if (!json_is_object(d)) {
    json_decref(d);
    return 0;
  }
  json_object_del(d, "checksum");
  char *canon = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
  if (canon) {
    unsigned char md[32];
    char hexs[65];
    EVP_Digest(canon, strlen(canon), md, NULL, EVP_sha256(), NULL);
    for (int i = 0; i < 32; i++) {
      hexs[2 * i] = "0123456789abcdef"[md[i] >> 4];
      hexs[2 * i + 1] = "0123456789abcdef"[md[i] & 15];
    }
    hexs[64] = '\0';
    json_object_set_new(d, "checksum", json_string(hexs));
    char *fixed = json_dumps(d, JSON_COMPACT);
    if (fixed) check(fixed, strlen(fixed));
    free(fixed);
    free(canon);
  }
  json_decref(d);
  return 0;
}
