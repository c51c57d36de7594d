/* fmt — canonical formatting of HCL native syntax, as `terraform fmt`
 * (hclwrite's format.go): works on the lexer's tokens line by line, so
 * comments and the line layout inside expressions survive; only the spaces
 * between tokens and the indentation change. Two-space indent by bracket
 * depth, one space around binary operators, none inside () [] and around
 * dots, spaces inside { }, `=` aligned across runs of consecutive
 * single-line attributes and line comments aligned likewise. Quoted strings
 * and heredocs are copied untouched. The result is idempotent.
 *
 * Ownership: out is the caller's buffer (appended to). */
#ifndef RC_FMT_H
#define RC_FMT_H
#include "rc_buf.h"
#include "rc_diag.h"
#include "rc_status.h"

/* Formats f (native syntax). RC_SYNTAX after adding the parse errors to ds
 * (out untouched); RC_TOO_BIG if out's cap is reached. */
rc_status rc_fmt_source(const struct rc_file *f, struct rc_buf *out, struct rc_diags *ds);

#endif
