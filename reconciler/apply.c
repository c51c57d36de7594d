/* apply — carries out a plan: a parallel walk of a graph whose nodes are the
 * configuration's nodes (evaluated again now that earlier applies made their
 * values known) and one or two action nodes per change (create/update/read,
 * and destroy). State is written after every action, under the engine lock.
 *
 * Edges: a configuration node waits for the actions of the resources it
 * references; an action waits for its configuration node; a destroy waits
 * for the destroys of what depended on it (and, for an orphan or a
 * create-before-destroy replacement, for the updates of what depended on it);
 * a destroy-then-create replacement creates after its destroy. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diff.h"
#include "engine_int.h"
#include "graph.h"
#include "rc_alloc.h"

enum node_kind { NK_EVAL, NK_ACT, NK_DESTROY };

struct anode {
  enum node_kind kind;
  size_t cfg_node;          /* NK_EVAL */
  size_t change;            /* NK_ACT, NK_DESTROY */
};

struct running {
  const char *address;
  enum rc_action action;
  int64_t start, next;
  bool used;
};

struct apply_run {
  struct rc_engine *e;
  const struct rc_plan *plan;
  struct anode *nodes;
  size_t n;
  struct rc_value *configs;   /* address → evaluated config (guarded by e->mu) */
  struct rc_value *timeouts;  /* address → timeouts object */
  struct rc_diags *ds;
  int added, changed, destroyed;
  struct running slots[64];
  volatile int ticker_stop;
  pthread_mutex_t smu;        /* the state object + counts */
  pthread_mutex_t wmu;        /* one state write at a time */
  uint64_t gen, written;      /* changes made / changes on disk (under smu / wmu) */
};

static int64_t now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int slot_start(struct apply_run *r, const char *address, enum rc_action a)
{
  pthread_mutex_lock(&r->smu);
  int k = -1;
  for (int i = 0; i < 64 && k < 0; i++)
    if (!r->slots[i].used) k = i;
  if (k >= 0) {
    r->slots[k] = (struct running){.address = address, .action = a, .start = now_ms(),
                                   .next = now_ms() + 10000, .used = true};
  }
  pthread_mutex_unlock(&r->smu);
  struct rc_event ev = {.kind = RC_EV_START, .address = address, .action = a};
  rc_engine__event(r->e, &ev);
  return k;
}

static int64_t slot_end(struct apply_run *r, int k)
{
  int64_t el = 0;
  pthread_mutex_lock(&r->smu);
  if (k >= 0) {
    el = now_ms() - r->slots[k].start;
    r->slots[k].used = false;
  }
  pthread_mutex_unlock(&r->smu);
  return el;
}

static void *ticker(void *arg)
{
  struct apply_run *r = arg;
  while (!r->ticker_stop) {
    struct timespec ts = {.tv_sec = 0, .tv_nsec = 200 * 1000000L};
    nanosleep(&ts, NULL);
    int64_t t = now_ms();
    for (int i = 0; i < 64; i++) {
      pthread_mutex_lock(&r->smu);
      struct running s = r->slots[i];
      bool due = s.used && t >= s.next;
      if (due) r->slots[i].next += 10000;
      pthread_mutex_unlock(&r->smu);
      if (!due) continue;
      struct rc_event ev = {.kind = RC_EV_STILL, .address = s.address, .action = s.action,
                            .elapsed_ms = t - s.start};
      rc_engine__event(r->e, &ev);
    }
  }
  return NULL;
}

/* --- state records --- */

static rc_status save(struct apply_run *r, struct rc_error *err)
{
  return rc_state_backend_write(r->e->backend, r->e->state, err);
}

/* Returns once the state on disk holds every change up to generation gen.
 * Writers queue on wmu; whoever writes saves every change made so far, so
 * the threads that finished meanwhile find theirs already durable. State is
 * still written after every action, but concurrent actions share a write. */
static rc_status persist(struct apply_run *r, uint64_t gen, struct rc_error *err)
{
  rc_status st = RC_OK;
  pthread_mutex_lock(&r->wmu);
  if (r->written < gen) {
    pthread_mutex_lock(&r->smu);
    uint64_t now = r->gen;
    st = save(r, err);
    pthread_mutex_unlock(&r->smu);
    if (!st) r->written = now;
  }
  pthread_mutex_unlock(&r->wmu);
  return st;
}

static rc_status record(struct apply_run *r, const struct rc_change *c, const char *address,
                        const struct rc_value *clear, bool data, struct rc_error *err)
{
  /* sensitive where the configuration was: state hashes those values */
  struct rc_value *attrs =
      rc_diff_carry_marks(rc_resource_lookup(c->type, data), clear, c->after ? c->after : c->before);
  const struct rc_value *id = rc_value_get(attrs, "id");
  struct rc_state_resource sr = {
      .address = address,
      .mode = data ? RC_STATE_DATA : RC_STATE_MANAGED,
      .type = c->type,
      .id = id && rc_value_str(id) ? rc_value_str(id) : "",
      .attributes = (struct rc_value *)attrs,
      .dependencies = (const char *const *)c->deps,
      .n_dependencies = c->ndeps,
      .create_before_destroy = c->action == RC_ACT_REPLACE_CBD,
  };
  pthread_mutex_lock(&r->smu);
  rc_state_put(r->e->state, &sr);
  uint64_t gen = ++r->gen;
  pthread_mutex_unlock(&r->smu);
  rc_value_decref(attrs);
  return persist(r, gen, err);
}

static rc_status forget(struct apply_run *r, const char *address, struct rc_error *err)
{
  pthread_mutex_lock(&r->smu);
  bool removed = rc_state_remove(r->e->state, address) == RC_OK;
  uint64_t gen = removed ? ++r->gen : 0;
  pthread_mutex_unlock(&r->smu);
  return removed ? persist(r, gen, err) : RC_OK;
}

/* --- values --- */

/* The planned value without its unknowns: what create/update are given. */
static struct rc_value *known_only(const struct rc_value *v)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  for (size_t i = 0; v && i < rc_value_len(v); i++) {
    const struct rc_value *x = rc_value_index(v, i);
    if (rc_value_is_wholly_known(x)) rc_value_obj_put(o, rc_value_key(v, i), rc_value_incref(x));
  }
  return o;
}

static struct rc_value *take_config(struct apply_run *r, const char *address,
                                    struct rc_value **timeouts)
{
  pthread_mutex_lock(&r->e->mu);
  const struct rc_value *c = rc_value_get(r->configs, address);
  const struct rc_value *t = rc_value_get(r->timeouts, address);
  struct rc_value *res = c ? rc_value_incref(c) : NULL;
  *timeouts = t && !rc_value_is_null(t) ? rc_value_incref(t) : NULL;
  pthread_mutex_unlock(&r->e->mu);
  return res;
}

static const struct rc_lifecycle *lifecycle_of(struct rc_engine *e, const char *node_addr)
{
  size_t n = rc_config_node_count(e->cfg);
  for (size_t i = 0; i < n; i++)
    if (strcmp(rc_config_node(e->cfg, i)->addr, node_addr) == 0)
      return &rc_config_node(e->cfg, i)->lifecycle;
  return NULL;
}

/* Diff again with every value now known: the final plan for this instance. */
static rc_status final_diff(struct apply_run *r, const struct rc_change *c,
                            const struct rc_resource_type *rt, const struct rc_value *config,
                            const struct rc_value *prior, struct rc_diff_out *out,
                            struct rc_error *err)
{
  const struct rc_lifecycle *lc = lifecycle_of(r->e, c->node_addr);
  char **ign = NULL;
  if (lc && lc->nignore) {
    ign = rc_calloc(lc->nignore + 1, sizeof(char *));
    memcpy(ign, lc->ignore_changes, lc->nignore * sizeof(char *));
  }
  struct rc_diff_in din = {.rt = rt,
                           .config = config,
                           .prior = prior,
                           .default_tags = r->e->default_tags,
                           .ignore_changes = (const char *const *)ign,
                           .ignore_all = lc && lc->ignore_all_changes,
                           .create_before_destroy = c->action == RC_ACT_REPLACE_CBD,
                           .force_replace = false};
  rc_status st = rc_diff_instance(&din, out, err);
  rc_free(ign);
  if (!st && out->planned && !rc_value_is_wholly_known(config))
    return rc_error_set(err, RC_EVAL,
                        "%s: a value the configuration needs is still unknown after its "
                        "dependencies were applied",
                        c->address);
  return st;
}

static rc_status do_create(struct apply_run *r, const struct rc_change *c,
                           const struct rc_resource_type *rt, struct rc_rctx *ctx,
                           const struct rc_value *config, struct rc_value **attrs,
                           struct rc_error *err)
{
  struct rc_diff_out d;
  rc_status st = final_diff(r, c, rt, config, NULL, &d, err);
  if (st) return st;
  struct rc_value *args = known_only(d.planned);
  rc_diff_out_free(&d);
  struct rc_value *found = NULL;
  if (rt->find) {
    st = rt->find(ctx, args, &found, err);
    if (st) goto out;
    /* the object being replaced carries the same address tag: it is not a
     * leftover to adopt (create-before-destroy still has it alive) */
    const struct rc_value *fid = found ? rc_value_get(found, "id") : NULL;
    const struct rc_value *oid = c->before ? rc_value_get(c->before, "id") : NULL;
    const struct rc_value *farn = found ? rc_value_get(found, "arn") : NULL;
    const struct rc_value *oarn = c->before ? rc_value_get(c->before, "arn") : NULL;
    bool same_arn = !farn || !oarn || rc_value_is_null(farn) || rc_value_equal(farn, oarn);
    if (fid && oid && rc_value_equal(fid, oid) && same_arn) { /* (a task definition's id is
                                                               its family: the ARN tells) */
      rc_value_decref(found);
      found = NULL;
    }
  }
  if (found) { /* left by an apply that was killed: adopt it, then converge */
    struct rc_event ev = {.kind = RC_EV_PROGRESS, .address = c->address,
                          .message = "found an existing object with this address tag; adopting it"};
    rc_engine__event(r->e, &ev);
    st = record(r, c, c->address, found, false, err);
    if (st) goto out;
    struct rc_diff_out d2;
    st = final_diff(r, c, rt, config, found, &d2, err);
    if (!st && d2.action == RC_ACT_UPDATE && rt->update) {
      struct rc_value *a2 = known_only(d2.planned);
      struct rc_value *upd = NULL;
      st = rt->update(ctx, found, a2, &upd, err);
      rc_value_decref(a2);
      if (!st && upd) {
        rc_value_decref(found);
        found = upd;
      }
    }
    rc_diff_out_free(&d2);
    *attrs = found;
    found = NULL;
  } else {
    st = rt->create(ctx, args, attrs, err);
  }
  if (st) goto out;
  st = record(r, c, c->address, *attrs, false, err); /* before waiting: never lose an id */
  if (st) goto out;
  if (rt->wait) {
    struct rc_value *w = NULL;
    st = rt->wait(ctx, RC_WAIT_CREATE, *attrs, &w, err);
    if (w) {
      rc_value_decref(*attrs);
      *attrs = w;
      rc_status st2 = record(r, c, c->address, *attrs, false, err);
      if (!st) st = st2;
    }
  }
out:
  rc_value_decref(found);
  rc_value_decref(args);
  return st;
}

static rc_status do_update(struct apply_run *r, const struct rc_change *c,
                           const struct rc_resource_type *rt, struct rc_rctx *ctx,
                           const struct rc_value *config, const struct rc_value *prior,
                           struct rc_value **attrs, struct rc_error *err)
{
  struct rc_diff_out d;
  rc_status st = final_diff(r, c, rt, config, prior, &d, err);
  if (st) return st;
  if (d.action == RC_ACT_NOOP) {
    *attrs = rc_value_incref(prior);
    rc_diff_out_free(&d);
    return RC_OK;
  }
  if (d.action != RC_ACT_UPDATE) {
    rc_diff_out_free(&d);
    return rc_error_set(err, RC_CONFLICT,
                        "%s: the plan said update in place, but with every value known it "
                        "now needs a replacement; run plan again",
                        c->address);
  }
  struct rc_value *args = known_only(d.planned);
  rc_diff_out_free(&d);
  st = rt->update(ctx, prior, args, attrs, err);
  rc_value_decref(args);
  if (st) return st;
  st = record(r, c, c->address, *attrs, false, err);
  if (!st && rt->wait) {
    struct rc_value *w = NULL;
    st = rt->wait(ctx, RC_WAIT_UPDATE, *attrs, &w, err);
    if (w) {
      rc_value_decref(*attrs);
      *attrs = w;
      rc_status st2 = record(r, c, c->address, *attrs, false, err);
      if (!st) st = st2;
    }
  }
  return st;
}

static rc_status run_act(struct apply_run *r, const struct rc_change *c, struct rc_error *err)
{
  struct rc_engine *e = r->e;
  const struct rc_resource_type *rt = rc_resource_lookup(c->type, c->data);
  if (!rt) return rc_error_set(err, RC_UNSUPPORTED, "%s: unknown type %s", c->address, c->type);
  struct rc_value *timeouts = NULL;
  struct rc_value *config = take_config(r, c->address, &timeouts);
  struct rc_rctx ctx;
  rc_engine__rctx(e, &ctx, c->address);
  ctx.timeouts = timeouts;
  ctx.started_ms = now_ms();
  char seed[256];
  snprintf(seed, sizeof seed, "%s|%s|%s|%lld", e->stack, c->address,
           r->plan->config_digest ? r->plan->config_digest : "", r->plan->serial);
  ctx.idempotency_seed = seed;
  struct rc_value *attrs = NULL;
  rc_status st = RC_OK;
  /* what the plan compared against (refreshed). The state is shared with the
   * other walker threads: read it under the lock and keep references only. */
  pthread_mutex_lock(&r->smu);
  const struct rc_state_resource *sr = rc_state_find(e->state, c->address);
  struct rc_value *prior_ref = c->before ? rc_value_incref(c->before)
                                         : sr && sr->attributes ? rc_value_incref(sr->attributes)
                                                                : NULL;
  bool state_differs = c->before && !c->data &&
                       (!sr || !sr->attributes || !rc_value_equal(sr->attributes, c->before));
  struct rc_value *deposed = NULL;
  if (c->action == RC_ACT_REPLACE_CBD && sr && sr->attributes) deposed = rc_value_incref(sr->attributes);
  sr = NULL;
  pthread_mutex_unlock(&r->smu);
  const struct rc_value *prior = prior_ref;
  bool counted = false;
  int slot = -1;
  switch (c->action) {
  case RC_ACT_NOOP:
    if (c->data && c->after) {
      attrs = rc_value_incref(c->after);
      st = record(r, c, c->address, attrs, true, err);
    } else if (prior) {
      attrs = rc_value_incref(prior);
      if (state_differs) st = record(r, c, c->address, c->before, false, err); /* keep what refresh saw */
      if (!st && config && !c->data && !r->plan->refresh_only &&
          rc_value_is_wholly_known(config)) {
        struct rc_diff_out d; /* a plan that saw unknowns must still hold */
        if (!final_diff(r, c, rt, config, prior, &d, err) && d.action != RC_ACT_NOOP &&
            strcmp(c->reason ? c->reason : "", "excluded_by_target") != 0)
          st = rc_error_set(err, RC_CONFLICT,
                            "%s: the plan said no change, but with every value known it now "
                            "needs one (%s); run plan again",
                            c->address, rc_action_name(d.action));
        rc_diff_out_free(&d);
      }
    }
    break;
  case RC_ACT_READ:
    slot = slot_start(r, c->address, c->action);
    if (!config || !rc_value_is_wholly_known(config))
      st = rc_error_set(err, RC_EVAL, "%s: the data source's arguments are still unknown",
                        c->address);
    else
      st = rt->read(&ctx, config, &attrs, err);
    if (!st) st = record(r, c, c->address, attrs, true, err);
    break;
  case RC_ACT_CREATE:
  case RC_ACT_REPLACE:
  case RC_ACT_REPLACE_CBD:
    if (!config) {
      st = rc_error_set(err, RC_EVAL, "%s: no configuration was evaluated for it", c->address);
      break;
    }
    if (deposed) { /* keep the old one findable until destroyed */
      char *dep = rc_asprintf("%s#deposed", c->address);
      record(r, c, dep, deposed, false, err);
      rc_free(dep);
    }
    slot = slot_start(r, c->address, RC_ACT_CREATE);
    st = do_create(r, c, rt, &ctx, config, &attrs, err);
    counted = !st;
    break;
  case RC_ACT_UPDATE:
    if (!config || !prior) {
      st = rc_error_set(err, RC_EVAL, "%s: nothing to update from", c->address);
      break;
    }
    slot = slot_start(r, c->address, c->action);
    st = do_update(r, c, rt, &ctx, config, prior, &attrs, err);
    if (!st) {
      pthread_mutex_lock(&r->smu);
      r->changed++;
      pthread_mutex_unlock(&r->smu);
    }
    break;
  case RC_ACT_DELETE:
    break;
  }
  int64_t el = slot_end(r, slot);
  if (counted) {
    pthread_mutex_lock(&r->smu);
    r->added++;
    pthread_mutex_unlock(&r->smu);
  }
  if (attrs) rc_config_set_instance_value(e->cfg, c->address, rc_value_incref(attrs));
  if (slot >= 0) {
    const struct rc_value *id = attrs ? rc_value_get(attrs, "id") : NULL;
    struct rc_event ev = {.kind = st ? RC_EV_FAILED : RC_EV_DONE, .address = c->address,
                          .action = c->action == RC_ACT_UPDATE || c->action == RC_ACT_READ
                                        ? c->action : RC_ACT_CREATE,
                          .id = id ? rc_value_str(id) : NULL, .elapsed_ms = el, .err = err};
    rc_engine__event(e, &ev);
  }
  rc_value_decref(attrs);
  rc_value_decref(config);
  rc_value_decref(timeouts);
  rc_value_decref(prior_ref);
  rc_value_decref(deposed);
  return st;
}

static rc_status run_destroy(struct apply_run *r, const struct rc_change *c,
                             struct rc_error *err)
{
  struct rc_engine *e = r->e;
  const struct rc_resource_type *rt = rc_resource_lookup(c->type, false);
  bool cbd = c->action == RC_ACT_REPLACE_CBD;
  char *address = cbd ? rc_asprintf("%s#deposed", c->address) : rc_strdup(c->address);
  pthread_mutex_lock(&r->smu);
  const struct rc_state_resource *sr = rc_state_find(e->state, address);
  struct rc_value *held = sr && sr->attributes ? rc_value_incref(sr->attributes)
                          : c->before          ? rc_value_incref(c->before)
                                               : NULL;
  pthread_mutex_unlock(&r->smu);
  rc_status st = RC_OK;
  bool gone = c->reason && strcmp(c->reason, "delete_because_gone") == 0;
  if (!held || !rt || gone) { /* gone already: only forget it */
    rc_value_decref(held);
    st = forget(r, address, err);
    rc_free(address);
    return st;
  }
  struct rc_rctx ctx;
  rc_engine__rctx(e, &ctx, c->address);
  ctx.replacing = c->action == RC_ACT_REPLACE || cbd;
  ctx.started_ms = now_ms();
  struct rc_value *timeouts = NULL;
  struct rc_value *cfg = take_config(r, c->address, &timeouts);
  rc_value_decref(cfg);
  ctx.timeouts = timeouts;
  int slot = slot_start(r, c->address, RC_ACT_DELETE);
  st = rt->delete(&ctx, held, err);
  if (st == RC_NOT_FOUND) {
    rc_error_clear(err);
    st = RC_OK;
  }
  if (!st && rt->wait) {
    struct rc_value *w = NULL;
    st = rt->wait(&ctx, RC_WAIT_DELETE, held, &w, err);
    rc_value_decref(w);
  }
  if (!st) st = forget(r, address, err);
  int64_t el = slot_end(r, slot);
  if (!st) {
    pthread_mutex_lock(&r->smu);
    r->destroyed++;
    pthread_mutex_unlock(&r->smu);
  }
  const struct rc_value *id = rc_value_get(held, "id");
  struct rc_event ev = {.kind = st ? RC_EV_FAILED : RC_EV_DONE, .address = c->address,
                        .action = RC_ACT_DELETE, .id = id ? rc_value_str(id) : NULL,
                        .elapsed_ms = el, .err = err};
  rc_engine__event(e, &ev);
  rc_value_decref(held);
  rc_value_decref(timeouts);
  rc_free(address);
  return st;
}

static rc_status run_eval(struct apply_run *r, size_t i, struct rc_error *err)
{
  struct rc_instance_list list = {0};
  struct rc_diags ds = {0};
  bool ok = rc_config_eval_node(r->e->cfg, i, false, &list, &ds);
  pthread_mutex_lock(&r->e->mu);
  for (size_t j = 0; j < list.n; j++) {
    rc_value_obj_put(r->configs, list.items[j].address, rc_value_incref(list.items[j].config));
    rc_value_obj_put(r->timeouts, list.items[j].address,
                     list.items[j].timeouts ? rc_value_incref(list.items[j].timeouts)
                                            : rc_value_null());
  }
  if (!ok)
    for (size_t d = 0; d < ds.n; d++)
      rc_diags_add(r->ds, ds.items[d].severity, &ds.items[d].range, ds.items[d].summary, "%s",
                   ds.items[d].detail ? ds.items[d].detail : "");
  pthread_mutex_unlock(&r->e->mu);
  rc_instance_list_free(&list);
  rc_diags_free(&ds);
  if (!ok)
    return rc_error_set(err, RC_EVAL, "evaluating %s failed", rc_config_node(r->e->cfg, i)->addr);
  return RC_OK;
}

static rc_status walk_fn(void *ud, size_t node, struct rc_error *err)
{
  struct apply_run *r = ud;
  struct anode *an = &r->nodes[node];
  switch (an->kind) {
  case NK_EVAL: return run_eval(r, an->cfg_node, err);
  case NK_ACT: return run_act(r, &r->plan->changes[an->change], err);
  default: return run_destroy(r, &r->plan->changes[an->change], err);
  }
}

static bool has_dep(const struct rc_change *c, const char *node_addr)
{
  for (size_t i = 0; i < c->ndeps; i++)
    if (strcmp(c->deps[i], node_addr) == 0) return true;
  return false;
}

static bool is_destroying(const struct rc_change *c)
{
  return c->action == RC_ACT_DELETE || c->action == RC_ACT_REPLACE ||
         c->action == RC_ACT_REPLACE_CBD;
}

static bool is_acting(const struct rc_change *c)
{
  return c->action != RC_ACT_DELETE;
}

/* Builds nodes and edges. act[i]/des[i]: node index of change i's halves or -1. */
static struct rc_graph *build(struct apply_run *r, long *act, long *des)
{
  const struct rc_plan *p = r->plan;
  struct rc_engine *e = r->e;
  size_t ncfg = p->destroy ? 0 : rc_config_node_count(e->cfg);
  r->n = ncfg;
  r->nodes = rc_calloc(ncfg + 2 * p->nchanges + 1, sizeof *r->nodes);
  for (size_t i = 0; i < ncfg; i++) r->nodes[i] = (struct anode){.kind = NK_EVAL, .cfg_node = i};
  for (size_t i = 0; i < p->nchanges; i++) {
    act[i] = des[i] = -1;
    const struct rc_change *c = &p->changes[i];
    if (is_acting(c) && !p->destroy) {
      act[i] = (long)r->n;
      r->nodes[r->n++] = (struct anode){.kind = NK_ACT, .change = i};
    }
    if (is_destroying(c)) {
      des[i] = (long)r->n;
      r->nodes[r->n++] = (struct anode){.kind = NK_DESTROY, .change = i};
    }
  }
  struct rc_graph *g = rc_graph_new(r->n);
  /* configuration nodes: their references, and the actions of referenced resources */
  for (size_t i = 0; i < ncfg; i++) {
    const struct rc_cnode *cn = rc_config_node(e->cfg, i);
    for (size_t d = 0; d < cn->ndeps; d++) {
      size_t j = cn->deps[d];
      rc_graph_add_edge(g, i, j);
      const struct rc_cnode *dn = rc_config_node(e->cfg, j);
      if (dn->kind != RC_CN_RESOURCE && dn->kind != RC_CN_DATA) continue;
      for (size_t k = 0; k < p->nchanges; k++)
        if (act[k] >= 0 && strcmp(p->changes[k].node_addr, dn->addr) == 0)
          rc_graph_add_edge(g, i, (size_t)act[k]);
    }
  }
  for (size_t i = 0; i < p->nchanges; i++) {
    const struct rc_change *c = &p->changes[i];
    if (act[i] >= 0) { /* an action waits for its configuration node */
      for (size_t k = 0; k < ncfg; k++)
        if (strcmp(rc_config_node(e->cfg, k)->addr, c->node_addr) == 0)
          rc_graph_add_edge(g, (size_t)act[i], k);
      if (c->action == RC_ACT_REPLACE && des[i] >= 0)
        rc_graph_add_edge(g, (size_t)act[i], (size_t)des[i]);
      if (c->action == RC_ACT_REPLACE_CBD && des[i] >= 0)
        rc_graph_add_edge(g, (size_t)des[i], (size_t)act[i]);
    }
    const struct rc_resource_type *rt = rc_resource_lookup(c->type, c->data);
    for (const char *const *t = rt && act[i] >= 0 && c->action != RC_ACT_NOOP ? rt->apply_after
                                                                               : NULL;
         t && *t; t++)
      for (size_t k = 0; k < p->nchanges; k++) {
        const struct rc_change *o = &p->changes[k];
        const struct rc_resource_type *ot = rc_resource_lookup(o->type, o->data);
        if (k != i && act[k] >= 0 && o->action != RC_ACT_NOOP && ot &&
            strcmp(ot->name, *t) == 0 && !has_dep(o, c->node_addr))
          rc_graph_add_edge(g, (size_t)act[i], (size_t)act[k]);
      }
    if (des[i] < 0) continue;
    for (size_t k = 0; k < p->nchanges; k++) {
      if (k == i) continue;
      const struct rc_change *o = &p->changes[k];
      if (!has_dep(o, c->node_addr)) continue; /* o depended on c */
      /* what depended on it is destroyed first */
      if (des[k] >= 0) rc_graph_add_edge(g, (size_t)des[i], (size_t)des[k]);
      /* and, when c goes for good or goes last, updated first */
      if (act[k] >= 0 && (c->action == RC_ACT_DELETE || c->action == RC_ACT_REPLACE_CBD) &&
          o->action != RC_ACT_NOOP)
        rc_graph_add_edge(g, (size_t)des[i], (size_t)act[k]);
    }
  }
  return g;
}

rc_status rc_engine_apply(struct rc_engine *e, const struct rc_plan *plan,
                          struct rc_apply_result *res, struct rc_diags *ds,
                          struct rc_error *err)
{
  memset(res, 0, sizeof *res);
  rc_status st = rc_engine__ensure_aws(e, ds, err);
  if (st) return st;
  struct apply_run r = {.e = e, .plan = plan, .ds = ds};
  pthread_mutex_init(&r.smu, NULL);
  pthread_mutex_init(&r.wmu, NULL);
  r.configs = rc_value_obj_new(RC_OBJECT);
  r.timeouts = rc_value_obj_new(RC_OBJECT);
  /* the lineage is the stack's identity in recon:stack tags: persist it
   * before anything is created */
  if (rc_state_serial(e->state) == 0 && (st = save(&r, err))) goto out;
  long *act = rc_calloc(plan->nchanges + 1, sizeof(long));
  long *des = rc_calloc(plan->nchanges + 1, sizeof(long));
  struct rc_graph *g = build(&r, act, des);
  size_t *cycle = NULL, clen = 0;
  if (rc_graph_find_cycle(g, &cycle, &clen)) {
    struct rc_buf b;
    rc_buf_init(&b, 0);
    for (size_t i = 0; i <= clen; i++) {
      struct anode *an = &r.nodes[cycle[i % clen]];
      const char *name = an->kind == NK_EVAL ? rc_config_node(e->cfg, an->cfg_node)->addr
                                              : plan->changes[an->change].address;
      rc_buf_printf(&b, "%s%s%s", i ? " -> " : "", name, an->kind == NK_DESTROY ? " (destroy)" : "");
    }
    st = rc_error_set(err, RC_ERROR, "the actions of this plan form a cycle: %s", b.ptr);
    rc_buf_free(&b);
    rc_free(cycle);
  } else {
    pthread_t tick;
    bool ticking = pthread_create(&tick, NULL, ticker, &r) == 0;
    struct rc_walk_opts wo = {.cancel = e->opts.cancel};
    struct rc_walk_result wr = {0};
    struct rc_error werr = {0};
    st = rc_graph_walk(g, e->opts.parallelism, walk_fn, &r, &wo, &wr, &werr);
    r.ticker_stop = 1;
    if (ticking) pthread_join(tick, NULL);
    if (st) {
      struct rc_buf b;
      rc_buf_init(&b, 0);
      for (size_t i = 0; i < wr.n; i++) {
        if (wr.state[i] != RC_WALK_FAILED) continue;
        res->failed++;
        struct anode *an = &r.nodes[i];
        const char *name = an->kind == NK_EVAL ? rc_config_node(e->cfg, an->cfg_node)->addr
                                                : plan->changes[an->change].address;
        const struct rc_error *fe = &wr.errors[i];
        rc_buf_printf(&b, "%s%s: %s%s%s", b.len ? "; " : "", name,
                      fe->aws_code[0] ? fe->aws_code : "", fe->aws_code[0] ? ": " : "", fe->msg);
      }
      if (wr.cancelled && !res->failed)
        rc_error_set(err, RC_CANCELLED, "interrupted: in-flight work finished and state was saved");
      else {
        for (size_t i = 0; i < wr.n; i++)
          if (wr.state[i] == RC_WALK_FAILED) {
            if (err && !err->code) {
              *err = wr.errors[i];
              snprintf(err->msg, sizeof err->msg, "%s", b.ptr);
            }
            break;
          }
      }
      if (wr.cancelled && !res->failed) st = RC_CANCELLED;
      rc_buf_free(&b);
    }
    rc_walk_result_free(&wr);
  }
  /* outputs and data sources that left the configuration */
  pthread_mutex_lock(&r.smu);
  if (plan->destroy) {
    rc_state_outputs_clear(e->state);
    for (size_t i = rc_state_count(e->state); i-- > 0;)
      if (rc_state_at(e->state, i)->mode == RC_STATE_DATA)
        rc_state_remove(e->state, rc_state_at(e->state, i)->address);
  } else if (!st) {
    struct rc_value *outs = rc_config_outputs(e->cfg);
    rc_state_outputs_clear(e->state);
    for (size_t i = 0; outs && i < rc_value_len(outs); i++) {
      const char *name = rc_value_key(outs, i);
      rc_state_output_set(e->state, name, rc_value_index(outs, i),
                          rc_config_output_sensitive(e->cfg, name));
    }
    res->outputs = outs;
    for (size_t i = rc_state_count(e->state); i-- > 0;) {
      const struct rc_state_resource *sr = rc_state_at(e->state, i);
      if (sr->mode != RC_STATE_DATA) continue;
      bool planned = false;
      for (size_t k = 0; k < plan->nchanges && !planned; k++)
        planned = strcmp(plan->changes[k].address, sr->address) == 0;
      if (!planned) rc_state_remove(e->state, sr->address);
    }
  }
  struct rc_error serr = {0};
  rc_status st2 = save(&r, &serr);
  pthread_mutex_unlock(&r.smu);
  if (st2 && !st) {
    st = st2;
    if (err && !err->code) *err = serr;
  }
  rc_graph_free(g);
  rc_free(act);
  rc_free(des);
out:
  res->added = r.added;
  res->changed = r.changed;
  res->destroyed = r.destroyed;
  rc_free(r.nodes);
  rc_value_decref(r.configs);
  rc_value_decref(r.timeouts);
  pthread_mutex_destroy(&r.smu);
  pthread_mutex_destroy(&r.wmu);
  return st;
}

rc_status rc_engine_check_saved_plan(struct rc_engine *e, const struct rc_plan *plan,
                                     struct rc_error *err)
{
  if (plan->lineage && strcmp(plan->lineage, rc_state_lineage(e->state)) != 0 &&
      rc_state_serial(e->state) != 0)
    return rc_error_set(err, RC_STALE,
                        "Saved plan is stale: it was made for another state (lineage %s, the "
                        "state has %s). Run recon plan again.",
                        plan->lineage, rc_state_lineage(e->state));
  if ((long long)rc_state_serial(e->state) != plan->serial)
    return rc_error_set(err, RC_STALE,
                        "Saved plan is stale: the state changed since the plan was made (serial "
                        "%lld then, %llu now). Run recon plan again.",
                        plan->serial, (unsigned long long)rc_state_serial(e->state));
  const struct rc_value *now = rc_config_variables(e->cfg);
  for (size_t i = 0; plan->variables && i < rc_value_len(plan->variables); i++) {
    const char *name = rc_value_key(plan->variables, i);
    const struct rc_value *was = rc_value_index(plan->variables, i);
    const struct rc_value *is = now ? rc_value_get(now, name) : NULL;
    if (!is || !rc_plan_value_matches(was, is))
      return rc_error_set(err, RC_STALE,
                          "Saved plan does not match the variables: \"%s\" %s. Sensitive "
                          "variables are not stored in plan files; give them again (e.g. "
                          "TF_VAR_%s) with the value the plan was made with.",
                          name, is ? "has another value now" : "is not set", name);
  }
  if (plan->config_digest && strcmp(plan->config_digest, rc_config_digest(e->cfg)) != 0)
    return rc_error_set(err, RC_STALE,
                        "Saved plan is stale: the configuration files changed since the plan "
                        "was made. Run recon plan again.");
  return RC_OK;
}
