#include "diff.h"

#include <stdlib.h>
#include <string.h>

#include "rc_alloc.h"

static bool is_set_type(const struct rc_attr *a)
{
  return a->type == RC_T_SET || a->type == RC_T_BLOCK_SET;
}

static bool is_block(const struct rc_attr *a)
{
  return a->type == RC_T_BLOCK_LIST || a->type == RC_T_BLOCK_SET;
}

static bool is_empty(const struct rc_value *v)
{
  if (!v || rc_value_is_null(v)) return true;
  if (rc_value_is_seq(v) || rc_value_is_obj(v)) return rc_value_len(v) == 0;
  return false;
}

static struct rc_value *coerce_scalar(enum rc_attr_type t, const struct rc_value *v)
{
  if (!rc_value_is_known(v) || rc_value_is_null(v)) return rc_value_incref(v);
  bool sens = rc_value_is_sensitive(v);
  struct rc_value *r = NULL;
  const char *s = rc_value_str(v);
  char tmp[64];
  switch (t) {
  case RC_T_STRING:
    if (rc_value_kind(v) == RC_NUMBER) {
      rc_value_format_number(v, tmp, sizeof tmp);
      r = rc_value_string(tmp);
    } else if (rc_value_kind(v) == RC_BOOL) {
      r = rc_value_string(rc_value_bool_get(v) ? "true" : "false");
    }
    break;
  case RC_T_NUMBER:
    if (s && *s) {
      char *end;
      double d = strtod(s, &end);
      if (*end == '\0') r = rc_value_number(d);
    }
    break;
  case RC_T_BOOL:
    if (s && (strcmp(s, "true") == 0 || strcmp(s, "false") == 0))
      r = rc_value_bool(strcmp(s, "true") == 0);
    break;
  default:
    break;
  }
  if (!r) return rc_value_incref(v);
  if (sens) {
    struct rc_value *m = rc_value_mark_sensitive(r);
    rc_value_decref(r);
    r = m;
  }
  return r;
}

static struct rc_value *canon_block(const struct rc_attr *schema, const struct rc_value *v,
                                    bool norm);
static struct rc_value *canon(const struct rc_attr *a, const struct rc_value *v, bool norm);

struct rc_value *rc_diff_canon(const struct rc_attr *a, const struct rc_value *v)
{
  return canon(a, v, true);
}

/* coerced to the schema's types; normalised too when norm (comparisons),
 * not for the planned value, which keeps the configuration's spelling */
static struct rc_value *canon(const struct rc_attr *a, const struct rc_value *v, bool norm)
{
  if (!v) return rc_value_null();
  if (!rc_value_is_known(v) || rc_value_is_null(v)) return rc_value_incref(v);
  struct rc_value *r;
  switch (a->type) {
  case RC_T_STRING:
  case RC_T_NUMBER:
  case RC_T_BOOL:
    r = coerce_scalar(a->type, v);
    break;
  case RC_T_LIST:
  case RC_T_SET:
  case RC_T_BLOCK_LIST:
  case RC_T_BLOCK_SET: {
    if (!rc_value_is_seq(v)) {
      r = rc_value_incref(v);
      break;
    }
    r = rc_value_seq_new(is_set_type(a) ? RC_SET : RC_LIST);
    for (size_t i = 0; i < rc_value_len(v); i++) {
      const struct rc_value *e = rc_value_index(v, i);
      rc_value_seq_push(r, is_block(a) ? canon_block(a->block, e, norm) : coerce_scalar(a->elem, e));
    }
    rc_value_seq_seal(r);
    break;
  }
  case RC_T_MAP: {
    if (!rc_value_is_obj(v)) {
      r = rc_value_incref(v);
      break;
    }
    r = rc_value_obj_new(RC_MAP);
    for (size_t i = 0; i < rc_value_len(v); i++)
      rc_value_obj_put(r, rc_value_key(v, i), coerce_scalar(a->elem, rc_value_index(v, i)));
    break;
  }
  default:
    r = rc_value_incref(v);
  }
  if (norm && a->normalise && rc_value_is_wholly_known(r) && !rc_value_is_null(r)) {
    struct rc_value *n = a->normalise(r);
    if (n) {
      rc_value_decref(r);
      r = n;
    }
  }
  return r;
}

/* a nested block element: every schema attribute canonical, defaults filled */
static struct rc_value *canon_block(const struct rc_attr *schema, const struct rc_value *v,
                                    bool norm)
{
  if (!rc_value_is_obj(v)) return rc_value_incref(v);
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  for (const struct rc_attr *a = schema; a && a->name; a++) {
    const struct rc_value *cv = rc_value_get(v, a->name);
    if ((!cv || rc_value_is_null(cv)) && a->default_json) {
      struct rc_value *d = rc_value_parse_json(a->default_json, strlen(a->default_json), NULL);
      rc_value_obj_put(o, a->name, d ? d : rc_value_null());
    } else if (cv && !rc_value_is_null(cv)) {
      rc_value_obj_put(o, a->name, canon(a, cv, norm));
    } else if (is_block(a) || a->type == RC_T_LIST || a->type == RC_T_SET) {
      /* inside a block, an unset list is the empty list AWS answers with */
      rc_value_obj_put(o, a->name, rc_value_seq_new(is_set_type(a) ? RC_SET : RC_LIST));
    } else if (a->type == RC_T_MAP) {
      rc_value_obj_put(o, a->name, rc_value_obj_new(RC_MAP));
    } else {
      rc_value_obj_put(o, a->name, rc_value_null());
    }
  }
  return o;
}


bool rc_diff_attr_equal(const struct rc_attr *a, const struct rc_value *x,
                        const struct rc_value *y)
{
  if (!x || !y || rc_value_is_null(x) || rc_value_is_null(y)) {
    if (is_empty(x) && is_empty(y)) return true;
    const struct rc_value *other = (!x || rc_value_is_null(x)) ? y : x;
    if (!(a->flags & RC_A_REQUIRED) && a->type == RC_T_STRING && other &&
        rc_value_str(other) && rc_value_str(other)[0] == '\0')
      return true;
    return false;
  }
  struct rc_value *cx = rc_diff_canon(a, x), *cy = rc_diff_canon(a, y);
  bool eq;
  if (is_empty(cx) && is_empty(cy))
    eq = true;
  else
    eq = rc_value_equal(cx, cy);
  rc_value_decref(cx);
  rc_value_decref(cy);
  return eq;
}

static bool in_list(const char *const *list, const char *name)
{
  for (const char *const *p = list; p && *p; p++)
    if (strcmp(*p, name) == 0) return true;
  return false;
}

static void add_path(struct rc_diff_out *out, const char *name)
{
  out->replace_paths = rc_realloc(out->replace_paths, (out->nreplace + 1) * sizeof(char *));
  out->replace_paths[out->nreplace++] = rc_strdup(name);
}

static struct rc_value *merged_tags(const struct rc_value *defaults, const struct rc_value *tags)
{
  if ((tags && !rc_value_is_wholly_known(tags)) ||
      (defaults && !rc_value_is_wholly_known(defaults)))
    return rc_value_unknown();
  struct rc_value *m = rc_value_obj_new(RC_MAP);
  for (int pass = 0; pass < 2; pass++) {
    const struct rc_value *src = pass ? tags : defaults;
    for (size_t i = 0; src && rc_value_is_obj(src) && i < rc_value_len(src); i++) {
      const struct rc_value *v = rc_value_index(src, i);
      if (!rc_value_is_null(v)) rc_value_obj_put(m, rc_value_key(src, i), rc_value_incref(v));
    }
  }
  return m;
}

/* The attributes after the action: configuration where set, else defaults,
 * else (computed) the live value unless the object is being replaced. */
static struct rc_value *build_planned(const struct rc_diff_in *in, bool replacing)
{
  const struct rc_value *prior = replacing ? NULL : in->prior;
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  const struct rc_value *pid = prior ? rc_value_get(prior, "id") : NULL;
  rc_value_obj_put(o, "id", pid ? rc_value_incref(pid) : rc_value_unknown());
  for (const struct rc_attr *a = in->rt->schema; a && a->name; a++) {
    if (strcmp(a->name, "id") == 0) continue;
    const struct rc_value *cv = in->config ? rc_value_get(in->config, a->name) : NULL;
    const struct rc_value *pv = prior ? rc_value_get(prior, a->name) : NULL;
    bool settable = (a->flags & (RC_A_REQUIRED | RC_A_OPTIONAL)) != 0;
    struct rc_value *v;
    if ((in->rt->flags & RC_RT_TAGGABLE) && strcmp(a->name, "tags_all") == 0) {
      v = merged_tags(in->default_tags, in->config ? rc_value_get(in->config, "tags") : NULL);
    } else if (settable && cv && !rc_value_is_null(cv)) {
      v = canon(a, cv, false);
    } else if (settable && a->default_json) {
      v = rc_value_parse_json(a->default_json, strlen(a->default_json), NULL);
      if (!v) v = rc_value_null();
    } else if (a->flags & RC_A_COMPUTED) {
      v = pv ? rc_value_incref(pv) : (prior ? rc_value_null() : rc_value_unknown());
    } else if (settable && in->prior && is_empty(rc_value_get(in->prior, a->name)) &&
               rc_value_get(in->prior, a->name)) {
      v = rc_value_incref(rc_value_get(in->prior, a->name)); /* {} stays {}, not null */
    } else if (is_block(a)) {
      v = rc_value_seq_new(RC_TUPLE);
    } else {
      v = rc_value_null();
    }
    if (a->flags & RC_A_SENSITIVE && !rc_value_is_null(v) && !rc_value_is_sensitive(v)) {
      struct rc_value *m = rc_value_mark_sensitive(v);
      rc_value_decref(v);
      v = m;
    }
    rc_value_obj_put(o, a->name, v);
  }
  return o;
}

rc_status rc_diff_instance(const struct rc_diff_in *in, struct rc_diff_out *out,
                           struct rc_error *err)
{
  memset(out, 0, sizeof *out);
  if (!in->config) { /* in state, not in configuration */
    out->action = RC_ACT_DELETE;
    out->reason = "delete_because_no_resource_config";
    return RC_OK;
  }
  if (!in->prior) {
    out->action = RC_ACT_CREATE;
    out->planned = build_planned(in, true);
    return RC_OK;
  }
  struct rc_value *planned = build_planned(in, false);
  bool replace = in->force_replace, update = false;
  for (const struct rc_attr *a = in->rt->schema; a && a->name; a++) {
    if (!(a->flags & (RC_A_REQUIRED | RC_A_OPTIONAL))) continue;
    if (in->ignore_all || in_list(in->ignore_changes, a->name)) {
      const struct rc_value *pv = rc_value_get(in->prior, a->name);
      rc_value_obj_put(planned, a->name, pv ? rc_value_incref(pv) : rc_value_null());
      continue;
    }
    const struct rc_value *cv = in->config ? rc_value_get(in->config, a->name) : NULL;
    if ((a->flags & RC_A_COMPUTED) && (!cv || rc_value_is_null(cv))) continue; /* AWS decides */
    const struct rc_value *nv = rc_value_get(planned, a->name);
    const struct rc_value *pv = rc_value_get(in->prior, a->name);
    bool changed = !rc_value_is_wholly_known(nv) || !rc_diff_attr_equal(a, nv, pv);
    if (!changed) {
      /* keep AWS's spelling of an equal value so nothing shows as changed */
      if (pv) rc_value_obj_put(planned, a->name, rc_value_incref(pv));
      continue;
    }
    if (a->flags & RC_A_FORCE_NEW) {
      replace = true;
      add_path(out, a->name);
    } else {
      update = true;
    }
  }
  if (update && !replace && !in->rt->update) replace = true;
  if (replace) {
    rc_value_decref(planned);
    /* a replacement starts from the configuration alone: computed values unknown */
    planned = build_planned(in, true);
    out->action = in->create_before_destroy ? RC_ACT_REPLACE_CBD : RC_ACT_REPLACE;
    out->reason = in->force_replace && out->nreplace == 0 ? "replace_by_request"
                                                          : "replace_because_cannot_update";
  } else {
    /* tags_all follows tags: a tags-only change is an update too */
    const struct rc_value *ta = rc_value_get(planned, "tags_all");
    const struct rc_value *pa = rc_value_get(in->prior, "tags_all");
    if ((in->rt->flags & RC_RT_TAGGABLE) && ta && !in->ignore_all &&
        !in_list(in->ignore_changes, "tags") && !in_list(in->ignore_changes, "tags_all") &&
        (!rc_value_is_wholly_known(ta) || !pa || !rc_value_equal(ta, pa)) &&
        !(is_empty(ta) && is_empty(pa)))
      update = true;
    out->action = update ? RC_ACT_UPDATE : RC_ACT_NOOP;
  }
  out->planned = planned;
  (void)err;
  return RC_OK;
}

void rc_diff_out_free(struct rc_diff_out *out)
{
  if (!out) return;
  rc_value_decref(out->planned);
  for (size_t i = 0; i < out->nreplace; i++) rc_free(out->replace_paths[i]);
  rc_free(out->replace_paths);
  memset(out, 0, sizeof *out);
}

size_t rc_diff_changed_attrs(const struct rc_attr *schema, const struct rc_value *a,
                             const struct rc_value *b, const char **names, size_t n)
{
  size_t k = 0;
  for (const struct rc_attr *at = schema; at && at->name && k < n; at++) {
    /* only what the configuration owns: optional+computed attributes are also
     * AWS's (an EIP's association made by a NAT, routes added by aws_route) */
    if (!(at->flags & (RC_A_REQUIRED | RC_A_OPTIONAL)) || (at->flags & RC_A_COMPUTED)) continue;
    const struct rc_value *x = a ? rc_value_get(a, at->name) : NULL;
    const struct rc_value *y = b ? rc_value_get(b, at->name) : NULL;
    if (!rc_diff_attr_equal(at, x, y)) names[k++] = at->name;
  }
  return k;
}

struct rc_value *rc_diff_carry_marks(const struct rc_resource_type *rt,
                                     const struct rc_value *attrs,
                                     const struct rc_value *marks_from)
{
  if (!attrs || !rc_value_is_obj(attrs)) return attrs ? rc_value_incref(attrs) : NULL;
  struct rc_value *o = NULL;
  for (size_t i = 0; i < rc_value_len(attrs); i++) {
    const char *k = rc_value_key(attrs, i);
    const struct rc_value *v = rc_value_index(attrs, i);
    const struct rc_value *m = marks_from ? rc_value_get(marks_from, k) : NULL;
    const struct rc_attr *a = rt ? rc_schema_attr(rt->schema, k) : NULL;
    bool sens = (m && rc_value_has_sensitive(m)) || (a && (a->flags & RC_A_SENSITIVE));
    if (!sens || rc_value_is_sensitive(v) || rc_value_is_null(v)) continue;
    if (!o) o = rc_value_copy(attrs);
    rc_value_obj_put(o, k, rc_value_mark_sensitive(v));
  }
  return o ? o : rc_value_incref(attrs);
}
