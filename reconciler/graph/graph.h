/* graph — the DAG of resource instances: nodes are indexes 0..n-1 (the
 * caller keeps the names), an edge (a, b) means "a depends on b": b must be
 * done before a starts (creates, updates), or, walked in reverse, a before b
 * (destroys).
 *
 * Ownership: rc_graph_new returns a graph the caller frees with
 * rc_graph_free (NULL ok). Arrays returned through `size_t **` belong to the
 * caller (rc_free); const arrays returned by getters are borrowed and valid
 * until the next rc_graph_add_edge. A graph is built by one thread; once
 * built it is read-only and may be read (and walked) from any thread.
 *
 * Determinism: whenever several nodes are ready at once, the lowest index
 * goes first — in rc_graph_topo, rc_graph_topo_reverse and in the order in
 * which rc_graph_walk starts nodes. */
#ifndef RC_GRAPH_H
#define RC_GRAPH_H
#include <stdbool.h>
#include <stddef.h>
#include "rc_status.h"

struct rc_graph;

struct rc_graph *rc_graph_new(size_t n);
void rc_graph_free(struct rc_graph *g);
size_t rc_graph_size(const struct rc_graph *g);

/* Records "a depends on b". Duplicates are ignored; a == b is kept and shows
 * up as a cycle of length 1. Indexes must be < size (assert). */
void rc_graph_add_edge(struct rc_graph *g, size_t a, size_t b);
bool rc_graph_has_edge(const struct rc_graph *g, size_t a, size_t b);

/* Direct dependencies of a (what a depends on) / direct dependents of a
 * (what depends on a), sorted by index. Borrowed; *out untouched when 0. */
size_t rc_graph_deps(const struct rc_graph *g, size_t a, const size_t **out);
size_t rc_graph_dependents(const struct rc_graph *g, size_t a, const size_t **out);

/* Finds one cycle. Returns false when the graph is acyclic. Otherwise
 * returns true with *path (caller frees, rc_free) holding *len node indexes
 * p[0] → p[1] → … → p[len-1] → p[0] where each depends on the next; the
 * first node is the lowest index that lies on a cycle, so the report is
 * deterministic. Print as "p0 -> p1 -> ... -> p0". */
bool rc_graph_find_cycle(const struct rc_graph *g, size_t **path, size_t *len);

/* Topological order into order[0..n-1] (caller-allocated, size n):
 * dependencies before dependents, lowest ready index first (Kahn).
 * RC_ERROR with err naming the cycle by index ("cycle: 3 -> 5 -> 3") when
 * the graph is cyclic; callers that want names use rc_graph_find_cycle. */
rc_status rc_graph_topo(const struct rc_graph *g, size_t *order, struct rc_error *err);
/* The order for destroys: dependents before their dependencies, lowest
 * ready index first. Same errors as rc_graph_topo. */
rc_status rc_graph_topo_reverse(const struct rc_graph *g, size_t *order,
                                struct rc_error *err);

/* Closure for -target: set[] is a mask of size n; adds every transitive
 * dependency of the nodes already set (in place). Works on cyclic graphs. */
void rc_graph_closure(const struct rc_graph *g, bool *set);
/* The same over dependents (destroy -target pulls in what depends on it). */
void rc_graph_closure_dependents(const struct rc_graph *g, bool *set);

/* ---------------------------------------------------------------------
 * The parallel walker (walk.c).
 *
 * fn(ud, node, err) runs on a pthread pool of min(parallelism, n) threads.
 * A node starts once every node it waits on is DONE (or EXCLUDED): its
 * dependencies, or in reverse mode its dependents. At most `parallelism`
 * fn calls run at once. fn reports failure by returning non-RC_OK and
 * should fill err (its own, per node; never shared). fn may be called from
 * any pool thread but never twice for one node.
 *
 * On the first failure nothing new starts (calls in flight finish), unless
 * opts->keep_going: then only what waits on the failed node, transitively,
 * is skipped. Either way every node that transitively waits on a failed
 * node ends SKIPPED; nodes that never started for another reason (stop
 * after failure, cancel) end NOT_STARTED.
 *
 * Cancel: *opts->cancel is polled before each start (and whenever a node
 * finishes); non-zero means "start nothing more, wait for the calls in
 * flight, return". Handling a second Ctrl-C is the caller's business.
 * --------------------------------------------------------------------- */
enum rc_walk_state {
  RC_WALK_NOT_STARTED = 0,
  RC_WALK_DONE,     /* fn returned RC_OK */
  RC_WALK_FAILED,   /* fn returned an error: see result.errors[node] */
  RC_WALK_SKIPPED,  /* something it waits on failed or was skipped */
  RC_WALK_EXCLUDED  /* not in opts->include: never run, counts as done */
};

typedef rc_status (*rc_graph_walk_fn)(void *ud, size_t node, struct rc_error *err);

struct rc_walk_opts {
  bool reverse;            /* dependents first (destroy) */
  bool keep_going;         /* after a failure, keep running independent nodes */
  volatile int *cancel;    /* NULL: no cancel; non-zero: stop starting nodes */
  const bool *include;     /* NULL: all nodes; else mask of size n */
};

struct rc_walk_result {
  size_t n;
  enum rc_walk_state *state;   /* per node; rc_malloc'd */
  struct rc_error *errors;     /* per node, code RC_OK unless FAILED */
  size_t n_done, n_failed, n_skipped, n_not_started, n_excluded;
  size_t max_concurrent;       /* highest number of fn calls seen at once */
  bool cancelled;              /* the cancel flag stopped the walk */
};

/* Walks g. opts may be NULL (forward, stop on failure, no cancel, all
 * nodes). res is filled (caller frees with rc_walk_result_free) whenever the
 * walk ran. Returns RC_OK when every included node is DONE; RC_CANCELLED
 * when cancel stopped it (and nothing failed); RC_ERROR when a node failed
 * (err says how many and names the first failed index); RC_ERROR before
 * starting anything when the graph has a cycle (res->state all NOT_STARTED).
 * parallelism < 1 is treated as 1. */
rc_status rc_graph_walk(const struct rc_graph *g, int parallelism, rc_graph_walk_fn fn,
                        void *ud, const struct rc_walk_opts *opts,
                        struct rc_walk_result *res, struct rc_error *err);
void rc_walk_result_free(struct rc_walk_result *res); /* zeroed/NULL ok */
const char *rc_walk_state_name(enum rc_walk_state s); /* "done", "failed", ... */

#endif
