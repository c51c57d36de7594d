/* refs — rc_expr_refs: the references an expression makes (root name and
 * the static traversal after it), skipping names bound by enclosing for
 * expressions and template %{for} directives. */
#include <string.h>

#include "ast.h"
#include "rc_alloc.h"

struct refctx {
  rc_ref_fn fn;
  void *ud;
  const char **bound;
  size_t nb, cap;
};

static void walk(struct refctx *c, const struct rc_expr *e);

static void bind(struct refctx *c, const char *name)
{
  if (!name) return;
  if (c->nb == c->cap) {
    c->cap = c->cap ? c->cap * 2 : 16;
    c->bound = rc_realloc(c->bound, c->cap * sizeof *c->bound);
  }
  c->bound[c->nb++] = name;
}

static bool is_bound(const struct refctx *c, const char *name)
{
  for (size_t i = c->nb; i-- > 0;)
    if (strcmp(c->bound[i], name) == 0) return true;
  return false;
}

/* A literal index key as a part, or NULL when the key is not static. */
static char *static_key(const struct rc_expr *k)
{
  if (k->kind != RC_E_LITERAL) return NULL;
  const struct rc_value *v = k->u.literal;
  if (rc_value_kind(v) == RC_STRING) return rc_strdup(rc_value_str(v));
  if (rc_value_kind(v) == RC_NUMBER) {
    char tmp[64];
    rc_value_format_number(v, tmp, sizeof tmp);
    return rc_strdup(tmp);
  }
  return NULL;
}

static void walk_traversal(struct refctx *c, const struct rc_expr *e)
{
  size_t n = 0, cap = 16;
  const struct rc_expr **chain = rc_malloc(cap * sizeof *chain);
  const struct rc_expr *x = e;
  while (x->kind == RC_E_GETATTR || x->kind == RC_E_INDEX) {
    if (n == cap) chain = rc_realloc(chain, (cap *= 2) * sizeof *chain);
    chain[n++] = x;
    x = x->kind == RC_E_GETATTR ? x->u.getattr.obj : x->u.index.obj;
  }
  /* chain[n-1] is applied to the root x, chain[0] is e */
  if (x->kind == RC_E_VARIABLE && !is_bound(c, x->u.var.name)) {
    const char **parts = rc_malloc((n + 1) * sizeof *parts);
    char **owned = rc_calloc(n + 1, sizeof *owned);
    size_t np = 0;
    parts[np++] = x->u.var.name;
    struct rc_range r = x->range;
    for (size_t i = n; i-- > 0;) {
      const struct rc_expr *s = chain[i];
      if (s->kind == RC_E_GETATTR) {
        parts[np++] = s->u.getattr.name;
      } else {
        char *k = static_key(s->u.index.key);
        if (!k) break;
        owned[np] = k;
        parts[np++] = k;
      }
      r.end = s->range.end;
    }
    c->fn(c->ud, parts, np, &r);
    for (size_t i = 0; i < np; i++) rc_free(owned[i]);
    rc_free(owned);
    rc_free(parts);
  } else if (x->kind != RC_E_VARIABLE) {
    walk(c, x);
  }
  for (size_t i = 0; i < n; i++)
    if (chain[i]->kind == RC_E_INDEX) walk(c, chain[i]->u.index.key);
  rc_free(chain);
}

static void walk(struct refctx *c, const struct rc_expr *e)
{
  if (!e) return;
  size_t nb = c->nb;
  switch (e->kind) {
  case RC_E_LITERAL:
  case RC_E_SPLAT_ITEM:
    break;
  case RC_E_VARIABLE:
  case RC_E_GETATTR:
  case RC_E_INDEX:
    walk_traversal(c, e);
    break;
  case RC_E_TEMPLATE:
    for (size_t i = 0; i < e->u.tmpl.n; i++) walk(c, e->u.tmpl.parts[i]);
    break;
  case RC_E_TMPL_IF:
    walk(c, e->u.tmpl_if.cond);
    walk(c, e->u.tmpl_if.then_part);
    walk(c, e->u.tmpl_if.else_part);
    break;
  case RC_E_TMPL_FOR:
    walk(c, e->u.tmpl_for.coll);
    bind(c, e->u.tmpl_for.key_var);
    bind(c, e->u.tmpl_for.val_var);
    walk(c, e->u.tmpl_for.body);
    break;
  case RC_E_SPLAT:
    walk(c, e->u.splat.src);
    walk(c, e->u.splat.each);
    break;
  case RC_E_CALL:
    for (size_t i = 0; i < e->u.call.n; i++) walk(c, e->u.call.args[i]);
    break;
  case RC_E_TUPLE:
    for (size_t i = 0; i < e->u.tuple.n; i++) walk(c, e->u.tuple.items[i]);
    break;
  case RC_E_OBJECT:
    for (size_t i = 0; i < e->u.object.n; i++) {
      walk(c, e->u.object.keys[i]);
      walk(c, e->u.object.vals[i]);
    }
    break;
  case RC_E_FOR:
    walk(c, e->u.forx.coll);
    bind(c, e->u.forx.key_var);
    bind(c, e->u.forx.val_var);
    walk(c, e->u.forx.key);
    walk(c, e->u.forx.val);
    walk(c, e->u.forx.cond);
    break;
  case RC_E_COND:
    walk(c, e->u.cond.cond);
    walk(c, e->u.cond.then_e);
    walk(c, e->u.cond.else_e);
    break;
  case RC_E_UNARY:
  case RC_E_BINARY:
    walk(c, e->u.op.a);
    walk(c, e->u.op.b);
    break;
  case RC_E_PAREN:
    walk(c, e->u.paren.inner);
    break;
  }
  c->nb = nb;
}

void rc_expr_refs(const struct rc_expr *e, rc_ref_fn fn, void *ud)
{
  struct refctx c = {.fn = fn, .ud = ud};
  walk(&c, e);
  rc_free(c.bound);
}
