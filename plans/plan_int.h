/* plan_int — helpers shared inside plans/ (not part of the contract).
 * Ownership: rc_plan_addr owns its strings (rc_plan__addr_free). */
#ifndef RC_PLAN_INT_H
#define RC_PLAN_INT_H
#include <stdbool.h>
#include "plan.h"

/* An instance address split into parts. module: "module.a.module.b" or
 * NULL at the root; key: a number (key_num) or a string (key_str). */
struct rc_plan_addr {
  char *module;
  bool data;
  char *type;
  char *name;
  bool has_key;
  char *key_str;       /* NULL for a numeric key */
  long long key_num;
};

bool rc_plan__addr_parse(const char *addr, struct rc_plan_addr *out);
void rc_plan__addr_free(struct rc_plan_addr *a);
/* Natural address order: [2] before [10]. */
int rc_plan__addr_cmp(const char *a, const char *b);
/* The action an output change amounts to (no-op, create, update, delete). */
enum rc_action rc_plan__output_action(const struct rc_output_change *oc);

/* --- text rendering (render_text.c, render_diff.c) --- */
struct rc_rd {
  struct rc_buf *out;
  bool color;
  char **replace; /* the change's replace_paths (dotted attribute paths) */
  size_t nreplace;
};
/* Writes text, wrapped in the ANSI code (and a reset) when colouring. */
void rc_plan__color(struct rc_rd *r, const char *code, const char *text);
/* Appends s quoted and escaped as HCL/Go would ("a\"b"). */
void rc_plan__quote(struct rc_buf *out, const char *s, size_t n);
/* A block body "{ ... }" for the attributes before -> after (NULL: absent),
 * as Terraform draws a resource: unchanged attributes hidden (id, name, tags
 * kept as context), lists of objects as nested blocks. indent: nesting level
 * of the line that opens the block; path: dotted path of the block ("" at the
 * resource); force: the whole block forces replacement. */
void rc_plan__render_block(struct rc_rd *r, const struct rc_value *before,
                           const struct rc_value *after, int indent, const char *path,
                           bool show_all, bool force);
/* The right-hand side of "name = ..." for before -> after (outputs). */
void rc_plan__render_value(struct rc_rd *r, const struct rc_value *before,
                           const struct rc_value *after, int indent);

#endif
