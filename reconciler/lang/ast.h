/* ast — the syntax tree of HCL native syntax (and JSON syntax, which parses
 * into the same shapes), after hashicorp/hcl hclsyntax/spec.md.
 *
 * Ownership: every node, string and array of a parsed file lives in the
 * rc_arena given to the parser and is freed with it at once; nothing that
 * outlives evaluation may point into it (values are copied out as rc_value).
 * Literal values (RC_E_LITERAL) are rc_values owned by the arena: the arena
 * decrefs them when it is freed. Every node keeps its byte range. */
#ifndef RC_AST_H
#define RC_AST_H
#include <stdbool.h>
#include <stddef.h>
#include "rc_diag.h"
#include "rc_value.h"

/* --- arena (libgit2 pool): bump allocation, freed at once. With the
 * environment variable RECON_ARENA_MALLOC=1 every allocation is a separate
 * malloc so ASan and valgrind see each one. --- */
struct rc_arena;
struct rc_arena *rc_arena_new(void);
void *rc_arena_alloc(struct rc_arena *a, size_t n);     /* zeroed */
char *rc_arena_strndup(struct rc_arena *a, const char *s, size_t n);
void rc_arena_own_value(struct rc_arena *a, struct rc_value *steal); /* decref at free */
void rc_arena_free(struct rc_arena *a);                 /* NULL ok */

enum rc_expr_kind {
  RC_E_LITERAL,   /* null, bools, numbers, plain quoted strings without ${} */
  RC_E_TEMPLATE,  /* "a${b}c", heredocs: parts are literals and expressions.
                     "${x}" alone is a TEMPLATE with n == 1 and parts[0] == x:
                     it yields x's value unconverted (hcl TemplateWrapExpr);
                     a template without sequences is a LITERAL string */
  RC_E_TMPL_IF,   /* %{ if c }...%{ else }...%{ endif } inside a template */
  RC_E_TMPL_FOR,  /* %{ for k, v in coll }...%{ endfor } inside a template */
  RC_E_VARIABLE,  /* a root name: var, local, aws_vpc, count, each, path ... */
  RC_E_GETATTR,   /* obj.name */
  RC_E_INDEX,     /* obj[key]; legacy obj.0 is INDEX with a literal number */
  RC_E_SPLAT,     /* src[*].a.b or src.*.a.b : each applied to every element */
  RC_E_SPLAT_ITEM,/* the current element inside a splat's `each` traversal */
  RC_E_CALL,      /* name(args...) */
  RC_E_TUPLE,     /* [a, b] */
  RC_E_OBJECT,    /* { k = v, (expr) = v } */
  RC_E_FOR,       /* [for k, v in c : x if cond] / {for k, v in c : k => v... if cond} */
  RC_E_COND,      /* c ? a : b */
  RC_E_UNARY,     /* -x, !x */
  RC_E_BINARY,    /* a op b */
  RC_E_PAREN      /* (x): kept so fmt and object keys can tell (k) from k */
};

enum rc_op {
  RC_OP_NEG, RC_OP_NOT,
  RC_OP_MUL, RC_OP_DIV, RC_OP_MOD, RC_OP_ADD, RC_OP_SUB,
  RC_OP_LT, RC_OP_LE, RC_OP_GT, RC_OP_GE, RC_OP_EQ, RC_OP_NE,
  RC_OP_AND, RC_OP_OR
};

struct rc_expr {
  enum rc_expr_kind kind;
  struct rc_range range;
  union {
    struct rc_value *literal;
    struct {
      struct rc_expr **parts; /* LITERAL strings and any expressions */
      size_t n;
      bool heredoc;
    } tmpl;
    struct {
      struct rc_expr *cond;
      struct rc_expr *then_part, *else_part; /* TEMPLATEs; else may be NULL */
    } tmpl_if;
    struct {
      const char *key_var; /* NULL when only a value variable */
      const char *val_var;
      struct rc_expr *coll;
      struct rc_expr *body; /* TEMPLATE */
    } tmpl_for;
    struct {
      const char *name;
    } var;
    struct {
      struct rc_expr *obj;
      const char *name;
      struct rc_range name_range;
    } getattr;
    struct {
      struct rc_expr *obj;
      struct rc_expr *key;
    } index;
    struct {
      struct rc_expr *src;
      struct rc_expr *each; /* traversal rooted at an RC_E_SPLAT_ITEM node */
      bool full;            /* [*] (true) or legacy .* (false) */
    } splat;
    struct {
      const char *name;
      struct rc_range name_range;
      struct rc_expr **args;
      size_t n;
      bool expand_last; /* f(a, b...) */
    } call;
    struct {
      struct rc_expr **items;
      size_t n;
    } tuple;
    struct {
      struct rc_expr **keys; /* a bare identifier key is a LITERAL string;
                                (expr) keys are PAREN */
      struct rc_expr **vals;
      size_t n;
    } object;
    struct {
      const char *key_var; /* NULL: `for v in` */
      const char *val_var;
      struct rc_expr *coll;
      struct rc_expr *key;  /* object form: key expression; NULL for tuple form */
      struct rc_expr *val;
      struct rc_expr *cond; /* NULL when no `if` */
      bool group;           /* `...` after the value: group values by key */
    } forx;
    struct {
      struct rc_expr *cond, *then_e, *else_e;
    } cond;
    struct {
      enum rc_op op;
      struct rc_expr *a, *b; /* b NULL for unary */
    } op;
    struct {
      struct rc_expr *inner;
    } paren;
  } u;
};

struct rc_attribute {
  const char *name;
  struct rc_expr *expr;
  struct rc_range range;      /* whole `name = expr` */
  struct rc_range name_range;
};

struct rc_block;

struct rc_body {
  struct rc_attribute *attrs; /* in source order */
  size_t nattrs;
  struct rc_block *blocks;    /* in source order */
  size_t nblocks;
  struct rc_range range;
  bool from_json;             /* JSON syntax: objects may be blocks, see config */
};

struct rc_block {
  const char *type;
  const char **labels;
  struct rc_range *label_ranges;
  size_t nlabels;
  struct rc_body body;
  struct rc_range range;      /* whole block */
  struct rc_range type_range;
};

/* Parses a .tf or .tfvars file (native syntax). Errors go to ds with ranges;
 * the parser recovers at the next line/block to report several. Returns the
 * body (in arena a) even when there were errors, or NULL if nothing parsed. */
struct rc_body *rc_parse_file(const struct rc_file *f, struct rc_arena *a, struct rc_diags *ds);
/* Parses a .tf.json / .tfvars.json file (JSON syntax, spec.md) into a body. */
struct rc_body *rc_parse_json_file(const struct rc_file *f, struct rc_arena *a,
                                   struct rc_diags *ds);
/* Parses one expression (for -var values of complex types, console, tests). */
struct rc_expr *rc_parse_expr(const struct rc_file *f, struct rc_arena *a, struct rc_diags *ds);

/* Calls fn for every reference in e: the root name and the static attribute
 * names / literal index keys that follow it (e.g. "aws_vpc","main","id","0"
 * for aws_vpc.main.id[0]; number keys in decimal, string keys as is; the
 * traversal stops at the first non-literal index or splat), with the range
 * of the traversal. Names bound by enclosing for expressions (and template
 * %{for}) are skipped. Parts are only valid during the call. */
typedef void (*rc_ref_fn)(void *ud, const char *const *parts, size_t nparts,
                          const struct rc_range *range);
void rc_expr_refs(const struct rc_expr *e, rc_ref_fn fn, void *ud);

#endif
