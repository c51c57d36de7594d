/* variables — the values of the root module's input variables, lowest to
 * highest precedence: defaults, terraform.tfvars(.json), *.auto.tfvars(.json)
 * in lexical order, -var-file files, the environment (RECON_VAR_name, else
 * TF_VAR_name), -var name=value. Values for primitive-typed (or untyped)
 * variables from the environment and -var are raw strings; for complex types
 * they are parsed as HCL expressions, as Terraform does. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_int.h"
#include "rc_alloc.h"
#include "rc_buf.h"
#include "rc_suggest.h"

static struct rc_vdecl *find_var(struct rc_mod *m, const char *name)
{
  for (size_t i = 0; i < m->nvars; i++)
    if (strcmp(m->vars[i].name, name) == 0) return &m->vars[i];
  return NULL;
}

static void set_raw(struct rc_config *cfg, const char *name, struct rc_value *steal,
                    const char *source)
{
  for (size_t i = 0; i < cfg->nrootvars; i++)
    if (strcmp(cfg->rootvars[i].name, name) == 0) {
      rc_value_decref(cfg->rootvars[i].value);
      cfg->rootvars[i].value = steal;
      cfg->rootvars[i].source = source;
      return;
    }
  rc_value_decref(steal);
}

static bool is_primitive(const struct rc_vdecl *v)
{
  if (!v->type) return true;
  return v->type->kind == RC_TYPE_STRING || v->type->kind == RC_TYPE_NUMBER ||
         v->type->kind == RC_TYPE_BOOL || v->type->kind == RC_TYPE_ANY;
}

/* A raw string from -var or the environment: literal for primitive types,
 * else parsed as an expression. NULL after a diagnostic. */
static struct rc_value *parse_raw(struct rc_config *cfg, const struct rc_vdecl *v,
                                  const char *text, const char *what, struct rc_diags *ds)
{
  if (is_primitive(v)) return rc_value_string(text);
  char *name = rc_asprintf("<value for var.%s>", v->name);
  const struct rc_file *f = rc_fileset_add(&cfg->fs, name, text, strlen(text));
  rc_free(name);
  struct rc_arena *a = rc_arena_new();
  cfg->arenas = rc_realloc(cfg->arenas, (cfg->narenas + 1) * sizeof *cfg->arenas);
  cfg->arenas[cfg->narenas++] = a;
  size_t before = ds->errors;
  struct rc_expr *e = rc_parse_expr(f, a, ds);
  if (!e || ds->errors > before) {
    rc_diags_add(ds, RC_DIAG_ERROR, NULL, "Invalid value for variable",
                 "The value given for var.%s %s is not a valid expression.", v->name, what);
    return NULL;
  }
  return rc_config__const(e, ds);
}

static void read_tfvars(struct rc_config *cfg, const char *path, bool must_exist,
                        struct rc_diags *ds)
{
  if (!must_exist && access(path, F_OK) != 0) return;
  struct rc_error err = {0};
  const struct rc_file *f = NULL;
  if (rc_fileset_read(&cfg->fs, path, &f, &err) != RC_OK) {
    rc_diags_add(ds, RC_DIAG_ERROR, NULL, "Failed to read variables file",
                 "Given variables file %s does not exist or cannot be read.", path);
    return;
  }
  struct rc_arena *a = rc_arena_new();
  cfg->arenas = rc_realloc(cfg->arenas, (cfg->narenas + 1) * sizeof *cfg->arenas);
  cfg->arenas[cfg->narenas++] = a;
  size_t plen = strlen(path);
  bool json = plen > 5 && strcmp(path + plen - 5, ".json") == 0;
  size_t before = ds->errors;
  struct rc_body *b = json ? rc_parse_json_file(f, a, ds) : rc_parse_file(f, a, ds);
  if (!b || ds->errors > before) return;
  for (size_t i = 0; i < b->nblocks; i++)
    rc_diags_add(ds, RC_DIAG_ERROR, &b->blocks[i].type_range, "Unexpected block",
                 "Blocks are not allowed in variables files; only variable assignments.");
  const char *source = rc_config__own(cfg, rc_strdup(path));
  struct rc_mod *root = cfg->mods[0];
  for (size_t i = 0; i < b->nattrs; i++) {
    const struct rc_attribute *at = &b->attrs[i];
    if (!find_var(root, at->name)) {
      rc_diags_add(ds, RC_DIAG_WARNING, &at->name_range, "Value for undeclared variable",
                   "The root module does not declare a variable named \"%s\" but a value was "
                   "found in file \"%s\". If you meant to use this value, add a \"variable\" "
                   "block to the configuration.",
                   at->name, path);
      continue;
    }
    struct rc_value *v = rc_config__const(at->expr, ds);
    if (v) set_raw(cfg, at->name, v, source);
  }
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void read_auto_tfvars(struct rc_config *cfg, struct rc_diags *ds)
{
  DIR *d = opendir(cfg->dir);
  if (!d) return;
  char **names = NULL;
  size_t n = 0;
  struct dirent *de;
  while ((de = readdir(d))) {
    size_t l = strlen(de->d_name);
    bool hcl = l >= 12 && strcmp(de->d_name + l - 12, ".auto.tfvars") == 0;
    bool json = l >= 17 && strcmp(de->d_name + l - 17, ".auto.tfvars.json") == 0;
    if (!hcl && !json) continue;
    names = rc_realloc(names, (n + 1) * sizeof *names);
    names[n++] = rc_strdup(de->d_name);
  }
  closedir(d);
  if (n) qsort(names, n, sizeof *names, cmp_str);
  for (size_t i = 0; i < n; i++) {
    read_tfvars(cfg, names[i], true, ds);
    rc_free(names[i]);
  }
  rc_free(names);
}

static bool prompt(struct rc_config *cfg, struct rc_vdecl *v, struct rc_diags *ds)
{
  fprintf(stderr, "var.%s\n", v->name);
  const struct rc_expr *de = NULL;
  for (size_t i = 0; i < v->blk->body.nattrs; i++)
    if (strcmp(v->blk->body.attrs[i].name, "description") == 0) de = v->blk->body.attrs[i].expr;
  const char *desc;
  if (de && rc_config__const_string(de, &desc)) fprintf(stderr, "  %s\n\n", desc);
  fprintf(stderr, "  Enter a value: ");
  fflush(stderr);
  char line[4096];
  if (!fgets(line, sizeof line, stdin)) return false;
  line[strcspn(line, "\r\n")] = '\0';
  fputc('\n', stderr);
  struct rc_value *val = parse_raw(cfg, v, line, "entered at the prompt", ds);
  if (!val) return false;
  set_raw(cfg, v->name, val, "prompt");
  return true;
}

bool rc_config__root_vars(struct rc_config *cfg, const struct rc_var_input *in,
                          struct rc_diags *ds)
{
  struct rc_mod *root = cfg->mods[0];
  size_t before = ds->errors;
  cfg->rootvars = rc_calloc(root->nvars + 1, sizeof *cfg->rootvars);
  cfg->nrootvars = root->nvars;
  for (size_t i = 0; i < root->nvars; i++) cfg->rootvars[i].name = rc_strdup(root->vars[i].name);

  read_tfvars(cfg, "terraform.tfvars", false, ds);
  read_tfvars(cfg, "terraform.tfvars.json", false, ds);
  read_auto_tfvars(cfg, ds);
  for (size_t i = 0; in && i < in->nvar_files; i++) read_tfvars(cfg, in->var_files[i], true, ds);

  for (size_t i = 0; i < root->nvars; i++) {
    struct rc_vdecl *v = &root->vars[i];
    static const char *const prefixes[] = {"TF_VAR_", "RECON_VAR_"}; /* later wins */
    for (int p = 0; p < 2; p++) {
      char envname[512];
      snprintf(envname, sizeof envname, "%s%s", prefixes[p], v->name);
      const char *ev = getenv(envname);
      if (!ev) continue;
      char what[600];
      snprintf(what, sizeof what, "in the environment variable %s", envname);
      struct rc_value *val = parse_raw(cfg, v, ev, what, ds);
      if (val) set_raw(cfg, v->name, val, p ? "RECON_VAR_ environment" : "TF_VAR_ environment");
    }
  }

  const char **names = rc_calloc(root->nvars + 1, sizeof *names);
  for (size_t i = 0; i < root->nvars; i++) names[i] = root->vars[i].name;
  for (size_t i = 0; in && i < in->nvars; i++) {
    const char *s = in->vars[i];
    const char *eq = strchr(s, '=');
    if (!eq || eq == s) {
      rc_diags_add(ds, RC_DIAG_ERROR, NULL, "Invalid -var option",
                   "The given -var option \"%s\" is not correctly specified. Must be a variable "
                   "name and value separated by an equals sign, like -var=\"key=value\".",
                   s);
      continue;
    }
    char *name = rc_strndup(s, (size_t)(eq - s));
    struct rc_vdecl *v = find_var(root, name);
    if (!v) {
      const char *sug = rc_suggest(name, names, root->nvars);
      rc_diags_add(ds, RC_DIAG_ERROR, NULL, "Value for undeclared variable",
                   "A variable named \"%s\" was assigned on the command line, but the root "
                   "module does not declare a variable of that name.%s%s%s To use this value, "
                   "add a \"variable\" block to the configuration.",
                   name, sug ? " Did you mean \"" : "", sug ? sug : "", sug ? "\"?" : "");
      rc_free(name);
      continue;
    }
    rc_free(name);
    struct rc_value *val = parse_raw(cfg, v, eq + 1, "given with -var", ds);
    if (val) set_raw(cfg, v->name, val, "-var");
  }
  rc_free(names);
  if (ds->errors > before) return false;

  /* required variables without any value */
  struct rc_buf missing;
  rc_buf_init(&missing, 0);
  size_t nmissing = 0;
  for (size_t i = 0; i < root->nvars; i++) {
    struct rc_vdecl *v = &root->vars[i];
    if (cfg->rootvars[i].value || v->dflt) continue;
    if (in && in->interactive && prompt(cfg, v, ds)) continue;
    if (in && in->unknown_missing) {
      set_raw(cfg, v->name, rc_value_unknown(), "validate");
      continue;
    }
    rc_buf_printf(&missing, "%s\"%s\"", nmissing ? ", " : "", v->name);
    nmissing++;
  }
  if (nmissing) {
    const struct rc_range *r = NULL;
    for (size_t i = 0; i < root->nvars && !r; i++)
      if (!cfg->rootvars[i].value && !root->vars[i].dflt) r = &root->vars[i].blk->range;
    if (nmissing == 1)
      rc_diags_add(ds, RC_DIAG_ERROR, r, "No value for required variable",
                   "The root module input variable %s is not set, and has no default value. Use "
                   "a -var or -var-file command line argument to provide a value for this "
                   "variable.",
                   missing.ptr);
    else
      rc_diags_add(ds, RC_DIAG_ERROR, r, "No value for required variable",
                   "The root module input variables %s are not set, and have no default value. "
                   "Use -var or -var-file command line arguments to provide values for them.",
                   missing.ptr);
  }
  rc_buf_free(&missing);
  return ds->errors == before;
}

struct rc_value *rc_config__var_value(struct rc_config *cfg, const struct rc_vdecl *v,
                                      struct rc_value *raw, const struct rc_range *raw_range,
                                      struct rc_diags *ds)
{
  (void)cfg;
  struct rc_value *val;
  if (raw && !(rc_value_is_null(raw) && !v->nullable && v->dflt_val))
    val = rc_value_incref(raw);
  else if (v->dflt_val)
    val = rc_value_incref(v->dflt_val);
  else
    val = rc_value_null();
  const struct rc_range *where = raw && raw_range && raw_range->file ? raw_range : &v->blk->range;
  if (rc_value_is_null(val) && !v->nullable) {
    rc_diags_add(ds, RC_DIAG_ERROR, where, "Invalid value for input variable",
                 "The given value is null, but var.%s does not accept null values "
                 "(nullable = false).",
                 v->name);
    return NULL;
  }
  if (v->type && !rc_value_is_null(val)) {
    char *err = NULL;
    struct rc_value *c = rc_convert(val, v->type, &err);
    if (!c) {
      char *decl = rc_config__where(&v->blk->range);
      rc_diags_add(ds, RC_DIAG_ERROR, where, "Invalid value for input variable",
                   "The given value is not suitable for var.%s declared at %s: %s.", v->name,
                   decl, err ? err : "conversion failed");
      rc_free(decl);
      rc_free(err);
      rc_value_decref(val);
      return NULL;
    }
    rc_value_decref(val);
    val = c;
  }
  if (v->sensitive) {
    struct rc_value *m = rc_value_mark_sensitive(val);
    rc_value_decref(val);
    val = m;
  }
  return val;
}
