/* plan — the plan model: growing the arrays, counts, freeing. */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

#include "plan_int.h"
#include "rc_alloc.h"

static void *grow(void *arr, size_t *n, size_t *cap, size_t elem)
{
  if (*n == *cap) {
    *cap = *cap ? *cap * 2 : 8;
    arr = rc_realloc(arr, *cap * elem);
  }
  memset((char *)arr + *n * elem, 0, elem);
  (*n)++;
  return arr;
}

struct rc_change *rc_plan_add_change(struct rc_plan *p)
{
  p->changes = grow(p->changes, &p->nchanges, &p->capchanges, sizeof *p->changes);
  return &p->changes[p->nchanges - 1];
}

struct rc_drift *rc_plan_add_drift(struct rc_plan *p)
{
  p->drift = grow(p->drift, &p->ndrift, &p->capdrift, sizeof *p->drift);
  return &p->drift[p->ndrift - 1];
}

struct rc_output_change *rc_plan_add_output(struct rc_plan *p)
{
  p->outputs = grow(p->outputs, &p->noutputs, &p->capoutputs, sizeof *p->outputs);
  return &p->outputs[p->noutputs - 1];
}

static void free_strv(char **v, size_t n)
{
  for (size_t i = 0; i < n; i++) rc_free(v[i]);
  rc_free(v);
}

void rc_plan_free(struct rc_plan *p)
{
  if (!p) return;
  for (size_t i = 0; i < p->nchanges; i++) {
    struct rc_change *c = &p->changes[i];
    rc_free(c->address);
    rc_free(c->node_addr);
    rc_free(c->type);
    rc_value_decref(c->before);
    rc_value_decref(c->after);
    free_strv(c->replace_paths, c->nreplace);
    free_strv(c->deps, c->ndeps);
    rc_free(c->id);
  }
  rc_free(p->changes);
  for (size_t i = 0; i < p->ndrift; i++) {
    rc_free(p->drift[i].address);
    rc_free(p->drift[i].type);
    rc_value_decref(p->drift[i].before);
    rc_value_decref(p->drift[i].after);
  }
  rc_free(p->drift);
  for (size_t i = 0; i < p->noutputs; i++) {
    rc_free(p->outputs[i].name);
    rc_value_decref(p->outputs[i].before);
    rc_value_decref(p->outputs[i].after);
  }
  rc_free(p->outputs);
  rc_free(p->config_digest);
  rc_free(p->lineage);
  rc_value_decref(p->variables);
  free_strv(p->targets, p->ntargets);
  memset(p, 0, sizeof *p);
}

enum rc_action rc_plan__output_action(const struct rc_output_change *oc)
{
  const struct rc_value *b = oc->before, *a = oc->after;
  bool hb = b && !rc_value_is_null(b), ha = a && !rc_value_is_null(a);
  if (!hb && !ha) return RC_ACT_NOOP;
  if (!hb) return RC_ACT_CREATE;
  if (!ha) return RC_ACT_DELETE;
  if (rc_value_equal(b, a) && rc_value_is_sensitive(b) == rc_value_is_sensitive(a))
    return RC_ACT_NOOP;
  return RC_ACT_UPDATE;
}

bool rc_plan_has_changes(const struct rc_plan *p)
{
  for (size_t i = 0; i < p->nchanges; i++)
    if (p->changes[i].action != RC_ACT_NOOP) return true;
  for (size_t i = 0; i < p->noutputs; i++)
    if (rc_plan__output_action(&p->outputs[i]) != RC_ACT_NOOP) return true;
  return false;
}

void rc_plan_counts(const struct rc_plan *p, int *add, int *change, int *destroy)
{
  int a = 0, c = 0, d = 0;
  for (size_t i = 0; i < p->nchanges; i++) {
    switch (p->changes[i].action) {
    case RC_ACT_CREATE: a++; break;
    case RC_ACT_UPDATE: c++; break;
    case RC_ACT_REPLACE:
    case RC_ACT_REPLACE_CBD: a++, d++; break;
    case RC_ACT_DELETE: d++; break;
    default: break;
    }
  }
  if (add) *add = a;
  if (change) *change = c;
  if (destroy) *destroy = d;
}

const char *rc_action_name(enum rc_action a)
{
  switch (a) {
  case RC_ACT_NOOP: return "no-op";
  case RC_ACT_CREATE: return "create";
  case RC_ACT_UPDATE: return "update";
  case RC_ACT_REPLACE: return "replace";
  case RC_ACT_REPLACE_CBD: return "replace (create before destroy)";
  case RC_ACT_DELETE: return "delete";
  case RC_ACT_READ: return "read";
  }
  return "?";
}

/* Natural order: digit runs compare by value, so [2] sorts before [10]. */
int rc_plan__addr_cmp(const char *a, const char *b)
{
  while (*a && *b) {
    if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
      const char *sa = a, *sb = b;
      while (*sa == '0') sa++;
      while (*sb == '0') sb++;
      const char *ea = sa, *eb = sb;
      while (*ea >= '0' && *ea <= '9') ea++;
      while (*eb >= '0' && *eb <= '9') eb++;
      if (ea - sa != eb - sb) return ea - sa < eb - sb ? -1 : 1;
      int c = strncmp(sa, sb, (size_t)(ea - sa));
      if (c) return c < 0 ? -1 : 1;
      while (*a >= '0' && *a <= '9') a++;
      while (*b >= '0' && *b <= '9') b++;
      continue;
    }
    if (*a != *b) return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
    a++, b++;
  }
  return (*a != 0) - (*b != 0);
}

/* Splits an instance address into its module path, mode, type, name and
 * key: "module.a[\"x\"].data.aws_y.z[2]". Brackets may hold quoted keys
 * with dots and escaped quotes. Returns false for a malformed address. */
bool rc_plan__addr_parse(const char *addr, struct rc_plan_addr *out)
{
  memset(out, 0, sizeof *out);
  const char *p = addr, *last_mod_end = addr;
  bool in_mod = false;
  for (;;) {
    if (strncmp(p, "module.", 7) != 0) break;
    const char *q = p + 7;
    while (*q && *q != '.' && *q != '[') q++;
    if (*q == '[') {
      q++;
      bool quoted = *q == '"';
      if (quoted) {
        q++;
        while (*q && *q != '"') q += (*q == '\\' && q[1]) ? 2 : 1;
        if (*q) q++;
      }
      while (*q && *q != ']') q++;
      if (*q != ']') return false;
      q++;
    }
    if (*q != '.') return false;
    last_mod_end = q;
    in_mod = true;
    p = q + 1;
  }
  if (in_mod) out->module = rc_strndup(addr, (size_t)(last_mod_end - addr));
  if (strncmp(p, "data.", 5) == 0) out->data = true, p += 5;
  const char *dot = strchr(p, '.');
  if (!dot || dot == p) goto bad;
  out->type = rc_strndup(p, (size_t)(dot - p));
  p = dot + 1;
  const char *br = strchr(p, '[');
  size_t nlen = br ? (size_t)(br - p) : strlen(p);
  if (!nlen) goto bad;
  out->name = rc_strndup(p, nlen);
  if (br) {
    const char *k = br + 1;
    if (*k == '"') {
      struct rc_buf b;
      rc_buf_init(&b, 0);
      k++;
      while (*k && *k != '"') {
        if (*k == '\\' && k[1]) k++;
        rc_buf_putc(&b, *k++);
      }
      if (k[0] != '"' || k[1] != ']' || k[2]) {
        rc_buf_free(&b);
        goto bad;
      }
      out->key_str = rc_buf_detach(&b);
      out->has_key = true;
    } else {
      char *end;
      long long v = strtoll(k, &end, 10);
      if (end == k || end[0] != ']' || end[1]) goto bad;
      out->key_num = v;
      out->has_key = true;
    }
  }
  return true;
bad:
  rc_plan__addr_free(out);
  return false;
}

void rc_plan__addr_free(struct rc_plan_addr *a)
{
  rc_free(a->module);
  rc_free(a->type);
  rc_free(a->name);
  rc_free(a->key_str);
  memset(a, 0, sizeof *a);
}
