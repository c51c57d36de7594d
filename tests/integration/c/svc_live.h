/* svc_live — helpers for the live tests of the service families
 * (test_res_svc*.c: logs, iam, ecs, elbv2): the shared harness (res_live.h:
 * recon-sim, client, contexts, configs, the standard checks) under the stack
 * "svctest", direct JSON/query calls for drift, and the check that
 * configuration equals state under the schema's normalisers. Header-only. */
#ifndef RC_SVC_LIVE_H
#define RC_SVC_LIVE_H

#ifndef SVC_SIM_FLAGS /* a test may define its own recon-sim flags first */
#define SVC_SIM_FLAGS "-consistency-delay-ms", "150"
#endif
#define LIVE_STACK "svctest"
#define LIVE_SIM_FLAGS SVC_SIM_FLAGS
#include "res_live.h"

/* a direct call (drift or setup); params as JSON text; answer returned */
__attribute__((unused)) static struct rc_value *svc_call(const char *service,
                                                         const char *op, const char *json)
{
  struct rc_error err = {0};
  struct rc_value *p = rc_value_parse_json(json, strlen(json), &err), *out = NULL;
  if (!p) fail_msg("bad test JSON %s", json);
  live_ok(rc_aws_call(live_aws, service, op, p, &out, &err), &err, op);
  rc_value_decref(p);
  return out;
}

/* true (and a skip message) when the sim does not know the operation yet */
__attribute__((unused)) static bool svc_unsupported(rc_status st,
                                                    const struct rc_error *err)
{
  if (st == RC_OK) return false;
  if (strstr(err->aws_code, "InvalidAction") ||
      strstr(err->aws_code, "UnknownOperation") || strstr(err->msg, "not implemented") ||
      strstr(err->msg, "unknown service") || strstr(err->msg, "Unknown") ||
      strstr(err->aws_code, "UnrecognizedClient")) {
    fprintf(stderr, "skipped: recon-sim lacks it: %s %s\n", err->aws_code, err->msg);
    return true;
  }
  return false;
}

/* every configured argument equals the state under the schema's normaliser
 * (the engine's "no changes after apply" for the arguments) */
__attribute__((unused)) static void
svc_expect_converged(const struct rc_resource_type *rt, const struct rc_value *cfg,
                     const struct rc_value *state)
{
  for (const struct rc_attr *a = rt->schema; a->name; a++) {
    if (!(a->flags & (RC_A_REQUIRED | RC_A_OPTIONAL))) continue;
    if (a->type == RC_T_BLOCK_LIST || a->type == RC_T_BLOCK_SET || a->type == RC_T_SET ||
        a->type == RC_T_MAP)
      continue; /* compared by the plan tests */
    const struct rc_value *c = rc_value_get(cfg, a->name),
                          *s = rc_value_get(state, a->name);
    if (!c || rc_value_is_null(c)) continue;
    struct rc_value *nc = a->normalise ? a->normalise(c) : NULL;
    struct rc_value *ns =
        a->normalise && s && !rc_value_is_null(s) ? a->normalise(s) : NULL;
    const struct rc_value *x = nc ? nc : c, *y = ns ? ns : s;
    bool eq = y && rc_value_equal(x, y);
    if (!eq) {
      char *dx = rc_value_dump_json(x),
           *dy = y ? rc_value_dump_json(y) : rc_strdup("null");
      fprintf(stderr, "%s.%s: config %s\n state %s\n", rt->name, a->name, dx, dy);
      rc_free(dx);
      rc_free(dy);
    }
    rc_value_decref(nc);
    rc_value_decref(ns);
    if (!eq) fail_msg("%s.%s would show a change after apply", rt->name, a->name);
  }
}

#endif
