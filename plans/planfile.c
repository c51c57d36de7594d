/* planfile — saved plans (-out FILE): one JSON document holding every field
 * of struct rc_plan, written atomically (temp file, fsync, rename, fsync of
 * the directory), mode 0600.
 *
 * Values round-trip exactly, kinds included, through a small escape code:
 *   {"$unknown":true}            unknown (known after apply)
 *   {"$list":[..]} {"$set":[..]} list / set (a bare array is a tuple)
 *   {"$map":{..}}                map (a bare object is an object)
 *   {"$object":{..}}             an object with a key starting with '$'
 *   {"$float":"inf"|"-inf"|"nan"} non-finite numbers
 *   {"$sensitive":V}             a sensitive null or unknown (nothing to hide)
 *   {"$sensitive_sha256":"<salt hex>:<sha256 hex>"}  any other sensitive
 *       value: SHA-256(salt || canonical JSON of the value's encoding with
 *       marks ignored). Never the value itself. Loaded back as that object,
 *       marked sensitive; rc_plan_value_matches compares a clear value.
 * A "checksum" (SHA-256 of the canonical document without it) catches
 * corruption that still parses. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "plan_int.h"
#include "rc_alloc.h"
#include "rc_limits.h"

#define PLAN_FORMAT 1
#define HASH_KEY "$sensitive_sha256"
#define SALT_BYTES 16

#ifndef RECON_VERSION
#define RECON_VERSION "0.1.0"
#endif

static void hex(const unsigned char *p, size_t n, char *out)
{
  static const char d[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) out[2 * i] = d[p[i] >> 4], out[2 * i + 1] = d[p[i] & 15];
  out[2 * n] = '\0';
}

static void sha256_hex(const void *a, size_t na, const void *b, size_t nb, char out[65])
{
  unsigned char md[32];
  unsigned int len = 0;
  EVP_MD_CTX *c = EVP_MD_CTX_new();
  EVP_DigestInit_ex(c, EVP_sha256(), NULL);
  EVP_DigestUpdate(c, a, na);
  EVP_DigestUpdate(c, b, nb);
  EVP_DigestFinal_ex(c, md, &len);
  EVP_MD_CTX_free(c);
  hex(md, 32, out);
}

/* --- values ---------------------------------------------------------------- */

bool rc_plan_is_hashed(const struct rc_value *v)
{
  return v && rc_value_kind(v) == RC_OBJECT && rc_value_len(v) == 1 &&
         !strcmp(rc_value_key(v, 0), HASH_KEY) && rc_value_str(rc_value_index(v, 0));
}

static json_t *enc(const struct rc_value *v, const char *salt, bool clear);

static json_t *marker(const char *key, json_t *steal)
{
  json_t *o = json_object();
  json_object_set_new(o, key, steal);
  return o;
}

static json_t *hashed(const struct rc_value *v, const char *salt)
{
  json_t *c = enc(v, salt, true);
  char *canon = json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
  json_decref(c);
  char h[65];
  sha256_hex(salt, strlen(salt), canon ? canon : "", canon ? strlen(canon) : 0, h);
  free(canon);
  char *s = rc_asprintf("%s:%s", salt, h);
  json_t *o = marker(HASH_KEY, json_string(s));
  rc_free(s);
  return o;
}

static json_t *enc_fields(const struct rc_value *v, const char *salt, bool clear)
{
  json_t *o = json_object();
  for (size_t i = 0; i < rc_value_len(v); i++)
    json_object_set_new(o, rc_value_key(v, i), enc(rc_value_index(v, i), salt, clear));
  return o;
}

/* clear: ignore sensitive marks (the canonical form that gets hashed). */
static json_t *enc(const struct rc_value *v, const char *salt, bool clear)
{
  if (!clear && rc_value_is_sensitive(v)) {
    if (rc_plan_is_hashed(v)) return marker(HASH_KEY, json_string(rc_value_str(rc_value_index(v, 0))));
    if (rc_value_kind(v) == RC_NULL || rc_value_kind(v) == RC_UNKNOWN)
      return marker("$sensitive", enc(v, salt, true));
    return hashed(v, salt);
  }
  switch (rc_value_kind(v)) {
  case RC_NULL: return json_null();
  case RC_BOOL: return json_boolean(rc_value_bool_get(v));
  case RC_UNKNOWN: return marker("$unknown", json_true());
  case RC_NUMBER: {
    if (rc_value_is_int(v)) return json_integer(rc_value_int_get(v));
    double d = rc_value_number_get(v);
    if (isfinite(d)) return json_real(d);
    return marker("$float", json_string(isnan(d) ? "nan" : d > 0 ? "inf" : "-inf"));
  }
  case RC_STRING: return json_stringn(rc_value_str(v), rc_value_strlen(v));
  case RC_TUPLE:
  case RC_LIST:
  case RC_SET: {
    json_t *a = json_array();
    for (size_t i = 0; i < rc_value_len(v); i++)
      json_array_append_new(a, enc(rc_value_index(v, i), salt, clear));
    if (rc_value_kind(v) == RC_TUPLE) return a;
    return marker(rc_value_kind(v) == RC_LIST ? "$list" : "$set", a);
  }
  case RC_MAP: return marker("$map", enc_fields(v, salt, clear));
  case RC_OBJECT: {
    bool dollar = false;
    for (size_t i = 0; i < rc_value_len(v) && !dollar; i++) dollar = rc_value_key(v, i)[0] == '$';
    json_t *o = enc_fields(v, salt, clear);
    return dollar ? marker("$object", o) : o;
  }
  }
  return json_null();
}

static bool valid_hash(const char *s)
{
  size_t n = strlen(s);
  if (n != 2 * SALT_BYTES + 1 + 64 || s[2 * SALT_BYTES] != ':') return false;
  for (size_t i = 0; i < n; i++)
    if (i != 2 * SALT_BYTES && !strchr("0123456789abcdef", s[i])) return false;
  return true;
}

static struct rc_value *dec(const json_t *j, int depth, struct rc_error *err);

static struct rc_value *dec_fields(const json_t *j, enum rc_kind kind, int depth,
                                   struct rc_error *err)
{
  if (!json_is_object(j)) {
    rc_error_set(err, RC_SYNTAX, "an escaped map/object is not an object");
    return NULL;
  }
  struct rc_value *o = rc_value_obj_new(kind);
  const char *k;
  json_t *it;
  json_object_foreach((json_t *)j, k, it)
  {
    struct rc_value *e = dec(it, depth + 1, err);
    if (!e) {
      rc_value_decref(o);
      return NULL;
    }
    rc_value_obj_put(o, k, e);
  }
  return o;
}

static struct rc_value *dec_seq(const json_t *j, enum rc_kind kind, int depth,
                                struct rc_error *err)
{
  if (!json_is_array(j)) {
    rc_error_set(err, RC_SYNTAX, "an escaped list/set is not an array");
    return NULL;
  }
  struct rc_value *s = rc_value_seq_new(kind);
  size_t i;
  json_t *it;
  json_array_foreach(j, i, it)
  {
    struct rc_value *e = dec(it, depth + 1, err);
    if (!e) {
      rc_value_decref(s);
      return NULL;
    }
    rc_value_seq_push(s, e);
  }
  return rc_value_seq_seal(s);
}

static struct rc_value *dec(const json_t *j, int depth, struct rc_error *err)
{
  if (depth > RC_LIMIT_NESTING) {
    rc_error_set(err, RC_TOO_BIG, "values nested deeper than %d", RC_LIMIT_NESTING);
    return NULL;
  }
  switch (json_typeof(j)) {
  case JSON_NULL: return rc_value_null();
  case JSON_TRUE: return rc_value_bool(true);
  case JSON_FALSE: return rc_value_bool(false);
  case JSON_INTEGER: return rc_value_int(json_integer_value(j));
  case JSON_REAL: return rc_value_number(json_real_value(j));
  case JSON_STRING: return rc_value_string_n(json_string_value(j), json_string_length(j));
  case JSON_ARRAY: return dec_seq(j, RC_TUPLE, depth, err);
  case JSON_OBJECT: break;
  }
  const char *k;
  json_t *it;
  bool dollar = false;
  json_object_foreach((json_t *)j, k, it) dollar |= k[0] == '$';
  if (!dollar) return dec_fields(j, RC_OBJECT, depth, err);
  if (json_object_size(j) != 1) {
    rc_error_set(err, RC_SYNTAX, "malformed escaped value");
    return NULL;
  }
  json_object_foreach((json_t *)j, k, it) break;
  if (!strcmp(k, "$unknown") && json_is_true(it)) return rc_value_unknown();
  if (!strcmp(k, "$list")) return dec_seq(it, RC_LIST, depth, err);
  if (!strcmp(k, "$set")) return dec_seq(it, RC_SET, depth, err);
  if (!strcmp(k, "$map")) return dec_fields(it, RC_MAP, depth, err);
  if (!strcmp(k, "$object")) return dec_fields(it, RC_OBJECT, depth, err);
  if (!strcmp(k, "$float") && json_is_string(it)) {
    const char *s = json_string_value(it);
    if (!strcmp(s, "inf")) return rc_value_number(INFINITY);
    if (!strcmp(s, "-inf")) return rc_value_number(-INFINITY);
    if (!strcmp(s, "nan")) return rc_value_number(NAN);
  }
  if (!strcmp(k, "$sensitive")) {
    struct rc_value *in = dec(it, depth + 1, err);
    if (!in) return NULL;
    struct rc_value *m = rc_value_mark_sensitive(in);
    rc_value_decref(in);
    return m;
  }
  if (!strcmp(k, HASH_KEY) && json_is_string(it) && valid_hash(json_string_value(it))) {
    struct rc_value *o = rc_value_obj_new(RC_OBJECT);
    rc_value_obj_put(o, HASH_KEY, rc_value_string(json_string_value(it)));
    struct rc_value *m = rc_value_mark_sensitive(o);
    rc_value_decref(o);
    return m;
  }
  rc_error_set(err, RC_SYNTAX, "unknown or malformed escaped value \"%s\"", k);
  return NULL;
}

bool rc_plan_value_matches(const struct rc_value *stored, const struct rc_value *clear)
{
  if (!stored || !clear) return stored == clear;
  if (rc_plan_is_hashed(stored)) {
    const char *s = rc_value_str(rc_value_index(stored, 0));
    char salt[2 * SALT_BYTES + 1];
    memcpy(salt, s, 2 * SALT_BYTES);
    salt[2 * SALT_BYTES] = '\0';
    json_t *h = hashed(clear, salt);
    bool same = !strcmp(json_string_value(json_object_get(h, HASH_KEY)), s);
    json_decref(h);
    return same;
  }
  if (rc_value_is_obj(stored) && rc_value_is_obj(clear)) {
    if (rc_value_len(stored) != rc_value_len(clear)) return false;
    for (size_t i = 0; i < rc_value_len(stored); i++)
      if (strcmp(rc_value_key(stored, i), rc_value_key(clear, i)) ||
          !rc_plan_value_matches(rc_value_index(stored, i), rc_value_index(clear, i)))
        return false;
    return true;
  }
  if (rc_value_is_seq(stored) && rc_value_is_seq(clear)) {
    if (rc_value_len(stored) != rc_value_len(clear)) return false;
    for (size_t i = 0; i < rc_value_len(stored); i++)
      if (!rc_plan_value_matches(rc_value_index(stored, i), rc_value_index(clear, i)))
        return false;
    return true;
  }
  if (!rc_value_is_known(stored)) return !rc_value_is_known(clear);
  return rc_value_equal(stored, clear);
}

/* --- the document ---------------------------------------------------------- */

static const char *const known_reasons[] = {
    "replace_because_tainted",        "replace_because_cannot_update",
    "replace_by_request",             "replace_by_triggers",
    "delete_because_no_resource_config", "delete_because_wrong_repetition",
    "delete_because_count_index",     "delete_because_each_key",
    "delete_because_no_module",       "delete_because_no_move_target",
    "read_because_config_unknown",    "read_because_dependency_pending",
    "read_because_check_nested",
};

/* Reasons are static strings in the model: a loaded one is interned (a
 * small process-wide list, never freed). */
static const char *intern_reason(const char *s)
{
  static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  static char *extra[64];
  static size_t nextra;
  for (size_t i = 0; i < sizeof known_reasons / sizeof *known_reasons; i++)
    if (!strcmp(known_reasons[i], s)) return known_reasons[i];
  const char *r = NULL;
  pthread_mutex_lock(&mu);
  for (size_t i = 0; i < nextra && !r; i++)
    if (!strcmp(extra[i], s)) r = extra[i];
  if (!r && nextra < sizeof extra / sizeof *extra) r = extra[nextra++] = rc_strdup(s);
  pthread_mutex_unlock(&mu);
  return r;
}

static const char *const action_names[] = {
    [RC_ACT_NOOP] = "no-op",          [RC_ACT_CREATE] = "create",
    [RC_ACT_UPDATE] = "update",       [RC_ACT_REPLACE] = "delete-create",
    [RC_ACT_REPLACE_CBD] = "create-delete", [RC_ACT_DELETE] = "delete",
    [RC_ACT_READ] = "read",
};

static json_t *jstr(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *jstrv(char *const *v, size_t n)
{
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(a, json_string(v[i]));
  return a;
}

static void put_value(json_t *o, const char *key, const struct rc_value *v, const char *salt,
                      bool force_sensitive)
{
  if (!v) return; /* absent stays absent */
  if (force_sensitive && !rc_value_is_sensitive(v)) {
    struct rc_value *m = rc_value_mark_sensitive(v);
    json_object_set_new(o, key, enc(m, salt, false));
    rc_value_decref(m);
    return;
  }
  json_object_set_new(o, key, enc(v, salt, false));
}

static json_t *to_doc(const struct rc_plan *p, const char *salt)
{
  json_t *d = json_object();
  json_object_set_new(d, "recon_plan_format", json_integer(PLAN_FORMAT));
  json_object_set_new(d, "recon_version", json_string(RECON_VERSION));
  json_object_set_new(d, "destroy", json_boolean(p->destroy));
  json_object_set_new(d, "refresh_only", json_boolean(p->refresh_only));
  json_object_set_new(d, "config_digest", jstr(p->config_digest));
  json_object_set_new(d, "lineage", jstr(p->lineage));
  json_object_set_new(d, "serial", json_integer(p->serial));
  put_value(d, "variables", p->variables, salt, false);
  json_object_set_new(d, "targets", jstrv(p->targets, p->ntargets));
  json_t *cs = json_array();
  for (size_t i = 0; i < p->nchanges; i++) {
    const struct rc_change *c = &p->changes[i];
    json_t *o = json_object();
    json_object_set_new(o, "address", jstr(c->address));
    json_object_set_new(o, "node_addr", jstr(c->node_addr));
    json_object_set_new(o, "type", jstr(c->type));
    json_object_set_new(o, "data", json_boolean(c->data));
    json_object_set_new(o, "action", json_string(action_names[c->action]));
    json_object_set_new(o, "reason", jstr(c->reason));
    put_value(o, "before", c->before, salt, false);
    put_value(o, "after", c->after, salt, false);
    json_object_set_new(o, "replace_paths", jstrv(c->replace_paths, c->nreplace));
    json_object_set_new(o, "deps", jstrv(c->deps, c->ndeps));
    json_object_set_new(o, "id", jstr(c->id));
    json_array_append_new(cs, o);
  }
  json_object_set_new(d, "changes", cs);
  json_t *ds = json_array();
  for (size_t i = 0; i < p->ndrift; i++) {
    json_t *o = json_object();
    json_object_set_new(o, "address", jstr(p->drift[i].address));
    json_object_set_new(o, "type", jstr(p->drift[i].type));
    put_value(o, "before", p->drift[i].before, salt, false);
    put_value(o, "after", p->drift[i].after, salt, false);
    json_array_append_new(ds, o);
  }
  json_object_set_new(d, "drift", ds);
  json_t *os = json_array();
  for (size_t i = 0; i < p->noutputs; i++) {
    const struct rc_output_change *oc = &p->outputs[i];
    json_t *o = json_object();
    json_object_set_new(o, "name", jstr(oc->name));
    json_object_set_new(o, "sensitive", json_boolean(oc->sensitive));
    put_value(o, "before", oc->before, salt, oc->sensitive);
    put_value(o, "after", oc->after, salt, oc->sensitive);
    json_array_append_new(os, o);
  }
  json_object_set_new(d, "outputs", os);
  return d;
}

static void checksum(const json_t *doc, char out[65])
{
  char *s = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
  sha256_hex(s ? s : "", s ? strlen(s) : 0, "", 0, out);
  free(s);
}

char *rc_plan_to_json(const struct rc_plan *p, size_t *len)
{
  unsigned char raw[SALT_BYTES];
  char salt[2 * SALT_BYTES + 1];
  if (RAND_bytes(raw, sizeof raw) != 1) {
    FILE *f = fopen("/dev/urandom", "rb");
    if (!f || fread(raw, 1, sizeof raw, f) != sizeof raw) abort(); /* no entropy: refuse */
    fclose(f);
  }
  hex(raw, sizeof raw, salt);
  json_t *d = to_doc(p, salt);
  char sum[65];
  checksum(d, sum);
  json_object_set_new(d, "checksum", json_string(sum));
  char *s = json_dumps(d, JSON_INDENT(1) | JSON_SORT_KEYS);
  json_decref(d);
  size_t n = strlen(s);
  char *r = rc_malloc(n + 2);
  memcpy(r, s, n);
  r[n] = '\n', r[n + 1] = '\0';
  free(s);
  if (len) *len = n + 1;
  return r;
}

/* --- loading --------------------------------------------------------------- */

struct ld {
  struct rc_error *err;
  const char *origin;
  bool bad;
};

static bool fail(struct ld *l, rc_status st, const char *what)
{
  if (!l->bad)
    rc_error_set(l->err, st, "plan file %s: %s", l->origin ? l->origin : "(memory)", what);
  l->bad = true;
  return false;
}

static char *get_str(struct ld *l, json_t *o, const char *key, bool required)
{
  json_t *v = json_object_get(o, key);
  if (!v || json_is_null(v)) {
    if (required) fail(l, RC_SYNTAX, "a required string field is missing");
    return NULL;
  }
  if (!json_is_string(v)) {
    fail(l, RC_SYNTAX, "a string field has another type");
    return NULL;
  }
  return rc_strndup(json_string_value(v), json_string_length(v));
}

static bool get_bool(struct ld *l, json_t *o, const char *key)
{
  json_t *v = json_object_get(o, key);
  if (!json_is_boolean(v)) return fail(l, RC_SYNTAX, "a boolean field is missing");
  return json_is_true(v);
}

static char **get_strv(struct ld *l, json_t *o, const char *key, size_t *n)
{
  json_t *a = json_object_get(o, key);
  *n = 0;
  if (!json_is_array(a)) {
    fail(l, RC_SYNTAX, "a list of strings is missing");
    return NULL;
  }
  char **v = rc_calloc(json_array_size(a) + 1, sizeof *v);
  size_t i;
  json_t *it;
  json_array_foreach(a, i, it)
  {
    if (!json_is_string(it)) {
      fail(l, RC_SYNTAX, "a list of strings holds something else");
      break;
    }
    v[(*n)++] = rc_strndup(json_string_value(it), json_string_length(it));
  }
  return v;
}

static struct rc_value *get_value(struct ld *l, json_t *o, const char *key)
{
  json_t *v = json_object_get(o, key);
  if (!v || l->bad) return NULL;
  struct rc_error e = {0};
  struct rc_value *r = dec(v, 0, &e);
  if (!r) fail(l, e.code ? e.code : RC_SYNTAX, e.msg[0] ? e.msg : "bad value");
  return r;
}

static json_t *get_array(struct ld *l, json_t *o, const char *key)
{
  json_t *a = json_object_get(o, key);
  if (!json_is_array(a)) fail(l, RC_SYNTAX, "a list field is missing");
  return json_is_array(a) ? a : NULL;
}

static void from_doc(struct ld *l, json_t *d, struct rc_plan *p)
{
  p->destroy = get_bool(l, d, "destroy");
  p->refresh_only = get_bool(l, d, "refresh_only");
  p->config_digest = get_str(l, d, "config_digest", false);
  p->lineage = get_str(l, d, "lineage", false);
  json_t *serial = json_object_get(d, "serial");
  if (!json_is_integer(serial)) fail(l, RC_SYNTAX, "serial is missing");
  p->serial = json_integer_value(serial);
  p->variables = get_value(l, d, "variables");
  p->targets = get_strv(l, d, "targets", &p->ntargets);
  json_t *a = get_array(l, d, "changes");
  size_t i;
  json_t *o;
  if (a) json_array_foreach(a, i, o)
    {
      if (l->bad) break;
      if (!json_is_object(o)) {
        fail(l, RC_SYNTAX, "a change is not an object");
        break;
      }
      struct rc_change *c = rc_plan_add_change(p);
      c->address = get_str(l, o, "address", true);
      c->node_addr = get_str(l, o, "node_addr", false);
      c->type = get_str(l, o, "type", false);
      c->data = get_bool(l, o, "data");
      json_t *act = json_object_get(o, "action");
      bool found = false;
      for (size_t k = 0; json_is_string(act) && k < sizeof action_names / sizeof *action_names; k++)
        if (!strcmp(action_names[k], json_string_value(act))) c->action = (enum rc_action)k, found = true;
      if (!found) fail(l, RC_SYNTAX, "a change has an unknown action");
      char *reason = get_str(l, o, "reason", false);
      if (reason) c->reason = intern_reason(reason);
      rc_free(reason);
      c->before = get_value(l, o, "before");
      c->after = get_value(l, o, "after");
      c->replace_paths = get_strv(l, o, "replace_paths", &c->nreplace);
      c->deps = get_strv(l, o, "deps", &c->ndeps);
      c->id = get_str(l, o, "id", false);
    }
  a = get_array(l, d, "drift");
  if (a) json_array_foreach(a, i, o)
    {
      if (l->bad) break;
      if (!json_is_object(o)) {
        fail(l, RC_SYNTAX, "a drift entry is not an object");
        break;
      }
      struct rc_drift *dr = rc_plan_add_drift(p);
      dr->address = get_str(l, o, "address", true);
      dr->type = get_str(l, o, "type", false);
      dr->before = get_value(l, o, "before");
      dr->after = get_value(l, o, "after");
    }
  a = get_array(l, d, "outputs");
  if (a) json_array_foreach(a, i, o)
    {
      if (l->bad) break;
      if (!json_is_object(o)) {
        fail(l, RC_SYNTAX, "an output is not an object");
        break;
      }
      struct rc_output_change *oc = rc_plan_add_output(p);
      oc->name = get_str(l, o, "name", true);
      oc->sensitive = get_bool(l, o, "sensitive");
      oc->before = get_value(l, o, "before");
      oc->after = get_value(l, o, "after");
    }
}

rc_status rc_plan_from_json(const char *text, size_t len, const char *origin, struct rc_plan *out,
                            struct rc_error *err)
{
  memset(out, 0, sizeof *out);
  struct ld l = {.err = err, .origin = origin};
  if (len > RC_LIMIT_STATE_SIZE) {
    fail(&l, RC_TOO_BIG, "larger than the limit");
    return RC_TOO_BIG;
  }
  json_error_t je;
  json_t *d = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
  if (!d) {
    char msg[300];
    snprintf(msg, sizeof msg, "not valid JSON (truncated or corrupt?) at line %d: %s", je.line,
             je.text);
    fail(&l, RC_SYNTAX, msg);
    return RC_SYNTAX;
  }
  rc_status st = RC_OK;
  json_t *fmt = json_is_object(d) ? json_object_get(d, "recon_plan_format") : NULL;
  if (!fmt) {
    fail(&l, RC_SYNTAX, "not a recon plan file");
    st = RC_SYNTAX;
    goto out;
  }
  if (!json_is_integer(fmt) || json_integer_value(fmt) != PLAN_FORMAT) {
    fail(&l, RC_UNSUPPORTED, "written in another plan format version than this recon reads (1)");
    st = RC_UNSUPPORTED;
    goto out;
  }
  json_t *sum = json_object_get(d, "checksum");
  if (!json_is_string(sum)) {
    fail(&l, RC_SYNTAX, "checksum missing: the file is corrupt");
    st = RC_SYNTAX;
    goto out;
  }
  char *want = rc_strdup(json_string_value(sum));
  json_object_del(d, "checksum");
  char got[65];
  checksum(d, got);
  bool same = !strcmp(got, want);
  rc_free(want);
  if (!same) {
    fail(&l, RC_SYNTAX, "checksum mismatch: the file is corrupt or was edited");
    st = RC_SYNTAX;
    goto out;
  }
  from_doc(&l, d, out);
  if (l.bad) {
    st = err && err->code ? err->code : RC_SYNTAX;
    rc_plan_free(out);
  }
out:
  json_decref(d);
  return st;
}

/* --- files --------------------------------------------------------------- */

rc_status rc_plan_save(const struct rc_plan *p, const char *path, struct rc_error *err)
{
  size_t len;
  char *text = rc_plan_to_json(p, &len);
  char *tmp = rc_asprintf("%s.tmp-XXXXXX", path);
  rc_status st = RC_OK;
  int fd = mkstemp(tmp);
  if (fd < 0) {
    st = rc_error_set(err, RC_IO, "cannot create %s: %s", tmp, strerror(errno));
    goto out;
  }
  if (fchmod(fd, 0600) != 0) {
    st = rc_error_set(err, RC_IO, "cannot chmod %s: %s", tmp, strerror(errno));
    goto fail;
  }
  for (size_t off = 0; off < len;) {
    ssize_t n = write(fd, text + off, len - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      st = rc_error_set(err, RC_IO, "cannot write %s: %s", tmp, strerror(errno));
      goto fail;
    }
    off += (size_t)n;
  }
  if (fsync(fd) != 0) {
    st = rc_error_set(err, RC_IO, "cannot fsync %s: %s", tmp, strerror(errno));
    goto fail;
  }
  if (close(fd) != 0) {
    fd = -1;
    st = rc_error_set(err, RC_IO, "cannot close %s: %s", tmp, strerror(errno));
    goto fail;
  }
  fd = -1;
  if (rename(tmp, path) != 0) {
    st = rc_error_set(err, RC_IO, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
    goto fail;
  }
  {
    char *dir = rc_strdup(path);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
      slash[1] = '\0';
    else if (slash)
      *slash = '\0';
    else
      dir[0] = '.', dir[1] = '\0';
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
      fsync(dfd);
      close(dfd);
    }
    rc_free(dir);
  }
  goto out;
fail:
  if (fd >= 0) close(fd);
  unlink(tmp);
out:
  rc_free(tmp);
  rc_free(text);
  return st;
}

rc_status rc_plan_load(const char *path, struct rc_plan *out, struct rc_error *err)
{
  memset(out, 0, sizeof *out);
  FILE *f = fopen(path, "rb");
  if (!f) return rc_error_set(err, RC_IO, "cannot open plan file %s: %s", path, strerror(errno));
  struct rc_buf b;
  rc_buf_init(&b, RC_LIMIT_STATE_SIZE);
  char chunk[65536];
  size_t n;
  rc_status st = RC_OK;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (rc_buf_append(&b, chunk, n) != RC_OK) {
      st = rc_error_set(err, RC_TOO_BIG, "plan file %s is larger than the limit", path);
      break;
    }
  }
  if (st == RC_OK && ferror(f))
    st = rc_error_set(err, RC_IO, "cannot read plan file %s: %s", path, strerror(errno));
  fclose(f);
  if (st == RC_OK) st = rc_plan_from_json(b.ptr, b.len, path, out, err);
  rc_buf_free(&b);
  return st;
}
