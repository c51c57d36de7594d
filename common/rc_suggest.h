/* rc_suggest — "did you mean": the closest candidate by edit distance. */
#ifndef RC_SUGGEST_H
#define RC_SUGGEST_H
#include <stddef.h>

/* Levenshtein distance (bytes). */
size_t rc_edit_distance(const char *a, const char *b);
/* The candidate within distance max(2, len/3) of name, closest first; NULL
 * when none is close. cands is NULL-terminated or of length n (n = (size_t)-1
 * means NULL-terminated). Borrowed result. */
const char *rc_suggest(const char *name, const char *const *cands, size_t n);

#endif
