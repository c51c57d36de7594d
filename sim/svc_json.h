/* svc_json.h — small helpers shared by recon-sim's JSON 1.1 services (ECS,
 * Logs) and the service files for the other protocols: reading typed members
 * of the request's JSON body, JSON pagination (maxResults/nextToken), tag
 * lists, and time stamps. Everything returned is borrowed from the call unless
 * said "new"; all run with the sim lock held like any handler. */
#ifndef RC_SIM_SVC_JSON_H
#define RC_SIM_SVC_JSON_H
#include "sim.h"

/* Members of the request body (top level); NULL / false when absent. */
const char *rc_svcj_str(const struct rc_sim_call *c, const char *key);
/* Present and an integer: true, *out set. *bad set when present but not an int. */
bool rc_svcj_int(const struct rc_sim_call *c, const char *key, int64_t *out, bool *bad);
bool rc_svcj_bool(const struct rc_sim_call *c, const char *key, bool dflt);
json_t *rc_svcj_get(const struct rc_sim_call *c, const char *key); /* borrowed */

/* A required string member: answers InvalidParameterException (with exc_code
 * when not NULL) and returns NULL when missing or empty. */
const char *rc_svcj_need(struct rc_sim_call *c, const char *key, const char *exc_code);

/* maxResults (key max_key, bounds lo..hi, default dflt) and nextToken; on a
 * bad value answers err_code 400 and returns false. */
bool rc_svcj_page(struct rc_sim_call *c, const char *max_key, const char *token_key, long lo,
                  long hi, long dflt, const char *err_code, size_t *start, size_t *limit);

/* Query protocol (ELBv2/IAM): PageSize/MaxItems and Marker, error err_code. */
bool rc_svcq_page(struct rc_sim_call *c, const char *max_key, const char *marker_key, long lo,
                  long hi, long dflt, const char *err_code, size_t *start, size_t *limit);
/* Percent-encodes every byte but A-Za-z0-9-_.~ (IAM policy documents): new. */
char *rc_svcq_urlencode(const char *s);

/* [{"key":k,"value":v}] (names given) into tags; false when malformed. */
bool rc_svcj_tags_from_list(const json_t *list, const char *kname, const char *vname,
                            struct rc_sim_tags *out);
json_t *rc_svcj_tags_to_list(const struct rc_sim_tags *t, const char *kname,
                             const char *vname); /* new */

/* Epoch seconds with milliseconds as a JSON real (ECS timestamps): new. */
json_t *rc_svcj_time(uint64_t ms);

/* A random UUID (lower-case, 36 chars + NUL). */
void rc_svcj_uuid(char out[37]);

#endif
