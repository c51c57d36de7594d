/* json_syntax — .tf.json and .tfvars.json (hclsyntax spec.md, "JSON
 * Configuration Syntax", with Terraform's block types). jansson parses the
 * text (keys keep their order); top-level keys naming a Terraform block type
 * become blocks with that type's number of labels, everything else becomes
 * attributes whose JSON values turn into expressions: strings are parsed as
 * templates ("${var.x}" works), numbers keep integers exact. Nested objects
 * stay object expressions; body->from_json tells the config loader it may
 * read them as nested blocks when a schema says so.
 *
 * jansson gives no positions for values: element ranges point at the start
 * of the file; parse errors carry jansson's line and column. */
#include <string.h>

#include <jansson.h>

#include "lexer.h"
#include "parser_int.h"
#include "rc_alloc.h"
#include "rc_limits.h"

struct jctx {
  const struct rc_file *f;
  struct rc_arena *a;
  struct rc_diags *ds;
  struct rc_range at; /* the range every element gets */
  bool tfvars;
  int depth;
  bool too_deep;
  bool native; /* strings are native expressions (is_expr_arg), not templates */
};

static const struct {
  const char *name;
  int labels;
} block_types[] = {
  {"resource", 2}, {"data", 2},   {"variable", 1}, {"output", 1}, {"module", 1},
  {"provider", 1}, {"check", 1},  {"locals", 0},   {"terraform", 0}, {"moved", 0},
  {"import", 0},   {"removed", 0},
};

static int block_labels(const char *key)
{
  for (size_t i = 0; i < sizeof block_types / sizeof block_types[0]; i++)
    if (strcmp(block_types[i].name, key) == 0) return block_types[i].labels;
  return -1;
}

/* Nested blocks Terraform itself decodes (not provider schema blocks, which
 * stay attributes holding objects or arrays of objects): in a block of type
 * `parent`, the property `name` is a block with `labels` labels. */
static const struct {
  const char *parent, *name;
  int labels;
} nested_blocks[] = {
  {"resource", "lifecycle", 0},   {"resource", "dynamic", 1},
  {"resource", "provisioner", 1}, {"resource", "connection", 0},
  {"resource", "timeouts", 0},    {"data", "lifecycle", 0},
  {"data", "dynamic", 1},         {"data", "timeouts", 0},
  {"lifecycle", "precondition", 0}, {"lifecycle", "postcondition", 0},
  {"dynamic", "content", 0},      {"content", "dynamic", 1},
  {"variable", "validation", 0},  {"output", "precondition", 0},
  {"terraform", "backend", 1},    {"terraform", "required_providers", 0},
  {"terraform", "cloud", 0},      {"provider", "endpoints", 0},
  {"provider", "default_tags", 0}, {"provider", "assume_role", 0},
  {"check", "data", 2},           {"check", "assert", 0},
  {"removed", "lifecycle", 0},    {"removed", "provisioner", 1},
};

static int nested_labels(const char *parent, const char *key)
{
  if (!parent) return -1;
  for (size_t i = 0; i < sizeof nested_blocks / sizeof nested_blocks[0]; i++)
    if (strcmp(nested_blocks[i].parent, parent) == 0 && strcmp(nested_blocks[i].name, key) == 0)
      return nested_blocks[i].labels;
  return -1;
}

/* Arguments whose JSON strings Terraform reads as native-syntax expressions
 * (type constraints, traversals, keywords) rather than as templates, as
 * hcl's JSON expressions do for hcl.ExprAsKeyword, AbsTraversalForExpr and
 * typeexpr. "*" matches any parent. */
static const struct {
  const char *parent, *name;
} expr_args[] = {
  {"variable", "type"},       {"*", "depends_on"},        {"resource", "provider"},
  {"data", "provider"},       {"lifecycle", "ignore_changes"},
  {"lifecycle", "replace_triggered_by"}, {"module", "providers"},
  {"moved", "from"},          {"moved", "to"},            {"import", "to"},
  {"import", "provider"},     {"removed", "from"},        {"dynamic", "iterator"},
};

static bool is_expr_arg(const char *parent, const char *key)
{
  if (!parent) return false;
  for (size_t i = 0; i < sizeof expr_args / sizeof expr_args[0]; i++)
    if ((strcmp(expr_args[i].parent, "*") == 0 || strcmp(expr_args[i].parent, parent) == 0) &&
        strcmp(expr_args[i].name, key) == 0)
      return true;
  return false;
}

static bool enter(struct jctx *c)
{
  if (c->too_deep) return false;
  if (c->depth >= RC_LIMIT_NESTING) {
    rc_diags_add(c->ds, RC_DIAG_ERROR, &c->at, "Too deeply nested",
                 "JSON values may be nested at most %d levels deep.", RC_LIMIT_NESTING);
    c->too_deep = true;
    return false;
  }
  c->depth++;
  return true;
}

static struct rc_expr *node(struct jctx *c, enum rc_expr_kind k)
{
  struct rc_expr *x = rc_arena_alloc(c->a, sizeof *x);
  x->kind = k;
  x->range = c->at;
  return x;
}

static struct rc_expr *lit(struct jctx *c, struct rc_value *steal)
{
  struct rc_expr *x = node(c, RC_E_LITERAL);
  x->u.literal = steal;
  rc_arena_own_value(c->a, steal);
  return x;
}

static bool has_sequence(const char *s, size_t n)
{
  for (size_t i = 0; i + 1 < n; i++)
    if ((s[i] == '$' || s[i] == '%') && s[i + 1] == '{') return true;
  return false;
}

static struct rc_expr *string_expr(struct jctx *c, const char *s, size_t n)
{
  if (c->tfvars || !has_sequence(s, n)) return lit(c, rc_value_string_n(s, n));
  struct rc_toks toks = {0};
  rc_lex_all(c->f, s, n, RC_LEX_TEMPLATE, &c->at, &toks, c->ds);
  struct rc_parser p = {.f = c->f, .text = s, .a = c->a, .ds = c->ds, .t = toks.v,
                        .n = toks.n, .nl = true, .fixed = &c->at, .depth = c->depth};
  struct rc_expr *e = rc_parse__bare_template(&p);
  rc_lex_free(&toks);
  return e;
}

/* A JSON string read as a whole native-syntax expression ("list(string)",
 * "aws_vpc.main", "all"). */
static struct rc_expr *native_expr(struct jctx *c, const char *s, size_t n)
{
  struct rc_toks toks = {0};
  size_t before = c->ds->errors;
  rc_lex_all(c->f, s, n, RC_LEX_NORMAL, &c->at, &toks, c->ds);
  struct rc_parser p = {.f = c->f, .text = s, .a = c->a, .ds = c->ds, .t = toks.v,
                        .n = toks.n, .fixed = &c->at, .depth = c->depth};
  struct rc_expr *e = c->ds->errors > before ? NULL : rc_parse__expr(&p);
  if (e && rc_parse__peek(&p)->kind != RC_T_EOF) {
    rc_diags_add(c->ds, RC_DIAG_ERROR, &c->at, "Extra characters after expression",
                 "The JSON string \"%.*s\" must hold exactly one expression.", (int)n, s);
    e = NULL;
  }
  rc_lex_free(&toks);
  return e;
}

static struct rc_expr *json_expr(struct jctx *c, json_t *v)
{
  switch (json_typeof(v)) {
  case JSON_STRING:
    if (c->native) return native_expr(c, json_string_value(v), json_string_length(v));
    return string_expr(c, json_string_value(v), json_string_length(v));
  case JSON_INTEGER:
    return lit(c, rc_value_int(json_integer_value(v)));
  case JSON_REAL:
    return lit(c, rc_value_number(json_real_value(v)));
  case JSON_TRUE:
    return lit(c, rc_value_bool(true));
  case JSON_FALSE:
    return lit(c, rc_value_bool(false));
  case JSON_NULL:
    return lit(c, rc_value_null());
  case JSON_ARRAY: {
    if (!enter(c)) return NULL;
    struct rc_expr *x = node(c, RC_E_TUPLE);
    size_t n = json_array_size(v);
    x->u.tuple.items = n ? rc_arena_alloc(c->a, n * sizeof *x->u.tuple.items) : NULL;
    for (size_t i = 0; i < n; i++)
      if (!(x->u.tuple.items[x->u.tuple.n++] = json_expr(c, json_array_get(v, i)))) x = NULL;
    c->depth--;
    return x;
  }
  case JSON_OBJECT: {
    if (!enter(c)) return NULL;
    struct rc_expr *x = node(c, RC_E_OBJECT);
    size_t n = json_object_size(v), i = 0;
    x->u.object.keys = n ? rc_arena_alloc(c->a, n * sizeof *x->u.object.keys) : NULL;
    x->u.object.vals = n ? rc_arena_alloc(c->a, n * sizeof *x->u.object.vals) : NULL;
    const char *key;
    json_t *val;
    json_object_foreach(v, key, val) {
      x->u.object.keys[i] = lit(c, rc_value_string(key));
      if (!(x->u.object.vals[i] = json_expr(c, val))) x = NULL;
      if (!x) break;
      x->u.object.n = ++i;
    }
    c->depth--;
    return x;
  }
  }
  return NULL;
}

struct bvec {
  struct rc_attribute *attrs;
  size_t nattrs, capattrs;
  struct rc_block *blocks;
  size_t nblocks, capblocks;
};

static void fill_body(struct jctx *c, struct rc_body *body, json_t *obj, bool top,
                      const char *type);

static void add_block(struct jctx *c, struct bvec *bv, const char *type, const char **labels,
                      int nlabels, json_t *obj)
{
  struct rc_block b = {0};
  b.type = rc_arena_strndup(c->a, type, strlen(type));
  b.type_range = b.range = c->at;
  b.nlabels = (size_t)nlabels;
  if (nlabels) {
    b.labels = rc_arena_alloc(c->a, (size_t)nlabels * sizeof *b.labels);
    b.label_ranges = rc_arena_alloc(c->a, (size_t)nlabels * sizeof *b.label_ranges);
    for (int i = 0; i < nlabels; i++) {
      b.labels[i] = rc_arena_strndup(c->a, labels[i], strlen(labels[i]));
      b.label_ranges[i] = c->at;
    }
  }
  fill_body(c, &b.body, obj, false, b.type);
  if (bv->nblocks == bv->capblocks) {
    bv->capblocks = bv->capblocks ? bv->capblocks * 2 : 8;
    bv->blocks = rc_realloc(bv->blocks, bv->capblocks * sizeof *bv->blocks);
  }
  bv->blocks[bv->nblocks++] = b;
}

/* Peels `want - have` label levels off v (objects keyed by label, or arrays
 * of such), then adds one block per body object. */
static void add_blocks(struct jctx *c, struct bvec *bv, const char *type, const char **labels,
                       int have, int want, json_t *v)
{
  if (json_is_array(v)) {
    for (size_t i = 0; i < json_array_size(v); i++)
      add_blocks(c, bv, type, labels, have, want, json_array_get(v, i));
    return;
  }
  if (!json_is_object(v)) {
    rc_diags_add(c->ds, RC_DIAG_ERROR, &c->at, "Incorrect JSON value type",
                 "A JSON object (or an array of objects) is required for the %s block%s.",
                 type, have < want ? "'s labels" : "");
    return;
  }
  if (have == want) {
    add_block(c, bv, type, labels, want, v);
    return;
  }
  const char *key;
  json_t *val;
  json_object_foreach(v, key, val) {
    if (strcmp(key, "//") == 0) continue;
    labels[have] = key;
    add_blocks(c, bv, type, labels, have + 1, want, val);
  }
}

static void fill_body(struct jctx *c, struct rc_body *body, json_t *obj, bool top,
                      const char *type)
{
  struct bvec bv = {0};
  const char *key;
  json_t *val;
  body->from_json = true;
  body->range = c->at;
  if (!enter(c)) return;
  json_object_foreach(obj, key, val) {
    if (strcmp(key, "//") == 0) continue; /* comment property */
    int nl = c->tfvars ? -1 : top ? block_labels(key) : nested_labels(type, key);
    if (nl >= 0) {
      const char *labels[2] = {NULL, NULL};
      add_blocks(c, &bv, key, labels, 0, nl, val);
      continue;
    }
    c->native = !c->tfvars && !top && is_expr_arg(type, key);
    struct rc_expr *e = json_expr(c, val);
    c->native = false;
    if (!e) continue;
    if (bv.nattrs == bv.capattrs) {
      bv.capattrs = bv.capattrs ? bv.capattrs * 2 : 8;
      bv.attrs = rc_realloc(bv.attrs, bv.capattrs * sizeof *bv.attrs);
    }
    struct rc_attribute *a = &bv.attrs[bv.nattrs++];
    a->name = rc_arena_strndup(c->a, key, strlen(key));
    a->expr = e;
    a->range = a->name_range = c->at;
  }
  c->depth--;
  if (bv.nattrs) {
    body->attrs = rc_arena_alloc(c->a, bv.nattrs * sizeof *body->attrs);
    memcpy(body->attrs, bv.attrs, bv.nattrs * sizeof *body->attrs);
  }
  if (bv.nblocks) {
    body->blocks = rc_arena_alloc(c->a, bv.nblocks * sizeof *body->blocks);
    memcpy(body->blocks, bv.blocks, bv.nblocks * sizeof *body->blocks);
  }
  body->nattrs = bv.nattrs;
  body->nblocks = bv.nblocks;
  rc_free(bv.attrs);
  rc_free(bv.blocks);
}

static bool ends_with(const char *s, const char *suffix)
{
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

struct rc_body *rc_parse_json_file(const struct rc_file *f, struct rc_arena *a,
                                   struct rc_diags *ds)
{
  json_error_t jerr;
  json_t *root = json_loadb(f->text, f->len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
  struct rc_range at = {f, 0, 0};
  if (!root) {
    /* jansson's line (1-based) and column (characters, 0 at a line start) */
    size_t pos = 0;
    for (int l = 1; l < jerr.line && pos < f->len; pos++)
      if (f->text[pos] == '\n') l++;
    for (int c = 1; c < jerr.column && pos < f->len && f->text[pos] != '\n'; c++) {
      pos++;
      while (pos < f->len && ((unsigned char)f->text[pos] & 0xC0) == 0x80) pos++;
    }
    struct rc_range r = {f, (uint32_t)pos, (uint32_t)(pos < f->len ? pos + 1 : pos)};
    rc_diags_add(ds, RC_DIAG_ERROR, &r, "Invalid JSON", "%s (line %d, column %d).", jerr.text,
                 jerr.line, jerr.column);
    return NULL;
  }
  struct rc_body *body = rc_arena_alloc(a, sizeof *body);
  body->from_json = true;
  if (!json_is_object(root)) {
    rc_diags_add(ds, RC_DIAG_ERROR, &at, "Root value must be object",
                 "The root value in a JSON-based configuration must be a JSON object.");
  } else {
    struct jctx c = {.f = f, .a = a, .ds = ds, .at = at,
                     .tfvars = f->name && ends_with(f->name, ".tfvars.json")};
    fill_body(&c, body, root, true, NULL);
  }
  body->range = (struct rc_range){f, 0, (uint32_t)f->len};
  json_decref(root);
  return body;
}
