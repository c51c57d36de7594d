/* schema_check — the configuration loader's check of resource and data
 * blocks against the resource type table: unknown types, unknown arguments
 * and blocks (with "did you mean"), missing required arguments. */
#include <string.h>

#include "ast.h"
#include "engine_int.h"
#include "rc_suggest.h"

static const char *const meta_args[] = {"count", "for_each", "depends_on", "provider", NULL};
static const char *const meta_blocks[] = {"lifecycle", "timeouts", "dynamic", "connection",
                                          "provisioner", NULL};

static bool in_list(const char *const *l, const char *s)
{
  for (; *l; l++)
    if (strcmp(*l, s) == 0) return true;
  return false;
}

static bool is_block(const struct rc_attr *a)
{
  return a->type == RC_T_BLOCK_LIST || a->type == RC_T_BLOCK_SET;
}

static const char *suggest(const struct rc_attr *schema, const char *name, bool blocks)
{
  const char *names[256];
  size_t n = 0;
  for (const struct rc_attr *a = schema; a && a->name && n < 256; a++)
    if (is_block(a) == blocks && (a->flags & (RC_A_REQUIRED | RC_A_OPTIONAL))) names[n++] = a->name;
  return rc_suggest(name, names, n);
}

static bool check_body(const struct rc_attr *schema, const struct rc_body *body, bool top,
                       struct rc_diags *ds)
{
  bool ok = true;
  for (size_t i = 0; i < body->nattrs; i++) {
    const struct rc_attribute *at = &body->attrs[i];
    if (top && in_list(meta_args, at->name)) continue;
    const struct rc_attr *a = rc_schema_attr(schema, at->name);
    if (a && (a->flags & (RC_A_REQUIRED | RC_A_OPTIONAL))) continue;
    if (body->from_json && top && in_list(meta_blocks, at->name)) continue;
    const char *s = suggest(schema, at->name, false);
    if (a)
      rc_diags_add(ds, RC_DIAG_ERROR, &at->name_range, "Invalid or unknown key",
                   "\"%s\" is computed by AWS and cannot be set in configuration.", at->name);
    else if (s)
      rc_diags_add(ds, RC_DIAG_ERROR, &at->name_range, "Unsupported argument",
                   "An argument named \"%s\" is not expected here. Did you mean \"%s\"?",
                   at->name, s);
    else
      rc_diags_add(ds, RC_DIAG_ERROR, &at->name_range, "Unsupported argument",
                   "An argument named \"%s\" is not expected here.", at->name);
    ok = false;
  }
  for (size_t i = 0; i < body->nblocks; i++) {
    const struct rc_block *b = &body->blocks[i];
    if (top && (strcmp(b->type, "lifecycle") == 0 || strcmp(b->type, "timeouts") == 0 ||
                strcmp(b->type, "connection") == 0 || strcmp(b->type, "provisioner") == 0))
      continue;
    const char *type = b->type;
    const struct rc_body *inner = &b->body;
    if (strcmp(type, "dynamic") == 0) {
      if (b->nlabels != 1) continue; /* the loader reports the label count */
      type = b->labels[0];
      inner = NULL;
      for (size_t k = 0; k < b->body.nblocks; k++)
        if (strcmp(b->body.blocks[k].type, "content") == 0) inner = &b->body.blocks[k].body;
    }
    const struct rc_attr *a = rc_schema_attr(schema, type);
    if (!a || !is_block(a)) {
      const char *s = suggest(schema, type, true);
      rc_diags_add(ds, RC_DIAG_ERROR, &b->type_range, "Unsupported block type",
                   "Blocks of type \"%s\" are not expected here.%s%s%s", type,
                   s ? " Did you mean \"" : "", s ? s : "", s ? "\"?" : "");
      ok = false;
      continue;
    }
    if (inner && !check_body(a->block, inner, false, ds)) ok = false;
  }
  if (body->from_json) return ok; /* JSON bodies: blocks may hide in attributes */
  for (const struct rc_attr *a = schema; a && a->name; a++) {
    if (!(a->flags & RC_A_REQUIRED) || is_block(a)) continue;
    bool found = false;
    for (size_t i = 0; i < body->nattrs && !found; i++)
      found = strcmp(body->attrs[i].name, a->name) == 0;
    if (found) continue;
    rc_diags_add(ds, RC_DIAG_ERROR, &body->range, "Missing required argument",
                 "The argument \"%s\" is required, but no definition was found.", a->name);
    ok = false;
  }
  return ok;
}

bool rc_engine_check_schema(void *ud, const char *type, bool data,
                               const struct rc_body *body, struct rc_diags *ds)
{
  (void)ud;
  const struct rc_resource_type *rt = rc_resource_lookup(type, data);
  if (!rt) {
    const char *s = rc_resource_suggest(type, data);
    rc_diags_add(ds, RC_DIAG_ERROR, &body->range,
                 data ? "Invalid data source" : "Invalid resource type",
                 "recon does not support %s \"%s\".%s%s%s",
                 data ? "the data source" : "the resource type", type,
                 s ? " Did you mean \"" : "", s ? s : "", s ? "\"?" : "");
    return false;
  }
  return check_body(rt->schema, body, true, ds);
}
