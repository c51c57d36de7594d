/* config — loading a root module and its child modules (local `source`
 * paths), variables (defaults, terraform.tfvars, *.auto.tfvars, -var-file,
 * RECON_VAR_/TF_VAR_ environment, -var), locals, outputs, module calls,
 * resources and data sources; the expansion of count / for_each into
 * instances; evaluation node by node in dependency order.
 *
 * The configuration is a graph of nodes, one per declaration (not per
 * instance): variables, locals, outputs, module calls, resources, data
 * sources, each under its module path. A node's deps are the nodes its
 * expressions reference (through locals, variables, module inputs and
 * outputs) plus depends_on. The caller (validate, graph, plan, apply) walks
 * the nodes in an order where deps come first and calls rc_config_eval_node
 * on each; for a resource or data node that yields its instances with
 * evaluated arguments, and the caller then tells the config each instance's
 * value (planned or applied attributes) with rc_config_set_instance_value, so
 * later nodes see it (aws_vpc.main.id). Unset instance values read as an
 * object of unknowns (known after apply).
 *
 * Threads: rc_config_eval_node may run concurrently for different nodes whose
 * deps are all evaluated; set/get of values is guarded inside.
 *
 * Ownership: rc_config owns its fileset, arenas and values; instances returned
 * in an rc_instance_list belong to the list (rc_instance_list_free). */
#ifndef RC_CONFIG_H
#define RC_CONFIG_H
#include <stdbool.h>
#include <stddef.h>
#include "rc_diag.h"
#include "rc_value.h"

enum rc_cnode_kind {
  RC_CN_VARIABLE,
  RC_CN_LOCAL,
  RC_CN_OUTPUT,
  RC_CN_MODULE,   /* a module call: evaluates its count/for_each and inputs */
  RC_CN_RESOURCE,
  RC_CN_DATA,
  RC_CN_PROVIDER  /* provider "aws" {} in the root module */
};

struct rc_lifecycle {
  bool create_before_destroy;
  bool prevent_destroy;
  bool ignore_all_changes;         /* ignore_changes = all */
  char **ignore_changes;           /* attribute paths ("tags", "desired_count") */
  size_t nignore;
  char **replace_triggered_by;     /* resource addresses (config level) */
  size_t nreplace_triggered_by;
};

struct rc_cnode {
  enum rc_cnode_kind kind;
  char *addr;      /* "module.vpc.aws_subnet.public", "var.region",
                      "module.vpc.local.azs", "output.alb_dns", "module.vpc" */
  char *module;    /* module path of the declaration: "" or "module.vpc" or
                      "module.vpc.module.inner" (no instance keys) */
  char *type;      /* resources/data: "aws_subnet"; else NULL */
  char *name;      /* the declared name */
  size_t *deps;    /* indexes of nodes this one depends on */
  size_t ndeps;
  struct rc_lifecycle lifecycle; /* resources */
  struct rc_range range;         /* the declaration's block */
};

/* One resource or data source instance, as evaluated. */
struct rc_instance {
  char *address;   /* "module.vpc.aws_subnet.public[0]", "aws_security_group.ecs[\"api\"]" */
  char *node_addr; /* config address without instance keys */
  size_t node;     /* index of its rc_cnode */
  const char *type;/* borrowed from the node */
  bool data;
  struct rc_value *key;    /* count index (number), each.key (string), or NULL */
  struct rc_value *config; /* object of evaluated arguments; nested blocks as
                              tuples of objects (dynamic blocks expanded); unset
                              optional arguments absent; may hold unknowns and
                              sensitive marks */
  struct rc_value *timeouts;           /* the timeouts {} block, or NULL */
  const struct rc_lifecycle *lifecycle;/* borrowed from the node */
  struct rc_range range;
  char *module_instance;   /* "" or the module instance it lives in:
                              "module.svc[\"a\"]" */
};

struct rc_instance_list {
  struct rc_instance *items;
  size_t n, cap;
};
void rc_instance_list_free(struct rc_instance_list *l);

/* Variable values given on the command line and in files. */
struct rc_var_input {
  const char **var_files;   /* -var-file paths, in order */
  size_t nvar_files;
  const char **vars;        /* -var "name=value" strings, in order */
  size_t nvars;
  bool interactive;         /* prompt for missing required variables (tty) */
  bool unknown_missing;     /* validate: a required variable without a value is
                               unknown instead of an error (terraform validate) */
};

struct rc_config;

/* Loads the root module in dir and every child module, checks the structure
 * (unknown blocks and arguments with "did you mean", duplicates), resolves
 * variable values and builds the node graph (reporting cycles with their
 * full path). Resource arguments are checked against schema through
 * check_resource (NULL: no checking): it returns false after adding
 * diagnostics for unknown types and arguments.
 * Returns NULL when there were errors (all in ds). */
struct rc_body;
typedef bool (*rc_config_check_fn)(void *ud, const char *type, bool data,
                                   const struct rc_body *body, struct rc_diags *ds);
struct rc_config *rc_config_load(const char *dir, const struct rc_var_input *in,
                                 rc_config_check_fn check, void *check_ud,
                                 struct rc_diags *ds);
void rc_config_free(struct rc_config *cfg);

size_t rc_config_node_count(const struct rc_config *cfg);
const struct rc_cnode *rc_config_node(const struct rc_config *cfg, size_t i);
/* Node indexes in an order where every node comes after its deps. */
const size_t *rc_config_order(const struct rc_config *cfg);

/* Evaluates node i (its deps must be evaluated). Resources and data sources
 * append their instances to out (count/for_each expanded across every
 * instance of the enclosing module calls); other kinds append nothing.
 * Returns false after adding diagnostics. plan_time: uuid()/timestamp()
 * are unknown. */
bool rc_config_eval_node(struct rc_config *cfg, size_t i, bool plan_time,
                         struct rc_instance_list *out, struct rc_diags *ds);

/* Records what other expressions see for an instance: its full attribute
 * object (steals value). */
void rc_config_set_instance_value(struct rc_config *cfg, const char *address,
                                  struct rc_value *steal);

/* The root module's outputs after evaluation: object name → value (sensitive
 * outputs marked). New reference. */
struct rc_value *rc_config_outputs(struct rc_config *cfg);
/* Output metadata: true if declared sensitive. */
bool rc_config_output_sensitive(const struct rc_config *cfg, const char *name);

/* The root provider "aws" block evaluated (region, profile, endpoints,
 * default_tags, assume_role) after its node was evaluated; NULL when absent.
 * Borrowed. */
const struct rc_value *rc_config_provider(const struct rc_config *cfg);
/* The terraform { backend "X" { ... } } block: type in *type (borrowed) and its
 * attributes (borrowed), or NULL when none. */
const struct rc_value *rc_config_backend(const struct rc_config *cfg, const char **type);
/* Only the root module's backend block, without loading or evaluating the
 * rest (for commands that need the state alone). New reference, or NULL
 * when there is none; *type is rc_malloc'd (caller frees). */
struct rc_value *rc_config_read_backend(const char *dir, char **type, struct rc_diags *ds);
/* moved {} blocks as pairs of from/to addresses; import {} blocks as to/id. */
size_t rc_config_moved(const struct rc_config *cfg, const char ***from, const char ***to);
size_t rc_config_imports(const struct rc_config *cfg, const char ***to, struct rc_value ***id);

/* validate mode: an unknown count/for_each expands to one placeholder
 * instance (key unknown, address suffix [*]) instead of an error, as
 * `terraform validate` checks a block once whatever its count. */
void rc_config_set_validate_only(struct rc_config *cfg, bool on);

/* The resource and data nodes that resource/data node `node` depends on,
 * through locals, variables, module inputs and outputs (not through other
 * resources), plus depends_on. *out is rc_malloc'd (caller frees). */
size_t rc_config_resource_deps(const struct rc_config *cfg, size_t node, size_t **out);

/* The values of the root module's variables (object; sensitive marked). */
const struct rc_value *rc_config_variables(const struct rc_config *cfg);
/* Root directory, absolute. */
const char *rc_config_dir(const struct rc_config *cfg);
/* A digest (hex SHA-256) of every configuration file's bytes, for saved plans. */
const char *rc_config_digest(const struct rc_config *cfg);

#endif
