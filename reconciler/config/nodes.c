/* nodes — one node per declaration, the references of its expressions
 * resolved to nodes (errors at the reference for undeclared things), edges,
 * lifecycle settings, cycle reports with the full path, topological order. */
#include <stdio.h>
#include <string.h>

#include "config_int.h"
#include "rc_alloc.h"
#include "rc_buf.h"
#include "rc_suggest.h"

/* --- node creation --- */

static size_t add_node(struct rc_config *cfg, struct rc_mod *m, enum rc_cnode_kind k,
                       const char *addr_rel, const char *type, const char *name, size_t idx,
                       const struct rc_range *range)
{
  if (cfg->nnodes == cfg->capnodes) {
    cfg->capnodes = cfg->capnodes ? cfg->capnodes * 2 : 32;
    cfg->nodes = rc_realloc(cfg->nodes, cfg->capnodes * sizeof *cfg->nodes);
    cfg->info = rc_realloc(cfg->info, cfg->capnodes * sizeof *cfg->info);
  }
  size_t i = cfg->nnodes++;
  struct rc_cnode *n = &cfg->nodes[i];
  memset(n, 0, sizeof *n);
  memset(&cfg->info[i], 0, sizeof cfg->info[i]);
  n->kind = k;
  n->addr = m->path[0] ? rc_asprintf("%s.%s", m->path, addr_rel) : rc_strdup(addr_rel);
  n->module = rc_strdup(m->path);
  n->type = type ? rc_strdup(type) : NULL;
  n->name = rc_strdup(name);
  n->range = *range;
  cfg->info[i].mod = m;
  cfg->info[i].idx = idx;
  return i;
}

static void push_dep(size_t **arr, size_t *n, size_t *cap, size_t d)
{
  for (size_t i = 0; i < *n; i++)
    if ((*arr)[i] == d) return;
  if (*n == *cap) {
    *cap = *cap ? *cap * 2 : 4;
    *arr = rc_realloc(*arr, *cap * sizeof **arr);
  }
  (*arr)[(*n)++] = d;
}

static void add_dep(struct rc_config *cfg, size_t from, size_t to, bool precise)
{
  struct rc_cnode *n = &cfg->nodes[from];
  if (from == to && n->kind == RC_CN_VARIABLE) return; /* a validation names its variable */
  push_dep(&n->deps, &n->ndeps, &cfg->info[from].capdeps, to);
  if (precise)
    push_dep(&cfg->info[from].refdeps, &cfg->info[from].nrefdeps, &cfg->info[from].caprefdeps, to);
}

/* --- walking expressions for references --- */

struct part {
  const char *name;
  bool index;            /* came from [..] */
  struct rc_range range;
};

struct refw {
  struct rc_config *cfg;
  struct rc_mod *mod;     /* where the names resolve */
  size_t node;            /* the node getting the deps */
  bool precise;           /* also a refdep */
  bool in_count;          /* count available */
  bool in_each;           /* each available */
  const char *bound[64];  /* for-expression and dynamic iterator names */
  size_t nbound;
  struct rc_diags *ds;
  const char *self_type, *self_name; /* resource being declared */
};

static void resolve(struct refw *w, const struct part *p, size_t np,
                    const struct rc_range *whole);

static bool is_bound(const struct refw *w, const char *name)
{
  for (size_t i = w->nbound; i-- > 0;)
    if (w->bound[i] && strcmp(w->bound[i], name) == 0) return true;
  return false;
}

static void walk(struct refw *w, const struct rc_expr *e);

static void walk_chain(struct refw *w, const struct rc_expr *e)
{
  const struct rc_expr *chain[128];
  size_t n = 0;
  const struct rc_expr *x = e;
  while (x && (x->kind == RC_E_GETATTR || x->kind == RC_E_INDEX)) {
    if (x->kind == RC_E_INDEX) walk(w, x->u.index.key);
    if (n < 128) chain[n++] = x;
    x = x->kind == RC_E_GETATTR ? x->u.getattr.obj : x->u.index.obj;
  }
  if (!x) return;
  if (x->kind != RC_E_VARIABLE) {
    walk(w, x);
    return;
  }
  if (is_bound(w, x->u.var.name)) return;
  struct part parts[16];
  size_t np = 0;
  parts[np++] = (struct part){x->u.var.name, false, x->range};
  char nums[16][24];
  while (n > 0 && np < 16) {
    const struct rc_expr *t = chain[--n];
    if (t->kind == RC_E_GETATTR) {
      parts[np++] = (struct part){t->u.getattr.name, false, t->u.getattr.name_range};
      continue;
    }
    const struct rc_expr *k = t->u.index.key;
    if (k->kind != RC_E_LITERAL) {
      const char *s;
      if (rc_config__const_string(k, &s)) {
        parts[np++] = (struct part){s, true, k->range};
        continue;
      }
      /* a dynamic index: what follows is still the same object */
      parts[np++] = (struct part){"*", true, k->range};
      continue;
    }
    if (rc_value_kind(k->u.literal) == RC_STRING) {
      parts[np++] = (struct part){rc_value_str(k->u.literal), true, k->range};
    } else {
      rc_value_format_number(k->u.literal, nums[np], 24);
      parts[np] = (struct part){nums[np], true, k->range};
      np++;
    }
  }
  resolve(w, parts, np, &e->range);
}

static void walk(struct refw *w, const struct rc_expr *e)
{
  if (!e) return;
  switch (e->kind) {
  case RC_E_LITERAL:
  case RC_E_SPLAT_ITEM:
    return;
  case RC_E_TEMPLATE:
    for (size_t i = 0; i < e->u.tmpl.n; i++) walk(w, e->u.tmpl.parts[i]);
    return;
  case RC_E_TMPL_IF:
    walk(w, e->u.tmpl_if.cond);
    walk(w, e->u.tmpl_if.then_part);
    walk(w, e->u.tmpl_if.else_part);
    return;
  case RC_E_TMPL_FOR:
    walk(w, e->u.tmpl_for.coll);
    if (w->nbound + 2 <= 64) {
      w->bound[w->nbound++] = e->u.tmpl_for.key_var;
      w->bound[w->nbound++] = e->u.tmpl_for.val_var;
      walk(w, e->u.tmpl_for.body);
      w->nbound -= 2;
    }
    return;
  case RC_E_VARIABLE:
  case RC_E_GETATTR:
  case RC_E_INDEX:
    walk_chain(w, e);
    return;
  case RC_E_SPLAT:
    walk(w, e->u.splat.src);
    walk(w, e->u.splat.each);
    return;
  case RC_E_CALL:
    for (size_t i = 0; i < e->u.call.n; i++) walk(w, e->u.call.args[i]);
    return;
  case RC_E_TUPLE:
    for (size_t i = 0; i < e->u.tuple.n; i++) walk(w, e->u.tuple.items[i]);
    return;
  case RC_E_OBJECT:
    for (size_t i = 0; i < e->u.object.n; i++) {
      if (e->u.object.keys[i]->kind != RC_E_VARIABLE) walk(w, e->u.object.keys[i]);
      walk(w, e->u.object.vals[i]);
    }
    return;
  case RC_E_FOR:
    walk(w, e->u.forx.coll);
    if (w->nbound + 2 <= 64) {
      w->bound[w->nbound++] = e->u.forx.key_var;
      w->bound[w->nbound++] = e->u.forx.val_var;
      walk(w, e->u.forx.key);
      walk(w, e->u.forx.val);
      walk(w, e->u.forx.cond);
      w->nbound -= 2;
    }
    return;
  case RC_E_COND:
    walk(w, e->u.cond.cond);
    walk(w, e->u.cond.then_e);
    walk(w, e->u.cond.else_e);
    return;
  case RC_E_UNARY:
  case RC_E_BINARY:
    walk(w, e->u.op.a);
    walk(w, e->u.op.b);
    return;
  case RC_E_PAREN:
    walk(w, e->u.paren.inner);
    return;
  }
}

static const char *mod_where(const struct rc_mod *m)
{
  return m->path[0] ? m->path : "the root module";
}

static void suggest_detail(char *out, size_t outsz, const char *name, const char **cands,
                           size_t n)
{
  const char *s = rc_suggest(name, cands, n);
  if (s)
    snprintf(out, outsz, " Did you mean \"%s\"?", s);
  else
    out[0] = '\0';
}

/* Adds deps on every resource/data node (and output) inside m's tree. */
static void dep_on_module(struct refw *w, struct rc_mod *m)
{
  for (size_t i = 0; i < m->nres; i++) add_dep(w->cfg, w->node, m->res[i].node, w->precise);
  for (size_t i = 0; i < m->noutputs; i++)
    add_dep(w->cfg, w->node, m->outputs[i].node, w->precise);
  for (size_t i = 0; i < m->ncalls; i++)
    if (m->calls[i].child) dep_on_module(w, m->calls[i].child);
}

static void resolve(struct refw *w, const struct part *p, size_t np, const struct rc_range *whole)
{
  struct rc_mod *m = w->mod;
  const char *root = p[0].name;
  char hint[300];
  if (strcmp(root, "var") == 0 || strcmp(root, "local") == 0) {
    bool isvar = root[0] == 'v';
    if (np < 2 || p[1].index) {
      rc_diags_add(w->ds, RC_DIAG_ERROR, whole, "Invalid reference",
                   "The \"%s\" object cannot be accessed directly. Instead, access one of its "
                   "attributes.",
                   root);
      return;
    }
    size_t n = isvar ? m->nvars : m->nlocals;
    const char **names = rc_calloc(n + 1, sizeof *names);
    for (size_t i = 0; i < n; i++) {
      names[i] = isvar ? m->vars[i].name : m->locals[i].attr->name;
      if (strcmp(names[i], p[1].name) == 0) {
        add_dep(w->cfg, w->node, isvar ? m->vars[i].node : m->locals[i].node, w->precise);
        rc_free(names);
        return;
      }
    }
    suggest_detail(hint, sizeof hint, p[1].name, names, n);
    rc_free(names);
    struct rc_range r = {whole->file, p[0].range.start, p[1].range.end};
    if (isvar)
      rc_diags_add(w->ds, RC_DIAG_ERROR, &r, "Reference to undeclared input variable",
                   "An input variable with the name \"%s\" has not been declared. This variable "
                   "can be declared with a variable \"%s\" {} block.%s",
                   p[1].name, p[1].name, hint);
    else
      rc_diags_add(w->ds, RC_DIAG_ERROR, &r, "Reference to undeclared local value",
                   "A local value with the name \"%s\" has not been declared.%s", p[1].name, hint);
    return;
  }
  if (strcmp(root, "module") == 0) {
    if (np < 2 || p[1].index) {
      rc_diags_add(w->ds, RC_DIAG_ERROR, whole, "Invalid reference",
                   "The \"module\" object cannot be accessed directly. Instead, access one of its "
                   "attributes.");
      return;
    }
    const char **names = rc_calloc(m->ncalls + 1, sizeof *names);
    struct rc_mcall *c = NULL;
    for (size_t i = 0; i < m->ncalls; i++) {
      names[i] = m->calls[i].name;
      if (strcmp(names[i], p[1].name) == 0) c = &m->calls[i];
    }
    if (!c) {
      suggest_detail(hint, sizeof hint, p[1].name, names, m->ncalls);
      rc_free(names);
      struct rc_range r = {whole->file, p[0].range.start, p[1].range.end};
      rc_diags_add(w->ds, RC_DIAG_ERROR, &r, "Reference to undeclared module",
                   "No module call named \"%s\" is declared in %s.%s", p[1].name, mod_where(m),
                   hint);
      return;
    }
    rc_free(names);
    if (!c->child) return;
    size_t at = 2;
    while (at < np && p[at].index) at++;
    if (at >= np || strcmp(p[at].name, "*") == 0) {
      for (size_t i = 0; i < c->child->noutputs; i++)
        add_dep(w->cfg, w->node, c->child->outputs[i].node, w->precise);
      add_dep(w->cfg, w->node, c->node, w->precise);
      return;
    }
    struct rc_mod *ch = c->child;
    const char **onames = rc_calloc(ch->noutputs + 1, sizeof *onames);
    for (size_t i = 0; i < ch->noutputs; i++) {
      onames[i] = ch->outputs[i].name;
      if (strcmp(onames[i], p[at].name) == 0) {
        add_dep(w->cfg, w->node, ch->outputs[i].node, w->precise);
        add_dep(w->cfg, w->node, c->node, false);
        rc_free(onames);
        return;
      }
    }
    suggest_detail(hint, sizeof hint, p[at].name, onames, ch->noutputs);
    rc_free(onames);
    rc_diags_add(w->ds, RC_DIAG_ERROR, &p[at].range, "Unsupported attribute",
                 "This object does not have an attribute named \"%s\".%s", p[at].name, hint);
    return;
  }
  if (strcmp(root, "count") == 0) {
    if (!w->in_count)
      rc_diags_add(w->ds, RC_DIAG_ERROR, whole, "Reference to \"count\" in non-counted context",
                   "The \"count\" object can only be used in \"module\", \"resource\", and "
                   "\"data\" blocks, and only when the \"count\" argument is set.");
    else if (np < 2 || strcmp(p[1].name, "index") != 0)
      rc_diags_add(w->ds, RC_DIAG_ERROR, whole, "Invalid \"count\" attribute",
                   "The \"count\" object does not have an attribute named \"%s\". The only "
                   "supported attribute is count.index, which is the index of each instance of a "
                   "resource block that has the \"count\" argument set.",
                   np < 2 ? "" : p[1].name);
    return;
  }
  if (strcmp(root, "each") == 0) {
    if (!w->in_each)
      rc_diags_add(w->ds, RC_DIAG_ERROR, whole, "Reference to \"each\" in context without for_each",
                   "The \"each\" object can be used only in \"module\" or \"resource\" blocks, and "
                   "only when the \"for_each\" argument is set.");
    else if (np < 2 || (strcmp(p[1].name, "key") != 0 && strcmp(p[1].name, "value") != 0))
      rc_diags_add(w->ds, RC_DIAG_ERROR, whole, "Invalid \"each\" attribute",
                   "The \"each\" object does not have an attribute named \"%s\". The supported "
                   "attributes are each.key and each.value, the current key and value pair of "
                   "the \"for_each\" attribute set.",
                   np < 2 ? "" : p[1].name);
    return;
  }
  if (strcmp(root, "path") == 0) {
    if (np < 2 || (strcmp(p[1].name, "module") && strcmp(p[1].name, "root") &&
                   strcmp(p[1].name, "cwd")))
      rc_diags_add(w->ds, RC_DIAG_ERROR, whole, "Invalid \"path\" attribute",
                   "The \"path\" object does not have an attribute named \"%s\". The supported "
                   "attributes are path.cwd, path.module, and path.root.",
                   np < 2 ? "" : p[1].name);
    return;
  }
  if (strcmp(root, "terraform") == 0) {
    if (np < 2 || strcmp(p[1].name, "workspace") != 0)
      rc_diags_add(w->ds, RC_DIAG_ERROR, whole, "Invalid \"terraform\" attribute",
                   "The \"terraform\" object does not have an attribute named \"%s\". The only "
                   "supported attribute is terraform.workspace, the name of the currently-selected "
                   "workspace.",
                   np < 2 ? "" : p[1].name);
    return;
  }
  if (strcmp(root, "self") == 0) {
    rc_diags_add(w->ds, RC_DIAG_ERROR, whole, "Invalid \"self\" reference",
                 "The \"self\" object is not available in this context. This object can be used "
                 "only in resource provisioner and connection blocks.");
    return;
  }
  bool data = strcmp(root, "data") == 0;
  const struct part *tp = data ? (np > 1 ? &p[1] : NULL) : &p[0];
  const struct part *nmp = data ? (np > 2 ? &p[2] : NULL) : (np > 1 ? &p[1] : NULL);
  if (!tp || !nmp || tp->index || nmp->index) {
    rc_diags_add(w->ds, RC_DIAG_ERROR, whole, "Invalid reference",
                 data ? "The \"data\" object must be followed by two attribute names: the data "
                        "source type and the resource name."
                      : "A reference to a resource type must be followed by at least one "
                        "attribute access, specifying the resource name.");
    return;
  }
  char **names = rc_calloc(m->nres + 1, sizeof *names);
  size_t nn = 0;
  for (size_t i = 0; i < m->nres; i++) {
    struct rc_rdecl *r = &m->res[i];
    if (r->data != data) continue;
    if (strcmp(r->type, tp->name) == 0 && strcmp(r->name, nmp->name) == 0) {
      for (size_t j = 0; j < nn; j++) rc_free(names[j]);
      rc_free(names);
      if (r->node == w->node) {
        rc_diags_add(w->ds, RC_DIAG_ERROR, whole, "Self-referential block",
                     "Configuration for %s%s.%s may not refer to itself.", data ? "data." : "",
                     r->type, r->name);
        return;
      }
      add_dep(w->cfg, w->node, r->node, w->precise);
      return;
    }
    names[nn++] = rc_asprintf("%s.%s", r->type, r->name);
  }
  char *want = rc_asprintf("%s.%s", tp->name, nmp->name);
  const char *s = rc_suggest(want, (const char **)names, nn);
  if (s)
    snprintf(hint, sizeof hint, " Did you mean \"%s%s\"?", data ? "data." : "", s);
  else
    hint[0] = '\0';
  rc_free(want);
  struct rc_range r = {whole->file, p[0].range.start, nmp->range.end};
  rc_diags_add(w->ds, RC_DIAG_ERROR, &r, "Reference to undeclared resource",
               "A %s resource \"%s\" \"%s\" has not been declared in %s.%s",
               data ? "data" : "managed", tp->name, nmp->name, mod_where(m), hint);
  for (size_t j = 0; j < nn; j++) rc_free(names[j]);
  rc_free(names);
}

/* depends_on = [aws_vpc.main, module.x]: static references only. */
static void walk_depends_on(struct refw *w, const struct rc_expr *e)
{
  if (!e) return;
  if (e->kind != RC_E_TUPLE) {
    rc_diags_add(w->ds, RC_DIAG_ERROR, &e->range, "Invalid depends_on",
                 "The depends_on argument must be a list of references to resources or "
                 "modules.");
    return;
  }
  for (size_t i = 0; i < e->u.tuple.n; i++) {
    const struct rc_expr *x = e->u.tuple.items[i];
    const struct rc_expr *root = x;
    while (root->kind == RC_E_GETATTR || root->kind == RC_E_INDEX)
      root = root->kind == RC_E_GETATTR ? root->u.getattr.obj : root->u.index.obj;
    if (root->kind != RC_E_VARIABLE) {
      rc_diags_add(w->ds, RC_DIAG_ERROR, &x->range, "Invalid depends_on reference",
                   "References in depends_on must be to a whole object (resource, module, "
                   "data source) without any expressions.");
      continue;
    }
    if (strcmp(root->u.var.name, "module") == 0 && x->kind == RC_E_GETATTR &&
        x->u.getattr.obj == root) {
      for (size_t j = 0; j < w->mod->ncalls; j++)
        if (strcmp(w->mod->calls[j].name, x->u.getattr.name) == 0) {
          add_dep(w->cfg, w->node, w->mod->calls[j].node, w->precise);
          if (w->mod->calls[j].child) dep_on_module(w, w->mod->calls[j].child);
          goto next;
        }
    }
    walk(w, x);
  next:;
  }
}

/* Every expression of a body, nested blocks included; dynamic iterators bound. */
static void walk_body(struct refw *w, const struct rc_body *b, bool resource_top)
{
  for (size_t i = 0; i < b->nattrs; i++) {
    const struct rc_attribute *a = &b->attrs[i];
    if (resource_top && strcmp(a->name, "depends_on") == 0) {
      walk_depends_on(w, a->expr);
      continue;
    }
    if (resource_top && strcmp(a->name, "provider") == 0) continue;
    walk(w, a->expr);
  }
  for (size_t i = 0; i < b->nblocks; i++) {
    const struct rc_block *x = &b->blocks[i];
    if (resource_top && strcmp(x->type, "lifecycle") == 0) {
      for (size_t j = 0; j < x->body.nattrs; j++)
        if (strcmp(x->body.attrs[j].name, "replace_triggered_by") == 0)
          walk(w, x->body.attrs[j].expr);
      for (size_t j = 0; j < x->body.nblocks; j++) /* postconditions need self: not run */
        if (strcmp(x->body.blocks[j].type, "precondition") == 0)
          walk_body(w, &x->body.blocks[j].body, false);
      continue;
    }
    if (strcmp(x->type, "dynamic") == 0 && x->nlabels == 1) {
      const char *it = x->labels[0];
      for (size_t j = 0; j < x->body.nattrs; j++) {
        const struct rc_attribute *a = &x->body.attrs[j];
        if (strcmp(a->name, "iterator") == 0) {
          if (a->expr->kind == RC_E_VARIABLE) it = a->expr->u.var.name;
        } else {
          walk(w, a->expr);
        }
      }
      if (w->nbound < 64) w->bound[w->nbound++] = it;
      for (size_t j = 0; j < x->body.nblocks; j++) walk_body(w, &x->body.blocks[j].body, false);
      w->nbound--;
      continue;
    }
    walk_body(w, &x->body, false);
  }
}

/* --- lifecycle --- */

static void read_lifecycle(struct rc_config *cfg, size_t node, const struct rc_block *blk,
                           struct rc_diags *ds)
{
  struct rc_lifecycle *l = &cfg->nodes[node].lifecycle;
  for (size_t i = 0; i < blk->body.nblocks; i++) {
    const struct rc_block *x = &blk->body.blocks[i];
    if (strcmp(x->type, "lifecycle") != 0) continue;
    for (size_t j = 0; j < x->body.nattrs; j++) {
      const struct rc_attribute *a = &x->body.attrs[j];
      if (strcmp(a->name, "create_before_destroy") == 0 ||
          strcmp(a->name, "prevent_destroy") == 0) {
        struct rc_value *v = rc_config__const(a->expr, ds);
        if (!v) continue;
        if (rc_value_kind(v) != RC_BOOL)
          rc_diags_add(ds, RC_DIAG_ERROR, &a->expr->range, "Invalid value",
                       "The argument \"%s\" must be true or false.", a->name);
        else if (a->name[0] == 'c')
          l->create_before_destroy = rc_value_bool_get(v);
        else
          l->prevent_destroy = rc_value_bool_get(v);
        rc_value_decref(v);
        continue;
      }
      bool ign = strcmp(a->name, "ignore_changes") == 0;
      if (!ign && strcmp(a->name, "replace_triggered_by") != 0) continue;
      const struct rc_expr *e = a->expr;
      const char *s;
      if (ign && ((e->kind == RC_E_VARIABLE && strcmp(e->u.var.name, "all") == 0) ||
                  (rc_config__const_string(e, &s) && strcmp(s, "all") == 0))) {
        l->ignore_all_changes = true;
        continue;
      }
      if (e->kind != RC_E_TUPLE) {
        rc_diags_add(ds, RC_DIAG_ERROR, &e->range, "Invalid expression",
                     "A static list expression is required.");
        continue;
      }
      for (size_t k = 0; k < e->u.tuple.n; k++) {
        const struct rc_expr *it = e->u.tuple.items[k];
        char *path = NULL;
        if (rc_config__const_string(it, &s))
          path = rc_strdup(s);
        else
          path = rc_config__traversal_addr(it);
        if (!path) {
          rc_diags_add(ds, RC_DIAG_ERROR, &it->range, "Invalid expression",
                       ign ? "ignore_changes must list attribute names, like tags or "
                             "tags[\"Name\"]."
                           : "replace_triggered_by must list references to managed resources.");
          continue;
        }
        if (ign) {
          l->ignore_changes = rc_realloc(l->ignore_changes, (l->nignore + 1) * sizeof(char *));
          l->ignore_changes[l->nignore++] = path;
        } else {
          l->replace_triggered_by = rc_realloc(l->replace_triggered_by,
                                               (l->nreplace_triggered_by + 1) * sizeof(char *));
          l->replace_triggered_by[l->nreplace_triggered_by++] = path;
        }
      }
    }
  }
}

/* --- cycles and order --- */

static bool find_cycle(struct rc_config *cfg, struct rc_diags *ds)
{
  size_t n = cfg->nnodes;
  unsigned char *color = rc_calloc(n + 1, 1);
  size_t *stack = rc_calloc(n + 1, sizeof *stack), *edge = rc_calloc(n + 1, sizeof *edge);
  bool found = false;
  for (size_t s = 0; s < n && !found; s++) {
    if (color[s]) continue;
    size_t sp = 0;
    stack[sp] = s;
    edge[sp] = 0;
    color[s] = 1;
    sp++;
    while (sp > 0 && !found) {
      size_t u = stack[sp - 1];
      if (edge[sp - 1] < cfg->nodes[u].ndeps) {
        size_t v = cfg->nodes[u].deps[edge[sp - 1]++];
        if (color[v] == 0) {
          color[v] = 1;
          stack[sp] = v;
          edge[sp] = 0;
          sp++;
        } else if (color[v] == 1) {
          size_t from = sp;
          while (from > 0 && stack[from - 1] != v) from--;
          from--;
          struct rc_buf b;
          rc_buf_init(&b, 64 * 1024);
          rc_buf_puts(&b, "Cycle: ");
          for (size_t i = from; i < sp; i++) rc_buf_printf(&b, "%s, ", cfg->nodes[stack[i]].addr);
          rc_buf_puts(&b, cfg->nodes[v].addr);
          rc_diags_add(ds, RC_DIAG_ERROR, &cfg->nodes[v].range, b.ptr,
                       "The references between these declarations form a cycle, so none of them "
                       "can be evaluated first. Remove one of the references to break it.");
          rc_buf_free(&b);
          found = true;
        }
      } else {
        color[u] = 2;
        sp--;
      }
    }
  }
  rc_free(color);
  rc_free(stack);
  rc_free(edge);
  return found;
}

static void heap_push(size_t *h, size_t *n, size_t v)
{
  size_t i = (*n)++;
  h[i] = v;
  while (i > 0 && h[(i - 1) / 2] > h[i]) {
    size_t p = (i - 1) / 2, t = h[p];
    h[p] = h[i];
    h[i] = t;
    i = p;
  }
}

static size_t heap_pop(size_t *h, size_t *n)
{
  size_t top = h[0];
  h[0] = h[--(*n)];
  size_t i = 0;
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    if (l < *n && h[l] < h[m]) m = l;
    if (r < *n && h[r] < h[m]) m = r;
    if (m == i) break;
    size_t t = h[m];
    h[m] = h[i];
    h[i] = t;
    i = m;
  }
  return top;
}

static void topo(struct rc_config *cfg)
{
  size_t n = cfg->nnodes;
  size_t *indeg = rc_calloc(n + 1, sizeof *indeg);
  size_t *rev_n = rc_calloc(n + 1, sizeof *rev_n);
  for (size_t i = 0; i < n; i++) {
    indeg[i] = cfg->nodes[i].ndeps;
    for (size_t j = 0; j < cfg->nodes[i].ndeps; j++) rev_n[cfg->nodes[i].deps[j]]++;
  }
  size_t **rev = rc_calloc(n + 1, sizeof *rev);
  size_t *fill = rc_calloc(n + 1, sizeof *fill);
  for (size_t i = 0; i < n; i++) rev[i] = rc_calloc(rev_n[i] + 1, sizeof **rev);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < cfg->nodes[i].ndeps; j++) {
      size_t d = cfg->nodes[i].deps[j];
      rev[d][fill[d]++] = i;
    }
  size_t *heap = rc_calloc(n + 1, sizeof *heap), hn = 0, out = 0;
  cfg->order = rc_calloc(n + 1, sizeof *cfg->order);
  for (size_t i = 0; i < n; i++)
    if (indeg[i] == 0) heap_push(heap, &hn, i);
  while (hn > 0) {
    size_t u = heap_pop(heap, &hn);
    cfg->order[out++] = u;
    for (size_t j = 0; j < rev_n[u]; j++)
      if (--indeg[rev[u][j]] == 0) heap_push(heap, &hn, rev[u][j]);
  }
  for (size_t i = 0; i < n; i++) rc_free(rev[i]);
  rc_free(rev);
  rc_free(fill);
  rc_free(heap);
  rc_free(indeg);
  rc_free(rev_n);
}

/* --- building --- */

static const struct rc_expr *body_attr(const struct rc_body *b, const char *name)
{
  for (size_t i = 0; i < b->nattrs; i++)
    if (strcmp(b->attrs[i].name, name) == 0) return b->attrs[i].expr;
  return NULL;
}

bool rc_config__build_nodes(struct rc_config *cfg, struct rc_diags *ds)
{
  size_t before = ds->errors;
  for (size_t mi = 0; mi < cfg->nmods; mi++) {
    struct rc_mod *m = cfg->mods[mi];
    if (!m->parent && m->provider)
      add_node(cfg, m, RC_CN_PROVIDER, "provider.aws", NULL, "aws", 0, &m->provider->range);
    for (size_t i = 0; i < m->nvars; i++) {
      char *a = rc_asprintf("var.%s", m->vars[i].name);
      m->vars[i].node = add_node(cfg, m, RC_CN_VARIABLE, a, NULL, m->vars[i].name, i,
                                 &m->vars[i].blk->range);
      rc_free(a);
    }
    for (size_t i = 0; i < m->nlocals; i++) {
      char *a = rc_asprintf("local.%s", m->locals[i].attr->name);
      m->locals[i].node = add_node(cfg, m, RC_CN_LOCAL, a, NULL, m->locals[i].attr->name, i,
                                   &m->locals[i].attr->range);
      rc_free(a);
    }
    for (size_t i = 0; i < m->noutputs; i++) {
      char *a = rc_asprintf("output.%s", m->outputs[i].name);
      m->outputs[i].node = add_node(cfg, m, RC_CN_OUTPUT, a, NULL, m->outputs[i].name, i,
                                    &m->outputs[i].blk->range);
      rc_free(a);
    }
    for (size_t i = 0; i < m->ncalls; i++) {
      char *a = rc_asprintf("module.%s", m->calls[i].name);
      m->calls[i].node = add_node(cfg, m, RC_CN_MODULE, a, NULL, m->calls[i].name, i,
                                  &m->calls[i].blk->range);
      rc_free(a);
    }
    for (size_t i = 0; i < m->nres; i++) {
      struct rc_rdecl *r = &m->res[i];
      char *a = rc_asprintf("%s%s.%s", r->data ? "data." : "", r->type, r->name);
      r->node = add_node(cfg, m, r->data ? RC_CN_DATA : RC_CN_RESOURCE, a, r->type, r->name, i,
                         &r->blk->range);
      rc_free(a);
    }
  }
  /* edges */
  for (size_t mi = 0; mi < cfg->nmods; mi++) {
    struct rc_mod *m = cfg->mods[mi];
    struct refw w = {.cfg = cfg, .mod = m, .ds = ds, .precise = true};
    size_t callnode = m->call ? m->call->node : (size_t)-1;
    if (!m->parent && m->provider) {
      for (size_t i = 0; i < cfg->nnodes; i++)
        if (cfg->nodes[i].kind == RC_CN_PROVIDER) w.node = i;
      size_t from = ds->n;
      walk_body(&w, &m->provider->body, false);
      rc_diags_set_context(ds, from, "provider \"aws\"");
    }
    for (size_t i = 0; i < m->nvars; i++) {
      struct rc_vdecl *v = &m->vars[i];
      w.node = v->node;
      if (m->call) {
        add_dep(cfg, v->node, callnode, false);
        /* precise deps: the input expression in the calling module */
        struct refw pw = w;
        pw.mod = m->parent;
        pw.in_count = m->call->count != NULL;
        pw.in_each = m->call->for_each != NULL;
        const struct rc_expr *in = body_attr(&m->call->blk->body, v->name);
        size_t n0 = cfg->nodes[v->node].ndeps;
        (void)n0;
        if (in) {
          /* errors were reported on the call node already */
          struct rc_diags scratch = {0};
          pw.ds = &scratch;
          walk(&pw, in);
          walk(&pw, m->call->count);
          walk(&pw, m->call->for_each);
          rc_diags_free(&scratch);
        }
      }
      for (size_t k = 0; k < v->nvalidations; k++)
        walk_body(&w, &v->validations[k]->body, false);
    }
    for (size_t i = 0; i < m->nlocals; i++) {
      w.node = m->locals[i].node;
      size_t from = ds->n;
      walk(&w, m->locals[i].attr->expr);
      rc_diags_set_context(ds, from, "locals");
      if (m->call) add_dep(cfg, w.node, callnode, false);
    }
    for (size_t i = 0; i < m->noutputs; i++) {
      struct rc_odecl *o = &m->outputs[i];
      w.node = o->node;
      size_t from = ds->n;
      walk(&w, o->value);
      walk_depends_on(&w, body_attr(&o->blk->body, "depends_on"));
      for (size_t j = 0; j < o->blk->body.nblocks; j++)
        if (strcmp(o->blk->body.blocks[j].type, "precondition") == 0)
          walk_body(&w, &o->blk->body.blocks[j].body, false);
      char ctx[300];
      snprintf(ctx, sizeof ctx, "output \"%s\"", o->name);
      rc_diags_set_context(ds, from, ctx);
      if (m->call) add_dep(cfg, w.node, callnode, false);
    }
    for (size_t i = 0; i < m->ncalls; i++) {
      struct rc_mcall *c = &m->calls[i];
      w.node = c->node;
      w.in_count = c->count != NULL;
      w.in_each = c->for_each != NULL;
      size_t from = ds->n;
      const struct rc_body *b = &c->blk->body;
      struct refw cw = w;
      cw.in_count = cw.in_each = false; /* count/for_each cannot refer to themselves */
      walk(&cw, c->count);
      walk(&cw, c->for_each);
      for (size_t j = 0; j < b->nattrs; j++) {
        const char *an = b->attrs[j].name;
        if (strcmp(an, "count") == 0 || strcmp(an, "for_each") == 0 ||
            strcmp(an, "source") == 0 || strcmp(an, "version") == 0 ||
            strcmp(an, "providers") == 0)
          continue;
        if (strcmp(an, "depends_on") == 0)
          walk_depends_on(&w, b->attrs[j].expr);
        else
          walk(&w, b->attrs[j].expr);
      }
      char ctx[300];
      snprintf(ctx, sizeof ctx, "module \"%s\"", c->name);
      rc_diags_set_context(ds, from, ctx);
      if (m->call) add_dep(cfg, w.node, callnode, false);
      w.in_count = w.in_each = false;
    }
    for (size_t i = 0; i < m->nres; i++) {
      struct rc_rdecl *r = &m->res[i];
      w.node = r->node;
      size_t from = ds->n;
      struct refw cw = w;
      walk(&cw, r->count);
      walk(&cw, r->for_each);
      w.in_count = r->count != NULL;
      w.in_each = r->for_each != NULL;
      /* count/for_each themselves are walked above: skip them in the body */
      struct rc_body tmp = r->blk->body;
      struct rc_attribute *attrs = rc_calloc(tmp.nattrs + 1, sizeof *attrs);
      size_t na = 0;
      for (size_t j = 0; j < tmp.nattrs; j++)
        if (strcmp(tmp.attrs[j].name, "count") && strcmp(tmp.attrs[j].name, "for_each"))
          attrs[na++] = tmp.attrs[j];
      tmp.attrs = attrs;
      tmp.nattrs = na;
      walk_body(&w, &tmp, true);
      rc_free(attrs);
      read_lifecycle(cfg, r->node, r->blk, ds);
      char ctx[600];
      snprintf(ctx, sizeof ctx, "%s \"%s\" \"%s\"", r->data ? "data" : "resource", r->type,
               r->name);
      rc_diags_set_context(ds, from, ctx);
      if (m->call) add_dep(cfg, w.node, callnode, false);
      w.in_count = w.in_each = false;
    }
  }
  if (ds->errors > before) return false;
  /* module depends_on reaches every resource inside the module */
  for (size_t mi = 0; mi < cfg->nmods; mi++) {
    struct rc_mod *m = cfg->mods[mi];
    if (!m->call) continue;
    const struct rc_expr *d = body_attr(&m->call->blk->body, "depends_on");
    if (!d) continue;
    struct rc_cnode *cn = &cfg->nodes[m->call->node];
    for (size_t i = 0; i < m->nres; i++)
      for (size_t j = 0; j < cn->ndeps; j++) {
        enum rc_cnode_kind k = cfg->nodes[cn->deps[j]].kind;
        if (k == RC_CN_RESOURCE || k == RC_CN_DATA || k == RC_CN_OUTPUT)
          add_dep(cfg, m->res[i].node, cn->deps[j], true);
      }
  }
  if (find_cycle(cfg, ds)) return false;
  topo(cfg);
  return true;
}
