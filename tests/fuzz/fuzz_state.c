/* fuzz_state — the state loader on arbitrary bytes: it must reject or
 * accept, never crash, leak or read out of bounds; what it accepts must
 * serialise and load again to the same document. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rc_alloc.h"
#include "state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct rc_error err;
  rc_error_clear(&err);
  struct rc_state *st = rc_state_from_json((const char *)data, size, "fuzz", &err);
  if (!st) {
    if (err.code == RC_OK || !err.msg[0]) abort(); /* a rejection always says why */
    return 0;
  }
  size_t len = 0;
  char *text = rc_state_to_json(st, &len);
  struct rc_state *again = rc_state_from_json(text, len, "fuzz-again", NULL);
  if (!again) abort();
  char *text2 = rc_state_to_json(again, NULL);
  if (strcmp(text, text2) != 0) abort();
  for (size_t i = 0; i < rc_state_count(again); i++) {
    const struct rc_state_resource *r = rc_state_at(again, i);
    if (rc_state_find(again, r->address) != r) abort();
  }
  rc_free(text2);
  rc_free(text);
  rc_state_free(again);
  rc_state_free(st);
  return 0;
}
