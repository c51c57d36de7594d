/* rc_diag — diagnostics (errors and warnings) with a source range, printed
 * like Terraform's:
 *
 *   Error: Unsupported argument
 *
 *     on main.tf line 3, in resource "aws_vpc" "main":
 *      3:   cidr = "10.0.0.0/16"
 *             ^^^^
 *
 *   An argument named "cidr" is not expected here. Did you mean "cidr_block"?
 *
 * Sources are held by an rc_fileset that outlives every diagnostic pointing
 * into it. Ranges are byte offsets; line and column are computed on print.
 * rc_diags owns its strings; every _free accepts NULL. */
#ifndef RC_DIAG_H
#define RC_DIAG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "rc_status.h"

struct rc_file {
  char *name; /* path as shown to the user */
  char *text; /* NUL-terminated copy of the bytes */
  size_t len;
};

struct rc_fileset {
  struct rc_file **files;
  size_t n, cap;
};

/* Adds a copy of text under name; the fileset owns it. */
const struct rc_file *rc_fileset_add(struct rc_fileset *fs, const char *name,
                                     const char *text, size_t len);
/* Reads path into the fileset. RC_IO (with err) when unreadable, RC_TOO_BIG past
 * RC_LIMIT_SOURCE_SIZE. */
rc_status rc_fileset_read(struct rc_fileset *fs, const char *path,
                          const struct rc_file **out, struct rc_error *err);
void rc_fileset_free(struct rc_fileset *fs);

/* 1-based line and column (in bytes) of a byte offset. */
void rc_file_linecol(const struct rc_file *f, uint32_t off, int *line, int *col);

enum rc_severity { RC_DIAG_ERROR, RC_DIAG_WARNING };

struct rc_diag {
  enum rc_severity severity;
  char *summary;
  char *detail;   /* may be NULL */
  char *context;  /* e.g. `resource "aws_vpc" "main"`; may be NULL */
  struct rc_range range;
};

struct rc_diags {
  struct rc_diag *items;
  size_t n, cap;
  size_t errors;
};

/* Adds a diagnostic; range may be NULL. detail may be NULL. Past
 * RC_LIMIT_DIAGNOSTICS errors, further ones are counted but not kept. */
void rc_diags_add(struct rc_diags *ds, enum rc_severity sev, const struct rc_range *range,
                  const char *summary, const char *detail_fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Sets the context of the most recent diagnostics that have none. */
void rc_diags_set_context(struct rc_diags *ds, size_t from, const char *context);
/* Turns an rc_error into a diagnostic (summary from msg). */
void rc_diags_add_error(struct rc_diags *ds, const struct rc_error *err);
bool rc_diags_has_errors(const struct rc_diags *ds);
void rc_diags_print(const struct rc_diags *ds, FILE *out, bool color);
void rc_diags_free(struct rc_diags *ds);

#endif
