/* evaluate — what expressions see (the scope lookup for var, local, module,
 * data, resources, count, each, path, terraform), count/for_each expansion of
 * module calls and resources into instances, node evaluation, outputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_int.h"
#include "rc_alloc.h"
#include "rc_buf.h"
#include "rc_limits.h"
#include "types.h"

/* --- the value store: open addressing on FNV-1a --- */

static uint64_t fnv(const char *s)
{
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

struct rc_value *rc_store__get(struct rc_store *s, const char *key)
{
  if (!s->cap) return NULL;
  for (size_t i = fnv(key) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
    if (!s->ents[i].key) return NULL;
    if (strcmp(s->ents[i].key, key) == 0) return s->ents[i].val;
  }
}

void rc_store__put(struct rc_store *s, const char *key, struct rc_value *steal)
{
  if ((s->n + 1) * 2 > s->cap) {
    size_t ncap = s->cap ? s->cap * 2 : 64;
    struct rc_store_ent *ne = rc_calloc(ncap, sizeof *ne);
    for (size_t i = 0; i < s->cap; i++)
      if (s->ents[i].key) {
        size_t j = fnv(s->ents[i].key) & (ncap - 1);
        while (ne[j].key) j = (j + 1) & (ncap - 1);
        ne[j] = s->ents[i];
      }
    rc_free(s->ents);
    s->ents = ne;
    s->cap = ncap;
  }
  size_t i = fnv(key) & (s->cap - 1);
  while (s->ents[i].key && strcmp(s->ents[i].key, key) != 0) i = (i + 1) & (s->cap - 1);
  if (s->ents[i].key) {
    rc_value_decref(s->ents[i].val);
  } else {
    s->ents[i].key = rc_strdup(key);
    s->n++;
  }
  s->ents[i].val = steal;
}

void rc_store__free(struct rc_store *s)
{
  for (size_t i = 0; i < s->cap; i++) {
    rc_free(s->ents[i].key);
    rc_value_decref(s->ents[i].val);
  }
  rc_free(s->ents);
  memset(s, 0, sizeof *s);
}

static struct rc_value *store_ref(struct rc_config *cfg, struct rc_store *s, const char *key)
{
  pthread_mutex_lock(&cfg->lock);
  struct rc_value *v = rc_store__get(s, key);
  if (v) rc_value_incref(v);
  pthread_mutex_unlock(&cfg->lock);
  return v;
}

static void store_set(struct rc_config *cfg, struct rc_store *s, const char *key,
                      struct rc_value *steal)
{
  pthread_mutex_lock(&cfg->lock);
  rc_store__put(s, key, steal);
  pthread_mutex_unlock(&cfg->lock);
}

static char *vkey(const char *modinst, const char *kind, const char *name)
{
  return rc_asprintf("%s|%s.%s", modinst, kind, name);
}

/* --- addresses --- */

static void key_suffix(struct rc_buf *b, const struct rc_value *k)
{
  if (!k) return;
  if (rc_value_kind(k) == RC_STRING) {
    rc_buf_putc(b, '[');
    rc_value_render(k, b);
    rc_buf_putc(b, ']');
  } else if (rc_value_kind(k) == RC_NUMBER) {
    char num[64];
    rc_value_format_number(k, num, sizeof num);
    rc_buf_printf(b, "[%s]", num);
  } else {
    rc_buf_puts(b, "[*]");
  }
}

static char *inst_addr(const char *modinst, const struct rc_rdecl *r, const struct rc_value *k)
{
  struct rc_buf b;
  rc_buf_init(&b, 0);
  if (modinst[0]) rc_buf_printf(&b, "%s.", modinst);
  rc_buf_printf(&b, "%s%s.%s", r->data ? "data." : "", r->type, r->name);
  key_suffix(&b, k);
  return rc_buf_detach(&b);
}

static long inst_index(const struct rc_mod *m, const char *modinst)
{
  for (size_t i = 0; i < m->ninsts; i++)
    if (strcmp(m->insts[i].addr, modinst) == 0) return (long)i;
  return -1;
}

/* --- values of resources and module calls --- */

static struct rc_value *resource_value(struct rc_config *cfg, const struct rc_mod *m,
                                       const struct rc_rdecl *r, const char *modinst)
{
  long ii = inst_index(m, modinst);
  if (ii < 0 || !r->exp || (size_t)ii >= r->nexp) return rc_value_unknown();
  const struct rc_expansion *x = &r->exp[ii];
  if (x->unknown) return rc_value_unknown();
  if (x->mode == RC_EXP_SINGLE) {
    char *a = inst_addr(modinst, r, NULL);
    struct rc_value *v = store_ref(cfg, &cfg->instvals, a);
    rc_free(a);
    return v ? v : rc_value_unknown();
  }
  struct rc_value *out = x->mode == RC_EXP_COUNT ? rc_value_seq_new(RC_TUPLE)
                                                 : rc_value_obj_new(RC_OBJECT);
  for (size_t i = 0; i < x->n; i++) {
    char *a = inst_addr(modinst, r, x->keys[i]);
    struct rc_value *v = store_ref(cfg, &cfg->instvals, a);
    rc_free(a);
    if (!v) v = rc_value_unknown();
    if (x->mode == RC_EXP_COUNT)
      rc_value_seq_push(out, v);
    else
      rc_value_obj_put(out, rc_value_str(x->keys[i]), v);
  }
  return out;
}

static struct rc_value *module_outputs(struct rc_config *cfg, const struct rc_mod *child,
                                       const char *childinst)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  for (size_t i = 0; i < child->noutputs; i++) {
    char *k = vkey(childinst, "output", child->outputs[i].name);
    struct rc_value *v = store_ref(cfg, &cfg->values, k);
    rc_free(k);
    rc_value_obj_put(o, child->outputs[i].name, v ? v : rc_value_unknown());
  }
  return o;
}

static char *child_inst_addr(const char *modinst, const char *name, const struct rc_value *k)
{
  struct rc_buf b;
  rc_buf_init(&b, 0);
  if (modinst[0]) rc_buf_printf(&b, "%s.", modinst);
  rc_buf_printf(&b, "module.%s", name);
  key_suffix(&b, k);
  return rc_buf_detach(&b);
}

static struct rc_value *module_value(struct rc_config *cfg, const struct rc_mod *m,
                                     const struct rc_mcall *c, const char *modinst)
{
  long ii = inst_index(m, modinst);
  if (ii < 0 || !c->exp || (size_t)ii >= c->nexp || !c->child) return rc_value_unknown();
  const struct rc_expansion *x = &c->exp[ii];
  if (x->unknown) return rc_value_unknown();
  if (x->mode == RC_EXP_SINGLE) {
    char *a = child_inst_addr(modinst, c->name, NULL);
    struct rc_value *v = module_outputs(cfg, c->child, a);
    rc_free(a);
    return v;
  }
  struct rc_value *out = x->mode == RC_EXP_COUNT ? rc_value_seq_new(RC_TUPLE)
                                                 : rc_value_obj_new(RC_OBJECT);
  for (size_t i = 0; i < x->n; i++) {
    char *a = child_inst_addr(modinst, c->name, x->keys[i]);
    struct rc_value *v = module_outputs(cfg, c->child, a);
    rc_free(a);
    if (x->mode == RC_EXP_COUNT)
      rc_value_seq_push(out, v);
    else
      rc_value_obj_put(out, rc_value_str(x->keys[i]), v);
  }
  return out;
}

/* --- the scope lookup --- */

static struct rc_value *wrap1(const char *name, struct rc_value *steal)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  rc_value_obj_put(o, name, steal);
  return o;
}

static struct rc_value *named_values(struct rc_config *cfg, const struct rc_env *env,
                                     const char *kind, const char *want)
{
  struct rc_mod *m = env->mod;
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  bool isvar = kind[0] == 'v';
  size_t n = isvar ? m->nvars : m->nlocals;
  for (size_t i = 0; i < n; i++) {
    const char *name = isvar ? m->vars[i].name : m->locals[i].attr->name;
    if (want && strcmp(want, name) != 0) continue;
    char *k = vkey(env->modinst, kind, name);
    struct rc_value *v = store_ref(cfg, &cfg->values, k);
    rc_free(k);
    rc_value_obj_put(o, name, v ? v : rc_value_unknown());
  }
  return o;
}

static struct rc_value *lookup(void *ud, const char *root, const struct rc_expr *ref,
                               const struct rc_range *range, struct rc_diags *ds)
{
  const struct rc_env *env = ud;
  struct rc_config *cfg = env->cfg;
  struct rc_mod *m = env->mod;
  const char *parts[4] = {0};
  char nums[4][24];
  size_t np = rc_eval_ref_parts(ref, parts, NULL, 4, nums);
  const char *p1 = np > 1 ? parts[1] : NULL;
  if (strcmp(root, "var") == 0 || strcmp(root, "local") == 0) {
    struct rc_value *o = named_values(cfg, env, root, p1);
    if (p1 && !rc_value_get(o, p1)) {
      rc_value_decref(o);
      rc_diags_add(ds, RC_DIAG_ERROR, range,
                   root[0] == 'v' ? "Reference to undeclared input variable"
                                  : "Reference to undeclared local value",
                   "\"%s.%s\" has not been declared in %s.", root, p1,
                   m->path[0] ? m->path : "the root module");
      return NULL;
    }
    return o;
  }
  if (strcmp(root, "module") == 0) {
    struct rc_value *o = rc_value_obj_new(RC_OBJECT);
    for (size_t i = 0; i < m->ncalls; i++)
      if (!p1 || strcmp(p1, m->calls[i].name) == 0)
        rc_value_obj_put(o, m->calls[i].name, module_value(cfg, m, &m->calls[i], env->modinst));
    return o;
  }
  if (strcmp(root, "count") == 0) {
    if (!env->count_index) {
      rc_diags_add(ds, RC_DIAG_ERROR, range, "Reference to \"count\" in non-counted context",
                   "The \"count\" object can only be used in \"module\", \"resource\", and "
                   "\"data\" blocks, and only when the \"count\" argument is set.");
      return NULL;
    }
    return wrap1("index", rc_value_incref(env->count_index));
  }
  if (strcmp(root, "each") == 0) {
    if (!env->each_key) {
      rc_diags_add(ds, RC_DIAG_ERROR, range, "Reference to \"each\" in context without for_each",
                   "The \"each\" object can be used only in \"module\" or \"resource\" blocks, "
                   "and only when the \"for_each\" argument is set.");
      return NULL;
    }
    struct rc_value *o = wrap1("key", rc_value_incref(env->each_key));
    rc_value_obj_put(o, "value", rc_value_incref(env->each_val));
    return o;
  }
  if (strcmp(root, "path") == 0) {
    struct rc_value *o = rc_value_obj_new(RC_OBJECT);
    rc_value_obj_put(o, "module", rc_value_string(m->shown[0] ? m->shown : "."));
    rc_value_obj_put(o, "root", rc_value_string("."));
    char cwd[4096];
    rc_value_obj_put(o, "cwd", rc_value_string(getcwd(cwd, sizeof cwd) ? cwd : "."));
    return o;
  }
  if (strcmp(root, "terraform") == 0) {
    const char *ws = getenv("RECON_WORKSPACE");
    return wrap1("workspace", rc_value_string(ws && *ws ? ws : "default"));
  }
  if (strcmp(root, "self") == 0) {
    rc_diags_add(ds, RC_DIAG_ERROR, range, "Invalid \"self\" reference",
                 "The \"self\" object is not available in this context. This object can be used "
                 "only in resource provisioner and connection blocks.");
    return NULL;
  }
  bool data = strcmp(root, "data") == 0;
  const char *type = data ? p1 : root;
  const char *name = data ? (np > 2 ? parts[2] : NULL) : p1;
  struct rc_value *byname = rc_value_obj_new(RC_OBJECT);
  bool any = false;
  for (size_t i = 0; i < m->nres; i++) {
    const struct rc_rdecl *r = &m->res[i];
    if (r->data != data || !type || strcmp(r->type, type) != 0) continue;
    if (name && strcmp(r->name, name) != 0) continue;
    rc_value_obj_put(byname, r->name, resource_value(cfg, m, r, env->modinst));
    any = true;
  }
  if (!any) {
    rc_value_decref(byname);
    rc_diags_add(ds, RC_DIAG_ERROR, range, "Reference to undeclared resource",
                 "A %s resource \"%s\" \"%s\" has not been declared in %s.",
                 data ? "data" : "managed", type ? type : "", name ? name : "",
                 m->path[0] ? m->path : "the root module");
    return NULL;
  }
  return data ? wrap1(type, byname) : byname;
}

void rc_config__root_scope(const struct rc_env *env, struct rc_scope *scope)
{
  memset(scope, 0, sizeof *scope);
  scope->lookup = lookup;
  scope->ud = (void *)env;
  /* Terraform resolves relative paths in file(), templatefile()... from the
   * root module's directory (where it runs), not the calling module's: child
   * modules write "${path.module}/x", and path.module is relative to the root. */
  scope->base_dir = env->cfg->dir;
  scope->plan_time = env->plan_time;
}

struct rc_value *rc_config__eval(const struct rc_env *env, const struct rc_expr *e,
                                 struct rc_diags *ds)
{
  struct rc_scope scope;
  rc_config__root_scope(env, &scope);
  return rc_eval(e, &scope, ds);
}

/* --- expansion --- */

static bool expand(const struct rc_env *env, const struct rc_expr *count,
                   const struct rc_expr *for_each, struct rc_expansion *x, struct rc_diags *ds)
{
  memset(x, 0, sizeof *x);
  if (!count && !for_each) {
    x->mode = RC_EXP_SINGLE;
    return true;
  }
  const struct rc_expr *e = count ? count : for_each;
  struct rc_value *v = rc_config__eval(env, e, ds);
  if (!v) return false;
  x->mode = count ? RC_EXP_COUNT : RC_EXP_FOR_EACH;
  bool ok = false;
  const char *sum = count ? "Invalid count argument" : "Invalid for_each argument";
  if (rc_value_has_sensitive(v)) {
    rc_diags_add(ds, RC_DIAG_ERROR, &e->range, sum,
                 "Sensitive values, or values derived from sensitive values, cannot be used as "
                 "%s arguments. If used, the sensitive value could be exposed as a resource "
                 "instance key.",
                 count ? "count" : "for_each");
    goto out;
  }
  bool unknown = !rc_value_is_wholly_known(v);
  if (rc_value_is_obj(v)) unknown = false; /* keys of a map are always known */
  if (unknown) {
    if (env->cfg->validate_only) {
      x->unknown = true;
      ok = true;
      goto out;
    }
    if (count)
      rc_diags_add(ds, RC_DIAG_ERROR, &e->range, sum,
                   "The \"count\" value depends on resource attributes that cannot be determined "
                   "until apply, so recon cannot predict how many instances will be created. To "
                   "work around this, use -target to first apply only the resources that the "
                   "count depends on.");
    else
      rc_diags_add(ds, RC_DIAG_ERROR, &e->range, sum,
                   "The \"for_each\" %s includes keys derived from resource attributes that "
                   "cannot be determined until apply, and so recon cannot determine the full set "
                   "of keys that will identify the instances of this resource. Use a map with "
                   "keys known in the configuration instead.",
                   rc_value_is_seq(v) ? "set" : "value");
    goto out;
  }
  if (rc_value_is_null(v)) {
    rc_diags_add(ds, RC_DIAG_ERROR, &e->range, sum,
                 count ? "The given \"count\" argument value is null. An integer is required."
                       : "The given \"for_each\" argument value is null. A map, or set of "
                         "strings is allowed.");
    goto out;
  }
  if (count) {
    struct rc_value *n = NULL;
    if (rc_value_kind(v) == RC_NUMBER) n = rc_value_incref(v);
    else if (rc_value_kind(v) == RC_STRING) {
      char *end;
      long long ll = strtoll(rc_value_str(v), &end, 10);
      if (*end == '\0' && rc_value_strlen(v) > 0) n = rc_value_int(ll);
    }
    if (!n || !rc_value_is_int(n)) {
      rc_diags_add(ds, RC_DIAG_ERROR, &e->range, sum,
                   "The given \"count\" argument value is unsuitable: %s.",
                   n ? "the value must be a whole number" : "a number is required");
      rc_value_decref(n);
      goto out;
    }
    int64_t c = rc_value_int_get(n);
    rc_value_decref(n);
    if (c < 0 || c > RC_LIMIT_COUNT) {
      rc_diags_add(ds, RC_DIAG_ERROR, &e->range, sum,
                   c < 0 ? "The given \"count\" argument value is unsuitable: must be greater "
                           "than or equal to zero."
                         : "The given \"count\" argument value is too large (at most %d).",
                   RC_LIMIT_COUNT);
      goto out;
    }
    x->n = (size_t)c;
    x->keys = rc_calloc(x->n + 1, sizeof *x->keys);
    for (size_t i = 0; i < x->n; i++) x->keys[i] = rc_value_int((int64_t)i);
    ok = true;
    goto out;
  }
  if (rc_value_is_obj(v)) {
    x->n = rc_value_len(v);
    x->keys = rc_calloc(x->n + 1, sizeof *x->keys);
    x->vals = rc_calloc(x->n + 1, sizeof *x->vals);
    for (size_t i = 0; i < x->n; i++) {
      x->keys[i] = rc_value_string(rc_value_key(v, i));
      x->vals[i] = rc_value_incref(rc_value_index(v, i));
    }
    ok = true;
  } else if (rc_value_kind(v) == RC_SET) {
    for (size_t i = 0; i < rc_value_len(v); i++)
      if (rc_value_kind(rc_value_index(v, i)) != RC_STRING) {
        rc_diags_add(ds, RC_DIAG_ERROR, &e->range, sum,
                     "The given \"for_each\" argument value is unsuitable: \"for_each\" supports "
                     "maps and sets of strings, but you have provided a set containing type %s.",
                     rc_value_kind_name(rc_value_kind(rc_value_index(v, i))));
        goto out;
      }
    x->n = rc_value_len(v);
    x->keys = rc_calloc(x->n + 1, sizeof *x->keys);
    x->vals = rc_calloc(x->n + 1, sizeof *x->vals);
    for (size_t i = 0; i < x->n; i++) {
      x->keys[i] = rc_value_incref(rc_value_index(v, i));
      x->vals[i] = rc_value_incref(rc_value_index(v, i));
    }
    ok = true;
  } else {
    rc_diags_add(ds, RC_DIAG_ERROR, &e->range, sum,
                 "The given \"for_each\" argument value is unsuitable: the \"for_each\" argument "
                 "must be a map, or set of strings, and you have provided a value of type %s.",
                 rc_value_kind_name(rc_value_kind(v)));
  }
  if (ok && x->n > RC_LIMIT_COUNT) {
    rc_diags_add(ds, RC_DIAG_ERROR, &e->range, sum, "Too many instances (at most %d).",
                 RC_LIMIT_COUNT);
    ok = false;
  }
out:
  rc_value_decref(v);
  return ok;
}

static void env_for(struct rc_env *env, const struct rc_expansion *x, size_t i)
{
  env->count_index = env->each_key = env->each_val = NULL;
  if (x->unknown) {
    env->count_index = env->each_key = env->each_val = rc_value_unknown();
    return;
  }
  if (x->mode == RC_EXP_COUNT) env->count_index = x->keys[i];
  if (x->mode == RC_EXP_FOR_EACH) {
    env->each_key = x->keys[i];
    env->each_val = x->vals[i];
  }
}

/* --- node evaluation --- */

static void set_modinst_env(struct rc_env *env, struct rc_config *cfg, struct rc_mod *m,
                            size_t ii, bool plan_time)
{
  memset(env, 0, sizeof *env);
  env->cfg = cfg;
  env->mod = m;
  env->modinst = m->insts[ii].addr;
  env->plan_time = plan_time;
}

static void ensure_root_inst(struct rc_mod *root)
{
  if (root->expanded) return;
  root->insts = rc_calloc(1, sizeof *root->insts);
  root->insts[0].addr = rc_strdup("");
  root->insts[0].parent = rc_strdup("");
  root->ninsts = 1;
  root->expanded = true;
}

bool rc_config__validate_var(struct rc_config *cfg, struct rc_mod *m, const char *modinst,
                             const struct rc_vdecl *v, const struct rc_value *val,
                             struct rc_diags *ds)
{
  (void)val;
  struct rc_env env = {.cfg = cfg, .mod = m, .modinst = modinst};
  bool ok = true;
  for (size_t i = 0; i < v->nvalidations; i++) {
    const struct rc_body *b = &v->validations[i]->body;
    const struct rc_expr *cond = NULL, *msg = NULL;
    for (size_t j = 0; j < b->nattrs; j++) {
      if (strcmp(b->attrs[j].name, "condition") == 0) cond = b->attrs[j].expr;
      if (strcmp(b->attrs[j].name, "error_message") == 0) msg = b->attrs[j].expr;
    }
    struct rc_value *c = rc_config__eval(&env, cond, ds);
    if (!c) {
      ok = false;
      continue;
    }
    if (!rc_value_is_known(c)) {
      rc_value_decref(c);
      continue;
    }
    if (rc_value_kind(c) != RC_BOOL) {
      rc_diags_add(ds, RC_DIAG_ERROR, &cond->range, "Invalid validation result",
                   "The validation condition must be true or false.");
      rc_value_decref(c);
      ok = false;
      continue;
    }
    bool pass = rc_value_bool_get(c);
    rc_value_decref(c);
    if (pass) continue;
    struct rc_value *mv = rc_config__eval(&env, msg, ds);
    const char *text = mv && rc_value_kind(mv) == RC_STRING && !rc_value_is_sensitive(mv)
                           ? rc_value_str(mv)
                           : "(the error message could not be shown)";
    char *where = rc_config__where(&v->validations[i]->range);
    rc_diags_add(ds, RC_DIAG_ERROR, &v->blk->range, "Invalid value for variable",
                 "%s\n\nThis was checked by the validation rule at %s.", text, where);
    rc_free(where);
    rc_value_decref(mv);
    ok = false;
  }
  return ok;
}

/* Checks the precondition blocks among blocks[0..n) (Terraform's custom
 * conditions): a false condition is an error with summary and the block's
 * error_message; an unknown one is checked later (at apply, by Terraform). */
static bool check_preconditions(const struct rc_env *env, const struct rc_block *blocks,
                                size_t n, const char *summary, struct rc_diags *ds)
{
  bool ok = true;
  for (size_t i = 0; i < n; i++) {
    if (strcmp(blocks[i].type, "precondition") != 0) continue;
    const struct rc_body *b = &blocks[i].body;
    const struct rc_expr *cond = NULL, *msg = NULL;
    for (size_t j = 0; j < b->nattrs; j++) {
      if (strcmp(b->attrs[j].name, "condition") == 0) cond = b->attrs[j].expr;
      if (strcmp(b->attrs[j].name, "error_message") == 0) msg = b->attrs[j].expr;
    }
    if (!cond || !msg) {
      rc_diags_add(ds, RC_DIAG_ERROR, &blocks[i].type_range, "Missing required argument",
                   "A precondition block needs both \"condition\" and \"error_message\".");
      ok = false;
      continue;
    }
    struct rc_value *c = rc_config__eval(env, cond, ds);
    if (!c) {
      ok = false;
      continue;
    }
    if (!rc_value_is_known(c)) {
      rc_value_decref(c);
      continue;
    }
    if (rc_value_kind(c) != RC_BOOL) {
      rc_diags_add(ds, RC_DIAG_ERROR, &cond->range, "Invalid condition result",
                   rc_value_is_null(c) ? "Condition expression must return either true or "
                                         "false, not null."
                                       : "Invalid condition result value: a bool is required.");
      rc_value_decref(c);
      ok = false;
      continue;
    }
    bool pass = rc_value_bool_get(c);
    rc_value_decref(c);
    if (pass) continue;
    struct rc_value *mv = rc_config__eval(env, msg, ds);
    const char *text = mv && rc_value_kind(mv) == RC_STRING && !rc_value_is_sensitive(mv)
                           ? rc_value_str(mv)
                           : "(the error message could not be shown)";
    rc_diags_add(ds, RC_DIAG_ERROR, &cond->range, summary, "%s", text);
    rc_value_decref(mv);
    ok = false;
  }
  return ok;
}

static bool eval_variable(struct rc_config *cfg, struct rc_mod *m, struct rc_vdecl *v,
                          struct rc_diags *ds)
{
  bool ok = true;
  for (size_t ii = 0; ii < m->ninsts; ii++) {
    struct rc_modinst *mi = &m->insts[ii];
    struct rc_value *raw = NULL;
    const struct rc_range *rr = NULL;
    if (!m->parent) {
      for (size_t i = 0; i < cfg->nrootvars; i++)
        if (strcmp(cfg->rootvars[i].name, v->name) == 0 && cfg->rootvars[i].value)
          raw = rc_value_incref(cfg->rootvars[i].value);
    } else {
      const struct rc_attribute *in = NULL;
      const struct rc_body *cb = &m->call->blk->body;
      for (size_t i = 0; i < cb->nattrs; i++)
        if (strcmp(cb->attrs[i].name, v->name) == 0) in = &cb->attrs[i];
      if (in) {
        struct rc_env penv = {.cfg = cfg, .mod = m->parent, .modinst = mi->parent};
        struct rc_expansion fake = {0};
        if (m->call->count) {
          penv.count_index = mi->key;
        } else if (m->call->for_each) {
          penv.each_key = mi->key;
          penv.each_val = mi->each_val;
        }
        (void)fake;
        raw = rc_config__eval(&penv, in->expr, ds);
        if (!raw) {
          ok = false;
          continue;
        }
        rr = &in->expr->range;
      }
    }
    struct rc_value *val = rc_config__var_value(cfg, v, raw, rr, ds);
    rc_value_decref(raw);
    if (!val) {
      ok = false;
      continue;
    }
    char *k = vkey(mi->addr, "var", v->name);
    store_set(cfg, &cfg->values, k, rc_value_incref(val));
    rc_free(k);
    if (!rc_config__validate_var(cfg, m, mi->addr, v, val, ds)) ok = false;
    rc_value_decref(val);
  }
  return ok;
}

/* A node may be evaluated more than once (the provider's dependencies before
 * the plan, every node again at apply): what an earlier evaluation expanded
 * is dropped before the new one replaces it. */
static void free_expansions(struct rc_expansion *x, size_t n)
{
  for (size_t i = 0; x && i < n; i++) {
    for (size_t j = 0; j < x[i].n; j++) {
      rc_value_decref(x[i].keys[j]);
      if (x[i].vals) rc_value_decref(x[i].vals[j]);
    }
    rc_free(x[i].keys);
    rc_free(x[i].vals);
  }
  rc_free(x);
}

static void free_modinsts(struct rc_mod *m)
{
  for (size_t i = 0; i < m->ninsts; i++) {
    rc_free(m->insts[i].addr);
    rc_free(m->insts[i].parent);
    rc_value_decref(m->insts[i].key);
    rc_value_decref(m->insts[i].each_val);
  }
  rc_free(m->insts);
  m->insts = NULL;
  m->ninsts = 0;
}

static bool eval_module_call(struct rc_config *cfg, struct rc_mod *m, struct rc_mcall *c,
                             bool plan_time, struct rc_diags *ds)
{
  struct rc_mod *ch = c->child;
  if (!ch) return false;
  bool ok = true;
  /* the child's nodes depend on this one: none of them runs while its
   * instances are rebuilt */
  pthread_mutex_lock(&cfg->lock);
  free_expansions(c->exp, c->nexp);
  free_modinsts(ch);
  ch->expanded = false;
  c->exp = rc_calloc(m->ninsts + 1, sizeof *c->exp);
  c->nexp = m->ninsts;
  pthread_mutex_unlock(&cfg->lock);
  for (size_t ii = 0; ii < m->ninsts; ii++) {
    struct rc_env env;
    set_modinst_env(&env, cfg, m, ii, plan_time);
    struct rc_expansion *x = &c->exp[ii];
    if (!expand(&env, c->count, c->for_each, x, ds)) {
      ok = false;
      continue;
    }
    size_t n = x->mode == RC_EXP_SINGLE || x->unknown ? 1 : x->n;
    ch->insts = rc_realloc(ch->insts, (ch->ninsts + n + 1) * sizeof *ch->insts);
    for (size_t i = 0; i < n; i++) {
      struct rc_modinst *mi = &ch->insts[ch->ninsts++];
      memset(mi, 0, sizeof *mi);
      const struct rc_value *key =
          x->unknown ? rc_value_unknown() : x->mode == RC_EXP_SINGLE ? NULL : x->keys[i];
      mi->addr = child_inst_addr(m->insts[ii].addr, c->name, key);
      mi->parent = rc_strdup(m->insts[ii].addr);
      mi->key = key ? rc_value_incref(key) : NULL;
      if (x->unknown)
        mi->each_val = rc_value_unknown();
      else if (x->vals)
        mi->each_val = rc_value_incref(x->vals[i]);
    }
  }
  ch->expanded = true;
  return ok;
}

static bool eval_resource(struct rc_config *cfg, struct rc_mod *m, struct rc_rdecl *r,
                          size_t node, bool plan_time, struct rc_instance_list *out,
                          struct rc_diags *ds)
{
  bool ok = true;
  struct rc_expansion *exps = rc_calloc(m->ninsts + 1, sizeof *exps);
  for (size_t ii = 0; ii < m->ninsts; ii++) {
    struct rc_env env;
    set_modinst_env(&env, cfg, m, ii, plan_time);
    struct rc_expansion *x = &exps[ii];
    if (!expand(&env, r->count, r->for_each, x, ds)) {
      ok = false;
      continue;
    }
    size_t n = x->mode == RC_EXP_SINGLE || x->unknown ? 1 : x->n;
    for (size_t i = 0; i < n; i++) {
      env_for(&env, x, i);
      struct rc_scope scope;
      rc_config__root_scope(&env, &scope);
      const struct rc_block *lc = NULL;
      for (size_t b = 0; b < r->blk->body.nblocks; b++)
        if (strcmp(r->blk->body.blocks[b].type, "lifecycle") == 0) lc = &r->blk->body.blocks[b];
      if (lc && !check_preconditions(&env, lc->body.blocks, lc->body.nblocks,
                                     "Resource precondition failed", ds)) {
        ok = false;
        continue;
      }
      struct rc_value *timeouts = NULL;
      struct rc_value *obj = rc_config__body_object(&env, &scope, &r->blk->body, true,
                                                    &timeouts, ds);
      if (!obj) {
        rc_value_decref(timeouts);
        ok = false;
        continue;
      }
      if (!out) {
        rc_value_decref(obj);
        rc_value_decref(timeouts);
        continue;
      }
      if (out->n == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 16;
        out->items = rc_realloc(out->items, out->cap * sizeof *out->items);
      }
      struct rc_instance *in = &out->items[out->n++];
      memset(in, 0, sizeof *in);
      const struct rc_value *key =
          x->unknown ? rc_value_unknown() : x->mode == RC_EXP_SINGLE ? NULL : x->keys[i];
      in->address = inst_addr(m->insts[ii].addr, r, key);
      in->node_addr = rc_strdup(cfg->nodes[node].addr);
      in->module_instance = rc_strdup(m->insts[ii].addr);
      in->node = node;
      in->type = cfg->nodes[node].type;
      in->data = r->data;
      in->key = key ? rc_value_incref(key) : NULL;
      in->config = obj;
      in->timeouts = timeouts;
      in->lifecycle = &cfg->nodes[node].lifecycle;
      in->range = r->blk->range;
    }
  }
  pthread_mutex_lock(&cfg->lock);
  free_expansions(r->exp, r->nexp);
  r->exp = exps;
  r->nexp = m->ninsts;
  pthread_mutex_unlock(&cfg->lock);
  return ok;
}

bool rc_config_eval_node(struct rc_config *cfg, size_t i, bool plan_time,
                         struct rc_instance_list *out, struct rc_diags *ds)
{
  const struct rc_cnode *n = &cfg->nodes[i];
  struct rc_mod *m = cfg->info[i].mod;
  size_t idx = cfg->info[i].idx;
  ensure_root_inst(cfg->mods[0]);
  if (!m->expanded) return true; /* the module call failed: reported there */
  size_t from = ds->n;
  bool ok = true;
  char ctx[600];
  ctx[0] = '\0';
  switch (n->kind) {
  case RC_CN_VARIABLE:
    ok = eval_variable(cfg, m, &m->vars[idx], ds);
    snprintf(ctx, sizeof ctx, "variable \"%s\"", n->name);
    break;
  case RC_CN_LOCAL:
    for (size_t ii = 0; ii < m->ninsts; ii++) {
      struct rc_env env;
      set_modinst_env(&env, cfg, m, ii, plan_time);
      struct rc_value *v = rc_config__eval(&env, m->locals[idx].attr->expr, ds);
      if (!v) {
        ok = false;
        continue;
      }
      char *k = vkey(env.modinst, "local", n->name);
      store_set(cfg, &cfg->values, k, v);
      rc_free(k);
    }
    snprintf(ctx, sizeof ctx, "locals");
    break;
  case RC_CN_OUTPUT: {
    const struct rc_odecl *o = &m->outputs[idx];
    for (size_t ii = 0; ii < m->ninsts; ii++) {
      struct rc_env env;
      set_modinst_env(&env, cfg, m, ii, plan_time);
      if (!check_preconditions(&env, o->blk->body.blocks, o->blk->body.nblocks,
                               "Module output value precondition failed", ds)) {
        ok = false;
        continue;
      }
      struct rc_value *v = rc_config__eval(&env, o->value, ds);
      if (!v) {
        ok = false;
        continue;
      }
      if (o->sensitive) {
        struct rc_value *mk = rc_value_mark_sensitive(v);
        rc_value_decref(v);
        v = mk;
      } else if (!m->parent && rc_value_has_sensitive(v)) {
        rc_diags_add(ds, RC_DIAG_ERROR, &o->value->range, "Output refers to sensitive values",
                     "To reduce the risk of accidentally exporting sensitive data that was "
                     "intended to be only internal, recon requires that any root module output "
                     "containing sensitive data be explicitly marked as sensitive, to confirm "
                     "your intent.\n\nIf you do intend to export this data, annotate the output "
                     "value as sensitive by adding the following argument:\n    sensitive = true");
        rc_value_decref(v);
        ok = false;
        continue;
      }
      char *k = vkey(env.modinst, "output", n->name);
      store_set(cfg, &cfg->values, k, v);
      rc_free(k);
    }
    snprintf(ctx, sizeof ctx, "output \"%s\"", n->name);
    break;
  }
  case RC_CN_MODULE:
    ok = eval_module_call(cfg, m, &m->calls[idx], plan_time, ds);
    snprintf(ctx, sizeof ctx, "module \"%s\"", n->name);
    break;
  case RC_CN_RESOURCE:
  case RC_CN_DATA:
    ok = eval_resource(cfg, m, &m->res[idx], i, plan_time, out, ds);
    snprintf(ctx, sizeof ctx, "%s \"%s\" \"%s\"", n->kind == RC_CN_DATA ? "data" : "resource",
             n->type, n->name);
    break;
  case RC_CN_PROVIDER: {
    struct rc_env env;
    set_modinst_env(&env, cfg, m, 0, plan_time);
    struct rc_scope scope;
    rc_config__root_scope(&env, &scope);
    struct rc_value *v = rc_config__body_object(&env, &scope, &m->provider->body, false, NULL, ds);
    if (!v) {
      ok = false;
    } else {
      rc_value_decref(cfg->provider_val);
      cfg->provider_val = v;
    }
    snprintf(ctx, sizeof ctx, "provider \"aws\"");
    break;
  }
  }
  if (ctx[0]) rc_diags_set_context(ds, from, ctx);
  return ok;
}

/* --- results --- */

void rc_config_set_instance_value(struct rc_config *cfg, const char *address,
                                  struct rc_value *steal)
{
  store_set(cfg, &cfg->instvals, address, steal);
}

struct rc_value *rc_config_outputs(struct rc_config *cfg)
{
  struct rc_mod *root = cfg->mods[0];
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  for (size_t i = 0; i < root->noutputs; i++) {
    char *k = vkey("", "output", root->outputs[i].name);
    struct rc_value *v = store_ref(cfg, &cfg->values, k);
    rc_free(k);
    rc_value_obj_put(o, root->outputs[i].name, v ? v : rc_value_unknown());
  }
  return o;
}

const struct rc_value *rc_config_variables(const struct rc_config *cfg)
{
  struct rc_config *c = (struct rc_config *)cfg;
  struct rc_mod *root = c->mods[0];
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  for (size_t i = 0; i < root->nvars; i++) {
    char *k = vkey("", "var", root->vars[i].name);
    struct rc_value *v = store_ref(c, &c->values, k);
    rc_free(k);
    if (!v) {
      /* not evaluated yet: the raw value or the default */
      v = c->rootvars && c->rootvars[i].value ? rc_value_incref(c->rootvars[i].value)
          : root->vars[i].dflt_val            ? rc_value_incref(root->vars[i].dflt_val)
                                              : rc_value_null();
      if (root->vars[i].sensitive) {
        struct rc_value *m = rc_value_mark_sensitive(v);
        rc_value_decref(v);
        v = m;
      }
    }
    rc_value_obj_put(o, root->vars[i].name, v);
  }
  pthread_mutex_lock(&c->lock);
  rc_value_decref(c->root_vars_obj);
  c->root_vars_obj = o;
  pthread_mutex_unlock(&c->lock);
  return o;
}

size_t rc_config_imports(const struct rc_config *cfg, const char ***to, struct rc_value ***id)
{
  struct rc_config *c = (struct rc_config *)cfg;
  if (c->nimports) {
    ensure_root_inst(c->mods[0]);
    struct rc_env env = {.cfg = c, .mod = c->mods[0], .modinst = ""};
    for (size_t i = 0; i < c->nimports; i++) {
      if (c->import_id[i]) continue;
      struct rc_diags ds = {0};
      c->import_id[i] = rc_config__eval(&env, c->import_id_expr[i], &ds);
      if (!c->import_id[i]) c->import_id[i] = rc_value_unknown();
      rc_diags_free(&ds);
    }
  }
  if (to) *to = c->import_to;
  if (id) *id = c->import_id;
  return c->nimports;
}

void rc_instance_list_free(struct rc_instance_list *l)
{
  if (!l) return;
  for (size_t i = 0; i < l->n; i++) {
    struct rc_instance *in = &l->items[i];
    rc_free(in->address);
    rc_free(in->node_addr);
    rc_free(in->module_instance);
    rc_value_decref(in->key);
    rc_value_decref(in->config);
    rc_value_decref(in->timeouts);
  }
  rc_free(l->items);
  memset(l, 0, sizeof *l);
}

void rc_config_set_validate_only(struct rc_config *cfg, bool on) { cfg->validate_only = on; }

size_t rc_config_resource_deps(const struct rc_config *cfg, size_t node, size_t **out)
{
  /* breadth-first over the precise deps, stopping at resources and data */
  size_t n = cfg->nnodes, head = 0, tail = 0, nout = 0;
  bool *seen = rc_calloc(n + 1, sizeof *seen);
  size_t *queue = rc_calloc(n + 1, sizeof *queue);
  *out = rc_calloc(n + 1, sizeof **out);
  seen[node] = true;
  queue[tail++] = node;
  while (head < tail) {
    size_t u = queue[head++];
    const struct rc_nodeinfo *inf = &cfg->info[u];
    for (size_t j = 0; j < inf->nrefdeps; j++) {
      size_t d = inf->refdeps[j];
      if (seen[d]) continue;
      seen[d] = true;
      enum rc_cnode_kind k = cfg->nodes[d].kind;
      if (k == RC_CN_RESOURCE || k == RC_CN_DATA)
        (*out)[nout++] = d;
      else
        queue[tail++] = d;
    }
  }
  rc_free(seen);
  rc_free(queue);
  return nout;
}
