#include "rc_suggest.h"

#include <string.h>

#include "rc_alloc.h"

size_t rc_edit_distance(const char *a, const char *b)
{
  size_t la = strlen(a), lb = strlen(b);
  size_t *row = rc_malloc((lb + 1) * sizeof *row);
  for (size_t j = 0; j <= lb; j++) row[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t prev = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t cur = row[j];
      size_t sub = prev + (a[i - 1] != b[j - 1]);
      size_t del = row[j] + 1, ins = row[j - 1] + 1;
      row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
      prev = cur;
    }
  }
  size_t d = row[lb];
  rc_free(row);
  return d;
}

const char *rc_suggest(const char *name, const char *const *cands, size_t n)
{
  size_t len = strlen(name), limit = len / 3 > 2 ? len / 3 : 2;
  const char *best = NULL;
  size_t bestd = (size_t)-1;
  for (size_t i = 0; (n == (size_t)-1) ? cands[i] != NULL : i < n; i++) {
    size_t d = rc_edit_distance(name, cands[i]);
    if (d < bestd) {
      bestd = d;
      best = cands[i];
    }
  }
  return bestd <= limit ? best : NULL;
}
