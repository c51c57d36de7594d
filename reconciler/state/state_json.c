/* state_json.c — the state document: writing (sensitive values replaced by
 * salted hashes, their paths listed) and a strict loader that names what is
 * wrong and never trusts its input (it is fuzzed). */
#include <ctype.h>
#include <inttypes.h>
#include <string.h>

#include "rc_alloc.h"
#include "rc_limits.h"
#include "state.h"
#include "state_int.h"
#include "state_json.h"

/* ---------------------------------------------------------------------
 * Paths: dotted segments, '.' and '\' inside a key escaped with '\'.
 * --------------------------------------------------------------------- */
static void path_push_key(struct rc_buf *p, const char *key)
{
  if (p->len) rc_buf_putc(p, '.');
  for (const char *c = key; *c; c++) {
    if (*c == '.' || *c == '\\') rc_buf_putc(p, '\\');
    rc_buf_putc(p, *c);
  }
}

static void path_push_index(struct rc_buf *p, size_t i)
{
  if (p->len) rc_buf_putc(p, '.');
  rc_buf_printf(p, "%zu", i);
}

static void path_pop(struct rc_buf *p, size_t len)
{
  p->len = len;
  p->ptr[len] = '\0';
}

/* ---------------------------------------------------------------------
 * Writing
 * --------------------------------------------------------------------- */
static json_t *scalar_json(const struct rc_value *v)
{
  json_t *j = rc_value_to_json(v);
  return j ? j : json_null(); /* NaN/inf have no JSON form */
}

/* Encodes v; a sensitive value becomes {"sha256": ...} and its path is
 * appended to paths. */
static json_t *encode(const struct rc_state *st, const struct rc_value *v, struct rc_buf *path,
                      json_t *paths)
{
  if (rc_value_is_sensitive(v)) {
    json_array_append_new(paths, json_string(path->ptr));
    char hash[65];
    if (rc_state_is_hashed(v))
      snprintf(hash, sizeof hash, "%s", rc_value_str(rc_value_get(v, "sha256")));
    else
      rc_state__hash(st->salt, v, hash);
    return json_pack("{s:s}", "sha256", hash);
  }
  size_t n = rc_value_len(v), mark = path->len;
  if (rc_value_is_seq(v)) {
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
      path_push_index(path, i);
      json_array_append_new(a, encode(st, rc_value_index(v, i), path, paths));
      path_pop(path, mark);
    }
    return a;
  }
  if (rc_value_is_obj(v)) {
    json_t *o = json_object();
    for (size_t i = 0; i < n; i++) {
      path_push_key(path, rc_value_key(v, i));
      json_object_set_new(o, rc_value_key(v, i), encode(st, rc_value_index(v, i), path, paths));
      path_pop(path, mark);
    }
    return o;
  }
  return scalar_json(v);
}

static json_t *str_array(const char *const *v, size_t n)
{
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(a, json_string(v[i]));
  return a;
}

/* One resource as it stands in the document: an element of "resources" at
 * depth 2, so every line after the first is indented by 4 more spaces than
 * jansson's own JSON_INDENT(2) output of the object alone. */
static char *resource_json(const struct rc_state *st, const struct rc_state_resource *r)
{
  struct rc_buf path;
  rc_buf_init(&path, 0);
  json_t *jr = json_object(), *paths = json_array();
  json_object_set_new(jr, "address", json_string(r->address));
  json_object_set_new(jr, "mode", json_string(r->mode == RC_STATE_DATA ? "data" : "managed"));
  json_object_set_new(jr, "type", json_string(r->type));
  json_object_set_new(jr, "id", json_string(r->id));
  json_object_set_new(jr, "attributes", encode(st, r->attributes, &path, paths));
  json_object_set_new(jr, "sensitive_attributes", paths);
  json_object_set_new(jr, "dependencies", str_array(r->dependencies, r->n_dependencies));
  json_object_set_new(jr, "create_before_destroy", json_boolean(r->create_before_destroy));
  rc_buf_free(&path);
  char *text = json_dumps(jr, JSON_INDENT(2) | JSON_SORT_KEYS);
  json_decref(jr);
  struct rc_buf out;
  rc_buf_init(&out, 0);
  for (const char *p = text ? text : "{}"; *p; p++) {
    rc_buf_putc(&out, *p);
    if (*p == '\n') rc_buf_puts(&out, "    "); /* strings hold no raw newline */
  }
  free(text);
  return rc_buf_detach(&out);
}

/* the top-level member only: nested ones are indented deeper, and quotes
 * inside strings are escaped */
#define RC_STATE__RESOURCES_KEY "\n  \"resources\": "
#define RC_STATE__RESOURCES_MARK RC_STATE__RESOURCES_KEY "\"@@recon-resources@@\""

char *rc_state_to_json(const struct rc_state *st, size_t *len)
{
  json_t *doc = json_object();
  json_object_set_new(doc, "version", json_integer(RC_STATE_FORMAT_VERSION));
  json_object_set_new(doc, "recon_version", json_string(RECON_VERSION));
  json_object_set_new(doc, "lineage", json_string(st->lineage));
  json_object_set_new(doc, "serial", json_integer((json_int_t)st->serial));
  json_object_set_new(doc, "salt", json_string(st->salt));
  /* the resources are spliced in from their cached texts (see res_json) */
  json_object_set_new(doc, "resources", json_string("@@recon-resources@@"));
  struct rc_buf path;
  rc_buf_init(&path, 0);
  json_t *outputs = json_object();
  for (size_t i = 0; i < st->n_outs; i++) {
    const struct rc_state__output *o = &st->outs[i];
    json_t *jo = json_object(), *paths = json_array();
    path_pop(&path, 0);
    json_object_set_new(jo, "value", encode(st, o->value, &path, paths));
    json_object_set_new(jo, "sensitive", json_boolean(o->sensitive));
    json_object_set_new(jo, "sensitive_attributes", paths);
    json_object_set_new(outputs, o->name, jo);
  }
  json_object_set_new(doc, "outputs", outputs);
  rc_buf_free(&path);
  char *text = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS);
  json_decref(doc);
  struct rc_buf out;
  rc_buf_init(&out, 0);
  const char *mark = text ? strstr(text, RC_STATE__RESOURCES_MARK) : NULL;
  if (mark) {
    rc_buf_append(&out, text, (size_t)(mark - text) + strlen(RC_STATE__RESOURCES_KEY));
    if (st->n_res == 0) rc_buf_puts(&out, "[]");
    else rc_buf_puts(&out, "[\n    ");
    struct rc_state *mut = (struct rc_state *)st; /* the cache is not state */
    for (size_t i = 0; i < st->n_res; i++) {
      if (!mut->res_json[i]) mut->res_json[i] = resource_json(st, &st->res[i]);
      if (i) rc_buf_puts(&out, ",\n    ");
      rc_buf_puts(&out, mut->res_json[i]);
    }
    if (st->n_res) rc_buf_puts(&out, "\n  ]");
    rc_buf_puts(&out, mark + strlen(RC_STATE__RESOURCES_MARK));
  } else if (text) {
    rc_buf_puts(&out, text);
  }
  rc_buf_putc(&out, '\n');
  free(text);
  if (len) *len = out.len;
  return rc_buf_detach(&out);
}

/* ---------------------------------------------------------------------
 * Loading
 * --------------------------------------------------------------------- */
struct loader {
  const char *origin;
  struct rc_error *err;
  struct rc_buf path;
  const char **want;   /* sensitive paths of the value being decoded */
  bool *found;
  size_t n_want;
};

/* JSON → value, marking the values whose path is listed as sensitive. */
static struct rc_value *decode(struct loader *L, const json_t *j)
{
  struct rc_value *v = NULL;
  size_t mark = L->path.len;
  switch (json_typeof(j)) {
  case JSON_ARRAY: {
    v = rc_value_seq_new(RC_TUPLE);
    size_t i;
    json_t *it;
    json_array_foreach(j, i, it) {
      path_push_index(&L->path, i);
      rc_value_seq_push(v, decode(L, it));
      path_pop(&L->path, mark);
    }
    break;
  }
  case JSON_OBJECT: {
    v = rc_value_obj_new(RC_OBJECT);
    const char *k;
    json_t *it;
    json_object_foreach((json_t *)j, k, it) {
      path_push_key(&L->path, k);
      rc_value_obj_put(v, k, decode(L, it));
      path_pop(&L->path, mark);
    }
    break;
  }
  default: v = rc_value_from_json(j); break;
  }
  bool hit = false;
  for (size_t i = 0; i < L->n_want; i++)
    if (strcmp(L->want[i], L->path.ptr) == 0) L->found[i] = hit = true;
  if (hit) {
    struct rc_value *m = rc_value_mark_sensitive(v);
    rc_value_decref(v);
    v = m;
  }
  return v;
}

static rc_status bad(struct loader *L, const char *what, const char *fmt, const char *detail)
{
  char msg[512];
  snprintf(msg, sizeof msg, fmt, detail ? detail : "");
  return rc_error_set(L->err, RC_ERROR, "%s: invalid state document: %s%s%s",
                      L->origin ? L->origin : "state", what, what[0] ? ": " : "", msg);
}

/* An optional string member; NULL when absent; sets *ok false on wrong type. */
static const char *opt_str(const json_t *o, const char *key, bool *ok)
{
  json_t *j = json_object_get(o, key);
  if (!j || json_is_null(j)) return NULL;
  if (!json_is_string(j)) {
    *ok = false;
    return NULL;
  }
  return json_string_value(j);
}

/* Reads a list of strings; NULL (with error) on wrong types. */
static char **str_list(struct loader *L, const json_t *a, const char *what, size_t *n)
{
  *n = 0;
  if (!a || json_is_null(a)) return rc_calloc(1, sizeof(char *));
  if (!json_is_array(a)) {
    bad(L, what, "expected a list of strings%s", NULL);
    return NULL;
  }
  size_t m = json_array_size(a);
  char **v = rc_calloc(m ? m : 1, sizeof *v);
  for (size_t i = 0; i < m; i++) {
    json_t *s = json_array_get(a, i);
    if (!json_is_string(s)) {
      for (size_t k = 0; k < i; k++) rc_free(v[k]);
      rc_free(v);
      bad(L, what, "expected a list of strings%s", NULL);
      return NULL;
    }
    v[i] = rc_strdup(json_string_value(s));
  }
  *n = m;
  return v;
}

static void free_list(char **v, size_t n)
{
  if (!v) return;
  for (size_t i = 0; i < n; i++) rc_free(v[i]);
  rc_free(v);
}

/* Decodes a value with its sensitive paths; NULL with error when a listed
 * path names nothing. */
static struct rc_value *decode_marked(struct loader *L, const json_t *j, const json_t *paths,
                                      const char *what)
{
  size_t n = 0;
  char **want = str_list(L, paths, what, &n);
  if (!want) return NULL;
  bool *found = rc_calloc(n ? n : 1, sizeof *found);
  L->want = (const char **)want, L->found = found, L->n_want = n;
  path_pop(&L->path, 0);
  struct rc_value *v = decode(L, j);
  L->want = NULL, L->found = NULL, L->n_want = 0;
  for (size_t i = 0; i < n && v; i++)
    if (!found[i]) {
      bad(L, what, "sensitive path \"%s\" names no value", want[i]);
      rc_value_decref(v);
      v = NULL;
    }
  rc_free(found);
  free_list(want, n);
  return v;
}

/* ---------------------------------------------------------------------
 * Resource instance addresses:
 *   (module.NAME[KEY]?.)* (data.)? TYPE.NAME [KEY]? (#deposed)?
 * KEY is [N] or ["string"] (escapes as HCL renders them); names are
 * Terraform identifiers. "#deposed" is recon's own suffix for the object a
 * create-before-destroy replacement set aside.
 * --------------------------------------------------------------------- */
static const char *ident_end(const char *p)
{
  if (!isalpha((unsigned char)*p) && *p != '_') return NULL;
  for (p++; isalnum((unsigned char)*p) || *p == '_' || *p == '-'; p++) {
  }
  return p;
}

/* Past an instance key at p ('[' ... ']'); NULL when malformed. */
static const char *key_end(const char *p)
{
  p++;
  if (*p == '"') {
    for (p++; *p != '"'; p++) {
      if (!*p || (unsigned char)*p < 0x20) return NULL;
      if (*p == '\\' && !*++p) return NULL;
    }
    p++;
  } else {
    if (!isdigit((unsigned char)*p)) return NULL;
    while (isdigit((unsigned char)*p)) p++;
  }
  return *p == ']' ? p + 1 : NULL;
}

/* Whether address is a resource instance address of this type; *data tells
 * whether it names a data source. False with the reason in why. */
static bool address_ok(const char *address, const char *type, bool *data_out, char *why,
                       size_t whysz)
{
  const char *p = address;
  while (strncmp(p, "module.", 7) == 0) {
    const char *q = ident_end(p + 7);
    if (q && *q == '[') q = key_end(q);
    if (!q || *q != '.') {
      snprintf(why, whysz, "a malformed module path");
      return false;
    }
    p = q + 1;
  }
  bool data = strncmp(p, "data.", 5) == 0;
  if (data) p += 5;
  const char *te = ident_end(p);
  const char *ne = te && *te == '.' ? ident_end(te + 1) : NULL;
  if (!ne) {
    snprintf(why, whysz, "not of the form [module.NAME.][data.]TYPE.NAME[KEY]");
    return false;
  }
  if (*ne == '[') ne = key_end(ne);
  if (!ne) {
    snprintf(why, whysz, "a malformed instance key (expected [N] or [\"key\"])");
    return false;
  }
  if (!data && strcmp(ne, "#deposed") == 0) ne += 8;
  if (*ne) {
    snprintf(why, whysz, "unexpected \"%.40s\" after the resource name", ne);
    return false;
  }
  size_t tl = (size_t)(te - p);
  if (strlen(type) != tl || strncmp(p, type, tl) != 0) {
    snprintf(why, whysz, "it names type \"%.*s\" but the resource's \"type\" is \"%.80s\"",
             (int)(tl > 80 ? 80 : tl), p, type);
    return false;
  }
  *data_out = data;
  return true;
}

static rc_status load_resource(struct loader *L, struct rc_state *st, const json_t *jr,
                               size_t idx)
{
  char what[96];
  snprintf(what, sizeof what, "resources[%zu]", idx);
  if (!json_is_object(jr)) return bad(L, what, "expected an object%s", NULL);
  bool ok = true;
  const char *address = opt_str(jr, "address", &ok), *type = opt_str(jr, "type", &ok),
             *mode = opt_str(jr, "mode", &ok), *id = opt_str(jr, "id", &ok);
  if (!ok) return bad(L, what, "address, type, mode and id must be strings%s", NULL);
  if (!address || !address[0]) return bad(L, what, "missing \"address\"%s", NULL);
  if (!type || !type[0]) return bad(L, what, "missing \"type\"%s", NULL);
  struct rc_state_resource r = {.address = address, .type = type, .id = id ? id : ""};
  if (mode && strcmp(mode, "managed") == 0) r.mode = RC_STATE_MANAGED;
  else if (mode && strcmp(mode, "data") == 0) r.mode = RC_STATE_DATA;
  else if (mode) return bad(L, what, "mode must be \"managed\" or \"data\", not \"%s\"", mode);
  /* the address is what apply matches configuration by: one that names no
   * instance of this type would have the live object destroyed and created */
  char why[200], detail[512];
  bool data = false;
  if (!address_ok(address, type, &data, why, sizeof why)) {
    snprintf(detail, sizeof detail, "\"%.160s\" is not a valid resource instance address: %s",
             address, why);
    return bad(L, what, "%s", detail);
  }
  if (!mode) r.mode = data ? RC_STATE_DATA : RC_STATE_MANAGED;
  if (data != (r.mode == RC_STATE_DATA)) {
    snprintf(detail, sizeof detail, "\"%.160s\" is a %s address but \"mode\" is \"%s\"",
             address, data ? "data source" : "managed resource", mode);
    return bad(L, what, "%s", detail);
  }
  if (strlen(address) < 80) snprintf(what, sizeof what, "resource %s", address);
  if (rc_state_find(st, address)) return bad(L, what, "duplicate address%s", NULL);
  json_t *cbd = json_object_get(jr, "create_before_destroy");
  if (cbd && !json_is_null(cbd) && !json_is_boolean(cbd))
    return bad(L, what, "create_before_destroy must be a boolean%s", NULL);
  r.create_before_destroy = cbd && json_is_true(cbd);
  json_t *attrs = json_object_get(jr, "attributes");
  if (attrs && !json_is_null(attrs) && !json_is_object(attrs))
    return bad(L, what, "attributes must be an object%s", NULL);
  json_t *empty = NULL;
  if (!attrs || json_is_null(attrs)) attrs = empty = json_object();
  r.attributes = decode_marked(L, attrs, json_object_get(jr, "sensitive_attributes"), what);
  json_decref(empty);
  if (!r.attributes) return RC_ERROR;
  size_t nd = 0;
  char **deps = str_list(L, json_object_get(jr, "dependencies"), what, &nd);
  if (!deps) {
    rc_value_decref(r.attributes);
    return RC_ERROR;
  }
  r.dependencies = (const char *const *)deps;
  r.n_dependencies = nd;
  rc_state_put(st, &r);
  rc_value_decref(r.attributes);
  free_list(deps, nd);
  return RC_OK;
}

static rc_status load_output(struct loader *L, struct rc_state *st, const char *name,
                             const json_t *jo)
{
  char what[160];
  snprintf(what, sizeof what, "output \"%.120s\"", name);
  if (!json_is_object(jo)) return bad(L, what, "expected an object%s", NULL);
  json_t *val = json_object_get(jo, "value"), *sens = json_object_get(jo, "sensitive");
  if (!val) return bad(L, what, "missing \"value\"%s", NULL);
  if (sens && !json_is_boolean(sens)) return bad(L, what, "sensitive must be a boolean%s", NULL);
  struct rc_value *v = decode_marked(L, val, json_object_get(jo, "sensitive_attributes"), what);
  if (!v) return RC_ERROR;
  rc_state_output_set(st, name, v, sens && json_is_true(sens));
  rc_value_decref(v);
  return RC_OK;
}

static bool all_hex(const char *s)
{
  for (; *s; s++)
    if (!isxdigit((unsigned char)*s)) return false;
  return true;
}

static rc_status load_doc(struct loader *L, struct rc_state *st, const json_t *doc)
{
  if (!json_is_object(doc)) return bad(L, "", "the document is not a JSON object%s", NULL);
  json_t *ver = json_object_get(doc, "version");
  if (!ver) return bad(L, "", "missing \"version\"%s", NULL);
  if (!json_is_integer(ver)) return bad(L, "", "\"version\" must be an integer%s", NULL);
  if (json_integer_value(ver) != RC_STATE_FORMAT_VERSION)
    return rc_error_set(L->err, RC_UNSUPPORTED,
                        "%s: state format version %" JSON_INTEGER_FORMAT
                        " is not supported (this recon reads version %d)",
                        L->origin ? L->origin : "state", json_integer_value(ver),
                        RC_STATE_FORMAT_VERSION);
  bool ok = true;
  const char *lineage = opt_str(doc, "lineage", &ok), *salt = opt_str(doc, "salt", &ok),
             *rv = opt_str(doc, "recon_version", &ok);
  if (!ok) return bad(L, "", "lineage, salt and recon_version must be strings%s", NULL);
  if (!lineage || !lineage[0] || strlen(lineage) > 64)
    return bad(L, "", "missing or malformed \"lineage\"%s", NULL);
  size_t sl = salt ? strlen(salt) : 0;
  if (sl < 16 || sl >= sizeof st->salt || !all_hex(salt))
    return bad(L, "", "missing or malformed \"salt\" (16 to 128 hex digits)%s", NULL);
  json_t *serial = json_object_get(doc, "serial");
  if (!serial || !json_is_integer(serial) || json_integer_value(serial) < 0)
    return bad(L, "", "\"serial\" must be a non-negative integer%s", NULL);
  st->lineage = rc_strdup(lineage);
  memcpy(st->salt, salt, sl + 1);
  st->serial = (uint64_t)json_integer_value(serial);
  rc_free(st->recon_version);
  st->recon_version = rc_strdup(rv ? rv : "");

  json_t *res = json_object_get(doc, "resources");
  if (res && !json_is_null(res)) {
    if (!json_is_array(res)) return bad(L, "", "\"resources\" must be a list%s", NULL);
    size_t i;
    json_t *jr;
    json_array_foreach(res, i, jr) {
      rc_status s = load_resource(L, st, jr, i);
      if (s) return s;
    }
  }
  json_t *outs = json_object_get(doc, "outputs");
  if (outs && !json_is_null(outs)) {
    if (!json_is_object(outs)) return bad(L, "", "\"outputs\" must be an object%s", NULL);
    const char *k;
    json_t *jo;
    json_object_foreach(outs, k, jo) {
      rc_status s = load_output(L, st, k, jo);
      if (s) return s;
    }
  }
  return RC_OK;
}

struct rc_state *rc_state_from_json(const char *text, size_t len, const char *origin,
                                    struct rc_error *err)
{
  const char *name = origin ? origin : "state";
  if (len > RC_LIMIT_STATE_SIZE) {
    rc_error_set(err, RC_TOO_BIG, "%s: state document of %zu bytes exceeds the limit of %u",
                 name, len, RC_LIMIT_STATE_SIZE);
    return NULL;
  }
  if (len == 0) {
    rc_error_set(err, RC_SYNTAX, "%s: state document is empty", name);
    return NULL;
  }
  json_error_t je;
  json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
  if (!doc) {
    rc_error_set(err, RC_SYNTAX,
                 "%s: state document is not valid JSON (truncated or corrupted?) at line %d, "
                 "column %d: %s",
                 name, je.line, je.column, je.text);
    return NULL;
  }
  struct loader L = {.origin = origin, .err = err};
  rc_buf_init(&L.path, 0);
  struct rc_state *st = rc_state__alloc();
  struct rc_error local;
  rc_error_clear(&local);
  if (!err) L.err = &local;
  rc_status s = load_doc(&L, st, doc);
  rc_buf_free(&L.path);
  json_decref(doc);
  if (s != RC_OK) {
    rc_state_free(st);
    return NULL;
  }
  return st;
}
