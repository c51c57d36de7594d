/* res_live — the live test harness shared by the resource type tests
 * (test_res_net*.c through net_live.h, test_res_svc*.c through svc_live.h):
 * a recon-sim per test group, an AWS client pointed at it, contexts, configs
 * with schema defaults filled as the engine plans them, and the standard
 * checks (read back equal, found, imported, gone after delete). Header-only:
 * each test executable includes it once, through its family's header, which
 * defines LIVE_STACK (the recon:stack tag) and LIVE_SIM_FLAGS (recon-sim's
 * flags) first. Values returned are new references (rc_value_decref). */
#ifndef RC_RES_LIVE_H
#define RC_RES_LIVE_H
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rc_alloc.h"
#include "rescommon.h"
#include "resource.h"
#include "simproc.h"

#if !defined(LIVE_STACK) || !defined(LIVE_SIM_FLAGS)
#error "include net_live.h or svc_live.h, which define LIVE_STACK and LIVE_SIM_FLAGS"
#endif

static struct simproc live_sim;
static struct rc_aws_client *live_aws;

__attribute__((unused)) static int live_setup(void **state)
{
  (void)state;
  static const char *const extra[] = {LIVE_SIM_FLAGS, NULL};
  if (simproc_start(&live_sim, extra) != 0) return -1;
  struct rc_aws_settings s = {.region = "us-east-1", .pacing = -1};
  struct rc_error err = {0};
  if (rc_aws_client_new(&s, &live_aws, &err) != RC_OK) {
    fprintf(stderr, "client: %s\n", err.msg);
    return -1;
  }
  return 0;
}

__attribute__((unused)) static int live_teardown(void **state)
{
  (void)state;
  rc_aws_client_free(live_aws);
  simproc_stop(&live_sim);
  return 0;
}

__attribute__((unused)) static struct rc_rctx live_ctx(const char *address)
{
  struct rc_rctx c = {.aws = live_aws,
                      .stack = LIVE_STACK,
                      .address = address,
                      .region = "us-east-1",
                      .idempotency_seed = address};
  return c;
}

/* a configuration object from JSON with the schema's defaults filled in */
__attribute__((unused)) static struct rc_value *
live_cfg(const struct rc_resource_type *rt, const char *json)
{
  struct rc_error err = {0};
  struct rc_value *v = rc_value_parse_json(json, strlen(json), &err);
  if (!v) fail_msg("bad test JSON %s: %s", json, err.msg);
  struct rc_value *o = rc_value_copy(v);
  rc_value_decref(v);
  for (const struct rc_attr *a = rt->schema; a->name; a++) {
    const struct rc_value *cv = rc_value_get(o, a->name);
    if ((cv && !rc_value_is_null(cv)) || !a->default_json) continue;
    rc_value_obj_put(o, a->name,
                     rc_value_parse_json(a->default_json, strlen(a->default_json), NULL));
  }
  return o;
}

/* live_cfg of a printf-formatted JSON text (at most 2 KiB) */
__attribute__((unused, format(printf, 2, 3))) static struct rc_value *
live_cfgf(const struct rc_resource_type *rt, const char *fmt, ...)
{
  char json[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(json, sizeof json, fmt, ap);
  va_end(ap);
  return live_cfg(rt, json);
}

__attribute__((unused)) static void live_expect_equal(const char *what,
                                                      const struct rc_value *want,
                                                      const struct rc_value *got)
{
  if (got && rc_value_equal(want, got)) return;
  char *a = rc_value_dump_json(want),
       *b = got ? rc_value_dump_json(got) : rc_strdup("NULL");
  fprintf(stderr, "%s differs:\n want %s\n got  %s\n", what, a, b);
  rc_free(a);
  rc_free(b);
  fail_msg("%s differs", what);
}

__attribute__((unused)) static void live_ok(rc_status st, const struct rc_error *err,
                                            const char *what)
{
  if (st != RC_OK)
    fail_msg("%s: %s (%s) %s", what, rc_status_str(st), err->aws_code, err->msg);
}

/* read_many of one object; NULL when gone */
__attribute__((unused)) static struct rc_value *
live_read(const struct rc_resource_type *rt, const char *address,
          const struct rc_value *prior)
{
  struct rc_rctx ctx = live_ctx(address);
  struct rc_read_item it = {
      .address = address, .id = rc_res_str(prior, "id"), .prior = prior};
  rc_status st = rt->read_many(&ctx, &it, 1);
  live_ok(st, &it.err, "read_many");
  live_ok(it.status, &it.err, "read_many item");
  return it.out;
}

/* The standard checks after a create: the sim holds it with recon's tags,
 * read_many and find return exactly what create returned, import too. */
__attribute__((unused)) static void
live_check_created(const struct rc_resource_type *rt, const char *address,
                   const struct rc_value *cfg, const struct rc_value *out, bool tagged)
{
  const char *id = rc_res_str(out, "id");
  assert_non_null(id);
  for (const struct rc_attr *a = rt->schema; a->name; a++)
    if (!rc_value_get(out, a->name))
      fail_msg("attribute %s missing from %s", a->name, rt->name);
  if (tagged) {
    char *st = simproc_get(&live_sim, "/_sim/state");
    assert_non_null(st);
    char *at = strstr(st, id);
    if (!at) fail_msg("%s not in the sim state", id);
    assert_non_null(strstr(st, "recon:address"));
    free(st);
  }
  struct rc_value *back = live_read(rt, address, out);
  live_expect_equal("read back", out, back);
  rc_value_decref(back);
  if (rt->find) {
    struct rc_rctx ctx = live_ctx(address);
    struct rc_error err = {0};
    struct rc_value *f = NULL;
    live_ok(rt->find(&ctx, cfg, &f, &err), &err, "find");
    live_expect_equal("found", out, f);
    rc_value_decref(f);
  }
  if (rt->import && strcmp(rt->name, "aws_route") != 0) { /* its import id is rtb_dest */
    struct rc_rctx ctx = live_ctx(address);
    struct rc_error err = {0};
    struct rc_value *imp = NULL;
    live_ok(rt->import(&ctx, id, &imp, &err), &err, "import");
    assert_non_null(imp);
    assert_string_equal(rc_res_str(imp, "id"), id);
    rc_value_decref(imp);
  }
}

__attribute__((unused)) static void live_delete(const struct rc_resource_type *rt,
                                                const char *address,
                                                const struct rc_value *state)
{
  struct rc_rctx ctx = live_ctx(address);
  struct rc_error err = {0};
  live_ok(rt->delete (&ctx, state, &err), &err, "delete");
  struct rc_value *gone = live_read(rt, address, state);
  if (gone) {
    rc_value_decref(gone);
    fail_msg("%s still there after delete", rc_res_str(state, "id"));
  }
  struct rc_error e2 = {0};
  rc_status again = rt->delete (&ctx, state, &e2);
  assert_true(again == RC_OK || again == RC_NOT_FOUND);
}

__attribute__((unused)) static struct rc_value *
live_create(const struct rc_resource_type *rt, const char *address,
            const struct rc_value *cfg)
{
  struct rc_rctx ctx = live_ctx(address);
  struct rc_error err = {0};
  struct rc_value *out = NULL;
  live_ok(rt->create(&ctx, cfg, &out, &err), &err, "create");
  assert_non_null(out);
  return out;
}

__attribute__((unused)) static struct rc_value *
live_update(const struct rc_resource_type *rt, const char *address,
            const struct rc_value *prior, const struct rc_value *cfg)
{
  struct rc_rctx ctx = live_ctx(address);
  struct rc_error err = {0};
  struct rc_value *out = NULL;
  live_ok(rt->update(&ctx, prior, cfg, &out, &err), &err, "update");
  assert_non_null(out);
  struct rc_value *back = live_read(rt, address, out);
  live_expect_equal("read after update", out, back);
  rc_value_decref(back);
  return out;
}

__attribute__((unused)) static void live_expect_str(const struct rc_value *o,
                                                    const char *key, const char *want)
{
  const char *got = rc_res_str(o, key);
  if (!want) {
    if (got) fail_msg("%s = %s, want null", key, got);
    return;
  }
  if (!got || strcmp(got, want) != 0)
    fail_msg("%s = %s, want %s", key, got ? got : "null", want);
}

__attribute__((unused)) static void live_expect_bool(const struct rc_value *o,
                                                     const char *key, bool want)
{
  const struct rc_value *v = rc_value_get(o, key);
  if (!v || rc_value_kind(v) != RC_BOOL || rc_value_bool_get(v) != want)
    fail_msg("%s is not %s", key, want ? "true" : "false");
}

__attribute__((unused)) static void live_expect_int(const struct rc_value *o,
                                                    const char *key, int64_t want)
{
  const struct rc_value *v = rc_value_get(o, key);
  if (!v || rc_value_kind(v) != RC_NUMBER || rc_value_int_get(v) != want)
    fail_msg("%s is not %lld", key, (long long)want);
}

#endif
