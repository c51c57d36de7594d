/* planner — refresh, then walk the configuration in dependency order: each
 * resource instance is diffed against what AWS has, and its planned value is
 * what later expressions see (aws_vpc.main.id is known when the VPC exists
 * and is not replaced, "known after apply" otherwise). */
#include <stdio.h>
#include <string.h>

#include "diff.h"
#include "engine_int.h"
#include "rc_alloc.h"

/* The configuration addresses of the resources node i depends on. */
static void node_deps(const struct rc_config *cfg, size_t i, char ***out, size_t *n)
{
  size_t *idx = NULL;
  *n = rc_config_resource_deps(cfg, i, &idx);
  *out = rc_calloc(*n + 1, sizeof(char *));
  for (size_t k = 0; k < *n; k++) (*out)[k] = rc_strdup(rc_config_node(cfg, idx[k])->addr);
  rc_free(idx);
}

static bool in_strs(const char *const *v, size_t n, const char *s)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp(v[i], s) == 0) return true;
  return false;
}

/* a -target matches the instance itself, its resource, or a module around it */
static bool target_matches(const char *target, const char *address, const char *node_addr)
{
  if (strcmp(target, address) == 0 || strcmp(target, node_addr) == 0) return true;
  size_t n = strlen(target);
  return strncmp(address, target, n) == 0 && (address[n] == '.' || address[n] == '[');
}

static struct rc_change *add_change(struct rc_plan *p, const char *address, const char *type,
                                    bool data)
{
  struct rc_change *c = rc_plan_add_change(p);
  c->address = rc_strdup(address);
  c->node_addr = rc_engine__node_addr(address);
  c->type = rc_strdup(type);
  c->data = data;
  return c;
}

static void copy_state_deps(struct rc_change *c, const struct rc_state_resource *r)
{
  c->deps = rc_calloc(r->n_dependencies + 1, sizeof(char *));
  for (size_t i = 0; i < r->n_dependencies; i++) c->deps[i] = rc_strdup(r->dependencies[i]);
  c->ndeps = r->n_dependencies;
}

static struct rc_value *unknown_object(const struct rc_resource_type *rt,
                                       const struct rc_value *config)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  for (const struct rc_attr *a = rt->schema; a && a->name; a++) {
    const struct rc_value *cv = config ? rc_value_get(config, a->name) : NULL;
    rc_value_obj_put(o, a->name, cv ? rc_value_incref(cv) : rc_value_unknown());
  }
  if (!rc_value_get(o, "id")) rc_value_obj_put(o, "id", rc_value_unknown());
  return o;
}

static void add_drift(struct rc_engine *e, struct rc_plan *plan, const struct rc_value *refreshed)
{
  size_t ns = rc_state_count(e->state);
  for (size_t i = 0; i < ns; i++) {
    const struct rc_state_resource *r = rc_state_at(e->state, i);
    if (r->mode != RC_STATE_MANAGED) continue;
    const struct rc_resource_type *rt = rc_resource_lookup(r->type, false);
    const struct rc_value *now = rc_value_get(refreshed, r->address);
    if (!rt || !r->attributes) continue;
    const char *names[4];
    bool gone = !now || rc_value_is_null(now);
    if (!gone && rc_diff_changed_attrs(rt->schema, r->attributes, now, names, 4) == 0) continue;
    struct rc_drift *d = rc_plan_add_drift(plan);
    d->address = rc_strdup(r->address);
    d->type = rc_strdup(r->type);
    d->before = rc_value_incref(r->attributes);
    d->after = gone ? NULL : rc_value_incref(now);
  }
}

static rc_status plan_data(struct rc_engine *e, struct rc_plan *plan,
                           const struct rc_resource_type *rt, struct rc_instance *in,
                           struct rc_error *err)
{
  struct rc_change *c = add_change(plan, in->address, in->type, true);
  if (rc_value_is_wholly_known(in->config) && rt->read) {
    struct rc_rctx ctx;
    rc_engine__rctx(e, &ctx, in->address);
    struct rc_value *v = NULL;
    rc_status st = rt->read(&ctx, in->config, &v, err);
    if (st) return st;
    struct rc_event ev = {.kind = RC_EV_READ, .address = in->address};
    rc_engine__event(e, &ev);
    c->action = RC_ACT_NOOP;
    c->after = rc_value_incref(v);
    rc_config_set_instance_value(e->cfg, in->address, v);
  } else {
    c->action = RC_ACT_READ;
    c->reason = "read_because_config_unknown";
    c->after = unknown_object(rt, in->config);
    rc_config_set_instance_value(e->cfg, in->address, rc_value_incref(c->after));
  }
  return RC_OK;
}

static bool triggered(const struct rc_plan *plan, const struct rc_lifecycle *lc)
{
  for (size_t t = 0; lc && t < lc->nreplace_triggered_by; t++) {
    const char *want = lc->replace_triggered_by[t];
    for (size_t i = 0; i < plan->nchanges; i++) {
      const struct rc_change *c = &plan->changes[i];
      if (c->action == RC_ACT_NOOP || c->action == RC_ACT_READ) continue;
      if (target_matches(want, c->address, c->node_addr)) return true;
    }
  }
  return false;
}

static rc_status plan_managed(struct rc_engine *e, const struct rc_plan_opts *po,
                              struct rc_plan *plan, const struct rc_resource_type *rt,
                              struct rc_instance *in, const struct rc_value *refreshed,
                              struct rc_diags *ds, struct rc_error *err)
{
  const struct rc_value *prior = rc_value_get(refreshed, in->address);
  if (prior && rc_value_is_null(prior)) prior = NULL;
  struct rc_value *imported = NULL;
  if (!prior) { /* import {} blocks: the live object becomes the prior */
    const char **to;
    struct rc_value **ids;
    size_t ni = rc_config_imports(e->cfg, &to, &ids);
    for (size_t k = 0; k < ni && !imported; k++) {
      if (strcmp(to[k], in->address) != 0) continue;
      const char *id = rc_value_str(ids[k]);
      if (!id || !rt->import) {
        rc_diags_add(ds, RC_DIAG_ERROR, &in->range, "Invalid import id",
                     "%s: the import block's id must be a known string%s.", in->address,
                     rt->import ? "" : " (and this resource type cannot be imported)");
        return RC_EVAL;
      }
      struct rc_rctx ctx;
      rc_engine__rctx(e, &ctx, in->address);
      rc_status st = rt->import(&ctx, id, &imported, err);
      if (st) {
        if (st == RC_NOT_FOUND)
          rc_error_set(err, st, "Cannot import non-existent remote object: %s %s", rt->name, id);
        return st;
      }
    }
    prior = imported;
  }
  const struct rc_lifecycle *lc = in->lifecycle;
  struct rc_diff_in din = {
      .rt = rt,
      .config = in->config,
      .prior = prior,
      .default_tags = e->default_tags,
      .ignore_changes = lc ? (const char *const *)lc->ignore_changes : NULL,
      .ignore_all = lc && lc->ignore_all_changes,
      .create_before_destroy = lc && lc->create_before_destroy,
      .force_replace = in_strs(po->replaces, po->nreplaces, in->address) || triggered(plan, lc),
  };
  char **ign = NULL;
  if (lc && lc->nignore) { /* NULL-terminated copy for the diff */
    ign = rc_calloc(lc->nignore + 1, sizeof(char *));
    memcpy(ign, lc->ignore_changes, lc->nignore * sizeof(char *));
    din.ignore_changes = (const char *const *)ign;
  }
  struct rc_diff_out out;
  rc_status st = rc_diff_instance(&din, &out, err);
  rc_free(ign);
  if (st) {
    rc_value_decref(imported);
    return st;
  }
  struct rc_change *c = add_change(plan, in->address, in->type, false);
  c->action = out.action;
  c->reason = out.reason;
  c->before = prior ? rc_value_incref(prior) : NULL;
  c->after = out.planned;
  out.planned = NULL;
  c->replace_paths = out.replace_paths;
  c->nreplace = out.nreplace;
  out.replace_paths = NULL;
  out.nreplace = 0;
  const struct rc_value *pid = prior ? rc_value_get(prior, "id") : NULL;
  c->id = pid && rc_value_str(pid) ? rc_strdup(rc_value_str(pid)) : NULL;
  node_deps(e->cfg, in->node, &c->deps, &c->ndeps);
  rc_config_set_instance_value(e->cfg, in->address, rc_value_incref(c->after));
  rc_value_decref(imported);
  rc_diff_out_free(&out);
  if ((c->action == RC_ACT_REPLACE || c->action == RC_ACT_REPLACE_CBD) && lc &&
      lc->prevent_destroy) {
    rc_diags_add(ds, RC_DIAG_ERROR, &in->range, "Instance cannot be destroyed",
                 "Resource %s has lifecycle.prevent_destroy set, but the plan calls for this "
                 "resource to be destroyed (replaced). To avoid this error and continue with "
                 "the plan, either disable lifecycle.prevent_destroy or reduce the scope of the "
                 "plan using the -target flag.",
                 in->address);
    return RC_EVAL;
  }
  return RC_OK;
}

static const struct rc_cnode *find_node(const struct rc_config *cfg, const char *addr)
{
  size_t n = rc_config_node_count(cfg);
  for (size_t i = 0; i < n; i++)
    if (strcmp(rc_config_node(cfg, i)->addr, addr) == 0) return rc_config_node(cfg, i);
  return NULL;
}

static rc_status plan_orphans(struct rc_engine *e, struct rc_plan *plan,
                              const struct rc_value *refreshed, const struct rc_value *seen,
                              bool all, struct rc_diags *ds)
{
  size_t ns = rc_state_count(e->state);
  for (size_t i = 0; i < ns; i++) {
    const struct rc_state_resource *r = rc_state_at(e->state, i);
    if (r->mode != RC_STATE_MANAGED) continue;
    if (!all && rc_value_get(seen, r->address)) continue;
    const struct rc_value *now = rc_value_get(refreshed, r->address);
    struct rc_change *c = add_change(plan, r->address, r->type, false);
    copy_state_deps(c, r);
    c->id = rc_strdup(r->id);
    if (!now || rc_value_is_null(now)) { /* already gone: only forget it */
      c->action = RC_ACT_DELETE;
      c->reason = "delete_because_gone";
      continue;
    }
    c->action = RC_ACT_DELETE;
    c->before = rc_value_incref(now);
    const struct rc_cnode *cn = e->cfg ? find_node(e->cfg, c->node_addr) : NULL;
    if (all)
      c->reason = NULL;
    else if (!cn)
      c->reason = "delete_because_no_resource_config";
    else if (strrchr(r->address, '[') && strrchr(r->address, '[')[1] == '"')
      c->reason = "delete_because_each_key";
    else
      c->reason = "delete_because_count_index";
    if (cn && cn->lifecycle.prevent_destroy) {
      rc_diags_add(ds, RC_DIAG_ERROR, &cn->range, "Instance cannot be destroyed",
                   "Resource %s has lifecycle.prevent_destroy set, but the plan calls for this "
                   "resource to be destroyed. To avoid this error and continue with the plan, "
                   "either disable lifecycle.prevent_destroy or reduce the scope of the plan "
                   "using the -target flag.",
                   r->address);
      return RC_EVAL;
    }
  }
  return RC_OK;
}

/* -target: keep the targeted changes and what they depend on (for -destroy,
 * what depends on them). */
static void apply_targets(struct rc_plan *plan, const struct rc_plan_opts *po)
{
  if (!po->ntargets) return;
  bool *keep = rc_calloc(plan->nchanges + 1, sizeof(bool));
  for (size_t i = 0; i < plan->nchanges; i++)
    for (size_t t = 0; t < po->ntargets; t++)
      if (target_matches(po->targets[t], plan->changes[i].address, plan->changes[i].node_addr))
        keep[i] = true;
  for (bool grew = true; grew;) {
    grew = false;
    for (size_t i = 0; i < plan->nchanges; i++) {
      struct rc_change *c = &plan->changes[i];
      for (size_t j = 0; j < plan->nchanges; j++) {
        if (keep[j] == keep[i]) continue;
        struct rc_change *o = &plan->changes[j];
        /* forward: a kept change pulls in its dependencies; destroy: dependents */
        const struct rc_change *from = po->destroy ? o : c, *to = po->destroy ? c : o;
        bool *src = po->destroy ? &keep[j] : &keep[i];
        bool *dst = po->destroy ? &keep[i] : &keep[j];
        if (!*src || *dst) continue;
        (void)src;
        if (in_strs((const char *const *)from->deps, from->ndeps, to->node_addr)) {
          *dst = true;
          grew = true;
        }
      }
    }
  }
  for (size_t i = 0; i < plan->nchanges; i++)
    if (!keep[i] && plan->changes[i].action != RC_ACT_NOOP)
      plan->changes[i].action = RC_ACT_NOOP, plan->changes[i].reason = "excluded_by_target";
  rc_free(keep);
  plan->targets = rc_calloc(po->ntargets + 1, sizeof(char *));
  for (size_t t = 0; t < po->ntargets; t++) plan->targets[t] = rc_strdup(po->targets[t]);
  plan->ntargets = po->ntargets;
}

static void plan_outputs(struct rc_engine *e, struct rc_plan *plan)
{
  struct rc_value *outs = rc_config_outputs(e->cfg);
  for (size_t i = 0; outs && i < rc_value_len(outs); i++) {
    const char *name = rc_value_key(outs, i);
    bool sens = false;
    const struct rc_value *before = rc_state_output_get(e->state, name, &sens);
    struct rc_output_change *oc = rc_plan_add_output(plan);
    const struct rc_value *after = rc_value_index(outs, i);
    oc->name = rc_strdup(name);
    /* a sensitive output is kept hashed in state: compare by hash */
    if (before && rc_value_is_wholly_known(after) &&
        rc_state_value_matches(e->state, before, after))
      before = after;
    oc->before = before ? rc_value_incref(before) : NULL;
    oc->after = rc_value_incref(after);
    oc->sensitive = rc_config_output_sensitive(e->cfg, name) || sens;
  }
  for (size_t i = 0; i < rc_state_output_count(e->state); i++) {
    const char *name = rc_state_output_name(e->state, i);
    if (outs && rc_value_get(outs, name)) continue;
    bool sens = false;
    struct rc_output_change *oc = rc_plan_add_output(plan);
    oc->name = rc_strdup(name);
    oc->before = rc_value_incref(rc_state_output_get(e->state, name, &sens));
    oc->sensitive = sens;
  }
  rc_value_decref(outs);
}

static void apply_moved(struct rc_engine *e)
{
  const char **from, **to;
  size_t n = rc_config_moved(e->cfg, &from, &to);
  for (size_t i = 0; i < n; i++) {
    size_t ns = rc_state_count(e->state);
    for (size_t k = 0; k < ns; k++) { /* a moved resource moves all its instances */
      const char *a = rc_state_at(e->state, k)->address;
      size_t fl = strlen(from[i]);
      if (strncmp(a, from[i], fl) != 0 || (a[fl] && a[fl] != '[' && a[fl] != '.')) continue;
      char *dst = rc_asprintf("%s%s", to[i], a + fl);
      struct rc_error ignored = {0};
      if (!rc_state_find(e->state, dst) &&
          rc_state_move(e->state, a, dst, &ignored) == RC_OK) {
        e->moved = true;
        k = (size_t)-1, ns = rc_state_count(e->state); /* restart: order changed */
      }
      rc_free(dst);
    }
  }
}

rc_status rc_engine_plan(struct rc_engine *e, const struct rc_plan_opts *po,
                         struct rc_plan *plan, struct rc_diags *ds, struct rc_error *err)
{
  rc_status st = rc_engine__ensure_aws(e, ds, err);
  if (st) return st;
  plan->destroy = po->destroy;
  plan->refresh_only = po->refresh_only;
  plan->config_digest = rc_strdup(rc_config_digest(e->cfg));
  plan->lineage = rc_strdup(rc_state_lineage(e->state));
  plan->serial = (long long)rc_state_serial(e->state);
  plan->variables = rc_value_incref(rc_config_variables(e->cfg));
  apply_moved(e);

  struct rc_value *refreshed = NULL;
  if (e->opts.refresh) {
    st = rc_engine__refresh(e, &refreshed, err);
    if (st) return st;
  } else {
    refreshed = rc_value_obj_new(RC_OBJECT);
    for (size_t i = 0; i < rc_state_count(e->state); i++) {
      const struct rc_state_resource *r = rc_state_at(e->state, i);
      rc_value_obj_put(refreshed, r->address,
                       r->attributes ? rc_value_incref(r->attributes) : rc_value_null());
    }
  }
  add_drift(e, plan, refreshed);
  struct rc_value *seen = rc_value_obj_new(RC_OBJECT);
  size_t n = rc_config_node_count(e->cfg);
  const size_t *order = rc_config_order(e->cfg);
  for (size_t k = 0; k < n && !st; k++) {
    size_t i = order[k];
    if (e->evaluated[i]) continue;
    struct rc_instance_list list = {0};
    if (!rc_config_eval_node(e->cfg, i, true, &list, ds)) {
      st = RC_EVAL;
    }
    e->evaluated[i] = true;
    for (size_t j = 0; !st && j < list.n; j++) {
      struct rc_instance *in = &list.items[j];
      const struct rc_resource_type *rt = rc_resource_lookup(in->type, in->data);
      if (!rt) {
        rc_diags_add(ds, RC_DIAG_ERROR, &in->range, "Invalid resource type",
                     "recon does not support the %s type \"%s\".",
                     in->data ? "data source" : "resource", in->type);
        st = RC_EVAL;
        break;
      }
      rc_value_obj_put(seen, in->address, rc_value_bool(true));
      if (in->data)
        st = plan_data(e, plan, rt, in, err);
      else if (po->destroy) {
        const struct rc_value *prior = rc_value_get(refreshed, in->address);
        rc_config_set_instance_value(e->cfg, in->address,
                                     prior && !rc_value_is_null(prior) ? rc_value_incref(prior)
                                                                       : unknown_object(rt, in->config));
      } else
        st = plan_managed(e, po, plan, rt, in, refreshed, ds, err);
    }
    rc_instance_list_free(&list);
  }
  if (!st) st = plan_orphans(e, plan, refreshed, seen, po->destroy, ds);
  if (!st && !po->destroy) plan_outputs(e, plan);
  if (!st) apply_targets(plan, po);
  if (po->refresh_only) /* -refresh-only: only drift, no actions */
    for (size_t i = 0; i < plan->nchanges; i++) plan->changes[i].action = RC_ACT_NOOP;
  rc_value_decref(seen);
  rc_value_decref(refreshed);
  return st;
}
