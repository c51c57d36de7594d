#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "graph.h"
#include "rc_alloc.h"

#define MAXN 64

struct probe {
  const struct rc_graph *g;
  bool reverse;
  atomic_int running, max_running, seq;
  atomic_int finished[MAXN];   /* 1 once fn returned for the node */
  atomic_int start_seq[MAXN];  /* order of starts, 1-based */
  atomic_int order_ok;         /* 0 if a node started before what it waits on */
  int fail_node;               /* -1: none */
  int cancel_at;               /* -1: none */
  volatile int cancel;
  int sleep_ms;
  atomic_int arrived;          /* for the overlap test */
  atomic_int saw_other;
};

static void sleep_ms(int ms)
{
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static void probe_init(struct probe *p, const struct rc_graph *g)
{
  memset(p, 0, sizeof *p);
  p->g = g;
  p->fail_node = -1;
  p->cancel_at = -1;
  atomic_store(&p->order_ok, 1);
}

static rc_status probe_fn(void *ud, size_t node, struct rc_error *err)
{
  struct probe *p = ud;
  atomic_store(&p->start_seq[node], atomic_fetch_add(&p->seq, 1) + 1);
  const size_t *l;
  size_t m = p->reverse ? rc_graph_dependents(p->g, node, &l) : rc_graph_deps(p->g, node, &l);
  for (size_t j = 0; j < m; j++)
    if (!atomic_load(&p->finished[l[j]])) atomic_store(&p->order_ok, 0);
  int now = atomic_fetch_add(&p->running, 1) + 1;
  int prev = atomic_load(&p->max_running);
  while (now > prev && !atomic_compare_exchange_weak(&p->max_running, &prev, now)) {
  }
  if (p->sleep_ms) sleep_ms(p->sleep_ms);
  atomic_fetch_sub(&p->running, 1);
  if ((int)node == p->cancel_at) p->cancel = 1;
  atomic_store(&p->finished[node], 1);
  if ((int)node == p->fail_node) return rc_error_set(err, RC_AWS, "node %zu broke", node);
  return RC_OK;
}

static void test_walk__dependencies_respected_in_parallel(void **state)
{
  /* a diamond fan: 0 <- 1..8 <- 9 (1..8 depend on 0, 9 on all of them) */
  struct rc_graph *g = rc_graph_new(10);
  for (size_t i = 1; i <= 8; i++) {
    rc_graph_add_edge(g, i, 0);
    rc_graph_add_edge(g, 9, i);
  }
  struct probe p;
  probe_init(&p, g);
  p.sleep_ms = 5;
  struct rc_walk_result res;
  struct rc_error err = {0};
  assert_int_equal(rc_graph_walk(g, 4, probe_fn, &p, NULL, &res, &err), RC_OK);
  assert_int_equal(res.n_done, 10);
  assert_true(atomic_load(&p.order_ok));
  assert_int_equal(atomic_load(&p.start_seq[0]), 1);
  assert_int_equal(atomic_load(&p.start_seq[9]), 10);
  assert_true(res.max_concurrent <= 4);
  rc_walk_result_free(&res);
  rc_graph_free(g);
}

static void test_walk__parallelism_bound(void **state)
{
  struct rc_graph *g = rc_graph_new(24);
  struct probe p;
  probe_init(&p, g);
  p.sleep_ms = 10;
  struct rc_walk_result res;
  assert_int_equal(rc_graph_walk(g, 3, probe_fn, &p, NULL, &res, NULL), RC_OK);
  assert_int_equal(res.n_done, 24);
  assert_true(atomic_load(&p.max_running) <= 3);
  assert_true(atomic_load(&p.max_running) >= 2); /* it did run in parallel */
  assert_true(res.max_concurrent <= 3);
  rc_walk_result_free(&res);
  rc_graph_free(g);
}

/* Each of two independent nodes waits (up to 5 s) for the other to arrive:
 * they can only both see each other if they overlap. */
static rc_status meet_fn(void *ud, size_t node, struct rc_error *err)
{
  struct probe *p = ud;
  atomic_fetch_add(&p->arrived, 1);
  for (int i = 0; i < 500 && atomic_load(&p->arrived) < 2; i++) sleep_ms(10);
  if (atomic_load(&p->arrived) >= 2) atomic_fetch_add(&p->saw_other, 1);
  return RC_OK;
}

static void test_walk__independent_branches_overlap(void **state)
{
  /* 0 and 1 are independent (a NAT gateway and an ALB); 2 needs both */
  struct rc_graph *g = rc_graph_new(3);
  rc_graph_add_edge(g, 2, 0);
  rc_graph_add_edge(g, 2, 1);
  struct probe p;
  probe_init(&p, g);
  struct rc_walk_result res;
  assert_int_equal(rc_graph_walk(g, 10, meet_fn, &p, NULL, &res, NULL), RC_OK);
  /* node 2 also sees arrived >= 2, so 3 meets = both branches overlapped */
  assert_int_equal(atomic_load(&p.saw_other), 3);
  assert_int_equal(res.max_concurrent, 2);
  rc_walk_result_free(&res);
  rc_graph_free(g);
}

static void test_walk__deterministic_serial_order(void **state)
{
  struct rc_graph *g = rc_graph_new(6);
  rc_graph_add_edge(g, 0, 5);
  rc_graph_add_edge(g, 1, 4);
  rc_graph_add_edge(g, 3, 0);
  size_t order[6];
  assert_int_equal(rc_graph_topo(g, order, NULL), RC_OK);
  struct probe p;
  probe_init(&p, g);
  struct rc_walk_result res;
  assert_int_equal(rc_graph_walk(g, 1, probe_fn, &p, NULL, &res, NULL), RC_OK);
  for (size_t i = 0; i < 6; i++) assert_int_equal(atomic_load(&p.start_seq[order[i]]), (int)i + 1);
  rc_walk_result_free(&res);
  rc_graph_free(g);
}

static void test_walk__failure_stops_new_starts_and_skips_dependents(void **state)
{
  /* 0..4 independent; 5 depends on 1; 6 depends on 5 */
  struct rc_graph *g = rc_graph_new(7);
  rc_graph_add_edge(g, 5, 1);
  rc_graph_add_edge(g, 6, 5);
  struct probe p;
  probe_init(&p, g);
  p.fail_node = 1;
  struct rc_walk_result res;
  struct rc_error err = {0};
  assert_int_equal(rc_graph_walk(g, 1, probe_fn, &p, NULL, &res, &err), RC_ERROR);
  assert_non_null(strstr(err.msg, "node 1 broke"));
  assert_int_equal(res.state[0], RC_WALK_DONE);
  assert_int_equal(res.state[1], RC_WALK_FAILED);
  assert_int_equal(res.errors[1].code, RC_AWS);
  for (size_t i = 2; i <= 4; i++) assert_int_equal(res.state[i], RC_WALK_NOT_STARTED);
  assert_int_equal(res.state[5], RC_WALK_SKIPPED);
  assert_int_equal(res.state[6], RC_WALK_SKIPPED);
  assert_int_equal(res.n_failed, 1);
  assert_int_equal(res.n_skipped, 2);
  assert_int_equal(res.n_not_started, 3);
  for (size_t i = 2; i <= 6; i++) assert_int_equal(atomic_load(&p.start_seq[i]), 0);
  rc_walk_result_free(&res);
  rc_graph_free(g);
}

/* Node 0 is slow and in flight when node 1 fails: it still finishes DONE. */
static rc_status slow_and_fail_fn(void *ud, size_t node, struct rc_error *err)
{
  struct probe *p = ud;
  atomic_store(&p->start_seq[node], atomic_fetch_add(&p->seq, 1) + 1);
  if (node == 0) {
    for (int i = 0; i < 500 && !atomic_load(&p->finished[1]); i++) sleep_ms(5);
    sleep_ms(20);
  }
  atomic_store(&p->finished[node], 1);
  if (node == 1) return rc_error_set(err, RC_ERROR, "boom");
  return RC_OK;
}

static void test_walk__in_flight_nodes_finish_after_failure(void **state)
{
  struct rc_graph *g = rc_graph_new(8);
  struct probe p;
  probe_init(&p, g);
  struct rc_walk_result res;
  assert_int_equal(rc_graph_walk(g, 2, slow_and_fail_fn, &p, NULL, &res, NULL), RC_ERROR);
  assert_int_equal(res.state[0], RC_WALK_DONE);
  assert_int_equal(res.state[1], RC_WALK_FAILED);
  for (size_t i = 2; i < 8; i++) assert_int_equal(res.state[i], RC_WALK_NOT_STARTED);
  rc_walk_result_free(&res);
  rc_graph_free(g);
}

static void test_walk__keep_going_runs_independent_nodes(void **state)
{
  struct rc_graph *g = rc_graph_new(7);
  rc_graph_add_edge(g, 5, 1);
  rc_graph_add_edge(g, 6, 5);
  struct probe p;
  probe_init(&p, g);
  p.fail_node = 1;
  struct rc_walk_opts o = {.keep_going = true};
  struct rc_walk_result res;
  assert_int_equal(rc_graph_walk(g, 2, probe_fn, &p, &o, &res, NULL), RC_ERROR);
  assert_int_equal(res.n_done, 4);
  assert_int_equal(res.state[5], RC_WALK_SKIPPED);
  assert_int_equal(res.state[6], RC_WALK_SKIPPED);
  rc_walk_result_free(&res);
  rc_graph_free(g);
}

static void test_walk__cancel_stops_new_work(void **state)
{
  struct rc_graph *g = rc_graph_new(6);
  struct probe p;
  probe_init(&p, g);
  p.cancel_at = 2;
  struct rc_walk_opts o = {.cancel = &p.cancel};
  struct rc_walk_result res;
  struct rc_error err = {0};
  assert_int_equal(rc_graph_walk(g, 1, probe_fn, &p, &o, &res, &err), RC_CANCELLED);
  assert_true(res.cancelled);
  assert_int_equal(res.n_done, 3);
  for (size_t i = 3; i < 6; i++) assert_int_equal(res.state[i], RC_WALK_NOT_STARTED);
  rc_walk_result_free(&res);

  /* set before the walk: nothing starts */
  probe_init(&p, g);
  p.cancel = 1;
  assert_int_equal(rc_graph_walk(g, 3, probe_fn, &p, &o, &res, NULL), RC_CANCELLED);
  assert_int_equal(res.n_not_started, 6);
  assert_int_equal(atomic_load(&p.seq), 0);
  rc_walk_result_free(&res);
  rc_graph_free(g);
}

static void test_walk__reverse_walk_dependents_first(void **state)
{
  /* vpc(0) <- subnet(1) <- nat(2); vpc <- sg(3) */
  struct rc_graph *g = rc_graph_new(4);
  rc_graph_add_edge(g, 1, 0);
  rc_graph_add_edge(g, 2, 1);
  rc_graph_add_edge(g, 3, 0);
  struct probe p;
  probe_init(&p, g);
  p.reverse = true;
  p.sleep_ms = 2;
  struct rc_walk_opts o = {.reverse = true};
  struct rc_walk_result res;
  assert_int_equal(rc_graph_walk(g, 3, probe_fn, &p, &o, &res, NULL), RC_OK);
  assert_true(atomic_load(&p.order_ok));
  assert_int_equal(atomic_load(&p.start_seq[0]), 4); /* the VPC goes last */
  rc_walk_result_free(&res);

  /* a failure in reverse skips what waits on it: its dependencies */
  probe_init(&p, g);
  p.reverse = true;
  p.fail_node = 1;
  assert_int_equal(rc_graph_walk(g, 1, probe_fn, &p, &o, &res, NULL), RC_ERROR);
  assert_int_equal(res.state[2], RC_WALK_DONE);
  assert_int_equal(res.state[1], RC_WALK_FAILED);
  assert_int_equal(res.state[0], RC_WALK_SKIPPED);
  rc_walk_result_free(&res);
  rc_graph_free(g);
}

static void test_walk__include_mask(void **state)
{
  struct rc_graph *g = rc_graph_new(4);
  rc_graph_add_edge(g, 1, 0);
  rc_graph_add_edge(g, 2, 1);
  bool inc[4] = {false, true, false, false};
  rc_graph_closure(g, inc);
  struct probe p;
  probe_init(&p, g);
  struct rc_walk_opts o = {.include = inc};
  struct rc_walk_result res;
  assert_int_equal(rc_graph_walk(g, 2, probe_fn, &p, &o, &res, NULL), RC_OK);
  assert_int_equal(res.n_done, 2);
  assert_int_equal(res.n_excluded, 2);
  assert_int_equal(res.state[2], RC_WALK_EXCLUDED);
  assert_int_equal(atomic_load(&p.start_seq[3]), 0);
  rc_walk_result_free(&res);
  rc_graph_free(g);
}

static void test_walk__cycle_runs_nothing(void **state)
{
  struct rc_graph *g = rc_graph_new(3);
  rc_graph_add_edge(g, 0, 1);
  rc_graph_add_edge(g, 1, 0);
  struct probe p;
  probe_init(&p, g);
  struct rc_walk_result res;
  struct rc_error err = {0};
  assert_int_equal(rc_graph_walk(g, 2, probe_fn, &p, NULL, &res, &err), RC_ERROR);
  assert_non_null(strstr(err.msg, "cycle: 0 -> 1 -> 0"));
  assert_int_equal(atomic_load(&p.seq), 0);
  assert_int_equal(res.n_not_started, 3);
  rc_walk_result_free(&res);
  rc_graph_free(g);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_walk__dependencies_respected_in_parallel),
      cmocka_unit_test(test_walk__parallelism_bound),
      cmocka_unit_test(test_walk__independent_branches_overlap),
      cmocka_unit_test(test_walk__deterministic_serial_order),
      cmocka_unit_test(test_walk__failure_stops_new_starts_and_skips_dependents),
      cmocka_unit_test(test_walk__in_flight_nodes_finish_after_failure),
      cmocka_unit_test(test_walk__keep_going_runs_independent_nodes),
      cmocka_unit_test(test_walk__cancel_stops_new_work),
      cmocka_unit_test(test_walk__reverse_walk_dependents_first),
      cmocka_unit_test(test_walk__include_mask),
      cmocka_unit_test(test_walk__cycle_runs_nothing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
