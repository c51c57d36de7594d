/* diff — desired (configuration) against live (refreshed attributes), per
 * attribute, as the resource type's schema says: which attributes may change
 * in place and which force a replacement; defaults; computed attributes
 * (known from the live object, or unknown until apply); normalisers so that
 * what AWS rewrites does not show as a change; ignore_changes.
 *
 * Ownership: inputs borrowed; out->planned and out->replace_paths belong to
 * the caller (rc_diff_out_free). */
#ifndef RC_DIFF_H
#define RC_DIFF_H
#include <stdbool.h>
#include "plan.h"
#include "resource.h"

struct rc_diff_in {
  const struct rc_resource_type *rt;
  const struct rc_value *config;       /* evaluated arguments (may hold unknowns) */
  const struct rc_value *prior;        /* refreshed attributes, NULL: does not exist */
  const struct rc_value *default_tags; /* provider default_tags, or NULL */
  const char *const *ignore_changes;   /* attribute names; NULL-terminated or NULL */
  bool ignore_all;
  bool create_before_destroy;
  bool force_replace;                  /* -replace or replace_triggered_by */
};

struct rc_diff_out {
  enum rc_action action;
  const char *reason;                  /* static Terraform action_reason or NULL */
  struct rc_value *planned;            /* the attributes after the action */
  char **replace_paths;
  size_t nreplace;
};

rc_status rc_diff_instance(const struct rc_diff_in *in, struct rc_diff_out *out,
                           struct rc_error *err);
void rc_diff_out_free(struct rc_diff_out *out);

/* The schema's view of a value: coerced to the attribute's type (strings "80"
 * → 80 for numbers, "true" → true for bools, numbers → strings for strings)
 * and normalised. New reference. */
struct rc_value *rc_diff_canon(const struct rc_attr *a, const struct rc_value *v);
/* Equal as the schema sees them: sets order-free, null equal to an empty
 * collection (and to "" for optional strings). */
bool rc_diff_attr_equal(const struct rc_attr *a, const struct rc_value *x,
                        const struct rc_value *y);
/* Names of the attributes the configuration owns (settable, not computed)
 * that differ between two attribute objects (for drift); returns how many
 * were written to names (max n). */
size_t rc_diff_changed_attrs(const struct rc_attr *schema, const struct rc_value *a,
                             const struct rc_value *b, const char **names, size_t n);

/* What AWS answers carries no marks: returns attrs with every top-level
 * attribute marked sensitive where marks_from (the planned value, or the
 * state's attributes) has a sensitive value in it, or the schema says so.
 * New reference; attrs and marks_from borrowed (marks_from may be NULL). */
struct rc_value *rc_diff_carry_marks(const struct rc_resource_type *rt,
                                     const struct rc_value *attrs,
                                     const struct rc_value *marks_from);

#endif
