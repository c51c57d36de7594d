/* profile — the shared AWS credentials and config files, parsed into one
 * lookup table. Ownership: rc_aws__ini_load returns a table the caller frees
 * with rc_aws__ini_free; rc_aws__ini_get returns borrowed strings. */
#ifndef RC_AWS_PROFILE_H
#define RC_AWS_PROFILE_H
#include <stdbool.h>

struct rc_aws__ini;
/* Reads both files (missing files are empty). */
struct rc_aws__ini *rc_aws__ini_load(void);
void rc_aws__ini_free(struct rc_aws__ini *ini);
/* profile's key: the credentials file first, then the config file; NULL when absent or empty. */
const char *rc_aws__ini_get(const struct rc_aws__ini *ini, const char *profile, const char *key);
bool rc_aws__ini_has_profile(const struct rc_aws__ini *ini, const char *profile);
/* $env, else ~/dflt (rc_malloc'd; NULL without HOME). */
char *rc_aws__file_path(const char *env, const char *dflt);

#endif
