/* refresh — reads every managed resource recorded in state, one batched
 * read_many per resource type, all types at once on their own threads. */
#include <pthread.h>
#include <string.h>

#include "diff.h"
#include "engine_int.h"
#include "rc_alloc.h"

struct type_batch {
  struct rc_engine *e;
  const struct rc_resource_type *rt;
  struct rc_read_item *items;
  size_t n, cap;
  rc_status st;
  struct rc_error err;
};

static void *read_batch(void *arg)
{
  struct type_batch *tb = arg;
  struct rc_rctx ctx;
  rc_engine__rctx(tb->e, &ctx, tb->items[0].address);
  tb->st = tb->rt->read_many(&ctx, tb->items, tb->n);
  if (tb->st) {
    tb->err = tb->items[0].err;
    if (!tb->err.code) rc_error_set(&tb->err, tb->st, "refreshing %s failed", tb->rt->name);
  }
  for (size_t i = 0; !tb->st && i < tb->n; i++)
    if (tb->items[i].status) {
      tb->st = tb->items[i].status;
      tb->err = tb->items[i].err;
    }
  return NULL;
}

rc_status rc_engine__refresh(struct rc_engine *e, struct rc_value **out, struct rc_error *err)
{
  struct rc_value *res = rc_value_obj_new(RC_OBJECT);
  size_t nb = 0;
  struct type_batch *batches = NULL;
  size_t ns = rc_state_count(e->state);
  for (size_t i = 0; i < ns; i++) {
    const struct rc_state_resource *r = rc_state_at(e->state, i);
    if (r->mode != RC_STATE_MANAGED) continue;
    const struct rc_resource_type *rt = rc_resource_lookup(r->type, false);
    if (!rt || !rt->read_many || !r->id || !r->id[0]) {
      rc_value_obj_put(res, r->address, r->attributes ? rc_value_incref(r->attributes)
                                                      : rc_value_null());
      continue;
    }
    struct type_batch *tb = NULL;
    for (size_t b = 0; b < nb; b++)
      if (batches[b].rt == rt) tb = &batches[b];
    if (!tb) {
      batches = rc_realloc(batches, (nb + 1) * sizeof *batches);
      tb = &batches[nb++];
      memset(tb, 0, sizeof *tb);
      tb->e = e;
      tb->rt = rt;
    }
    if (tb->n == tb->cap) {
      tb->cap = tb->cap ? tb->cap * 2 : 8;
      tb->items = rc_realloc(tb->items, tb->cap * sizeof *tb->items);
    }
    struct rc_read_item *it = &tb->items[tb->n++];
    memset(it, 0, sizeof *it);
    it->address = r->address;
    it->id = r->id;
    it->prior = r->attributes;
    struct rc_event ev = {.kind = RC_EV_REFRESH, .address = r->address, .id = r->id};
    rc_engine__event(e, &ev);
  }
  pthread_t *th = rc_calloc(nb ? nb : 1, sizeof *th);
  for (size_t b = 0; b < nb; b++)
    if (pthread_create(&th[b], NULL, read_batch, &batches[b])) read_batch(&batches[b]), th[b] = 0;
  for (size_t b = 0; b < nb; b++)
    if (th[b]) pthread_join(th[b], NULL);
  rc_status st = RC_OK;
  for (size_t b = 0; b < nb; b++) {
    struct type_batch *tb = &batches[b];
    if (tb->st && !st) {
      st = tb->st;
      if (err && !err->code) *err = tb->err;
    }
    for (size_t i = 0; i < tb->n; i++) {
      struct rc_read_item *it = &tb->items[i];
      /* what state kept sensitive stays sensitive in what AWS answered */
      struct rc_value *v = it->out ? rc_diff_carry_marks(tb->rt, it->out, it->prior) : NULL;
      rc_value_decref(it->out);
      rc_value_obj_put(res, it->address, v ? v : rc_value_null());
    }
    rc_free(tb->items);
  }
  rc_free(batches);
  rc_free(th);
  if (st) {
    rc_value_decref(res);
    return st;
  }
  *out = res;
  return RC_OK;
}
