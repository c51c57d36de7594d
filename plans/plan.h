/* plan — the plan model: per instance, the action recon will take and the
 * attributes before and after; drift (objects changed outside recon); output
 * changes; what the plan was made from (configuration digest, variables,
 * state lineage and serial) so a saved plan can refuse to apply to a state
 * that moved on.
 *
 * Ownership: an rc_plan owns every string and value in it (rc_plan_free).
 * Values in before/after may carry unknowns (known after apply) and sensitive
 * marks; renderers never print a sensitive value. */
#ifndef RC_PLAN_H
#define RC_PLAN_H
#include <stdbool.h>
#include <stddef.h>
#include "rc_buf.h"
#include "rc_status.h"
#include "rc_value.h"

enum rc_action {
  RC_ACT_NOOP,
  RC_ACT_CREATE,
  RC_ACT_UPDATE,
  RC_ACT_REPLACE,    /* destroy then create (-/+) */
  RC_ACT_REPLACE_CBD,/* create replacement then destroy (+/-) */
  RC_ACT_DELETE,
  RC_ACT_READ        /* data source read during apply (<=) */
};

struct rc_change {
  char *address;
  char *node_addr;            /* configuration address (no instance key) */
  char *type;
  bool data;
  enum rc_action action;
  const char *reason;         /* Terraform's action_reason or NULL (static string) */
  struct rc_value *before;    /* attributes now (refreshed), NULL when absent */
  struct rc_value *after;     /* planned attributes, NULL for delete */
  char **replace_paths;       /* attributes forcing replacement */
  size_t nreplace;
  char **deps;                /* configuration addresses it depends on */
  size_t ndeps;
  char *id;                   /* live id when known */
};

struct rc_drift {
  char *address;
  char *type;
  struct rc_value *before;    /* as last recorded in state */
  struct rc_value *after;     /* as read now; NULL: deleted outside recon */
};

struct rc_output_change {
  char *name;
  struct rc_value *before, *after; /* NULL when absent */
  bool sensitive;
};

struct rc_plan {
  struct rc_change *changes;
  size_t nchanges, capchanges;
  struct rc_drift *drift;
  size_t ndrift, capdrift;
  struct rc_output_change *outputs;
  size_t noutputs, capoutputs;
  bool destroy;               /* made with -destroy */
  bool refresh_only;
  char *config_digest;
  char *lineage;              /* state the plan was made against */
  long long serial;
  struct rc_value *variables; /* object: name → value (sensitive hashed when saved) */
  char **targets;             /* -target addresses */
  size_t ntargets;
};

struct rc_change *rc_plan_add_change(struct rc_plan *p); /* zeroed, owned by p */
struct rc_drift *rc_plan_add_drift(struct rc_plan *p);
struct rc_output_change *rc_plan_add_output(struct rc_plan *p);
void rc_plan_free(struct rc_plan *p); /* frees contents; p itself is the caller's */
/* true when any change, or output change, is not a no-op */
bool rc_plan_has_changes(const struct rc_plan *p);
/* Counts for the summary line. */
void rc_plan_counts(const struct rc_plan *p, int *add, int *change, int *destroy);
const char *rc_action_name(enum rc_action a); /* "create", "update", ... */

/* --- renderers --- */
/* Terraform-style text: drift section, the actions with attribute diffs,
 * "Plan: X to add, Y to change, Z to destroy.", output changes. color: ANSI. */
rc_status rc_plan_render_text(const struct rc_plan *p, bool color, struct rc_buf *out);
/* Terraform's JSON plan format (format_version "1.2"): resource_changes with
 * change.actions/before/after/after_unknown/before_sensitive/after_sensitive/
 * replace_paths, action_reason, resource_drift, output_changes. */
rc_status rc_plan_render_json(const struct rc_plan *p, struct rc_buf *out);

/* --- saved plan files (-out) --- */
rc_status rc_plan_save(const struct rc_plan *p, const char *path, struct rc_error *err);
rc_status rc_plan_load(const char *path, struct rc_plan *out, struct rc_error *err);
/* The saved-plan document itself (what rc_plan_save writes; caller frees
 * with rc_free) and its parser (RC_SYNTAX for truncated/corrupt/foreign
 * text, RC_UNSUPPORTED for another format version, RC_TOO_BIG; *out is
 * zeroed on error). origin names the file in messages (may be NULL).
 * Sensitive values are stored as salted SHA-256 placeholders, loaded back
 * as such (marked sensitive). */
char *rc_plan_to_json(const struct rc_plan *p, size_t *len);
rc_status rc_plan_from_json(const char *text, size_t len, const char *origin,
                            struct rc_plan *out, struct rc_error *err);
/* True when v is a loaded sensitive placeholder {"$sensitive_sha256": ...}. */
bool rc_plan_is_hashed(const struct rc_value *v);
/* True when a value from a loaded plan (placeholders anywhere inside are
 * compared by salted hash) equals the clear value the apply re-supplies. */
bool rc_plan_value_matches(const struct rc_value *stored, const struct rc_value *clear);

#endif
