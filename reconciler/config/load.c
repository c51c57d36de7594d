/* load — reading module directories (*.tf, *.tf.json, sorted), the blocks of
 * the Terraform language into declarations, the module tree (local sources),
 * structure checks (unknown blocks/arguments with "did you mean",
 * duplicates naming both places), the configuration digest. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_int.h"
#include "rc_alloc.h"
#include "rc_buf.h"
#include "rc_limits.h"
#include "rc_suggest.h"
#include "types.h"

#define GROW(arr, n, cap)                                          \
  do {                                                             \
    if ((n) == (cap)) {                                            \
      (cap) = (cap) ? (cap) * 2 : 8;                               \
      (arr) = rc_realloc((arr), (cap) * sizeof *(arr));            \
    }                                                              \
  } while (0)

/* --- small helpers --- */

const char *rc_config__own(struct rc_config *cfg, char *steal)
{
  GROW(cfg->strings, cfg->nstrings, cfg->capstrings);
  cfg->strings[cfg->nstrings++] = steal;
  return steal;
}

char *rc_config__where(const struct rc_range *r)
{
  if (!r || !r->file) return rc_strdup("(unknown)");
  int l1, c1, l2, c2;
  rc_file_linecol(r->file, r->start, &l1, &c1);
  rc_file_linecol(r->file, r->end, &l2, &c2);
  if (l1 == l2) return rc_asprintf("%s:%d,%d-%d", r->file->name, l1, c1, c2);
  return rc_asprintf("%s:%d,%d-%d,%d", r->file->name, l1, c1, l2, c2);
}

bool rc_config__const_string(const struct rc_expr *e, const char **out)
{
  if (!e) return false;
  if (e->kind == RC_E_LITERAL && rc_value_kind(e->u.literal) == RC_STRING) {
    *out = rc_value_str(e->u.literal);
    return true;
  }
  if (e->kind == RC_E_TEMPLATE && e->u.tmpl.n == 0) {
    *out = "";
    return true;
  }
  if (e->kind == RC_E_TEMPLATE && e->u.tmpl.n == 1 && e->u.tmpl.parts[0]->kind == RC_E_LITERAL &&
      rc_value_kind(e->u.tmpl.parts[0]->u.literal) == RC_STRING) {
    *out = rc_value_str(e->u.tmpl.parts[0]->u.literal);
    return true;
  }
  return false;
}

struct rc_value *rc_config__const(const struct rc_expr *e, struct rc_diags *ds)
{
  struct rc_scope none = {0};
  return rc_eval(e, &none, ds);
}

static void addr_key(struct rc_buf *b, const struct rc_value *k)
{
  if (rc_value_kind(k) == RC_STRING) {
    rc_buf_puts(b, "[");
    struct rc_buf tmp;
    rc_buf_init(&tmp, 0);
    rc_value_render(k, &tmp);
    rc_buf_append(b, tmp.ptr, tmp.len);
    rc_buf_free(&tmp);
    rc_buf_puts(b, "]");
  } else {
    char num[64];
    rc_value_format_number(k, num, sizeof num);
    rc_buf_printf(b, "[%s]", num);
  }
}

char *rc_config__traversal_addr(const struct rc_expr *e)
{
  const char *parts[64];
  char nums[64][24];
  size_t n = rc_eval_ref_parts(e, parts, NULL, 64, nums);
  if (n == 0) return NULL;
  /* rebuild with index keys in brackets: walk the chain again */
  const struct rc_expr *chain[64];
  size_t m = 0;
  for (const struct rc_expr *x = e; x && m < 64;) {
    chain[m++] = x;
    if (x->kind == RC_E_GETATTR)
      x = x->u.getattr.obj;
    else if (x->kind == RC_E_INDEX)
      x = x->u.index.obj;
    else
      break;
  }
  struct rc_buf b;
  rc_buf_init(&b, 0);
  for (size_t i = m; i-- > 0;) {
    const struct rc_expr *x = chain[i];
    if (x->kind == RC_E_VARIABLE) {
      rc_buf_puts(&b, x->u.var.name);
    } else if (x->kind == RC_E_GETATTR) {
      rc_buf_printf(&b, ".%s", x->u.getattr.name);
    } else if (x->kind == RC_E_INDEX && x->u.index.key->kind == RC_E_LITERAL) {
      addr_key(&b, x->u.index.key->u.literal);
    } else {
      const char *s;
      if (x->kind == RC_E_INDEX && rc_config__const_string(x->u.index.key, &s)) {
        struct rc_value *sv = rc_value_string(s);
        addr_key(&b, sv);
        rc_value_decref(sv);
        continue;
      }
      rc_buf_free(&b);
      return NULL;
    }
  }
  return rc_buf_detach(&b);
}

static bool valid_name(const char *s)
{
  if (!s || !*s) return false;
  if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_')) return false;
  for (const char *p = s; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
          *p == '_' || *p == '-'))
      return false;
  return true;
}

static bool in_list(const char *name, const char *const *list)
{
  for (size_t i = 0; list[i]; i++)
    if (strcmp(list[i], name) == 0) return true;
  return false;
}

static void unsupported_arg(struct rc_diags *ds, const struct rc_attribute *a,
                            const char *const *allowed)
{
  const char *s = rc_suggest(a->name, allowed, (size_t)-1);
  if (s)
    rc_diags_add(ds, RC_DIAG_ERROR, &a->name_range, "Unsupported argument",
                 "An argument named \"%s\" is not expected here. Did you mean \"%s\"?", a->name,
                 s);
  else
    rc_diags_add(ds, RC_DIAG_ERROR, &a->name_range, "Unsupported argument",
                 "An argument named \"%s\" is not expected here.", a->name);
}

static void unsupported_block(struct rc_diags *ds, const struct rc_block *b,
                              const char *const *allowed)
{
  const char *s = allowed ? rc_suggest(b->type, allowed, (size_t)-1) : NULL;
  if (s)
    rc_diags_add(ds, RC_DIAG_ERROR, &b->type_range, "Unsupported block type",
                 "Blocks of type \"%s\" are not expected here. Did you mean \"%s\"?", b->type, s);
  else
    rc_diags_add(ds, RC_DIAG_ERROR, &b->type_range, "Unsupported block type",
                 "Blocks of type \"%s\" are not expected here.", b->type);
}

/* Checks a body has only the allowed attributes and block types. */
static bool check_body(struct rc_diags *ds, const struct rc_body *b, const char *const *attrs,
                       const char *const *blocks)
{
  size_t before = ds->errors;
  static const char *const none[] = {NULL};
  for (size_t i = 0; i < b->nattrs; i++)
    if (!in_list(b->attrs[i].name, attrs ? attrs : none))
      unsupported_arg(ds, &b->attrs[i], attrs ? attrs : none);
  for (size_t i = 0; i < b->nblocks; i++)
    if (!in_list(b->blocks[i].type, blocks ? blocks : none))
      unsupported_block(ds, &b->blocks[i], blocks ? blocks : none);
  return ds->errors == before;
}

static const struct rc_attribute *attr(const struct rc_body *b, const char *name)
{
  for (size_t i = 0; i < b->nattrs; i++)
    if (strcmp(b->attrs[i].name, name) == 0) return &b->attrs[i];
  return NULL;
}

static const struct rc_expr *attr_expr(const struct rc_body *b, const char *name)
{
  const struct rc_attribute *a = attr(b, name);
  return a ? a->expr : NULL;
}

static bool const_bool(const struct rc_body *b, const char *name, bool dflt, struct rc_diags *ds)
{
  const struct rc_expr *e = attr_expr(b, name);
  if (!e) return dflt;
  struct rc_value *v = rc_config__const(e, ds);
  if (!v) return dflt;
  bool r = dflt;
  if (rc_value_kind(v) == RC_BOOL)
    r = rc_value_bool_get(v);
  else
    rc_diags_add(ds, RC_DIAG_ERROR, &e->range, "Invalid value",
                 "The argument \"%s\" must be true or false.", name);
  rc_value_decref(v);
  return r;
}

static bool check_labels(struct rc_diags *ds, const struct rc_block *b, size_t want,
                         const char *names)
{
  if (b->nlabels < want) {
    char sum[128];
    snprintf(sum, sizeof sum, "Missing name for %s", b->type);
    rc_diags_add(ds, RC_DIAG_ERROR, &b->type_range, sum,
                 "All %s blocks must have %zu label%s (%s).", b->type, want, want == 1 ? "" : "s",
                 names);
    return false;
  }
  if (b->nlabels > want) {
    char sum[128];
    snprintf(sum, sizeof sum, "Extraneous label for %s", b->type);
    if (want)
      rc_diags_add(ds, RC_DIAG_ERROR, &b->label_ranges[want], sum,
                   "Only %zu label%s (%s) %s expected for %s blocks.", want,
                   want == 1 ? "" : "s", names, want == 1 ? "is" : "are", b->type);
    else
      rc_diags_add(ds, RC_DIAG_ERROR, &b->label_ranges[0], sum,
                   "No labels are expected for %s blocks.", b->type);
    return false;
  }
  for (size_t i = 0; i < want; i++)
    if (!valid_name(b->labels[i])) {
      char sum[128];
      snprintf(sum, sizeof sum, "Invalid %s name", b->type);
      rc_diags_add(ds, RC_DIAG_ERROR, &b->label_ranges[i], sum,
                   "A name must start with a letter or underscore and may contain only letters, "
                   "digits, underscores, and dashes.");
      return false;
    }
  return true;
}

static void duplicate(struct rc_diags *ds, const struct rc_range *here,
                      const struct rc_range *first, const char *summary, const char *what,
                      const char *tail)
{
  char *w = rc_config__where(first);
  rc_diags_add(ds, RC_DIAG_ERROR, here, summary, "%s was already declared at %s. %s", what, w,
               tail);
  rc_free(w);
}

/* --- blocks --- */

static const char *const top_blocks[] = {"terraform", "provider", "variable", "locals", "output",
                                         "module",    "resource", "data",     "moved",  "import",
                                         NULL};

static void load_terraform(struct rc_config *cfg, struct rc_mod *m, const struct rc_block *b,
                           struct rc_diags *ds)
{
  static const char *const a[] = {"required_version", "experiments", NULL};
  static const char *const bl[] = {"backend", "required_providers", "cloud", NULL};
  if (!check_labels(ds, b, 0, "")) return;
  check_body(ds, &b->body, a, bl);
  const struct rc_expr *rv = attr_expr(&b->body, "required_version");
  const char *s;
  if (rv && !rc_config__const_string(rv, &s))
    rc_diags_add(ds, RC_DIAG_ERROR, &rv->range, "Invalid required_version",
                 "The required_version argument must be a version constraint string.");
  for (size_t i = 0; i < b->body.nblocks; i++) {
    const struct rc_block *x = &b->body.blocks[i];
    if (strcmp(x->type, "cloud") == 0) {
      rc_diags_add(ds, RC_DIAG_ERROR, &x->type_range, "Unsupported block type",
                   "recon does not support HCP Terraform (cloud {} blocks); use a backend.");
      continue;
    }
    if (strcmp(x->type, "backend") != 0) continue;
    if (!check_labels(ds, x, 1, "type")) continue;
    if (m->parent) continue; /* only the root's backend counts */
    if (cfg->backend_type) {
      rc_diags_add(ds, RC_DIAG_ERROR, &x->type_range, "Duplicate backend configuration",
                   "A module may have only one backend configuration.");
      continue;
    }
    struct rc_value *o = rc_value_obj_new(RC_OBJECT);
    for (size_t j = 0; j < x->body.nattrs; j++) {
      struct rc_value *v = rc_config__const(x->body.attrs[j].expr, ds);
      if (v) rc_value_obj_put(o, x->body.attrs[j].name, v);
    }
    cfg->backend_type = rc_strdup(x->labels[0]);
    cfg->backend_val = o;
  }
}

static const char *const provider_args[] = {
    "region", "profile", "alias", "access_key", "secret_key", "token", "shared_config_files",
    "shared_credentials_files", "skip_credentials_validation", "skip_metadata_api_check",
    "skip_region_validation", "skip_requesting_account_id", "skip_get_ec2_platforms",
    "s3_use_path_style", "s3_force_path_style", "max_retries", "insecure", "allowed_account_ids",
    "forbidden_account_ids", "sts_region", "http_proxy", "https_proxy", "no_proxy", "retry_mode",
    "custom_ca_bundle", "ec2_metadata_service_endpoint", "ec2_metadata_service_endpoint_mode",
    "use_fips_endpoint", "use_dualstack_endpoint", NULL};
static const char *const provider_blocks[] = {"endpoints", "default_tags", "assume_role",
                                              "ignore_tags", NULL};

static void load_provider(struct rc_config *cfg, struct rc_mod *m, const struct rc_block *b,
                          struct rc_diags *ds)
{
  if (!check_labels(ds, b, 1, "name")) return;
  if (strcmp(b->labels[0], "aws") != 0) {
    rc_diags_add(ds, RC_DIAG_ERROR, &b->label_ranges[0], "Unsupported provider",
                 "recon manages AWS resources only; provider \"%s\" is not supported.",
                 b->labels[0]);
    return;
  }
  check_body(ds, &b->body, provider_args, provider_blocks);
  if (attr(&b->body, "alias")) {
    rc_diags_add(ds, RC_DIAG_WARNING, &attr(&b->body, "alias")->name_range,
                 "Provider alias ignored",
                 "recon uses one AWS provider configuration; this aliased provider block is "
                 "ignored.");
    return;
  }
  if (m->parent) {
    rc_diags_add(ds, RC_DIAG_WARNING, &b->type_range, "Provider configuration in a child module",
                 "recon uses the root module's provider configuration; this block is ignored.");
    return;
  }
  if (m->provider) {
    duplicate(ds, &b->range, &m->provider->range, "Duplicate provider configuration",
              "A default (non-aliased) provider configuration for \"aws\"",
              "Each provider may have at most one default configuration.");
    return;
  }
  (void)cfg;
  m->provider = b;
}

static void load_variable(struct rc_mod *m, const struct rc_block *b, struct rc_diags *ds)
{
  static const char *const a[] = {"type", "default", "description", "sensitive", "nullable",
                                  "ephemeral", NULL};
  static const char *const bl[] = {"validation", NULL};
  if (!check_labels(ds, b, 1, "name")) return;
  const char *name = b->labels[0];
  static const char *const reserved[] = {"source",    "version", "providers", "count",
                                         "for_each",  "lifecycle", "depends_on", "locals",
                                         NULL};
  if (in_list(name, reserved)) {
    rc_diags_add(ds, RC_DIAG_ERROR, &b->label_ranges[0], "Invalid variable name",
                 "The variable name \"%s\" is reserved due to its special meaning inside module "
                 "blocks.",
                 name);
    return;
  }
  for (size_t i = 0; i < m->nvars; i++)
    if (strcmp(m->vars[i].name, name) == 0) {
      char what[300];
      snprintf(what, sizeof what, "A variable named \"%s\"", name);
      duplicate(ds, &b->range, &m->vars[i].blk->range, "Duplicate variable declaration", what,
                "Variable names must be unique within a module.");
      return;
    }
  check_body(ds, &b->body, a, bl);
  struct rc_vdecl v = {0};
  v.name = name;
  v.blk = b;
  v.nullable = const_bool(&b->body, "nullable", true, ds);
  v.sensitive = const_bool(&b->body, "sensitive", false, ds);
  const struct rc_expr *te = attr_expr(&b->body, "type");
  if (te) {
    v.type = rc_types_from_expr(te, ds);
    if (!v.type) return;
  }
  v.dflt = attr_expr(&b->body, "default");
  if (v.dflt) {
    struct rc_value *d = rc_config__const(v.dflt, ds);
    if (!d) {
      rc_type_free(v.type);
      return;
    }
    if (rc_value_is_null(d) && !v.nullable) { /* Terraform's configs/named_values.go */
      rc_diags_add(ds, RC_DIAG_ERROR, &v.dflt->range, "Invalid default value for variable",
                   "A null default value is not valid when nullable=false.");
      rc_value_decref(d);
      rc_type_free(v.type);
      return;
    }
    if (v.type && !rc_value_is_null(d)) {
      char *err = NULL;
      struct rc_value *c = rc_types_convert(d, v.type, &err);
      if (!c) {
        rc_diags_add(ds, RC_DIAG_ERROR, &v.dflt->range, "Invalid default value for variable",
                     "This default value is not compatible with the variable's type "
                     "constraint: %s.",
                     err ? err : "conversion failed");
        rc_free(err);
        rc_value_decref(d);
        rc_type_free(v.type);
        return;
      }
      rc_value_decref(d);
      d = c;
    }
    v.dflt_val = d;
  }
  for (size_t i = 0; i < b->body.nblocks; i++) {
    const struct rc_block *vb = &b->body.blocks[i];
    if (strcmp(vb->type, "validation") != 0) continue;
    static const char *const va[] = {"condition", "error_message", NULL};
    check_labels(ds, vb, 0, "");
    check_body(ds, &vb->body, va, NULL);
    if (!attr(&vb->body, "condition") || !attr(&vb->body, "error_message")) {
      rc_diags_add(ds, RC_DIAG_ERROR, &vb->type_range, "Missing required argument",
                   "A validation block needs both \"condition\" and \"error_message\".");
      continue;
    }
    v.validations = rc_realloc(v.validations, (v.nvalidations + 1) * sizeof *v.validations);
    v.validations[v.nvalidations++] = vb;
  }
  GROW(m->vars, m->nvars, m->capvars);
  m->vars[m->nvars++] = v;
}

static void load_locals(struct rc_mod *m, const struct rc_block *b, struct rc_diags *ds)
{
  if (!check_labels(ds, b, 0, "")) return;
  for (size_t i = 0; i < b->body.nblocks; i++)
    unsupported_block(ds, &b->body.blocks[i], NULL);
  for (size_t i = 0; i < b->body.nattrs; i++) {
    const struct rc_attribute *a = &b->body.attrs[i];
    bool dup = false;
    for (size_t j = 0; j < m->nlocals && !dup; j++)
      if (strcmp(m->locals[j].attr->name, a->name) == 0) {
        char what[300];
        snprintf(what, sizeof what, "A local value named \"%s\"", a->name);
        duplicate(ds, &a->range, &m->locals[j].attr->range, "Duplicate local value definition",
                  what, "Local value names must be unique within a module.");
        dup = true;
      }
    if (dup) continue;
    GROW(m->locals, m->nlocals, m->caplocals);
    m->locals[m->nlocals++] = (struct rc_ldecl){.attr = a};
  }
}

static void load_output(struct rc_mod *m, const struct rc_block *b, struct rc_diags *ds)
{
  static const char *const a[] = {"value", "description", "sensitive", "depends_on", "ephemeral",
                                  NULL};
  static const char *const bl[] = {"precondition", NULL};
  if (!check_labels(ds, b, 1, "name")) return;
  for (size_t i = 0; i < m->noutputs; i++)
    if (strcmp(m->outputs[i].name, b->labels[0]) == 0) {
      char what[300];
      snprintf(what, sizeof what, "An output named \"%s\"", b->labels[0]);
      duplicate(ds, &b->range, &m->outputs[i].blk->range, "Duplicate output definition", what,
                "Output names must be unique within a module.");
      return;
    }
  check_body(ds, &b->body, a, bl);
  const struct rc_expr *v = attr_expr(&b->body, "value");
  if (!v) {
    rc_diags_add(ds, RC_DIAG_ERROR, &b->type_range, "Missing required argument",
                 "The argument \"value\" is required, but no definition was found.");
    return;
  }
  GROW(m->outputs, m->noutputs, m->capoutputs);
  m->outputs[m->noutputs++] = (struct rc_odecl){.name = b->labels[0], .blk = b, .value = v,
                                                .sensitive = const_bool(&b->body, "sensitive",
                                                                        false, ds)};
}

static bool check_count_foreach(const struct rc_body *body, struct rc_diags *ds)
{
  const struct rc_attribute *c = attr(body, "count"), *f = attr(body, "for_each");
  if (c && f) {
    rc_diags_add(ds, RC_DIAG_ERROR, &f->name_range, "Invalid combination of \"count\" and \"for_each\"",
                 "The \"count\" and \"for_each\" meta-arguments are mutually-exclusive, only one "
                 "should be used to be explicit about the number of resources to be created.");
    return false;
  }
  return true;
}

static void load_module_call(struct rc_mod *m, const struct rc_block *b, struct rc_diags *ds)
{
  if (!check_labels(ds, b, 1, "name")) return;
  for (size_t i = 0; i < m->ncalls; i++)
    if (strcmp(m->calls[i].name, b->labels[0]) == 0) {
      char what[300];
      snprintf(what, sizeof what, "A module call named \"%s\"", b->labels[0]);
      duplicate(ds, &b->range, &m->calls[i].blk->range, "Duplicate module call", what,
                "Module calls must have unique names within a module.");
      return;
    }
  for (size_t i = 0; i < b->body.nblocks; i++) {
    const struct rc_block *x = &b->body.blocks[i];
    if (strcmp(x->type, "lifecycle") == 0)
      rc_diags_add(ds, RC_DIAG_ERROR, &x->type_range, "Reserved block type name in module block",
                   "The block type name \"lifecycle\" is reserved for use by Terraform in a "
                   "future version.");
    else
      unsupported_block(ds, x, NULL);
  }
  if (!attr(&b->body, "source")) {
    rc_diags_add(ds, RC_DIAG_ERROR, &b->type_range, "Missing required argument",
                 "The argument \"source\" is required, but no definition was found.");
    return;
  }
  if (!check_count_foreach(&b->body, ds)) return;
  GROW(m->calls, m->ncalls, m->capcalls);
  m->calls[m->ncalls++] = (struct rc_mcall){.name = b->labels[0], .blk = b,
                                            .count = attr_expr(&b->body, "count"),
                                            .for_each = attr_expr(&b->body, "for_each")};
}

static void load_resource(struct rc_config *cfg, struct rc_mod *m, const struct rc_block *b,
                          bool data, rc_config_check_fn check, void *check_ud,
                          struct rc_diags *ds)
{
  if (!check_labels(ds, b, 2, "type, name")) return;
  for (size_t i = 0; i < m->nres; i++)
    if (m->res[i].data == data && strcmp(m->res[i].type, b->labels[0]) == 0 &&
        strcmp(m->res[i].name, b->labels[1]) == 0) {
      char sum[300], what[300];
      snprintf(sum, sizeof sum, "Duplicate %s \"%s\" configuration", data ? "data" : "resource",
               b->labels[0]);
      snprintf(what, sizeof what, "A %s %s named \"%s\"", b->labels[0],
               data ? "data source" : "resource", b->labels[1]);
      duplicate(ds, &b->range, &m->res[i].blk->range, sum, what,
                data ? "Data source names must be unique per type in each module."
                     : "Resource names must be unique per type in each module.");
      return;
    }
  size_t before = ds->errors;
  for (size_t i = 0; i < b->body.nblocks; i++) {
    const struct rc_block *x = &b->body.blocks[i];
    if (strcmp(x->type, "provisioner") == 0 || strcmp(x->type, "connection") == 0) {
      rc_diags_add(ds, RC_DIAG_ERROR, &x->type_range, "Unsupported block type",
                   "recon does not run provisioners: \"%s\" blocks are not supported.", x->type);
    } else if (strcmp(x->type, "lifecycle") == 0) {
      static const char *const la[] = {"create_before_destroy", "prevent_destroy",
                                       "ignore_changes", "replace_triggered_by", NULL};
      static const char *const lb[] = {"precondition", "postcondition", NULL};
      check_labels(ds, x, 0, "");
      check_body(ds, &x->body, la, lb);
    } else if (strcmp(x->type, "dynamic") == 0) {
      check_labels(ds, x, 1, "block type");
    }
  }
  const struct rc_attribute *prov = attr(&b->body, "provider");
  if (prov) {
    char *a = rc_config__traversal_addr(prov->expr);
    if (!a || strncmp(a, "aws", 3) != 0 || (a[3] != '\0' && a[3] != '.'))
      rc_diags_add(ds, RC_DIAG_ERROR, &prov->expr->range, "Invalid provider reference",
                   "The provider argument must name the aws provider (aws or aws.<alias>).");
    rc_free(a);
  }
  if (!check_count_foreach(&b->body, ds)) return;
  if (data && attr(&b->body, "lifecycle")) {
    /* nothing: lifecycle is a block */
  }
  if (check && !check(check_ud, b->labels[0], data, &b->body, ds)) return;
  if (ds->errors > before) return;
  (void)cfg;
  GROW(m->res, m->nres, m->capres);
  m->res[m->nres++] = (struct rc_rdecl){.type = b->labels[0], .name = b->labels[1], .data = data,
                                        .blk = b, .count = attr_expr(&b->body, "count"),
                                        .for_each = attr_expr(&b->body, "for_each")};
}

static void load_moved_import(struct rc_config *cfg, struct rc_mod *m, const struct rc_block *b,
                              struct rc_diags *ds)
{
  bool moved = strcmp(b->type, "moved") == 0;
  static const char *const ma[] = {"from", "to", NULL};
  static const char *const ia[] = {"to", "id", "provider", "for_each", NULL};
  if (!check_labels(ds, b, 0, "")) return;
  if (!check_body(ds, &b->body, moved ? ma : ia, NULL)) return;
  if (!moved && m->parent) {
    rc_diags_add(ds, RC_DIAG_ERROR, &b->type_range, "Invalid import configuration",
                 "An import block was detected in \"%s\". Import blocks are only allowed in the "
                 "root module.",
                 m->path);
    return;
  }
  const char *names[2] = {moved ? "from" : "to", moved ? "to" : "id"};
  char *addrs[2] = {NULL, NULL};
  for (int i = 0; i < 2; i++) {
    const struct rc_attribute *a = attr(&b->body, names[i]);
    if (!a) {
      rc_diags_add(ds, RC_DIAG_ERROR, &b->type_range, "Missing required argument",
                   "The argument \"%s\" is required, but no definition was found.", names[i]);
      rc_free(addrs[0]);
      return;
    }
    if (!moved && i == 1) break;
    addrs[i] = rc_config__traversal_addr(a->expr);
    if (!addrs[i]) {
      rc_diags_add(ds, RC_DIAG_ERROR, &a->expr->range, "Invalid address",
                   "The \"%s\" argument must be a resource or module address.", names[i]);
      rc_free(addrs[0]);
      return;
    }
    if (m->parent) {
      char *full = rc_asprintf("%s.%s", m->path, addrs[i]);
      rc_free(addrs[i]);
      addrs[i] = full;
    }
  }
  if (moved) {
    cfg->moved_from = rc_realloc(cfg->moved_from, (cfg->nmoved + 1) * sizeof(char *));
    cfg->moved_to = rc_realloc(cfg->moved_to, (cfg->nmoved + 1) * sizeof(char *));
    cfg->moved_from[cfg->nmoved] = rc_config__own(cfg, addrs[0]);
    cfg->moved_to[cfg->nmoved++] = rc_config__own(cfg, addrs[1]);
  } else {
    size_t n = cfg->nimports;
    cfg->import_to = rc_realloc(cfg->import_to, (n + 1) * sizeof(char *));
    cfg->import_id_expr = rc_realloc(cfg->import_id_expr, (n + 1) * sizeof(void *));
    cfg->import_id = rc_realloc(cfg->import_id, (n + 1) * sizeof(void *));
    cfg->import_to[n] = rc_config__own(cfg, addrs[0]);
    cfg->import_id_expr[n] = attr_expr(&b->body, "id");
    cfg->import_id[n] = NULL;
    cfg->nimports++;
  }
}

/* --- files and modules --- */

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_suffix(const char *s, const char *suf)
{
  size_t a = strlen(s), b = strlen(suf);
  return a >= b && strcmp(s + a - b, suf) == 0;
}

/* Sorted *.tf / *.tf.json names in dir; NULL after a diagnostic. */
static char **list_tf(const char *dir, size_t *n, const struct rc_range *range,
                      struct rc_diags *ds)
{
  DIR *d = opendir(dir);
  *n = 0;
  if (!d) {
    rc_diags_add(ds, RC_DIAG_ERROR, range && range->file ? range : NULL,
                 "Unreadable module directory", "The directory %s could not be read: %s.", dir,
                 strerror(errno));
    return NULL;
  }
  char **names = NULL;
  size_t cap = 0;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (de->d_name[0] == '.') continue;
    if (!has_suffix(de->d_name, ".tf") && !has_suffix(de->d_name, ".tf.json")) continue;
    GROW(names, *n, cap);
    names[(*n)++] = rc_strdup(de->d_name);
  }
  closedir(d);
  if (*n) qsort(names, *n, sizeof *names, cmp_str);
  return names;
}

static struct rc_mod *new_mod(struct rc_config *cfg, const char *path, const char *dir,
                              struct rc_mod *parent)
{
  struct rc_mod *m = rc_calloc(1, sizeof *m);
  m->path = rc_strdup(path);
  m->dir = rc_strdup(dir);
  m->shown = rc_strdup("");
  m->parent = parent;
  m->depth = parent ? parent->depth + 1 : 0;
  GROW(cfg->mods, cfg->nmods, cfg->capmods);
  cfg->mods[cfg->nmods++] = m;
  return m;
}

static char *display_path(const struct rc_mod *m, const char *name)
{
  return m->shown[0] ? rc_asprintf("%s/%s", m->shown, name) : rc_strdup(name);
}

static char *join_shown(const char *base, const char *src)
{
  while (strncmp(src, "./", 2) == 0) src += 2;
  size_t l = strlen(src);
  while (l > 1 && src[l - 1] == '/') l--;
  if (!base[0]) return rc_strndup(src, l);
  return rc_asprintf("%s/%.*s", base, (int)l, src);
}

static void load_mod(struct rc_config *cfg, struct rc_mod *m, rc_config_check_fn check,
                     void *check_ud, const struct rc_range *call_range, struct rc_diags *ds);

static void load_children(struct rc_config *cfg, struct rc_mod *m, rc_config_check_fn check,
                          void *check_ud, struct rc_diags *ds)
{
  for (size_t i = 0; i < m->ncalls; i++) {
    struct rc_mcall *c = &m->calls[i];
    const struct rc_expr *se = attr_expr(&c->blk->body, "source");
    const char *src;
    if (!rc_config__const_string(se, &src)) {
      rc_diags_add(ds, RC_DIAG_ERROR, &se->range, "Invalid module source",
                   "The module source address must be a literal string.");
      continue;
    }
    if (strncmp(src, "./", 2) != 0 && strncmp(src, "../", 3) != 0) {
      rc_diags_add(ds, RC_DIAG_ERROR, &se->range, "Unsupported module source",
                   "recon loads modules from local paths only (starting with ./ or ../); "
                   "\"%s\" is not one.",
                   src);
      continue;
    }
    if (m->depth + 1 > RC_LIMIT_MODULE_DEPTH) {
      rc_diags_add(ds, RC_DIAG_ERROR, &c->blk->type_range, "Module nesting too deep",
                   "Modules may be nested at most %d levels deep (is a module calling itself?).",
                   RC_LIMIT_MODULE_DEPTH);
      continue;
    }
    char *dir = rc_asprintf("%s/%s", m->dir, src);
    char real[PATH_MAX];
    if (!realpath(dir, real)) {
      rc_diags_add(ds, RC_DIAG_ERROR, &se->range, "Unreadable module directory",
                   "Unable to evaluate directory symlink: the module directory %s does not "
                   "exist.",
                   src);
      rc_free(dir);
      continue;
    }
    rc_free(dir);
    char *path = m->path[0] ? rc_asprintf("%s.module.%s", m->path, c->name)
                            : rc_asprintf("module.%s", c->name);
    struct rc_mod *child = new_mod(cfg, path, real, m);
    rc_free(child->shown);
    rc_free(path);
    child->call = c;
    child->shown = join_shown(m->shown, src);
    c->child = child;
    load_mod(cfg, child, check, check_ud, &se->range, ds);
  }
}

static void check_inputs(struct rc_mod *m, struct rc_diags *ds)
{
  static const char *const meta[] = {"source", "version", "count", "for_each", "depends_on",
                                     "providers", NULL};
  for (size_t i = 0; i < m->ncalls; i++) {
    struct rc_mcall *c = &m->calls[i];
    if (!c->child) continue;
    struct rc_mod *ch = c->child;
    const char **names = rc_calloc(ch->nvars + 1, sizeof *names);
    for (size_t j = 0; j < ch->nvars; j++) names[j] = ch->vars[j].name;
    const struct rc_body *b = &c->blk->body;
    for (size_t j = 0; j < b->nattrs; j++) {
      const struct rc_attribute *a = &b->attrs[j];
      if (in_list(a->name, meta)) continue;
      bool found = false;
      for (size_t k = 0; k < ch->nvars && !found; k++) found = strcmp(names[k], a->name) == 0;
      if (found) continue;
      const char *s = rc_suggest(a->name, names, ch->nvars);
      if (s)
        rc_diags_add(ds, RC_DIAG_ERROR, &a->name_range, "Unsupported argument",
                     "An argument named \"%s\" is not expected here. Did you mean \"%s\"?",
                     a->name, s);
      else
        rc_diags_add(ds, RC_DIAG_ERROR, &a->name_range, "Unsupported argument",
                     "An argument named \"%s\" is not expected here.", a->name);
    }
    for (size_t k = 0; k < ch->nvars; k++)
      if (!ch->vars[k].dflt && !attr(b, ch->vars[k].name))
        rc_diags_add(ds, RC_DIAG_ERROR, &c->blk->type_range, "Missing required argument",
                     "The argument \"%s\" is required, but no definition was found.",
                     ch->vars[k].name);
    rc_free(names);
  }
}

static void load_mod(struct rc_config *cfg, struct rc_mod *m, rc_config_check_fn check,
                     void *check_ud, const struct rc_range *call_range, struct rc_diags *ds)
{
  size_t nfiles;
  char **files = list_tf(m->dir, &nfiles, call_range, ds);
  if (!files && ds->errors) return;
  if (nfiles == 0 && m->parent) {
    rc_diags_add(ds, RC_DIAG_ERROR, call_range && call_range->file ? call_range : NULL,
                 "No configuration files in module", "The module directory %s contains no .tf "
                 "or .tf.json files.",
                 m->dir);
  }
  for (size_t i = 0; i < nfiles; i++) {
    char *full = rc_asprintf("%s/%s", m->dir, files[i]);
    char *shown = display_path(m, files[i]);
    struct rc_error err = {0};
    const struct rc_file *f = NULL;
    if (rc_fileset_read(&cfg->fs, full, &f, &err) != RC_OK) {
      rc_diags_add(ds, RC_DIAG_ERROR, NULL,
                   err.code == RC_TOO_BIG ? "Configuration file too large"
                                          : "Failed to read file",
                   "%s", err.msg);
    } else {
      /* show paths relative to the root */
      rc_free(((struct rc_file *)f)->name);
      ((struct rc_file *)f)->name = rc_strdup(shown);
      struct rc_arena *a = rc_arena_new();
      GROW(cfg->arenas, cfg->narenas, cfg->caparenas);
      cfg->arenas[cfg->narenas++] = a;
      size_t before = ds->errors;
      struct rc_body *body = has_suffix(files[i], ".json") ? rc_parse_json_file(f, a, ds)
                                                           : rc_parse_file(f, a, ds);
      if (body && ds->errors == before) {
        for (size_t j = 0; j < body->nattrs; j++)
          unsupported_arg(ds, &body->attrs[j], top_blocks);
        for (size_t j = 0; j < body->nblocks; j++) {
          const struct rc_block *b = &body->blocks[j];
          const char *t = b->type;
          size_t from = ds->n;
          if (strcmp(t, "terraform") == 0) load_terraform(cfg, m, b, ds);
          else if (strcmp(t, "provider") == 0) load_provider(cfg, m, b, ds);
          else if (strcmp(t, "variable") == 0) load_variable(m, b, ds);
          else if (strcmp(t, "locals") == 0) load_locals(m, b, ds);
          else if (strcmp(t, "output") == 0) load_output(m, b, ds);
          else if (strcmp(t, "module") == 0) load_module_call(m, b, ds);
          else if (strcmp(t, "resource") == 0)
            load_resource(cfg, m, b, false, check, check_ud, ds);
          else if (strcmp(t, "data") == 0) load_resource(cfg, m, b, true, check, check_ud, ds);
          else if (strcmp(t, "moved") == 0 || strcmp(t, "import") == 0)
            load_moved_import(cfg, m, b, ds);
          else if (strcmp(t, "check") == 0 && check_labels(ds, b, 1, "name"))
            rc_diags_add(ds, RC_DIAG_WARNING, &b->type_range, "Check block not evaluated",
                         "recon does not run check blocks (their assertions only ever warn in "
                         "Terraform); this one is skipped.");
          else if (strcmp(t, "removed") == 0)
            rc_diags_add(ds, RC_DIAG_ERROR, &b->type_range, "Unsupported block type",
                         "recon does not support removed blocks: remove the resource from the "
                         "configuration (recon destroys it) or use recon state rm.");
          else if (strcmp(t, "check") != 0) unsupported_block(ds, b, top_blocks);
          if (ds->n > from && b->nlabels > 0) {
            struct rc_buf ctx;
            rc_buf_init(&ctx, 0);
            rc_buf_puts(&ctx, t);
            for (size_t l = 0; l < b->nlabels; l++) rc_buf_printf(&ctx, " \"%s\"", b->labels[l]);
            rc_diags_set_context(ds, from, ctx.ptr);
            rc_buf_free(&ctx);
          }
        }
      }
    }
    rc_free(full);
    rc_free(shown);
    rc_free(files[i]);
  }
  rc_free(files);
  load_children(cfg, m, check, check_ud, ds);
  check_inputs(m, ds);
}

/* --- digest --- */

static int cmp_file(const void *a, const void *b)
{
  const struct rc_file *x = *(const struct rc_file *const *)a,
                       *y = *(const struct rc_file *const *)b;
  return strcmp(x->name, y->name);
}

static void compute_digest(struct rc_config *cfg)
{
  size_t n = 0;
  const struct rc_file **fs = rc_calloc(cfg->fs.n + 1, sizeof *fs);
  for (size_t i = 0; i < cfg->fs.n; i++)
    if (has_suffix(cfg->fs.files[i]->name, ".tf") || has_suffix(cfg->fs.files[i]->name, ".tf.json"))
      fs[n++] = cfg->fs.files[i];
  qsort(fs, n, sizeof *fs, cmp_file);
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int mdlen = 0;
  EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
  for (size_t i = 0; i < n; i++) {
    EVP_DigestUpdate(ctx, fs[i]->name, strlen(fs[i]->name) + 1);
    char len[32];
    int l = snprintf(len, sizeof len, "%zu:", fs[i]->len);
    EVP_DigestUpdate(ctx, len, (size_t)l);
    EVP_DigestUpdate(ctx, fs[i]->text, fs[i]->len);
  }
  EVP_DigestFinal_ex(ctx, md, &mdlen);
  EVP_MD_CTX_free(ctx);
  for (unsigned int i = 0; i < mdlen && i < 32; i++)
    snprintf(cfg->digest + 2 * i, 3, "%02x", md[i]);
  rc_free(fs);
}

/* --- entry points --- */

struct rc_config *rc_config_load(const char *dir, const struct rc_var_input *in,
                                 rc_config_check_fn check, void *check_ud, struct rc_diags *ds)
{
  struct rc_config *cfg = rc_calloc(1, sizeof *cfg);
  pthread_mutex_init(&cfg->lock, NULL);
  char real[PATH_MAX];
  if (!realpath(dir ? dir : ".", real)) {
    rc_diags_add(ds, RC_DIAG_ERROR, NULL, "Unreadable module directory",
                 "The directory %s could not be read: %s.", dir ? dir : ".", strerror(errno));
    rc_config_free(cfg);
    return NULL;
  }
  cfg->dir = rc_strdup(real);
  struct rc_mod *root = new_mod(cfg, "", real, NULL);
  size_t before = ds->errors;
  size_t nfiles = 0;
  char **files = list_tf(real, &nfiles, NULL, ds);
  for (size_t i = 0; i < nfiles; i++) rc_free(files[i]);
  rc_free(files);
  if (ds->errors == before && nfiles == 0) {
    rc_diags_add(ds, RC_DIAG_ERROR, NULL, "No configuration files",
                 "recon found no .tf or .tf.json files in %s.", real);
  }
  if (ds->errors == before) load_mod(cfg, root, check, check_ud, NULL, ds);
  if (ds->errors == before) rc_config__root_vars(cfg, in, ds);
  if (ds->errors == before) rc_config__build_nodes(cfg, ds);
  if (ds->errors > before) {
    rc_config_free(cfg);
    return NULL;
  }
  compute_digest(cfg);
  return cfg;
}

/* Diagnostics point into the configuration's files and are often printed
 * after the config is gone (a failed load returns NULL): the files are kept
 * until exit. */
static struct rc_fileset graveyard;
static pthread_mutex_t graveyard_lock = PTHREAD_MUTEX_INITIALIZER;
static bool graveyard_hooked;

static void graveyard_free(void)
{
  pthread_mutex_lock(&graveyard_lock);
  rc_fileset_free(&graveyard);
  pthread_mutex_unlock(&graveyard_lock);
}

static void retire_files(struct rc_fileset *fs)
{
  pthread_mutex_lock(&graveyard_lock);
  if (!graveyard_hooked) {
    atexit(graveyard_free);
    graveyard_hooked = true;
  }
  for (size_t i = 0; i < fs->n; i++) {
    if (graveyard.n == graveyard.cap) {
      graveyard.cap = graveyard.cap ? graveyard.cap * 2 : 16;
      graveyard.files = rc_realloc(graveyard.files, graveyard.cap * sizeof *graveyard.files);
    }
    graveyard.files[graveyard.n++] = fs->files[i];
  }
  pthread_mutex_unlock(&graveyard_lock);
  rc_free(fs->files);
  memset(fs, 0, sizeof *fs);
}

static void free_exp(struct rc_expansion *x, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    for (size_t j = 0; j < x[i].n; j++) {
      rc_value_decref(x[i].keys[j]);
      if (x[i].vals) rc_value_decref(x[i].vals[j]);
    }
    rc_free(x[i].keys);
    rc_free(x[i].vals);
  }
  rc_free(x);
}

void rc_config_free(struct rc_config *cfg)
{
  if (!cfg) return;
  for (size_t i = 0; i < cfg->nmods; i++) {
    struct rc_mod *m = cfg->mods[i];
    for (size_t j = 0; j < m->nvars; j++) {
      rc_type_free(m->vars[j].type);
      rc_value_decref(m->vars[j].dflt_val);
      rc_free(m->vars[j].validations);
    }
    for (size_t j = 0; j < m->nres; j++) free_exp(m->res[j].exp, m->res[j].nexp);
    for (size_t j = 0; j < m->ncalls; j++) free_exp(m->calls[j].exp, m->calls[j].nexp);
    for (size_t j = 0; j < m->ninsts; j++) {
      rc_free(m->insts[j].addr);
      rc_free(m->insts[j].parent);
      rc_value_decref(m->insts[j].key);
      rc_value_decref(m->insts[j].each_val);
    }
    rc_free(m->insts);
    rc_free(m->vars);
    rc_free(m->locals);
    rc_free(m->outputs);
    rc_free(m->res);
    rc_free(m->calls);
    rc_free(m->path);
    rc_free(m->dir);
    rc_free(m->shown);
    rc_free(m);
  }
  rc_free(cfg->mods);
  for (size_t i = 0; i < cfg->nnodes; i++) {
    rc_free(cfg->nodes[i].addr);
    rc_free(cfg->nodes[i].module);
    rc_free(cfg->nodes[i].type);
    rc_free(cfg->nodes[i].name);
    rc_free(cfg->nodes[i].deps);
    struct rc_lifecycle *l = &cfg->nodes[i].lifecycle;
    for (size_t j = 0; j < l->nignore; j++) rc_free(l->ignore_changes[j]);
    rc_free(l->ignore_changes);
    for (size_t j = 0; j < l->nreplace_triggered_by; j++) rc_free(l->replace_triggered_by[j]);
    rc_free(l->replace_triggered_by);
    rc_free(cfg->info[i].refdeps);
  }
  rc_free(cfg->nodes);
  rc_free(cfg->info);
  rc_free(cfg->order);
  for (size_t i = 0; i < cfg->nrootvars; i++) {
    rc_free(cfg->rootvars[i].name);
    rc_value_decref(cfg->rootvars[i].value);
  }
  rc_free(cfg->rootvars);
  rc_value_decref(cfg->provider_val);
  rc_free(cfg->backend_type);
  rc_value_decref(cfg->backend_val);
  rc_free(cfg->moved_from);
  rc_free(cfg->moved_to);
  rc_free(cfg->import_to);
  rc_free(cfg->import_id_expr);
  for (size_t i = 0; i < cfg->nimports; i++) rc_value_decref(cfg->import_id[i]);
  rc_free(cfg->import_id);
  for (size_t i = 0; i < cfg->nstrings; i++) rc_free(cfg->strings[i]);
  rc_free(cfg->strings);
  rc_store__free(&cfg->values);
  rc_store__free(&cfg->instvals);
  rc_value_decref(cfg->root_vars_obj);
  rc_value_decref(cfg->outputs_obj);
  for (size_t i = 0; i < cfg->narenas; i++) rc_arena_free(cfg->arenas[i]);
  rc_free(cfg->arenas);
  retire_files(&cfg->fs);
  pthread_mutex_destroy(&cfg->lock);
  rc_free(cfg->dir);
  rc_free(cfg);
}

/* --- getters --- */

size_t rc_config_node_count(const struct rc_config *cfg) { return cfg->nnodes; }
const struct rc_cnode *rc_config_node(const struct rc_config *cfg, size_t i)
{
  return &cfg->nodes[i];
}
const size_t *rc_config_order(const struct rc_config *cfg) { return cfg->order; }
const char *rc_config_dir(const struct rc_config *cfg) { return cfg->dir; }
const char *rc_config_digest(const struct rc_config *cfg) { return cfg->digest; }
const struct rc_value *rc_config_provider(const struct rc_config *cfg)
{
  return cfg->provider_val;
}
const struct rc_value *rc_config_backend(const struct rc_config *cfg, const char **type)
{
  if (type) *type = cfg->backend_type;
  return cfg->backend_val;
}
size_t rc_config_moved(const struct rc_config *cfg, const char ***from, const char ***to)
{
  if (from) *from = cfg->moved_from;
  if (to) *to = cfg->moved_to;
  return cfg->nmoved;
}
bool rc_config_output_sensitive(const struct rc_config *cfg, const char *name)
{
  struct rc_mod *r = cfg->mods[0];
  for (size_t i = 0; i < r->noutputs; i++)
    if (strcmp(r->outputs[i].name, name) == 0) return r->outputs[i].sensitive;
  return false;
}
