/* state_int — helpers shared inside reconciler/state only (not an API). */
#ifndef RC_STATE_INT_H
#define RC_STATE_INT_H
#include <stdbool.h>
#include <stddef.h>
#include "state.h"

#ifndef RECON_VERSION
#define RECON_VERSION "0.1.0"
#endif

/* A random uuid v4 into out[37]. */
void rc_state__uuid(char out[37]);
/* Random bytes as lowercase hex into out[2 * nbytes + 1]. */
void rc_state__random_hex(char *out, size_t nbytes);

/* Fills info for a new lock taken by this process. */
void rc_state__lock_info_init(struct rc_state_lock_info *info, const char *operation,
                              const char *path);
/* Lock info as a JSON text (caller rc_free's) and back; parse returns false
 * on anything that is not a lock info object. */
char *rc_state__lock_info_json(const struct rc_state_lock_info *info);
bool rc_state__lock_info_parse(const char *text, size_t len, struct rc_state_lock_info *info);
/* Whether the holder is gone: on this host and its pid does not exist. */
bool rc_state__holder_dead(const struct rc_state_lock_info *info);
/* The RC_LOCKED error naming the holder (stale or alive). */
rc_status rc_state__locked_error(struct rc_error *err, const char *what,
                                 const struct rc_state_lock_info *holder, double waited_s);

/* Writes data to path atomically: "<path>.tmp-<pid>" in the same
 * directory, fsync, rename over path, fsync the directory; mode 0600.
 * skip_rename (tests only) stops after the temp file is written and synced,
 * as a crash there would. */
rc_status rc_state__atomic_write(const char *path, const void *data, size_t len,
                                 bool skip_rename, struct rc_error *err);
/* Reads a whole file into *out (NUL-terminated, rc_free). RC_NOT_FOUND
 * when absent; RC_TOO_BIG past RC_LIMIT_STATE_SIZE. */
rc_status rc_state__read_file(const char *path, char **out, size_t *len, struct rc_error *err);

#endif
