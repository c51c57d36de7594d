/* graph.c — the DAG: sorted adjacency lists both ways, Kahn's order with a
 * min-heap (lowest ready index first), cycle reports, closures. */
#include <assert.h>
#include <string.h>

#include "graph.h"
#include "graph_int.h"
#include "rc_alloc.h"
#include "rc_buf.h"

struct adj {
  size_t *v;
  size_t n, cap;
};

struct rc_graph {
  size_t n;
  struct adj *deps;       /* deps[a]: what a depends on */
  struct adj *dependents; /* dependents[b]: what depends on b */
};

struct rc_graph *rc_graph_new(size_t n)
{
  struct rc_graph *g = rc_calloc(1, sizeof *g);
  g->n = n;
  g->deps = rc_calloc(n ? n : 1, sizeof *g->deps);
  g->dependents = rc_calloc(n ? n : 1, sizeof *g->dependents);
  return g;
}

void rc_graph_free(struct rc_graph *g)
{
  if (!g) return;
  for (size_t i = 0; i < g->n; i++) {
    rc_free(g->deps[i].v);
    rc_free(g->dependents[i].v);
  }
  rc_free(g->deps);
  rc_free(g->dependents);
  rc_free(g);
}

size_t rc_graph_size(const struct rc_graph *g) { return g->n; }

/* Position of x in the sorted list, or where it would go; *found says which. */
static size_t adj_find(const struct adj *a, size_t x, bool *found)
{
  size_t lo = 0, hi = a->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (a->v[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  *found = lo < a->n && a->v[lo] == x;
  return lo;
}

static void adj_insert(struct adj *a, size_t x)
{
  bool found;
  size_t at = adj_find(a, x, &found);
  if (found) return;
  if (a->n == a->cap) {
    a->cap = a->cap ? a->cap * 2 : 4;
    a->v = rc_realloc(a->v, a->cap * sizeof *a->v);
  }
  memmove(a->v + at + 1, a->v + at, (a->n - at) * sizeof *a->v);
  a->v[at] = x;
  a->n++;
}

void rc_graph_add_edge(struct rc_graph *g, size_t a, size_t b)
{
  assert(a < g->n && b < g->n);
  adj_insert(&g->deps[a], b);
  adj_insert(&g->dependents[b], a);
}

bool rc_graph_has_edge(const struct rc_graph *g, size_t a, size_t b)
{
  assert(a < g->n && b < g->n);
  bool found;
  adj_find(&g->deps[a], b, &found);
  return found;
}

size_t rc_graph_deps(const struct rc_graph *g, size_t a, const size_t **out)
{
  assert(a < g->n);
  if (g->deps[a].n) *out = g->deps[a].v;
  return g->deps[a].n;
}

size_t rc_graph_dependents(const struct rc_graph *g, size_t a, const size_t **out)
{
  assert(a < g->n);
  if (g->dependents[a].n) *out = g->dependents[a].v;
  return g->dependents[a].n;
}

size_t rc_graph__waits_on(const struct rc_graph *g, size_t a, bool reverse, const size_t **out)
{
  const struct adj *l = reverse ? &g->dependents[a] : &g->deps[a];
  *out = l->v;
  return l->n;
}

size_t rc_graph__successors(const struct rc_graph *g, size_t a, bool reverse,
                            const size_t **out)
{
  const struct adj *l = reverse ? &g->deps[a] : &g->dependents[a];
  *out = l->v;
  return l->n;
}

/* --- min-heap of node indexes --- */
void rc_graph__heap_push(struct rc_graph_heap *h, size_t x)
{
  if (h->n == h->cap) {
    h->cap = h->cap ? h->cap * 2 : 16;
    h->v = rc_realloc(h->v, h->cap * sizeof *h->v);
  }
  size_t i = h->n++;
  while (i > 0) {
    size_t p = (i - 1) / 2;
    if (h->v[p] <= x) break;
    h->v[i] = h->v[p];
    i = p;
  }
  h->v[i] = x;
}

size_t rc_graph__heap_pop(struct rc_graph_heap *h)
{
  assert(h->n > 0);
  size_t top = h->v[0], last = h->v[--h->n], i = 0;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= h->n) break;
    if (c + 1 < h->n && h->v[c + 1] < h->v[c]) c++;
    if (h->v[c] >= last) break;
    h->v[i] = h->v[c];
    i = c;
  }
  if (h->n) h->v[i] = last;
  return top;
}

/* Kahn in the given direction; returns how many nodes were ordered (n when
 * acyclic). order may be NULL. */
static size_t kahn(const struct rc_graph *g, bool reverse, size_t *order)
{
  size_t *pending = rc_calloc(g->n ? g->n : 1, sizeof *pending);
  struct rc_graph_heap h = {0};
  size_t k = 0;
  const size_t *l;
  for (size_t i = 0; i < g->n; i++) {
    pending[i] = rc_graph__waits_on(g, i, reverse, &l);
    if (!pending[i]) rc_graph__heap_push(&h, i);
  }
  while (h.n) {
    size_t x = rc_graph__heap_pop(&h);
    if (order) order[k] = x;
    k++;
    size_t m = rc_graph__successors(g, x, reverse, &l);
    for (size_t j = 0; j < m; j++)
      if (--pending[l[j]] == 0) rc_graph__heap_push(&h, l[j]);
  }
  rc_free(h.v);
  rc_free(pending);
  return k;
}

/* Shortest path of deps edges from s back to s (BFS, lowest index first);
 * returns its length or 0. */
static size_t cycle_from(const struct rc_graph *g, size_t s, size_t *prev, size_t *queue,
                         bool *seen, size_t **path)
{
  memset(seen, 0, g->n * sizeof *seen);
  size_t qh = 0, qt = 0;
  queue[qt++] = s;
  bool closed = false;
  size_t last = s;
  while (qh < qt && !closed) {
    size_t x = queue[qh++];
    const struct adj *d = &g->deps[x];
    for (size_t j = 0; j < d->n; j++) {
      size_t y = d->v[j];
      if (y == s) {
        last = x;
        closed = true;
        break;
      }
      if (!seen[y]) {
        seen[y] = true;
        prev[y] = x;
        queue[qt++] = y;
      }
    }
  }
  if (!closed) return 0;
  size_t len = 1;
  for (size_t x = last; x != s; x = prev[x]) len++;
  size_t *p = rc_malloc(len * sizeof *p);
  size_t i = len;
  for (size_t x = last; x != s; x = prev[x]) p[--i] = x;
  p[0] = s;
  *path = p;
  return len;
}

bool rc_graph_find_cycle(const struct rc_graph *g, size_t **path, size_t *len)
{
  if (kahn(g, false, NULL) == g->n) return false;
  size_t n = g->n;
  size_t *prev = rc_malloc(n * sizeof *prev), *queue = rc_malloc(n * sizeof *queue);
  bool *seen = rc_malloc(n * sizeof *seen);
  /* Only nodes Kahn could not order can lie on a cycle; prune further with
   * the reverse direction so the scan below stays short. */
  size_t *fwd = rc_malloc(n * sizeof *fwd), *rev = rc_malloc(n * sizeof *rev);
  bool *out_fwd = rc_calloc(n, sizeof *out_fwd);
  size_t kf = kahn(g, false, fwd), kr = kahn(g, true, rev);
  for (size_t i = 0; i < kf; i++) out_fwd[fwd[i]] = true;
  for (size_t i = 0; i < kr; i++) out_fwd[rev[i]] = true;
  bool found = false;
  for (size_t s = 0; s < n && !found; s++) {
    if (out_fwd[s]) continue;
    size_t l = cycle_from(g, s, prev, queue, seen, path);
    if (l) {
      *len = l;
      found = true;
    }
  }
  rc_free(prev), rc_free(queue), rc_free(seen), rc_free(fwd), rc_free(rev), rc_free(out_fwd);
  return found;
}

static rc_status topo(const struct rc_graph *g, bool reverse, size_t *order,
                      struct rc_error *err)
{
  if (kahn(g, reverse, order) == g->n) return RC_OK;
  size_t *path = NULL, len = 0;
  if (!rc_graph_find_cycle(g, &path, &len))
    return rc_error_set(err, RC_ERROR, "dependency cycle");
  struct rc_buf b;
  rc_buf_init(&b, 4096);
  for (size_t i = 0; i < len; i++) rc_buf_printf(&b, "%zu -> ", path[i]);
  rc_buf_printf(&b, "%zu", path[0]);
  rc_error_set(err, RC_ERROR, "dependency cycle: %s", b.ptr);
  rc_buf_free(&b);
  rc_free(path);
  return RC_ERROR;
}

rc_status rc_graph_topo(const struct rc_graph *g, size_t *order, struct rc_error *err)
{
  return topo(g, false, order, err);
}

rc_status rc_graph_topo_reverse(const struct rc_graph *g, size_t *order,
                                struct rc_error *err)
{
  return topo(g, true, order, err);
}

static void closure(const struct rc_graph *g, bool *set, bool reverse)
{
  size_t *stack = rc_malloc((g->n ? g->n : 1) * sizeof *stack), top = 0;
  for (size_t i = 0; i < g->n; i++)
    if (set[i]) stack[top++] = i;
  while (top) {
    size_t x = stack[--top];
    const size_t *l;
    size_t m = rc_graph__successors(g, x, !reverse, &l); /* forward: deps */
    for (size_t j = 0; j < m; j++)
      if (!set[l[j]]) {
        set[l[j]] = true;
        stack[top++] = l[j];
      }
  }
  rc_free(stack);
}

void rc_graph_closure(const struct rc_graph *g, bool *set) { closure(g, set, false); }

void rc_graph_closure_dependents(const struct rc_graph *g, bool *set)
{
  closure(g, set, true);
}
