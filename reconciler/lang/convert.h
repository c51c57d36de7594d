/* convert — Terraform's (cty's) type conversions on rc_value: the implicit
 * conversions of function arguments, the to*() functions and the type
 * constraints of input variables (`list(string)`, `object({a = optional(number, 1)})`).
 *
 * Types: struct rc_type describes a type constraint. RC_TYPE_ANY is cty's
 * DynamicPseudoType ("any"): a null or unknown value has that type here
 * (recon's unknowns carry no type). Object attributes are kept sorted by name.
 *
 * Ownership: a struct rc_type belongs to whoever built it and is freed with
 * rc_type_free (NULL ok); rc_type_* builders steal the sub-types and default
 * values passed to them. Values are borrowed; conversion results are new
 * references. Error strings (char **err) are rc_malloc'd, one line, the
 * caller frees them with rc_free; they describe the path of the offending
 * element the way Terraform does ("element 1: a number is required",
 * `attribute "a": string required`).
 *
 * Rules (cty convert, "unsafe" mode as Terraform's convert.Convert):
 *  - null converts to null of any type; unknown stays unknown, and unknowns
 *    inside collections are kept in place.
 *  - sensitive marks are kept: a sensitive input gives a sensitive result and
 *    marks inside collections stay where they were.
 *  - number/bool → string ("1.5", "true"); string → number ("1", "-2e3");
 *    string → bool ("true", "false", also "1"/"0" as cty); number ↔ bool never.
 *  - list/set/tuple → list/set/tuple; map/object → map/object; elements are
 *    converted recursively. To list(any)/set(any)/map(any), the element types
 *    are first unified as cty does (strings win over numbers and bools, so
 *    ["a", 1] → list of string; [1, true] cannot unify).
 *  - → object: missing attributes are an error unless optional (then the
 *    default, or null); extra attributes are dropped. */
#ifndef RC_CONVERT_H
#define RC_CONVERT_H
#include <stdbool.h>
#include <stddef.h>
#include "rc_buf.h"
#include "rc_value.h"

enum rc_type_kind {
  RC_TYPE_ANY,
  RC_TYPE_BOOL,
  RC_TYPE_NUMBER,
  RC_TYPE_STRING,
  RC_TYPE_LIST,
  RC_TYPE_SET,
  RC_TYPE_MAP,
  RC_TYPE_TUPLE,
  RC_TYPE_OBJECT
};

struct rc_type;
struct rc_type_attr {
  char *name;             /* NULL for tuple elements */
  struct rc_type *type;
  bool optional;          /* object attributes: optional(T[, default]) */
  struct rc_value *dflt;  /* default of an optional attribute, or NULL */
};

struct rc_type {
  enum rc_type_kind kind;
  struct rc_type *elem;       /* LIST, SET, MAP */
  struct rc_type_attr *attrs; /* OBJECT (sorted by name), TUPLE (in order) */
  size_t nattrs, capattrs;
};

/* --- building types --- */
/* A primitive type or RC_TYPE_ANY; also an empty OBJECT or TUPLE to fill with
 * rc_type_add. */
struct rc_type *rc_type_new(enum rc_type_kind kind);
/* list(elem), set(elem), map(elem); steals elem (NULL means any). */
struct rc_type *rc_type_collection(enum rc_type_kind kind, struct rc_type *steal_elem);
/* Adds an attribute (OBJECT, name required, replaces a same-named one) or an
 * element (TUPLE, name NULL). Steals type and dflt (dflt may be NULL). */
void rc_type_add(struct rc_type *t, const char *name, struct rc_type *steal_type, bool optional,
                 struct rc_value *steal_dflt);
struct rc_type *rc_type_dup(const struct rc_type *t);
void rc_type_free(struct rc_type *t);
/* Parses the type-constraint syntax used in specs: string, number, bool, any,
 * list(T), set(T), map(T), tuple([T, ...]), object({a=T, b=optional(T)}).
 * NULL when malformed. (Defaults in optional() are not parsed here.) */
struct rc_type *rc_type_parse(const char *text);

/* --- inspecting types --- */
/* The type a value has: null and unknown are ANY; a list's element type is
 * unified from its elements (ANY when empty). */
struct rc_type *rc_type_of(const struct rc_value *v);
bool rc_type_equal(const struct rc_type *a, const struct rc_type *b);
/* Terraform's friendly name for messages: "string", "list of string",
 * "map of any single type", "object", "tuple". Appended to out. */
void rc_type_friendly(const struct rc_type *t, struct rc_buf *out);
/* The constraint syntax: "list(string)", "object({a=number})". Appended. */
void rc_type_render(const struct rc_type *t, struct rc_buf *out);
/* cty's unify: the one type that every type in ts[0..n) converts to, or NULL.
 * New type owned by the caller. */
struct rc_type *rc_type_unify(struct rc_type *const *ts, size_t n);

/* --- converting values --- */
/* v converted to t; NULL with *err set (caller frees) when it cannot be. */
struct rc_value *rc_convert(const struct rc_value *v, const struct rc_type *t, char **err);

/* Shortcuts for the primitive and collection targets, same contract. */
struct rc_value *rc_convert_to_string(const struct rc_value *v, char **err);
struct rc_value *rc_convert_to_number(const struct rc_value *v, char **err);
struct rc_value *rc_convert_to_bool(const struct rc_value *v, char **err);
struct rc_value *rc_convert_to_list(const struct rc_value *v, char **err);  /* list(any) */
struct rc_value *rc_convert_to_set(const struct rc_value *v, char **err);   /* set(any) */
struct rc_value *rc_convert_to_map(const struct rc_value *v, char **err);   /* map(any) */
struct rc_value *rc_convert_to_tuple(const struct rc_value *v, char **err); /* seq → tuple */
struct rc_value *rc_convert_to_object(const struct rc_value *v, char **err);/* map → object */

/* True when a and b have the same type for list-element unification: equal
 * kinds of primitives, collections with the same element types, objects
 * with the same attributes of the same types. Null and unknown match
 * anything. */
bool rc_convert_same_type(const struct rc_value *a, const struct rc_value *b);

/* Terraform's number → string: integers exact, others the shortest decimal
 * that round-trips, never in exponent form (cty uses big.Float 'f', -1):
 * 1.5 → "1.5", 1e21 → "1000000000000000000000", 1e-7 → "0.0000001". */
void rc_convert_number_text(const struct rc_value *num, struct rc_buf *out);

#endif
