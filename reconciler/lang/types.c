/* types — type-constraint expressions to struct rc_type, and conversion. */
#include "types.h"

#include <string.h>

#include "eval.h"
#include "rc_alloc.h"
#include "rc_buf.h"
#include "rc_limits.h"
#include "rc_suggest.h"

static const char *const keywords[] = {"string", "number", "bool", "any", "list", "set",
                                       "map", "object", "tuple", NULL};

static struct rc_type *parse(const struct rc_expr *e, struct rc_diags *ds, int depth);

static struct rc_type *bad(struct rc_diags *ds, const struct rc_expr *e, const char *fmt,
                           const char *arg)
{
  rc_diags_add(ds, RC_DIAG_ERROR, &e->range, "Invalid type specification", fmt, arg);
  return NULL;
}

static struct rc_type *keyword(const struct rc_expr *e, const char *name, struct rc_diags *ds,
                               bool quoted)
{
  if (strcmp(name, "string") == 0) return rc_type_new(RC_TYPE_STRING);
  if (strcmp(name, "number") == 0) return rc_type_new(RC_TYPE_NUMBER);
  if (strcmp(name, "bool") == 0) return rc_type_new(RC_TYPE_BOOL);
  if (strcmp(name, "any") == 0 && !quoted) return rc_type_new(RC_TYPE_ANY);
  /* bare or quoted list/map/set mean a collection of any single type */
  if (strcmp(name, "list") == 0) return rc_type_collection(RC_TYPE_LIST, rc_type_new(RC_TYPE_ANY));
  if (strcmp(name, "map") == 0) return rc_type_collection(RC_TYPE_MAP, rc_type_new(RC_TYPE_ANY));
  if (strcmp(name, "set") == 0 && !quoted)
    return rc_type_collection(RC_TYPE_SET, rc_type_new(RC_TYPE_ANY));
  if (strcmp(name, "object") == 0 || strcmp(name, "tuple") == 0)
    return bad(ds, e, "The %s type constructor requires one argument specifying the element "
                      "types.", name);
  const char *s = rc_suggest(name, keywords, (size_t)-1);
  if (s) {
    rc_diags_add(ds, RC_DIAG_ERROR, &e->range, "Invalid type specification",
                 "The keyword \"%s\" is not a valid type specification. Did you mean \"%s\"?",
                 name, s);
    return NULL;
  }
  return bad(ds, e, "The keyword \"%s\" is not a valid type specification.", name);
}

static const struct rc_expr *unparen(const struct rc_expr *e)
{
  while (e && e->kind == RC_E_PAREN) e = e->u.paren.inner;
  return e;
}

static const char *key_name(const struct rc_expr *k)
{
  k = unparen(k);
  if (k->kind == RC_E_VARIABLE) return k->u.var.name;
  if (k->kind == RC_E_LITERAL && rc_value_kind(k->u.literal) == RC_STRING)
    return rc_value_str(k->u.literal);
  if (k->kind == RC_E_TEMPLATE && k->u.tmpl.n == 1 && k->u.tmpl.parts[0]->kind == RC_E_LITERAL)
    return rc_value_str(k->u.tmpl.parts[0]->u.literal);
  return NULL;
}

static struct rc_type *parse_object(const struct rc_expr *call, struct rc_diags *ds, int depth)
{
  const struct rc_expr *arg = unparen(call->u.call.args[0]);
  if (arg->kind != RC_E_OBJECT)
    return bad(ds, arg, "Object type constructor requires a map whose keys are attribute names "
                        "and whose values are the corresponding attribute types.%s", "");
  struct rc_type *t = rc_type_new(RC_TYPE_OBJECT);
  for (size_t i = 0; i < arg->u.object.n; i++) {
    const char *name = key_name(arg->u.object.keys[i]);
    if (!name) {
      rc_type_free(t);
      return bad(ds, arg->u.object.keys[i],
                 "Object constructor map keys must be attribute names.%s", "");
    }
    const struct rc_expr *ve = unparen(arg->u.object.vals[i]);
    bool optional = false;
    struct rc_value *dflt = NULL;
    struct rc_type *at;
    if (ve->kind == RC_E_CALL && strcmp(ve->u.call.name, "optional") == 0) {
      if (ve->u.call.n < 1 || ve->u.call.n > 2) {
        rc_type_free(t);
        return bad(ds, ve, "Optional attribute modifier expects one or two arguments: the "
                           "attribute type and an optional default value.%s", "");
      }
      optional = true;
      at = parse(ve->u.call.args[0], ds, depth + 1);
      if (at && ve->u.call.n == 2) {
        struct rc_scope none = {0};
        struct rc_value *raw = rc_eval(ve->u.call.args[1], &none, ds);
        char *err = NULL;
        if (raw) dflt = rc_types_convert(raw, at, &err);
        rc_value_decref(raw);
        if (raw && !dflt) {
          rc_diags_add(ds, RC_DIAG_ERROR, &ve->u.call.args[1]->range,
                       "Invalid default value for optional attribute",
                       "This default value is not compatible with the attribute's type "
                       "constraint: %s.",
                       err ? err : "conversion failed");
        }
        rc_free(err);
        if (!dflt) {
          rc_type_free(at);
          at = NULL;
        }
      }
    } else {
      at = parse(ve, ds, depth + 1);
    }
    if (!at) {
      rc_type_free(t);
      return NULL;
    }
    rc_type_add(t, name, at, optional, dflt);
  }
  return t;
}

static struct rc_type *parse(const struct rc_expr *e, struct rc_diags *ds, int depth)
{
  e = unparen(e);
  if (depth > RC_LIMIT_NESTING)
    return bad(ds, e, "Type constraints may be nested at most %s levels deep.", "256");
  switch (e->kind) {
  case RC_E_VARIABLE:
    return keyword(e, e->u.var.name, ds, false);
  case RC_E_LITERAL:
  case RC_E_TEMPLATE: {
    const char *s = key_name(e);
    if (!s) break;
    return keyword(e, s, ds, true);
  }
  case RC_E_CALL: {
    const char *n = e->u.call.name;
    if (strcmp(n, "optional") == 0)
      return bad(ds, e, "Keyword \"optional\" is valid only as a modifier for object type "
                        "attributes.%s", "");
    bool coll = strcmp(n, "list") == 0 || strcmp(n, "set") == 0 || strcmp(n, "map") == 0;
    if (!coll && strcmp(n, "object") != 0 && strcmp(n, "tuple") != 0) {
      const char *s = rc_suggest(n, keywords, (size_t)-1);
      if (s) {
        rc_diags_add(ds, RC_DIAG_ERROR, &e->range, "Invalid type specification",
                     "Keyword \"%s\" is not a valid type constructor. Did you mean \"%s\"?", n,
                     s);
        return NULL;
      }
      return bad(ds, e, "Keyword \"%s\" is not a valid type constructor.", n);
    }
    if (e->u.call.n != 1)
      return bad(ds, e, "The %s type constructor requires one argument specifying the element "
                        "type.", n);
    if (coll) {
      struct rc_type *el = parse(e->u.call.args[0], ds, depth + 1);
      if (!el) return NULL;
      enum rc_type_kind k = n[0] == 'l' ? RC_TYPE_LIST : n[0] == 's' ? RC_TYPE_SET : RC_TYPE_MAP;
      return rc_type_collection(k, el);
    }
    if (n[0] == 'o') return parse_object(e, ds, depth);
    const struct rc_expr *arg = unparen(e->u.call.args[0]);
    if (arg->kind != RC_E_TUPLE)
      return bad(ds, arg, "Tuple type constructor requires a list of element types.%s", "");
    struct rc_type *t = rc_type_new(RC_TYPE_TUPLE);
    for (size_t i = 0; i < arg->u.tuple.n; i++) {
      struct rc_type *et = parse(arg->u.tuple.items[i], ds, depth + 1);
      if (!et) {
        rc_type_free(t);
        return NULL;
      }
      rc_type_add(t, NULL, et, false, NULL);
    }
    return t;
  }
  default:
    break;
  }
  return bad(ds, e, "A type specification is either a primitive type keyword (bool, number, "
                    "string), the keyword any, or a complex type constructor call, like "
                    "list(string).%s", "");
}

struct rc_type *rc_types_from_expr(const struct rc_expr *e, struct rc_diags *ds)
{
  return parse(e, ds, 0);
}

struct rc_value *rc_types_convert(const struct rc_value *v, const struct rc_type *t, char **err)
{
  return rc_convert(v, t, err);
}

char *rc_types_render(const struct rc_type *t)
{
  struct rc_buf b;
  rc_buf_init(&b, 0);
  rc_type_render(t, &b);
  return rc_buf_detach(&b);
}
