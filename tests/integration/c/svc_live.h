/* svc_live — helpers for the live tests of the service families
 * (test_res_svc*.c: logs, iam, ecs, elbv2): a recon-sim per test group, an
 * AWS client pointed at it, contexts, configs with schema defaults filled as
 * the engine plans them, the standard checks (read back equal, found,
 * imported, gone after delete, configuration equal to state under the
 * schema's normalisers), direct JSON/query calls for drift. Header-only. */
#ifndef RC_SVC_LIVE_H
#define RC_SVC_LIVE_H
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rc_alloc.h"
#include "rescommon.h"
#include "resource.h"
#include "simproc.h"

#ifndef SVC_SIM_FLAGS /* a test may define its own recon-sim flags first */
#define SVC_SIM_FLAGS "-consistency-delay-ms", "150"
#endif

static struct simproc svc_sim;
static struct rc_aws_client *svc_aws;

static int svc_setup(void **state)
{
  (void)state;
  static const char *const extra[] = {SVC_SIM_FLAGS, NULL};
  if (simproc_start(&svc_sim, extra) != 0) return -1;
  struct rc_aws_settings s = {.region = "us-east-1", .pacing = -1};
  struct rc_error err = {0};
  if (rc_aws_client_new(&s, &svc_aws, &err) != RC_OK) {
    fprintf(stderr, "client: %s\n", err.msg);
    return -1;
  }
  return 0;
}

static int svc_teardown(void **state)
{
  (void)state;
  rc_aws_client_free(svc_aws);
  simproc_stop(&svc_sim);
  return 0;
}

static struct rc_rctx svc_ctx(const char *address)
{
  struct rc_rctx c = {.aws = svc_aws,
                      .stack = "svctest",
                      .address = address,
                      .region = "us-east-1",
                      .idempotency_seed = address};
  return c;
}

/* a configuration object from JSON with the schema's defaults filled in */
static struct rc_value *svc_cfg(const struct rc_resource_type *rt, const char *json)
{
  struct rc_error err = {0};
  struct rc_value *v = rc_value_parse_json(json, strlen(json), &err);
  if (!v) fail_msg("bad test JSON %s: %s", json, err.msg);
  struct rc_value *o = rc_value_copy(v);
  rc_value_decref(v);
  for (const struct rc_attr *a = rt->schema; a->name; a++) {
    const struct rc_value *cv = rc_value_get(o, a->name);
    if ((cv && !rc_value_is_null(cv)) || !a->default_json) continue;
    rc_value_obj_put(o, a->name, rc_value_parse_json(a->default_json, strlen(a->default_json), NULL));
  }
  return o;
}

static void svc_expect_equal(const char *what, const struct rc_value *want,
                              const struct rc_value *got)
{
  if (got && rc_value_equal(want, got)) return;
  char *a = rc_value_dump_json(want), *b = got ? rc_value_dump_json(got) : rc_strdup("NULL");
  fprintf(stderr, "%s differs:\n want %s\n got  %s\n", what, a, b);
  rc_free(a);
  rc_free(b);
  fail_msg("%s differs", what);
}

static void svc_ok(rc_status st, const struct rc_error *err, const char *what)
{
  if (st != RC_OK) fail_msg("%s: %s (%s) %s", what, rc_status_str(st), err->aws_code, err->msg);
}

/* read_many of one object; NULL when gone */
static struct rc_value *svc_read(const struct rc_resource_type *rt, const char *address,
                                  const struct rc_value *prior)
{
  struct rc_rctx ctx = svc_ctx(address);
  struct rc_read_item it = {.address = address, .id = rc_res_str(prior, "id"), .prior = prior};
  rc_status st = rt->read_many(&ctx, &it, 1);
  svc_ok(st, &it.err, "read_many");
  svc_ok(it.status, &it.err, "read_many item");
  return it.out;
}

/* The standard checks after a create: the sim holds it with recon's tags,
 * read_many and find return exactly what create returned, import too. */
__attribute__((unused)) static void svc_check_created(const struct rc_resource_type *rt, const char *address,
                               const struct rc_value *cfg, const struct rc_value *out,
                               bool tagged)
{
  const char *id = rc_res_str(out, "id");
  assert_non_null(id);
  for (const struct rc_attr *a = rt->schema; a->name; a++)
    if (!rc_value_get(out, a->name)) fail_msg("attribute %s missing from %s", a->name, rt->name);
  if (tagged) {
    char *st = simproc_get(&svc_sim, "/_sim/state");
    assert_non_null(st);
    char *at = strstr(st, id);
    if (!at) fail_msg("%s not in the sim state", id);
    assert_non_null(strstr(st, "recon:address"));
    free(st);
  }
  struct rc_value *back = svc_read(rt, address, out);
  svc_expect_equal("read back", out, back);
  rc_value_decref(back);
  if (rt->find) {
    struct rc_rctx ctx = svc_ctx(address);
    struct rc_error err = {0};
    struct rc_value *f = NULL;
    svc_ok(rt->find(&ctx, cfg, &f, &err), &err, "find");
    svc_expect_equal("found", out, f);
    rc_value_decref(f);
  }
  if (rt->import) {
    struct rc_rctx ctx = svc_ctx(address);
    struct rc_error err = {0};
    struct rc_value *imp = NULL;
    svc_ok(rt->import(&ctx, id, &imp, &err), &err, "import");
    assert_non_null(imp);
    assert_string_equal(rc_res_str(imp, "id"), id);
    rc_value_decref(imp);
  }
}

__attribute__((unused)) static void svc_delete(const struct rc_resource_type *rt, const char *address,
                        const struct rc_value *state)
{
  struct rc_rctx ctx = svc_ctx(address);
  struct rc_error err = {0};
  svc_ok(rt->delete(&ctx, state, &err), &err, "delete");
  struct rc_value *gone = svc_read(rt, address, state);
  if (gone) {
    rc_value_decref(gone);
    fail_msg("%s still there after delete", rc_res_str(state, "id"));
  }
  struct rc_error e2 = {0};
  rc_status again = rt->delete(&ctx, state, &e2);
  assert_true(again == RC_OK || again == RC_NOT_FOUND);
}

static struct rc_value *svc_create(const struct rc_resource_type *rt, const char *address,
                                    const struct rc_value *cfg)
{
  struct rc_rctx ctx = svc_ctx(address);
  struct rc_error err = {0};
  struct rc_value *out = NULL;
  svc_ok(rt->create(&ctx, cfg, &out, &err), &err, "create");
  assert_non_null(out);
  return out;
}

__attribute__((unused)) static struct rc_value *svc_update(const struct rc_resource_type *rt, const char *address,
                                    const struct rc_value *prior, const struct rc_value *cfg)
{
  struct rc_rctx ctx = svc_ctx(address);
  struct rc_error err = {0};
  struct rc_value *out = NULL;
  svc_ok(rt->update(&ctx, prior, cfg, &out, &err), &err, "update");
  assert_non_null(out);
  struct rc_value *back = svc_read(rt, address, out);
  svc_expect_equal("read after update", out, back);
  rc_value_decref(back);
  return out;
}


/* a direct call (drift or setup); params as JSON text; answer returned */
__attribute__((unused)) static struct rc_value *svc_call(const char *service, const char *op, const char *json)
{
  struct rc_error err = {0};
  struct rc_value *p = rc_value_parse_json(json, strlen(json), &err), *out = NULL;
  if (!p) fail_msg("bad test JSON %s", json);
  svc_ok(rc_aws_call(svc_aws, service, op, p, &out, &err), &err, op);
  rc_value_decref(p);
  return out;
}

/* true (and a skip message) when the sim does not know the operation yet */
__attribute__((unused)) static bool svc_unsupported(rc_status st, const struct rc_error *err)
{
  if (st == RC_OK) return false;
  if (strstr(err->aws_code, "InvalidAction") || strstr(err->aws_code, "UnknownOperation") ||
      strstr(err->msg, "not implemented") || strstr(err->msg, "unknown service") ||
      strstr(err->msg, "Unknown") || strstr(err->aws_code, "UnrecognizedClient")) {
    fprintf(stderr, "skipped: recon-sim lacks it: %s %s\n", err->aws_code, err->msg);
    return true;
  }
  return false;
}

/* every configured argument equals the state under the schema's normaliser
 * (the engine's "no changes after apply" for the arguments) */
__attribute__((unused)) static void svc_expect_converged(const struct rc_resource_type *rt, const struct rc_value *cfg,
                                 const struct rc_value *state)
{
  for (const struct rc_attr *a = rt->schema; a->name; a++) {
    if (!(a->flags & (RC_A_REQUIRED | RC_A_OPTIONAL))) continue;
    if (a->type == RC_T_BLOCK_LIST || a->type == RC_T_BLOCK_SET || a->type == RC_T_SET ||
        a->type == RC_T_MAP)
      continue; /* compared by the plan tests */
    const struct rc_value *c = rc_value_get(cfg, a->name), *s = rc_value_get(state, a->name);
    if (!c || rc_value_is_null(c)) continue;
    struct rc_value *nc = a->normalise ? a->normalise(c) : NULL;
    struct rc_value *ns = a->normalise && s && !rc_value_is_null(s) ? a->normalise(s) : NULL;
    const struct rc_value *x = nc ? nc : c, *y = ns ? ns : s;
    bool eq = y && rc_value_equal(x, y);
    if (!eq) {
      char *dx = rc_value_dump_json(x), *dy = y ? rc_value_dump_json(y) : rc_strdup("null");
      fprintf(stderr, "%s.%s: config %s\n state %s\n", rt->name, a->name, dx, dy);
      rc_free(dx);
      rc_free(dy);
    }
    rc_value_decref(nc);
    rc_value_decref(ns);
    if (!eq) fail_msg("%s.%s would show a change after apply", rt->name, a->name);
  }
}

__attribute__((unused)) static void svc_expect_str(const struct rc_value *o, const char *key, const char *want)
{
  const char *got = rc_res_str(o, key);
  if (!want) {
    if (got) fail_msg("%s = %s, want null", key, got);
    return;
  }
  if (!got || strcmp(got, want) != 0) fail_msg("%s = %s, want %s", key, got ? got : "null", want);
}

__attribute__((unused)) static void svc_expect_int(const struct rc_value *o, const char *key, int64_t want)
{
  const struct rc_value *v = rc_value_get(o, key);
  if (!v || rc_value_kind(v) != RC_NUMBER || rc_value_int_get(v) != want)
    fail_msg("%s is not %lld", key, (long long)want);
}

#endif
