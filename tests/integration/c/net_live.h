/* net_live — helpers for the live network resource tests (test_res_net*.c):
 * the shared harness (res_live.h: recon-sim, client, contexts, configs, the
 * standard checks) under the stack "nettest" with the NAT gateway delays, and
 * direct EC2 calls for drift. Header-only: each test executable includes it
 * once. */
#ifndef RC_NET_LIVE_H
#define RC_NET_LIVE_H

#define LIVE_STACK "nettest"
#define LIVE_SIM_FLAGS                                                                   \
  "-consistency-delay-ms", "150", "-nat-delay-ms", "300", "-nat-delete-ms", "200"
#include "res_live.h"

/* a direct EC2 call (drift), params as "K=V" strings, NULL-terminated */
__attribute__((unused)) static void live_ec2(const char *op, ...)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *out = NULL;
  va_list ap;
  va_start(ap, op);
  const char *kv;
  while ((kv = va_arg(ap, const char *))) {
    const char *eq = strchr(kv, '=');
    char *k = rc_strndup(kv, (size_t)(eq - kv));
    rc_aws_param(p, k, eq + 1);
    rc_free(k);
  }
  va_end(ap);
  struct rc_error err = {0};
  live_ok(rc_aws_call(live_aws, "ec2", op, p, &out, &err), &err, op);
  rc_value_decref(out);
  rc_value_decref(p);
}

#endif
