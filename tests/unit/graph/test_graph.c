#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "graph.h"
#include "rc_alloc.h"

/* Position of x in order[0..n-1]. */
static size_t pos(const size_t *order, size_t n, size_t x)
{
  for (size_t i = 0; i < n; i++)
    if (order[i] == x) return i;
  fail_msg("node %zu missing from order", x);
  return n;
}

static void test_graph__topo_respects_edges_and_is_stable(void **state)
{
  /* 0 depends on 3; 2 depends on 0 and 1; 4 free */
  struct rc_graph *g = rc_graph_new(5);
  rc_graph_add_edge(g, 0, 3);
  rc_graph_add_edge(g, 2, 0);
  rc_graph_add_edge(g, 2, 1);
  rc_graph_add_edge(g, 2, 1); /* duplicate ignored */
  const size_t *d;
  assert_int_equal(rc_graph_deps(g, 2, &d), 2);
  assert_int_equal(d[0], 0);
  assert_int_equal(d[1], 1);
  assert_int_equal(rc_graph_dependents(g, 0, &d), 1);
  assert_int_equal(d[0], 2);
  assert_true(rc_graph_has_edge(g, 0, 3));
  assert_false(rc_graph_has_edge(g, 3, 0));

  size_t order[5];
  struct rc_error err = {0};
  assert_int_equal(rc_graph_topo(g, order, &err), RC_OK);
  /* ready at start: 1, 3, 4 → lowest first: 1, 3 (frees 0), then 0 < 4 */
  size_t want[5] = {1, 3, 0, 2, 4};
  assert_memory_equal(order, want, sizeof want);

  assert_int_equal(rc_graph_topo_reverse(g, order, &err), RC_OK);
  /* dependents first: ready 2, 4 → 2 frees 0,1 → 0 frees 3 */
  size_t rwant[5] = {2, 0, 1, 3, 4};
  assert_memory_equal(order, rwant, sizeof rwant);
  for (size_t a = 0; a < 5; a++)
    for (size_t b = 0; b < 5; b++)
      if (rc_graph_has_edge(g, a, b)) assert_true(pos(order, 5, a) < pos(order, 5, b));
  rc_graph_free(g);
}

static void test_graph__chain_of_thousands(void **state)
{
  size_t n = 5000;
  struct rc_graph *g = rc_graph_new(n);
  for (size_t i = 0; i + 1 < n; i++) rc_graph_add_edge(g, i, i + 1); /* i depends on i+1 */
  size_t *order = rc_malloc(n * sizeof *order);
  assert_int_equal(rc_graph_topo(g, order, NULL), RC_OK);
  for (size_t i = 0; i < n; i++) assert_int_equal(order[i], n - 1 - i);
  size_t *path = NULL, len = 0;
  assert_false(rc_graph_find_cycle(g, &path, &len));
  rc_free(order);
  rc_graph_free(g);
}

static void test_graph__cycle_reports_full_path(void **state)
{
  /* 0 -> 1 (0 depends on 1), 1 -> 4, 4 -> 2, 2 -> 1 : cycle 1 4 2; 3 -> 0 */
  struct rc_graph *g = rc_graph_new(5);
  rc_graph_add_edge(g, 0, 1);
  rc_graph_add_edge(g, 1, 4);
  rc_graph_add_edge(g, 4, 2);
  rc_graph_add_edge(g, 2, 1);
  rc_graph_add_edge(g, 3, 0);
  size_t *path = NULL, len = 0;
  assert_true(rc_graph_find_cycle(g, &path, &len));
  assert_int_equal(len, 3);
  assert_int_equal(path[0], 1);
  assert_int_equal(path[1], 4);
  assert_int_equal(path[2], 2);
  for (size_t i = 0; i < len; i++) assert_true(rc_graph_has_edge(g, path[i], path[(i + 1) % len]));
  rc_free(path);

  size_t order[5];
  struct rc_error err = {0};
  assert_int_equal(rc_graph_topo(g, order, &err), RC_ERROR);
  assert_non_null(strstr(err.msg, "1 -> 4 -> 2 -> 1"));
  rc_graph_free(g);
}

static void test_graph__self_cycle(void **state)
{
  struct rc_graph *g = rc_graph_new(3);
  rc_graph_add_edge(g, 2, 2);
  size_t *path = NULL, len = 0;
  assert_true(rc_graph_find_cycle(g, &path, &len));
  assert_int_equal(len, 1);
  assert_int_equal(path[0], 2);
  rc_free(path);
  rc_graph_free(g);
}

static void test_graph__closure_for_target(void **state)
{
  /* 0 -> 1 -> 2 ; 3 -> 2 ; 4 alone */
  struct rc_graph *g = rc_graph_new(5);
  rc_graph_add_edge(g, 0, 1);
  rc_graph_add_edge(g, 1, 2);
  rc_graph_add_edge(g, 3, 2);
  bool set[5] = {false, true, false, false, false};
  rc_graph_closure(g, set);
  bool want[5] = {false, true, true, false, false};
  assert_memory_equal(set, want, sizeof want);
  bool dset[5] = {false, false, true, false, false};
  rc_graph_closure_dependents(g, dset);
  bool dwant[5] = {true, true, true, true, false};
  assert_memory_equal(dset, dwant, sizeof dwant);
  rc_graph_free(g);
}

static void test_graph__empty(void **state)
{
  struct rc_graph *g = rc_graph_new(0);
  size_t dummy;
  assert_int_equal(rc_graph_topo(g, &dummy, NULL), RC_OK);
  rc_graph_free(g);
  rc_graph_free(NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_graph__topo_respects_edges_and_is_stable),
      cmocka_unit_test(test_graph__chain_of_thousands),
      cmocka_unit_test(test_graph__cycle_reports_full_path),
      cmocka_unit_test(test_graph__self_cycle),
      cmocka_unit_test(test_graph__closure_for_target),
      cmocka_unit_test(test_graph__empty),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
