/* walk.c — the parallel walker: a pool of worker threads sharing one ready
 * heap under one mutex. A worker pops the lowest ready index, runs fn
 * without the mutex, then records the result and releases what waited on
 * the node. The pool never holds more than `parallelism` threads, so the
 * bound on concurrent fn calls holds by construction. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "graph.h"
#include "graph_int.h"
#include "rc_alloc.h"

enum { RUNNING = 100 }; /* internal state while fn runs */

struct walk {
  const struct rc_graph *g;
  rc_graph_walk_fn fn;
  void *ud;
  bool reverse, keep_going;
  volatile int *cancel;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  struct rc_graph_heap ready;
  size_t *pending;       /* per node: how many it still waits on */
  int *state;            /* enum rc_walk_state or RUNNING */
  struct rc_error *errors;
  size_t running, max_running;
  bool failed;           /* some node failed */
  bool cancelled;
};

/* Marks everything that transitively waits on x as skipped. Mutex held. */
static void skip_successors(struct walk *w, size_t x)
{
  size_t n = rc_graph_size(w->g);
  size_t *stack = rc_malloc(n * sizeof *stack), top = 0;
  stack[top++] = x;
  while (top) {
    size_t y = stack[--top];
    const size_t *l;
    size_t m = rc_graph__successors(w->g, y, w->reverse, &l);
    for (size_t j = 0; j < m; j++) {
      size_t z = l[j];
      if (w->state[z] == RC_WALK_NOT_STARTED) {
        w->state[z] = RC_WALK_SKIPPED;
        stack[top++] = z;
      }
    }
  }
  rc_free(stack);
}

static bool stopping(struct walk *w)
{
  if (!w->cancelled && w->cancel && *w->cancel) w->cancelled = true;
  return w->cancelled || (w->failed && !w->keep_going);
}

static void *worker(void *arg)
{
  struct walk *w = arg;
  pthread_mutex_lock(&w->mu);
  for (;;) {
    if (stopping(w)) break;
    if (w->ready.n == 0) {
      if (w->running == 0) break; /* nothing ready, nothing can become ready */
      pthread_cond_wait(&w->cv, &w->mu);
      continue;
    }
    size_t x = rc_graph__heap_pop(&w->ready);
    if (w->state[x] != RC_WALK_NOT_STARTED) continue; /* skipped while queued */
    w->state[x] = RUNNING;
    if (++w->running > w->max_running) w->max_running = w->running;
    pthread_mutex_unlock(&w->mu);

    struct rc_error e;
    rc_error_clear(&e);
    rc_status st = w->fn(w->ud, x, &e);
    if (st != RC_OK && e.code == RC_OK) rc_error_set(&e, st, "%s", rc_status_str(st));

    pthread_mutex_lock(&w->mu);
    w->running--;
    if (st == RC_OK) {
      w->state[x] = RC_WALK_DONE;
      const size_t *l;
      size_t m = rc_graph__successors(w->g, x, w->reverse, &l);
      for (size_t j = 0; j < m; j++)
        if (w->pending[l[j]] && --w->pending[l[j]] == 0 &&
            w->state[l[j]] == RC_WALK_NOT_STARTED)
          rc_graph__heap_push(&w->ready, l[j]);
    } else {
      w->state[x] = RC_WALK_FAILED;
      w->errors[x] = e;
      w->failed = true;
      skip_successors(w, x);
    }
    pthread_cond_broadcast(&w->cv);
  }
  pthread_cond_broadcast(&w->cv); /* let idle workers see the stop too */
  pthread_mutex_unlock(&w->mu);
  return NULL;
}

static void result_init(struct rc_walk_result *res, size_t n)
{
  memset(res, 0, sizeof *res);
  res->n = n;
  res->state = rc_calloc(n ? n : 1, sizeof *res->state);
  res->errors = rc_calloc(n ? n : 1, sizeof *res->errors);
}

rc_status rc_graph_walk(const struct rc_graph *g, int parallelism, rc_graph_walk_fn fn,
                        void *ud, const struct rc_walk_opts *opts,
                        struct rc_walk_result *res, struct rc_error *err)
{
  static const struct rc_walk_opts defaults = {0};
  if (!opts) opts = &defaults;
  size_t n = rc_graph_size(g);
  result_init(res, n);

  size_t *order = rc_malloc((n ? n : 1) * sizeof *order);
  rc_status cyc = rc_graph_topo(g, order, err); /* names the cycle */
  rc_free(order);
  if (cyc != RC_OK) {
    res->n_not_started = n;
    return cyc;
  }

  struct walk w = {.g = g, .fn = fn, .ud = ud, .reverse = opts->reverse,
                   .keep_going = opts->keep_going, .cancel = opts->cancel};
  pthread_mutex_init(&w.mu, NULL);
  pthread_cond_init(&w.cv, NULL);
  w.pending = rc_calloc(n ? n : 1, sizeof *w.pending);
  w.state = rc_calloc(n ? n : 1, sizeof *w.state);
  w.errors = res->errors;
  size_t included = 0;
  for (size_t i = 0; i < n; i++) {
    if (opts->include && !opts->include[i]) {
      w.state[i] = RC_WALK_EXCLUDED;
      continue;
    }
    included++;
    const size_t *l;
    size_t m = rc_graph__waits_on(g, i, w.reverse, &l);
    for (size_t j = 0; j < m; j++)
      if (!opts->include || opts->include[l[j]]) w.pending[i]++;
    if (!w.pending[i]) rc_graph__heap_push(&w.ready, i);
  }

  size_t nthreads = parallelism < 1 ? 1 : (size_t)parallelism;
  if (nthreads > included) nthreads = included;
  pthread_t *threads = rc_calloc(nthreads ? nthreads : 1, sizeof *threads);
  size_t started = 0;
  for (size_t i = 0; i < nthreads; i++) {
    if (pthread_create(&threads[i], NULL, worker, &w) != 0) break;
    started++;
  }
  if (started == 0 && included > 0) worker(&w); /* no thread at all: run inline */
  for (size_t i = 0; i < started; i++) pthread_join(threads[i], NULL);
  rc_free(threads);

  size_t first_failed = n;
  for (size_t i = 0; i < n; i++) {
    res->state[i] = (enum rc_walk_state)w.state[i];
    switch (res->state[i]) {
    case RC_WALK_DONE: res->n_done++; break;
    case RC_WALK_FAILED:
      res->n_failed++;
      if (first_failed == n) first_failed = i;
      break;
    case RC_WALK_SKIPPED: res->n_skipped++; break;
    case RC_WALK_EXCLUDED: res->n_excluded++; break;
    default: res->n_not_started++; break;
    }
  }
  res->max_concurrent = w.max_running;
  res->cancelled = w.cancelled && res->n_not_started > 0;

  rc_free(w.ready.v);
  rc_free(w.pending);
  rc_free(w.state);
  pthread_cond_destroy(&w.cv);
  pthread_mutex_destroy(&w.mu);

  if (res->n_failed)
    return rc_error_set(err, RC_ERROR, "%zu of %zu nodes failed; first: node %zu: %s",
                        res->n_failed, included, first_failed, res->errors[first_failed].msg);
  if (res->cancelled)
    return rc_error_set(err, RC_CANCELLED, "cancelled: %zu nodes not started",
                        res->n_not_started);
  return RC_OK;
}

void rc_walk_result_free(struct rc_walk_result *res)
{
  if (!res) return;
  rc_free(res->state);
  rc_free(res->errors);
  memset(res, 0, sizeof *res);
}

const char *rc_walk_state_name(enum rc_walk_state s)
{
  switch (s) {
  case RC_WALK_NOT_STARTED: return "not started";
  case RC_WALK_DONE: return "done";
  case RC_WALK_FAILED: return "failed";
  case RC_WALK_SKIPPED: return "skipped";
  case RC_WALK_EXCLUDED: return "excluded";
  }
  return "?";
}
