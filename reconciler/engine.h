/* engine — the reconciler's top: opens a working directory (configuration,
 * state backend and its lock, the AWS client from the provider block),
 * refreshes, plans and applies. The CLI commands are thin shells around it.
 *
 * The engine never prints: it reports through rc_diags (configuration
 * problems), rc_error (everything else) and an event callback (progress).
 *
 * Ownership: the engine owns everything it opens; rc_engine_close releases
 * the lock and frees it all. Plans are the caller's (rc_plan_free). */
#ifndef RC_ENGINE_H
#define RC_ENGINE_H
#include <stdbool.h>
#include <stdint.h>
#include "config.h"
#include "plan.h"
#include "rc_diag.h"
#include "state.h"

enum rc_event_kind {
  RC_EV_REFRESH,      /* "aws_vpc.main: Refreshing state... [id=vpc-1]" */
  RC_EV_START,        /* an action begins */
  RC_EV_STILL,        /* every 10 s while it runs */
  RC_EV_DONE,         /* an action finished */
  RC_EV_FAILED,       /* an action failed (err set) */
  RC_EV_PROGRESS,     /* a resource's own progress message (waits) */
  RC_EV_READ          /* a data source was read */
};

struct rc_event {
  enum rc_event_kind kind;
  const char *address;
  enum rc_action action;  /* for START/STILL/DONE/FAILED; DELETE for destroy halves */
  const char *id;         /* DONE, REFRESH: live id when known */
  int64_t elapsed_ms;
  const char *message;    /* PROGRESS */
  const struct rc_error *err; /* FAILED */
};

typedef void (*rc_event_fn)(void *ud, const struct rc_event *ev);

struct rc_engine_opts {
  struct rc_var_input vars;
  const char *operation;       /* for the lock info: "plan", "apply", ... */
  bool lock;                   /* take the state lock (default true) */
  double lock_timeout_s;
  bool refresh;                /* -refresh=false turns off */
  bool skip_config;            /* state-only commands (state list, force-unlock) */
  int parallelism;             /* default 10 */
  volatile int *cancel;        /* SIGINT flag */
  rc_event_fn event;
  void *event_ud;
};

struct rc_engine;

/* Loads configuration (errors in ds), opens the backend, takes the lock,
 * reads state; the AWS client is built on first need, once the provider
 * block is evaluated. NULL on error, with ds and/or err filled. */
struct rc_engine *rc_engine_open(const struct rc_engine_opts *opts, struct rc_diags *ds,
                                 struct rc_error *err);
void rc_engine_close(struct rc_engine *e);

struct rc_config *rc_engine_config(struct rc_engine *e);
struct rc_state *rc_engine_state(struct rc_engine *e);
struct rc_aws_client *rc_engine_aws(struct rc_engine *e);
/* True when the plan moved objects in state (moved {} blocks): the move is
 * saved by the next apply even when nothing else changes. */
bool rc_engine_state_moved(struct rc_engine *e);
/* Writes the current state through the backend (serial+1). */
rc_status rc_engine_save_state(struct rc_engine *e, struct rc_error *err);

struct rc_plan_opts {
  bool destroy;
  bool refresh_only;
  const char *const *targets;  size_t ntargets;
  const char *const *replaces; size_t nreplaces;
};

/* Refreshes and diffs; fills plan. Errors: RC_EVAL with ds (configuration),
 * or err (AWS). */
rc_status rc_engine_plan(struct rc_engine *e, const struct rc_plan_opts *po,
                         struct rc_plan *plan, struct rc_diags *ds, struct rc_error *err);

/* Result counts of an apply. */
struct rc_apply_result {
  int added, changed, destroyed;
  int failed;
  struct rc_value *outputs; /* root outputs after apply (new ref), or NULL */
};

/* Carries out plan (made by rc_engine_plan on this engine, or loaded from a
 * file and checked with rc_engine_check_saved_plan). State is written after
 * every action. Returns RC_OK or the first failure (every failure was also
 * reported as an RC_EV_FAILED event; failed resources listed in err's msg). */
rc_status rc_engine_apply(struct rc_engine *e, const struct rc_plan *plan,
                          struct rc_apply_result *res, struct rc_diags *ds,
                          struct rc_error *err);

/* A saved plan may be applied only to the state and configuration it was
 * made from: RC_STALE with a clear message otherwise. */
rc_status rc_engine_check_saved_plan(struct rc_engine *e, const struct rc_plan *plan,
                                     struct rc_error *err);

/* Imports id into address (a resource instance address of the configuration). */
rc_status rc_engine_import(struct rc_engine *e, const char *address, const char *id,
                           struct rc_diags *ds, struct rc_error *err);

/* Rebuilds a lost state: walks the configuration in dependency order and,
 * for every instance, asks its type to find the live object tagged with
 * recon:stack = stack and its address (or its natural key). The state's
 * lineage becomes stack. *found: instances recovered. */
rc_status rc_engine_recover(struct rc_engine *e, const char *stack, int *found,
                            struct rc_diags *ds, struct rc_error *err);
/* Removes the lock with this ID (recon force-unlock). */
rc_status rc_engine_force_unlock(struct rc_engine *e, const char *id, struct rc_error *err);

/* The configuration loader's check of resource blocks against the resource
 * type table (unknown types and arguments with "did you mean", missing
 * required arguments): pass it to rc_config_load. ud is unused. */
bool rc_engine_check_schema(void *ud, const char *type, bool data, const struct rc_body *body,
                            struct rc_diags *ds);

/* The stack identity carried in recon:stack tags (the state lineage). */
const char *rc_engine_stack(struct rc_engine *e);

#endif
