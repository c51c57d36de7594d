/* render_json — the plan in Terraform's JSON plan format (format_version
 * "1.2"): planned_values, resource_changes, resource_drift, output_changes,
 * variables. One document.
 *
 * Unlike Terraform, sensitive values are never written in clear: they are
 * null in before/after/values and true in *_sensitive. Unknown values are
 * null (omitted in planned_values) and true in after_unknown. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plan_int.h"
#include "rc_alloc.h"

#define PROVIDER_NAME "registry.terraform.io/hashicorp/aws"

#ifndef RECON_VERSION
#define RECON_VERSION "0.1.0"
#endif

/* The value with sensitive parts and unknowns replaced by null (unknown
 * object attributes dropped when drop_unknown). */
static json_t *redacted(const struct rc_value *v, bool drop_unknown)
{
  if (!v || rc_value_is_sensitive(v) || !rc_value_is_known(v)) return json_null();
  if (rc_value_is_seq(v)) {
    json_t *a = json_array();
    for (size_t i = 0; i < rc_value_len(v); i++)
      json_array_append_new(a, redacted(rc_value_index(v, i), drop_unknown));
    return a;
  }
  if (rc_value_is_obj(v)) {
    json_t *o = json_object();
    for (size_t i = 0; i < rc_value_len(v); i++) {
      const struct rc_value *e = rc_value_index(v, i);
      if (drop_unknown && !rc_value_is_known(e) && !rc_value_is_sensitive(e)) continue;
      json_object_set_new(o, rc_value_key(v, i), redacted(e, drop_unknown));
    }
    return o;
  }
  json_t *j = rc_value_to_json(v);
  return j ? j : json_null();
}

static bool is_unknown(const struct rc_value *v) { return !rc_value_is_known(v); }

/* Terraform's mask shape: true where pred holds; arrays keep false for the
 * other elements, objects drop them; a value with no true leaf is false
 * unless it is a collection (then [] / {} of its shape). */
static json_t *mask(const struct rc_value *v, bool (*pred)(const struct rc_value *))
{
  if (!v) return json_false();
  if (pred(v)) return json_true();
  if (rc_value_is_seq(v)) {
    json_t *a = json_array();
    for (size_t i = 0; i < rc_value_len(v); i++)
      json_array_append_new(a, mask(rc_value_index(v, i), pred));
    return a;
  }
  if (rc_value_is_obj(v)) {
    json_t *o = json_object();
    for (size_t i = 0; i < rc_value_len(v); i++) {
      json_t *m = mask(rc_value_index(v, i), pred);
      if (json_is_false(m))
        json_decref(m);
      else
        json_object_set_new(o, rc_value_key(v, i), m);
    }
    return o;
  }
  return json_false();
}

static bool pred_sensitive(const struct rc_value *v) { return rc_value_is_sensitive(v); }

static json_t *actions(enum rc_action a)
{
  json_t *arr = json_array();
  switch (a) {
  case RC_ACT_NOOP: json_array_append_new(arr, json_string("no-op")); break;
  case RC_ACT_CREATE: json_array_append_new(arr, json_string("create")); break;
  case RC_ACT_UPDATE: json_array_append_new(arr, json_string("update")); break;
  case RC_ACT_REPLACE:
    json_array_append_new(arr, json_string("delete"));
    json_array_append_new(arr, json_string("create"));
    break;
  case RC_ACT_REPLACE_CBD:
    json_array_append_new(arr, json_string("create"));
    json_array_append_new(arr, json_string("delete"));
    break;
  case RC_ACT_DELETE: json_array_append_new(arr, json_string("delete")); break;
  case RC_ACT_READ: json_array_append_new(arr, json_string("read")); break;
  }
  return arr;
}

/* address, module_address, mode, type, name, index, provider_name */
static void put_address(json_t *o, const char *addr, const char *type, bool data)
{
  struct rc_plan_addr pa;
  bool ok = rc_plan__addr_parse(addr, &pa);
  json_object_set_new(o, "address", json_string(addr));
  if (ok && pa.module) json_object_set_new(o, "module_address", json_string(pa.module));
  json_object_set_new(o, "mode", json_string(data || (ok && pa.data) ? "data" : "managed"));
  json_object_set_new(o, "type", json_string(type ? type : ok ? pa.type : ""));
  json_object_set_new(o, "name", json_string(ok ? pa.name : addr));
  if (ok && pa.has_key)
    json_object_set_new(o, "index",
                        pa.key_str ? json_string(pa.key_str) : json_integer(pa.key_num));
  json_object_set_new(o, "provider_name", json_string(PROVIDER_NAME));
  if (ok) rc_plan__addr_free(&pa);
}

static json_t *change_body(enum rc_action a, const struct rc_value *before,
                           const struct rc_value *after, bool force_sensitive)
{
  json_t *c = json_object();
  json_object_set_new(c, "actions", actions(a));
  json_object_set_new(c, "before", force_sensitive ? json_null() : redacted(before, false));
  json_object_set_new(c, "after", force_sensitive ? json_null() : redacted(after, false));
  json_object_set_new(c, "after_unknown", mask(after, is_unknown));
  if (force_sensitive) {
    json_object_set_new(c, "before_sensitive", before ? json_true() : json_false());
    json_object_set_new(c, "after_sensitive", after ? json_true() : json_false());
  } else {
    json_object_set_new(c, "before_sensitive", mask(before, pred_sensitive));
    json_object_set_new(c, "after_sensitive", mask(after, pred_sensitive));
  }
  return c;
}

static json_t *resource_change(const struct rc_change *ch)
{
  json_t *o = json_object();
  put_address(o, ch->address, ch->type, ch->data);
  const struct rc_value *before = ch->before, *after = ch->after;
  if (ch->action == RC_ACT_CREATE) before = NULL;
  if (ch->action == RC_ACT_DELETE) after = NULL;
  json_t *c = change_body(ch->action, before, after, false);
  json_t *rp = json_array();
  for (size_t i = 0; i < ch->nreplace; i++) {
    json_t *path = json_array();
    const char *s = ch->replace_paths[i];
    while (*s) { /* dotted path: decimal parts are indexes */
      size_t n = strcspn(s, ".");
      char *end;
      char *part = rc_strndup(s, n);
      long long idx = strtoll(part, &end, 10);
      json_array_append_new(path, n && !*end ? json_integer(idx) : json_string(part));
      rc_free(part);
      s += n + (s[n] == '.');
    }
    json_array_append_new(rp, path);
  }
  if (ch->nreplace)
    json_object_set_new(c, "replace_paths", rp);
  else
    json_decref(rp);
  json_object_set_new(o, "change", c);
  if (ch->reason) json_object_set_new(o, "action_reason", json_string(ch->reason));
  return o;
}

static int cmp_change(const void *x, const void *y)
{
  const struct rc_change *const *a = x, *const *b = y;
  return rc_plan__addr_cmp((*a)->address, (*b)->address);
}

static int cmp_drift(const void *x, const void *y)
{
  const struct rc_drift *const *a = x, *const *b = y;
  return rc_plan__addr_cmp((*a)->address, (*b)->address);
}

/* planned_values.root_module: resources that exist after the plan, grouped
 * into child_modules by module address (nested as the addresses nest). */
static json_t *planned_values(const struct rc_plan *p)
{
  json_t *mods = json_object(); /* module address -> module object ("" = root) */
  json_t *root = json_object();
  json_object_set_new(root, "resources", json_array());
  json_object_set(mods, "", root);
  const struct rc_change **v = rc_calloc(p->nchanges + 1, sizeof *v);
  size_t n = 0;
  for (size_t i = 0; i < p->nchanges; i++)
    if (p->changes[i].action != RC_ACT_DELETE && p->changes[i].after) v[n++] = &p->changes[i];
  qsort(v, n, sizeof *v, cmp_change);
  for (size_t i = 0; i < n; i++) {
    struct rc_plan_addr pa;
    if (!rc_plan__addr_parse(v[i]->address, &pa)) continue;
    const char *mod = pa.module ? pa.module : "";
    json_t *m = json_object_get(mods, mod);
    if (!m) {
      /* create this module and any missing ancestors, linking each to its parent */
      char *path = rc_strdup(mod);
      json_t *child = NULL;
      for (;;) {
        json_t *have = json_object_get(mods, path);
        if (have) {
          if (child) json_array_append(json_object_get(have, "child_modules"), child);
          break;
        }
        json_t *nm = json_object();
        json_object_set_new(nm, "resources", json_array());
        json_object_set_new(nm, "address", json_string(path));
        json_object_set_new(nm, "child_modules", json_array());
        json_object_set_new(mods, path, nm);
        if (child) json_array_append(json_object_get(nm, "child_modules"), child);
        if (!m) m = nm;
        child = nm;
        char *cut = strstr(path, ".module.");
        char *last = NULL;
        while (cut) last = cut, cut = strstr(cut + 1, ".module.");
        if (last)
          *last = '\0';
        else
          path[0] = '\0';
      }
      rc_free(path);
    }
    json_t *r = json_object();
    put_address(r, v[i]->address, v[i]->type, v[i]->data);
    json_object_del(r, "module_address");
    json_object_set_new(r, "values", redacted(v[i]->after, true));
    json_object_set_new(r, "sensitive_values", mask(v[i]->after, pred_sensitive));
    if (json_is_false(json_object_get(r, "sensitive_values")))
      json_object_set_new(r, "sensitive_values", json_object());
    json_array_append_new(json_object_get(m, "resources"), r);
    rc_plan__addr_free(&pa);
  }
  json_t *root_children = json_array();
  const char *k;
  json_t *m;
  json_object_foreach(mods, k, m)
  {
    json_t *cm = json_object_get(m, "child_modules");
    if (cm && json_array_size(cm) == 0) json_object_del(m, "child_modules");
    if (*k && !strstr(k, ".module.")) json_array_append(root_children, m);
  }
  if (json_array_size(root_children)) json_object_set(root, "child_modules", root_children);
  json_decref(root_children);
  json_t *pv = json_object();
  json_object_set_new(pv, "root_module", root);
  json_decref(mods);
  rc_free(v);
  return pv;
}

rc_status rc_plan_render_json(const struct rc_plan *p, struct rc_buf *out)
{
  json_t *doc = json_object();
  json_object_set_new(doc, "format_version", json_string("1.2"));
  json_object_set_new(doc, "terraform_version", json_string("recon " RECON_VERSION));
  json_t *vars = json_object();
  if (p->variables && rc_value_is_obj(p->variables)) {
    for (size_t i = 0; i < rc_value_len(p->variables); i++) {
      json_t *e = json_object();
      json_object_set_new(e, "value", redacted(rc_value_index(p->variables, i), false));
      json_object_set_new(vars, rc_value_key(p->variables, i), e);
    }
  }
  json_object_set_new(doc, "variables", vars);
  json_object_set_new(doc, "planned_values", planned_values(p));

  const struct rc_change **v = rc_calloc(p->nchanges + 1, sizeof *v);
  for (size_t i = 0; i < p->nchanges; i++) v[i] = &p->changes[i];
  qsort(v, p->nchanges, sizeof *v, cmp_change);
  json_t *rc = json_array();
  for (size_t i = 0; i < p->nchanges; i++) json_array_append_new(rc, resource_change(v[i]));
  json_object_set_new(doc, "resource_changes", rc);
  rc_free(v);

  const struct rc_drift **d = rc_calloc(p->ndrift + 1, sizeof *d);
  for (size_t i = 0; i < p->ndrift; i++) d[i] = &p->drift[i];
  qsort(d, p->ndrift, sizeof *d, cmp_drift);
  json_t *dr = json_array();
  for (size_t i = 0; i < p->ndrift; i++) {
    json_t *o = json_object();
    put_address(o, d[i]->address, d[i]->type, false);
    json_object_set_new(o, "change", change_body(d[i]->after ? RC_ACT_UPDATE : RC_ACT_DELETE,
                                                 d[i]->before, d[i]->after, false));
    json_array_append_new(dr, o);
  }
  json_object_set_new(doc, "resource_drift", dr);
  rc_free(d);

  json_t *oc = json_object();
  for (size_t i = 0; i < p->noutputs; i++) {
    const struct rc_output_change *o = &p->outputs[i];
    json_t *c = change_body(rc_plan__output_action(o), o->before, o->after, o->sensitive);
    json_object_set_new(oc, o->name, c);
  }
  json_object_set_new(doc, "output_changes", oc);
  json_object_set_new(doc, "applyable", json_boolean(rc_plan_has_changes(p)));
  json_object_set_new(doc, "complete", json_true());
  json_object_set_new(doc, "errored", json_false());
  char ts[32];
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
  json_object_set_new(doc, "timestamp", json_string(ts));

  char *s = json_dumps(doc, JSON_COMPACT);
  json_decref(doc);
  if (!s) return RC_ERROR;
  rc_status st = rc_buf_puts(out, s);
  if (st == RC_OK) st = rc_buf_putc(out, '\n');
  free(s);
  return st;
}
