/* rc_value — the one value type of recon (jq's jv): immutable and
 * reference-counted, with the kinds HCL needs plus UNKNOWN ("known after
 * apply"). Two marks ride on any value: sensitive (flag on the value) and
 * unknown (a kind of its own, anywhere inside a collection).
 *
 * Ownership, in jansson's words: functions that return struct rc_value *
 * return a new reference the caller owns and must rc_value_decref. Arguments
 * are borrowed unless the parameter is named `steal` or the doc says
 * "steals". Getters (rc_value_get, rc_value_index, rc_value_str) return
 * borrowed pointers valid while the container lives. Reference counts are
 * atomic, so values may be shared between threads; a value under
 * construction (the builders below) belongs to one thread until returned.
 *
 * Maps and objects keep their keys sorted bytewise (Terraform's iteration
 * order); sets keep their elements unique and sorted by rc_value_compare.
 * Numbers keep integers exact: a number is an int64 when it is integral and
 * fits, else a double. */
#ifndef RC_VALUE_H
#define RC_VALUE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "rc_buf.h"

enum rc_kind {
  RC_NULL,
  RC_BOOL,
  RC_NUMBER,
  RC_STRING,
  RC_LIST,   /* same-typed elements */
  RC_SET,
  RC_TUPLE,  /* any elements: HCL [ ... ] */
  RC_MAP,    /* same-typed values */
  RC_OBJECT, /* any attributes: HCL { ... } */
  RC_UNKNOWN
};

struct rc_value;

/* --- scalars (new references) --- */
struct rc_value *rc_value_null(void);
struct rc_value *rc_value_bool(bool b);
struct rc_value *rc_value_int(int64_t i);
struct rc_value *rc_value_number(double d); /* integral and in range → exact int */
struct rc_value *rc_value_string(const char *s);
struct rc_value *rc_value_string_n(const char *s, size_t n);
struct rc_value *rc_value_string_steal(char *s); /* takes an rc_malloc'd string */
struct rc_value *rc_value_unknown(void);

/* --- sequences: list, set, tuple --- */
/* An empty sequence of kind (RC_LIST, RC_SET or RC_TUPLE) to build with push. */
struct rc_value *rc_value_seq_new(enum rc_kind kind);
/* Appends, stealing item. For a set, duplicates are dropped and order fixed by
 * rc_value_seq_seal. Only on a value the caller is still building. */
void rc_value_seq_push(struct rc_value *seq, struct rc_value *steal);
/* Sorts and de-duplicates a set (no-op for lists/tuples); returns seq. */
struct rc_value *rc_value_seq_seal(struct rc_value *seq);

/* --- maps and objects --- */
struct rc_value *rc_value_obj_new(enum rc_kind kind); /* RC_MAP or RC_OBJECT */
/* Inserts or replaces key, stealing val; keeps keys sorted. Builder only. */
void rc_value_obj_put(struct rc_value *obj, const char *key, struct rc_value *steal);
void rc_value_obj_del(struct rc_value *obj, const char *key); /* builder only */

/* --- reference counting --- */
struct rc_value *rc_value_incref(const struct rc_value *v); /* returns v */
void rc_value_decref(struct rc_value *v);                   /* NULL ok */
/* A shallow copy the caller may modify with the builders (refcount 1). */
struct rc_value *rc_value_copy(const struct rc_value *v);

/* --- inspection (borrowed results) --- */
enum rc_kind rc_value_kind(const struct rc_value *v);
const char *rc_value_kind_name(enum rc_kind k); /* "string", "list", ... */
bool rc_value_is_null(const struct rc_value *v);
bool rc_value_is_known(const struct rc_value *v);        /* not UNKNOWN itself */
bool rc_value_is_wholly_known(const struct rc_value *v); /* no UNKNOWN inside */
bool rc_value_is_seq(const struct rc_value *v);          /* list, set or tuple */
bool rc_value_is_obj(const struct rc_value *v);          /* map or object */
bool rc_value_bool_get(const struct rc_value *v);
bool rc_value_is_int(const struct rc_value *v); /* a number held exactly as int64 */
int64_t rc_value_int_get(const struct rc_value *v);
double rc_value_number_get(const struct rc_value *v);
const char *rc_value_str(const struct rc_value *v); /* NULL unless string */
size_t rc_value_strlen(const struct rc_value *v);
size_t rc_value_len(const struct rc_value *v); /* elements or attributes */
const struct rc_value *rc_value_index(const struct rc_value *v, size_t i);
const char *rc_value_key(const struct rc_value *v, size_t i); /* i-th sorted key */
const struct rc_value *rc_value_get(const struct rc_value *v, const char *key); /* NULL if absent */
/* Walks a dotted path of keys and decimal indexes ("a.b.0.c"); NULL if absent. */
const struct rc_value *rc_value_path(const struct rc_value *v, const char *path);

/* --- marks --- */
bool rc_value_is_sensitive(const struct rc_value *v);       /* this value's flag */
bool rc_value_has_sensitive(const struct rc_value *v);      /* anywhere inside */
struct rc_value *rc_value_mark_sensitive(const struct rc_value *v); /* new ref */
struct rc_value *rc_value_unmark(const struct rc_value *v); /* shallow; new ref */
/* Deep: copy with every sensitive flag cleared. */
struct rc_value *rc_value_unmark_deep(const struct rc_value *v);

/* --- comparison --- */
/* Structural equality. Unknowns are equal to nothing (not even unknown);
 * a list equals a tuple with equal elements, a map an object likewise.
 * Numbers compare by value (1 == 1.0). Marks are ignored. */
bool rc_value_equal(const struct rc_value *a, const struct rc_value *b);
/* A total order for sorting (kind, then content). */
int rc_value_compare(const struct rc_value *a, const struct rc_value *b);

/* --- text --- */
/* Terraform's number formatting: 1, 1.5, 1e+21 → "1e+21". */
void rc_value_format_number(const struct rc_value *v, char *out, size_t outsz);
/* HCL-like rendering ("str", 1, true, null, ["a"], { a = 1 }), unknowns as
 * (known after apply), sensitive as (sensitive value). */
rc_status rc_value_render(const struct rc_value *v, struct rc_buf *out);

/* --- JSON (jansson) --- */
/* Objects → RC_OBJECT, arrays → RC_TUPLE, integers exact. New reference. */
struct rc_value *rc_value_from_json(const json_t *j);
/* Unknown renders as JSON null; sensitive values are rendered in clear: the
 * caller removes them first when writing state or plans. New reference. */
json_t *rc_value_to_json(const struct rc_value *v);
/* Parses a JSON text; NULL with err set on bad JSON. */
struct rc_value *rc_value_parse_json(const char *text, size_t len, struct rc_error *err);
/* Compact JSON text, caller frees with rc_free. */
char *rc_value_dump_json(const struct rc_value *v);

#endif
