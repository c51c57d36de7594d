/* graph_int — helpers shared by graph.c and walk.c only (not an API). */
#ifndef RC_GRAPH_INT_H
#define RC_GRAPH_INT_H
#include <stdbool.h>
#include <stddef.h>

struct rc_graph;

struct rc_graph_heap {
  size_t *v;
  size_t n, cap;
};

void rc_graph__heap_push(struct rc_graph_heap *h, size_t x);
size_t rc_graph__heap_pop(struct rc_graph_heap *h); /* the lowest; h->n > 0 */

/* What a waits on before it may start (deps, or dependents when reverse),
 * and what waits on a (the other way). Borrowed sorted arrays. */
size_t rc_graph__waits_on(const struct rc_graph *g, size_t a, bool reverse, const size_t **out);
size_t rc_graph__successors(const struct rc_graph *g, size_t a, bool reverse,
                            const size_t **out);

#endif
