/* config_int — the loader's internal model, shared by the files of
 * reconciler/config: load.c (files, blocks, module tree), variables.c (root
 * variable values), nodes.c (declaration nodes, references, edges, cycles,
 * order), evaluate.c (scopes, expansion, node evaluation) and body.c
 * (resource bodies to objects, dynamic blocks).
 *
 * Ownership: everything hangs off struct rc_config and is freed by
 * rc_config_free; AST pointers point into the per-file arenas that live as
 * long as the config. Values in the store are owned by the store. */
#ifndef RC_CONFIG_INT_H
#define RC_CONFIG_INT_H
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "config.h"
#include "convert.h"
#include "eval.h"

struct rc_mod;

/* One instance of a module: "" for root, `module.svc["a"]` etc. */
struct rc_modinst {
  char *addr;
  struct rc_value *key;       /* count index / each.key of the call; NULL */
  struct rc_value *each_val;  /* each.value of the call, or NULL */
  char *parent;               /* parent instance address */
};

/* The expansion of one resource or module call in one module instance. */
enum rc_expand_mode { RC_EXP_SINGLE, RC_EXP_COUNT, RC_EXP_FOR_EACH };
struct rc_expansion {
  enum rc_expand_mode mode;
  struct rc_value **keys;     /* count: numbers; for_each: strings */
  struct rc_value **vals;     /* for_each: each.value */
  size_t n;
  bool unknown;               /* validate mode: count/for_each not known */
};


struct rc_vdecl {          /* variable "name" {} */
  const char *name;
  const struct rc_block *blk;
  const struct rc_expr *dflt;  /* NULL: required */
  struct rc_value *dflt_val;   /* the default converted to type */
  struct rc_type *type;        /* NULL: any */
  bool sensitive, nullable;
  const struct rc_block **validations;
  size_t nvalidations;
  size_t node;
};

struct rc_ldecl {          /* one attribute of a locals {} block */
  const struct rc_attribute *attr;
  size_t node;
};

struct rc_odecl {          /* output "name" {} */
  const char *name;
  const struct rc_block *blk;
  const struct rc_expr *value;
  bool sensitive;
  size_t node;
};

struct rc_rdecl {          /* resource / data */
  const char *type, *name;
  bool data;
  const struct rc_block *blk;
  const struct rc_expr *count, *for_each;
  size_t node;
  struct rc_expansion *exp; /* one per instance of the module, once evaluated */
  size_t nexp;
};

struct rc_mcall {          /* module "name" {} */
  const char *name;
  const struct rc_block *blk;
  const struct rc_expr *count, *for_each;
  struct rc_mod *child;
  size_t node;
  struct rc_expansion *exp; /* one per instance of the calling module */
  size_t nexp;
};

struct rc_mod {
  char *path;              /* "" or "module.vpc" or "module.a.module.b" */
  char *dir;               /* directory on disk (absolute) */
  char *shown;             /* directory as shown in messages, relative to the root */
  struct rc_mod *parent;
  struct rc_mcall *call;   /* in the parent; NULL for root */
  int depth;
  struct rc_vdecl *vars;
  size_t nvars, capvars;
  struct rc_ldecl *locals;
  size_t nlocals, caplocals;
  struct rc_odecl *outputs;
  size_t noutputs, capoutputs;
  struct rc_rdecl *res;
  size_t nres, capres;
  struct rc_mcall *calls;
  size_t ncalls, capcalls;
  const struct rc_block *provider;
  /* instances, known once the call node (and its ancestors) is evaluated */
  struct rc_modinst *insts;
  size_t ninsts;
  bool expanded;
};

/* A string-keyed store of values (hash map), guarded by the config lock. */
struct rc_store_ent {
  char *key;
  struct rc_value *val;
};
struct rc_store {
  struct rc_store_ent *ents;
  size_t n, cap;
};
struct rc_value *rc_store__get(struct rc_store *s, const char *key); /* borrowed */
void rc_store__put(struct rc_store *s, const char *key, struct rc_value *steal);
void rc_store__free(struct rc_store *s);

struct rc_nodeinfo {        /* what a node declares */
  struct rc_mod *mod;
  size_t idx;               /* into the module's array for its kind */
  size_t *refdeps;          /* precise deps (for the resource graph) */
  size_t nrefdeps, caprefdeps;
  size_t capdeps;
};

struct rc_root_var {        /* root variable raw values */
  char *name;
  struct rc_value *value;   /* already parsed; NULL if none */
  const char *source;       /* "-var", "terraform.tfvars", ... */
};

struct rc_config {
  char *dir;
  struct rc_fileset fs;
  struct rc_arena **arenas;
  size_t narenas, caparenas;
  struct rc_mod **mods;     /* mods[0] is the root */
  size_t nmods, capmods;
  struct rc_cnode *nodes;
  struct rc_nodeinfo *info;
  size_t nnodes, capnodes;
  size_t *order;
  struct rc_root_var *rootvars;
  size_t nrootvars;
  struct rc_value *provider_val;
  char *backend_type;
  struct rc_value *backend_val;
  const char **moved_from, **moved_to;
  size_t nmoved;
  const char **import_to;
  const struct rc_expr **import_id_expr;
  struct rc_value **import_id;
  size_t nimports;
  char **strings;           /* owned strings for moved/import */
  size_t nstrings, capstrings;
  char digest[65];
  bool validate_only;
  pthread_mutex_t lock;
  struct rc_store values;    /* "<modinst>|var.x", "|local.x", "|output.x", instance addrs */
  struct rc_store instvals;  /* resource instance address → value */
  struct rc_value *root_vars_obj;
  struct rc_value *outputs_obj;
};

/* load.c */
const char *rc_config__own(struct rc_config *cfg, char *steal);
/* A constant string expression ("x" or a template of one literal). */
bool rc_config__const_string(const struct rc_expr *e, const char **out);
/* An address written as a traversal (aws_vpc.main, module.x, a.b[0]); NULL
 * if e is not one. Caller frees. */
char *rc_config__traversal_addr(const struct rc_expr *e);
/* "main.tf:3,1-20" for "declared at" messages; caller frees. */
char *rc_config__where(const struct rc_range *r);
/* Evaluates a constant expression (no references); NULL after errors. */
struct rc_value *rc_config__const(const struct rc_expr *e, struct rc_diags *ds);

/* variables.c: raw root values; false after errors (one for all missing). */
bool rc_config__root_vars(struct rc_config *cfg, const struct rc_var_input *in,
                          struct rc_diags *ds);
/* The value of variable v for a module instance (type, nullable, sensitive
 * applied; validations checked). raw NULL: default. New reference or NULL. */
struct rc_value *rc_config__var_value(struct rc_config *cfg, const struct rc_vdecl *v,
                                      struct rc_value *raw, const struct rc_range *raw_range,
                                      struct rc_diags *ds);
bool rc_config__validate_var(struct rc_config *cfg, struct rc_mod *m, const char *modinst,
                             const struct rc_vdecl *v, const struct rc_value *val,
                             struct rc_diags *ds);

/* nodes.c */
bool rc_config__build_nodes(struct rc_config *cfg, struct rc_diags *ds);

/* evaluate.c: what an expression in a module instance sees. */
struct rc_env {
  struct rc_config *cfg;
  struct rc_mod *mod;
  const char *modinst;
  const struct rc_value *count_index;        /* NULL: no count here */
  const struct rc_value *each_key, *each_val; /* NULL: no for_each here */
  bool plan_time;
};
void rc_config__root_scope(const struct rc_env *env, struct rc_scope *scope);
struct rc_value *rc_config__eval(const struct rc_env *env, const struct rc_expr *e,
                                 struct rc_diags *ds);

/* body.c: a resource/data/provider body as an object: attributes, nested
 * blocks as tuples of objects (dynamic expanded); meta-arguments skipped;
 * timeouts {} into *timeouts when given. New reference or NULL. */
struct rc_value *rc_config__body_object(const struct rc_env *env, const struct rc_scope *scope,
                                        const struct rc_body *b, bool resource,
                                        struct rc_value **timeouts, struct rc_diags *ds);

#endif
