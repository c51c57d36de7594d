/* import — recon import ADDR ID, recon state recover, force-unlock. */
#include <string.h>

#include "diff.h"
#include "engine_int.h"
#include "rc_alloc.h"

/* Evaluates the configuration in order, calling fn for every managed
 * instance; fn returns the value later expressions see (new ref). */
typedef struct rc_value *(*inst_fn)(struct rc_engine *e, struct rc_instance *in,
                                    const struct rc_resource_type *rt, void *ud,
                                    struct rc_error *err);

static rc_status walk_config(struct rc_engine *e, inst_fn fn, void *ud, struct rc_diags *ds,
                             struct rc_error *err)
{
  rc_status st = rc_engine__ensure_aws(e, ds, err);
  if (st) return st;
  size_t n = rc_config_node_count(e->cfg);
  const size_t *order = rc_config_order(e->cfg);
  for (size_t k = 0; k < n && !st; k++) {
    size_t i = order[k];
    if (e->evaluated[i]) continue;
    struct rc_instance_list list = {0};
    if (!rc_config_eval_node(e->cfg, i, true, &list, ds)) st = RC_EVAL;
    e->evaluated[i] = true;
    for (size_t j = 0; !st && j < list.n; j++) {
      struct rc_instance *in = &list.items[j];
      const struct rc_resource_type *rt = rc_resource_lookup(in->type, in->data);
      if (!rt) continue;
      struct rc_value *v = NULL;
      if (in->data) {
        if (rc_value_is_wholly_known(in->config) && rt->read) {
          struct rc_rctx ctx;
          rc_engine__rctx(e, &ctx, in->address);
          st = rt->read(&ctx, in->config, &v, err);
        }
      } else {
        v = fn(e, in, rt, ud, err);
        if (err && err->code) st = err->code;
      }
      if (!v) {
        v = rc_value_obj_new(RC_OBJECT);
        for (const struct rc_attr *a = rt->schema; a && a->name; a++)
          rc_value_obj_put(v, a->name, rc_value_unknown());
        rc_value_obj_put(v, "id", rc_value_unknown());
      }
      rc_config_set_instance_value(e->cfg, in->address, v);
    }
    rc_instance_list_free(&list);
  }
  return st;
}

static void put(struct rc_engine *e, struct rc_instance *in, const struct rc_value *attrs)
{
  const struct rc_value *id = rc_value_get(attrs, "id");
  struct rc_state_resource sr = {.address = in->address,
                                 .mode = RC_STATE_MANAGED,
                                 .type = in->type,
                                 .id = id && rc_value_str(id) ? rc_value_str(id) : "",
                                 .attributes = (struct rc_value *)attrs};
  rc_state_put(e->state, &sr);
}

struct import_ud {
  const char *address, *id;
  bool done;
};

static struct rc_value *import_one(struct rc_engine *e, struct rc_instance *in,
                                   const struct rc_resource_type *rt, void *ud,
                                   struct rc_error *err)
{
  struct import_ud *u = ud;
  const struct rc_state_resource *sr = rc_state_find(e->state, in->address);
  if (strcmp(in->address, u->address) != 0)
    return sr && sr->attributes ? rc_value_incref(sr->attributes) : NULL;
  if (sr) {
    rc_error_set(err, RC_CONFLICT,
                 "Resource already managed by recon: %s is already in state (id %s). To import "
                 "to this address you must first remove it with recon state rm.",
                 in->address, sr->id);
    return NULL;
  }
  if (!rt->import) {
    rc_error_set(err, RC_UNSUPPORTED, "%s does not support import", rt->name);
    return NULL;
  }
  struct rc_rctx ctx;
  rc_engine__rctx(e, &ctx, in->address);
  struct rc_value *v = NULL;
  if (rt->import(&ctx, u->id, &v, err)) {
    if (err->code == RC_NOT_FOUND || !err->code)
      rc_error_set(err, RC_NOT_FOUND, "Cannot import non-existent remote object: %s %s",
                   rt->name, u->id);
    return NULL;
  }
  put(e, in, v);
  u->done = true;
  return v;
}

rc_status rc_engine_import(struct rc_engine *e, const char *address, const char *id,
                           struct rc_diags *ds, struct rc_error *err)
{
  struct import_ud u = {.address = address, .id = id};
  rc_status st = walk_config(e, import_one, &u, ds, err);
  if (st) return st;
  if (!u.done)
    return rc_error_set(err, RC_NOT_FOUND,
                        "Configuration for import target does not exist: the configuration has "
                        "no resource instance %s. Add a resource block for it first.",
                        address);
  return rc_engine_save_state(e, err);
}

struct recover_ud {
  int found;
};

static struct rc_value *recover_one(struct rc_engine *e, struct rc_instance *in,
                                    const struct rc_resource_type *rt, void *ud,
                                    struct rc_error *err)
{
  struct recover_ud *u = ud;
  if (!rt->find) return NULL;
  struct rc_diff_in din = {.rt = rt, .config = in->config, .default_tags = e->default_tags};
  struct rc_diff_out d;
  if (rc_diff_instance(&din, &d, err)) return NULL;
  struct rc_value *args = rc_value_obj_new(RC_OBJECT);
  for (size_t i = 0; i < rc_value_len(d.planned); i++)
    if (rc_value_is_wholly_known(rc_value_index(d.planned, i)))
      rc_value_obj_put(args, rc_value_key(d.planned, i), rc_value_incref(rc_value_index(d.planned, i)));
  rc_diff_out_free(&d);
  struct rc_rctx ctx;
  rc_engine__rctx(e, &ctx, in->address);
  struct rc_value *v = NULL;
  struct rc_error ferr = {0};
  if (rt->find(&ctx, args, &v, &ferr) == RC_OK && v) {
    put(e, in, v);
    u->found++;
  }
  rc_value_decref(args);
  return v;
}

rc_status rc_engine_recover(struct rc_engine *e, const char *stack, int *found,
                            struct rc_diags *ds, struct rc_error *err)
{
  if (rc_state_count(e->state) > 0)
    return rc_error_set(err, RC_CONFLICT,
                        "the state already holds %zu resources; recover only fills an empty "
                        "state (move the old one away first)",
                        rc_state_count(e->state));
  /* the recovered state carries the stack's identity as its lineage */
  size_t len = 0;
  char *doc = rc_state_to_json(e->state, &len);
  json_error_t je;
  json_t *j = json_loadb(doc, len, 0, &je);
  rc_free(doc);
  if (!j) return rc_error_set(err, RC_ERROR, "cannot rebuild the state document");
  json_object_set_new(j, "lineage", json_string(stack));
  char *fixed = json_dumps(j, JSON_COMPACT);
  json_decref(j);
  struct rc_state *ns = rc_state_from_json(fixed, strlen(fixed), "recovered state", err);
  free(fixed);
  if (!ns) return err->code;
  rc_state_free(e->state);
  e->state = ns;
  rc_free(e->stack);
  e->stack = rc_strdup(stack);
  struct recover_ud u = {0};
  rc_status st = walk_config(e, recover_one, &u, ds, err);
  *found = u.found;
  if (st) return st;
  return rc_engine_save_state(e, err);
}

rc_status rc_engine_force_unlock(struct rc_engine *e, const char *id, struct rc_error *err)
{
  return rc_state_backend_force_unlock(e->backend, id, err);
}
