/* parse_expr — HCL expressions by recursive descent (hclsyntax spec.md,
 * "Expressions"): conditional < || < && < == != < comparisons < + - <
 * * / % < unary ! - < postfix traversals (.name, .0, [key], [*], .*) <
 * terms (literals, templates, references, calls, tuples, objects, for
 * expressions, parentheses). Every function returns NULL after reporting. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parser_int.h"
#include "rc_alloc.h"

static struct rc_expr *parse_unary(struct rc_parser *p);

static struct rc_expr *literal(struct rc_parser *p, struct rc_value *steal, uint32_t s, uint32_t e)
{
  struct rc_expr *x = rc_parse__node(p, RC_E_LITERAL, s, e);
  x->u.literal = steal;
  rc_arena_own_value(p->a, steal);
  return x;
}

/* Numbers keep integers exact; digits only and in range → int64. */
static struct rc_value *number_value(const char *s, size_t n, bool neg)
{
  char small[64];
  char *buf = n + 2 <= sizeof small ? small : rc_malloc(n + 2);
  size_t k = 0;
  if (neg) buf[k++] = '-';
  memcpy(buf + k, s, n);
  buf[k + n] = '\0';
  bool integral = strspn(s, "0123456789") >= n;
  struct rc_value *v = NULL;
  if (integral) {
    errno = 0;
    char *end = NULL;
    long long i = strtoll(buf, &end, 10);
    if (errno == 0 && end && *end == '\0') v = rc_value_int((int64_t)i);
  }
  if (!v) v = rc_value_number(strtod(buf, NULL));
  if (buf != small) rc_free(buf);
  return v;
}

static const char *tok_text(struct rc_parser *p, const struct rc_tok *t)
{
  return rc_arena_strndup(p->a, p->text + t->start, t->end - t->start);
}

struct rc_expr *rc_parse__node(struct rc_parser *p, enum rc_expr_kind k, uint32_t start,
                               uint32_t end)
{
  struct rc_expr *x = rc_arena_alloc(p->a, sizeof *x);
  x->kind = k;
  x->range = rc_parse__range(p, start, end);
  return x;
}

/* --- traversals --- */

static struct rc_expr *mk_getattr(struct rc_parser *p, struct rc_expr *obj, const struct rc_tok *name)
{
  struct rc_expr *x = rc_parse__node(p, RC_E_GETATTR, obj->range.start, name->end);
  x->u.getattr.obj = obj;
  x->u.getattr.name = tok_text(p, name);
  x->u.getattr.name_range = rc_parse__range(p, name->start, name->end);
  return x;
}

/* obj.0 or obj.0.1 (the lexer reads "0.1" as one number). */
static struct rc_expr *mk_legacy_index(struct rc_parser *p, struct rc_expr *obj, const struct rc_tok *num)
{
  const char *s = p->text + num->start;
  uint32_t at = num->start;
  while (at < num->end) {
    uint32_t e = at;
    while (e < num->end && s[e - num->start] >= '0' && s[e - num->start] <= '9') e++;
    if (e == at || (e < num->end && s[e - num->start] != '.')) {
      rc_parse__error(p, num, "Invalid legacy index",
                      "A legacy index after a dot must be a whole number, like .0.");
      return NULL;
    }
    struct rc_expr *key = literal(p, number_value(s + (at - num->start), e - at, false), at, e);
    struct rc_expr *x = rc_parse__node(p, RC_E_INDEX, obj->range.start, e);
    x->u.index.obj = obj;
    x->u.index.key = key;
    obj = x;
    at = e < num->end ? e + 1 : e;
  }
  return obj;
}

/* At `[`: is it `[*]`? Consumes it when so. */
static bool take_full_splat(struct rc_parser *p, uint32_t *end)
{
  size_t save = p->pos;
  bool nl = p->nl;
  p->nl = false;
  rc_parse__next(p);
  bool ok = false;
  if (rc_parse__peek(p)->kind == RC_T_STAR) {
    rc_parse__next(p);
    struct rc_tok *c = rc_parse__peek(p);
    if (c->kind == RC_T_RBRACK) {
      *end = c->end;
      rc_parse__next(p);
      ok = true;
    }
  }
  p->nl = nl;
  if (!ok) p->pos = save;
  return ok;
}

static struct rc_expr *parse_index(struct rc_parser *p, struct rc_expr *obj)
{
  struct rc_tok *open = rc_parse__next(p);
  bool nl = p->nl;
  p->nl = false;
  struct rc_expr *key = rc_parse__expr(p), *x = NULL;
  if (key) {
    uint32_t end = rc_parse__peek(p)->end;
    if (rc_parse__expect_close(p, RC_T_RBRACK, open, "']'")) {
      x = rc_parse__node(p, RC_E_INDEX, obj->range.start, end);
      x->u.index.obj = obj;
      x->u.index.key = key;
    }
  }
  p->nl = nl;
  return x;
}

/* The traversal a splat applies to each element: [*] takes every following
 * attribute and index step, .* only attribute steps (spec.md, "Splat Operators"). */
static struct rc_expr *parse_splat(struct rc_parser *p, struct rc_expr *src, bool full,
                                   uint32_t op_start, uint32_t op_end)
{
  struct rc_expr *each = rc_parse__node(p, RC_E_SPLAT_ITEM, op_start, op_end);
  uint32_t end = op_end;
  for (;;) {
    struct rc_tok *t = rc_parse__peek(p);
    if (t->kind == RC_T_DOT) {
      size_t save = p->pos;
      rc_parse__next(p);
      struct rc_tok *n = rc_parse__peek(p);
      if (n->kind == RC_T_IDENT) {
        rc_parse__next(p);
        each = mk_getattr(p, each, n);
      } else if (n->kind == RC_T_NUMBER && full) {
        rc_parse__next(p);
        if (!(each = mk_legacy_index(p, each, n))) return NULL;
      } else {
        p->pos = save;
        break;
      }
      end = n->end;
    } else if (t->kind == RC_T_LBRACK && full) {
      uint32_t e2;
      size_t save = p->pos;
      if (take_full_splat(p, &e2)) {
        p->pos = save;
        break;
      }
      if (!(each = parse_index(p, each))) return NULL;
      end = each->range.end;
    } else {
      break;
    }
  }
  struct rc_expr *x = rc_parse__node(p, RC_E_SPLAT, src->range.start, end);
  x->u.splat.src = src;
  x->u.splat.each = each;
  x->u.splat.full = full;
  return x;
}

static struct rc_expr *parse_postfix(struct rc_parser *p, struct rc_expr *e)
{
  while (e) {
    struct rc_tok *t = rc_parse__peek(p);
    if (t->kind == RC_T_DOT) {
      rc_parse__next(p);
      struct rc_tok *n = rc_parse__peek(p);
      if (n->kind == RC_T_IDENT) {
        rc_parse__next(p);
        e = mk_getattr(p, e, n);
      } else if (n->kind == RC_T_NUMBER) {
        rc_parse__next(p);
        e = mk_legacy_index(p, e, n);
      } else if (n->kind == RC_T_STAR) {
        rc_parse__next(p);
        e = parse_splat(p, e, false, t->start, n->end);
      } else {
        char d[96];
        rc_parse__error(p, n, "Invalid attribute name",
                        "An attribute name is required after a dot, but found %s.",
                        rc_parse__describe(p, n, d, sizeof d));
        return NULL;
      }
    } else if (t->kind == RC_T_LBRACK) {
      uint32_t end;
      if (take_full_splat(p, &end)) e = parse_splat(p, e, true, t->start, end);
      else e = parse_index(p, e);
    } else {
      break;
    }
  }
  return e;
}

/* --- terms --- */

static struct rc_expr *parse_for(struct rc_parser *p, const struct rc_tok *open, bool object)
{
  char d[96];
  rc_parse__next(p); /* for */
  struct rc_tok *v1 = rc_parse__peek(p), *v2 = NULL;
  if (v1->kind != RC_T_IDENT) {
    rc_parse__error(p, v1, "Invalid 'for' expression",
                    "For expression requires variable name after 'for'.");
    return NULL;
  }
  rc_parse__next(p);
  if (rc_parse__peek(p)->kind == RC_T_COMMA) {
    rc_parse__next(p);
    v2 = rc_parse__peek(p);
    if (v2->kind != RC_T_IDENT) {
      rc_parse__error(p, v2, "Invalid 'for' expression",
                      "For expression requires value variable name after comma.");
      return NULL;
    }
    rc_parse__next(p);
  }
  struct rc_tok *in = rc_parse__peek(p);
  if (!rc_parse__is_kw(p, in, "in")) {
    rc_parse__error(p, in, "Invalid 'for' expression",
                    "For expression requires the 'in' keyword after its name declarations, "
                    "but found %s.", rc_parse__describe(p, in, d, sizeof d));
    return NULL;
  }
  rc_parse__next(p);
  struct rc_expr *x = rc_parse__node(p, RC_E_FOR, open->start, open->end);
  x->u.forx.key_var = v2 ? tok_text(p, v1) : NULL;
  x->u.forx.val_var = tok_text(p, v2 ? v2 : v1);
  if (!(x->u.forx.coll = rc_parse__expr(p))) return NULL;
  struct rc_tok *colon = rc_parse__peek(p);
  if (colon->kind != RC_T_COLON) {
    rc_parse__error(p, colon, "Invalid 'for' expression",
                    "For expression requires a colon after the collection expression, but "
                    "found %s.", rc_parse__describe(p, colon, d, sizeof d));
    return NULL;
  }
  rc_parse__next(p);
  if (object) {
    if (!(x->u.forx.key = rc_parse__expr(p))) return NULL;
    struct rc_tok *arrow = rc_parse__peek(p);
    if (arrow->kind != RC_T_FATARROW) {
      rc_parse__error(p, arrow, "Invalid 'for' expression",
                      "Key expression is required when building an object, followed by "
                      "'=>'; found %s.", rc_parse__describe(p, arrow, d, sizeof d));
      return NULL;
    }
    rc_parse__next(p);
  }
  if (!(x->u.forx.val = rc_parse__expr(p))) return NULL;
  if (object && rc_parse__peek(p)->kind == RC_T_ELLIPSIS) {
    rc_parse__next(p);
    x->u.forx.group = true;
  }
  if (rc_parse__is_kw(p, rc_parse__peek(p), "if")) {
    rc_parse__next(p);
    if (!(x->u.forx.cond = rc_parse__expr(p))) return NULL;
  }
  struct rc_tok *close = rc_parse__peek(p);
  uint32_t end = close->end;
  if (!rc_parse__expect_close(p, object ? RC_T_RBRACE : RC_T_RBRACK, open,
                              object ? "'}'" : "']'"))
    return NULL;
  x->range = rc_parse__range(p, open->start, end);
  return x;
}

static bool at_for(struct rc_parser *p)
{
  struct rc_tok *t = rc_parse__peek(p);
  if (!rc_parse__is_kw(p, t, "for")) return false;
  size_t save = p->pos;
  rc_parse__next(p);
  bool yes = rc_parse__peek(p)->kind == RC_T_IDENT;
  p->pos = save;
  return yes;
}

static struct rc_expr *parse_tuple(struct rc_parser *p)
{
  struct rc_tok *open = rc_parse__next(p);
  if (at_for(p)) return parse_for(p, open, false);
  struct rc_pvec items = {0};
  struct rc_expr *x = NULL;
  for (;;) {
    struct rc_tok *t = rc_parse__peek(p);
    if (t->kind == RC_T_RBRACK) break;
    if (t->kind == RC_T_EOF) {
      rc_parse__expect_close(p, RC_T_RBRACK, open, "']'");
      goto out;
    }
    struct rc_expr *item = rc_parse__expr(p);
    if (!item) goto out;
    rc_pvec_push(&items, item);
    t = rc_parse__peek(p);
    if (t->kind == RC_T_COMMA) {
      rc_parse__next(p);
      continue;
    }
    if (t->kind != RC_T_RBRACK) {
      rc_parse__expect_close(p, RC_T_RBRACK, open, "',' or ']'");
      goto out;
    }
  }
  uint32_t end = rc_parse__next(p)->end;
  x = rc_parse__node(p, RC_E_TUPLE, open->start, end);
  x->u.tuple.items = (struct rc_expr **)rc_pvec_finish(p, &items, &x->u.tuple.n);
out:
  rc_free(items.v);
  return x;
}

static struct rc_expr *parse_object(struct rc_parser *p)
{
  struct rc_tok *open = rc_parse__next(p);
  char d[96];
  if (at_for(p)) return parse_for(p, open, true);
  p->nl = true; /* items end at newlines or commas */
  struct rc_pvec keys = {0}, vals = {0};
  struct rc_expr *x = NULL;
  for (;;) {
    struct rc_tok *t = rc_parse__peek(p);
    while (t->kind == RC_T_NEWLINE) {
      rc_parse__next(p);
      t = rc_parse__peek(p);
    }
    if (t->kind == RC_T_RBRACE) break;
    if (t->kind == RC_T_EOF) {
      rc_parse__expect_close(p, RC_T_RBRACE, open, "'}'");
      goto out;
    }
    struct rc_expr *key = rc_parse__expr(p);
    if (!key) goto out;
    if (key->kind == RC_E_VARIABLE) { /* a bare name is a literal key */
      struct rc_expr *lit = literal(p, rc_value_string(key->u.var.name), 0, 0);
      lit->range = key->range;
      key = lit;
    }
    t = rc_parse__peek(p);
    if (t->kind != RC_T_EQUAL && t->kind != RC_T_COLON) {
      if (t->kind == RC_T_EOF) rc_parse__expect_close(p, RC_T_RBRACE, open, "'}'");
      else
        rc_parse__error(p, t, "Missing key/value separator",
                        "Expected an equals sign (\"=\") to mark the beginning of the "
                        "attribute value, but found %s.", rc_parse__describe(p, t, d, sizeof d));
      goto out;
    }
    rc_parse__next(p);
    struct rc_expr *val = rc_parse__expr(p);
    if (!val) goto out;
    rc_pvec_push(&keys, key);
    rc_pvec_push(&vals, val);
    t = rc_parse__peek(p);
    if (t->kind == RC_T_COMMA || t->kind == RC_T_NEWLINE) {
      rc_parse__next(p);
    } else if (t->kind == RC_T_EOF) {
      rc_parse__expect_close(p, RC_T_RBRACE, open, "'}'");
      goto out;
    } else if (t->kind != RC_T_RBRACE) {
      rc_parse__error(p, t, "Missing attribute separator",
                      "Expected a newline or comma to mark the beginning of the next "
                      "attribute, but found %s.", rc_parse__describe(p, t, d, sizeof d));
      goto out;
    }
  }
  uint32_t end = rc_parse__next(p)->end;
  x = rc_parse__node(p, RC_E_OBJECT, open->start, end);
  x->u.object.keys = (struct rc_expr **)rc_pvec_finish(p, &keys, &x->u.object.n);
  x->u.object.vals = (struct rc_expr **)rc_pvec_finish(p, &vals, &x->u.object.n);
out:
  rc_free(keys.v);
  rc_free(vals.v);
  return x;
}

static struct rc_expr *parse_call(struct rc_parser *p, const struct rc_tok *name)
{
  struct rc_tok *open = rc_parse__next(p);
  struct rc_pvec args = {0};
  struct rc_expr *x = NULL;
  bool expand = false;
  for (;;) {
    struct rc_tok *t = rc_parse__peek(p);
    if (t->kind == RC_T_RPAREN) break;
    if (t->kind == RC_T_EOF) {
      rc_parse__expect_close(p, RC_T_RPAREN, open, "')'");
      goto out;
    }
    struct rc_expr *arg = rc_parse__expr(p);
    if (!arg) goto out;
    rc_pvec_push(&args, arg);
    t = rc_parse__peek(p);
    if (t->kind == RC_T_ELLIPSIS) {
      rc_parse__next(p);
      expand = true;
      if (rc_parse__peek(p)->kind == RC_T_COMMA) rc_parse__next(p);
      if (rc_parse__peek(p)->kind != RC_T_RPAREN) {
        rc_parse__expect_close(p, RC_T_RPAREN, open, "')' after the expanded argument");
        goto out;
      }
      break;
    }
    if (t->kind == RC_T_COMMA) {
      rc_parse__next(p);
      continue;
    }
    if (t->kind != RC_T_RPAREN) {
      rc_parse__expect_close(p, RC_T_RPAREN, open, "',' or ')'");
      goto out;
    }
  }
  uint32_t end = rc_parse__next(p)->end;
  x = rc_parse__node(p, RC_E_CALL, name->start, end);
  x->u.call.name = tok_text(p, name);
  x->u.call.name_range = rc_parse__range(p, name->start, name->end);
  x->u.call.expand_last = expand;
  x->u.call.args = (struct rc_expr **)rc_pvec_finish(p, &args, &x->u.call.n);
out:
  rc_free(args.v);
  return x;
}

/* A provider-defined function call, provider::aws::arn_parse(...): the name
 * is the identifiers joined by "::" (hcl 2.20's namespaced function names).
 * NULL (nothing consumed) when t does not start one. */
static struct rc_expr *parse_namespaced_call(struct rc_parser *p, const struct rc_tok *t)
{
  size_t q = p->pos;
  uint32_t end = t->end;
  while (q + 2 < p->n && p->t[q].kind == RC_T_COLON && p->t[q].start == end &&
         p->t[q + 1].kind == RC_T_COLON && p->t[q + 1].start == p->t[q].end &&
         p->t[q + 2].kind == RC_T_IDENT && p->t[q + 2].start == p->t[q + 1].end) {
    end = p->t[q + 2].end;
    q += 3;
  }
  if (q == p->pos || q >= p->n || p->t[q].kind != RC_T_LPAREN) return NULL;
  struct rc_tok name = *t;
  name.end = end;
  p->pos = q;
  bool nl = p->nl;
  p->nl = false;
  struct rc_expr *x = parse_call(p, &name);
  p->nl = nl;
  return x;
}

static struct rc_expr *parse_primary(struct rc_parser *p)
{
  struct rc_tok *t = rc_parse__peek(p);
  char d[96];
  bool nl = p->nl;
  struct rc_expr *x = NULL;
  switch (t->kind) {
  case RC_T_NUMBER:
    rc_parse__next(p);
    return literal(p, number_value(p->text + t->start, t->end - t->start, false), t->start, t->end);
  case RC_T_IDENT:
    rc_parse__next(p);
    if (rc_parse__is_kw(p, t, "true")) return literal(p, rc_value_bool(true), t->start, t->end);
    if (rc_parse__is_kw(p, t, "false")) return literal(p, rc_value_bool(false), t->start, t->end);
    if (rc_parse__is_kw(p, t, "null")) return literal(p, rc_value_null(), t->start, t->end);
    if (rc_parse__peek(p)->kind == RC_T_LPAREN) {
      p->nl = false;
      x = parse_call(p, t);
      p->nl = nl;
      return x;
    }
    if ((x = parse_namespaced_call(p, t))) return x;
    x = rc_parse__node(p, RC_E_VARIABLE, t->start, t->end);
    x->u.var.name = tok_text(p, t);
    return x;
  case RC_T_OQUOTE:
    return rc_parse__quoted(p);
  case RC_T_OHEREDOC:
    return rc_parse__heredoc(p);
  case RC_T_LPAREN: {
    rc_parse__next(p);
    p->nl = false;
    struct rc_expr *inner = rc_parse__expr(p);
    uint32_t end = rc_parse__peek(p)->end;
    if (inner && rc_parse__expect_close(p, RC_T_RPAREN, t, "')'")) {
      x = rc_parse__node(p, RC_E_PAREN, t->start, end);
      x->u.paren.inner = inner;
    }
    p->nl = nl;
    return x;
  }
  case RC_T_LBRACK:
    p->nl = false;
    x = parse_tuple(p);
    p->nl = nl;
    return x;
  case RC_T_LBRACE:
    p->nl = false;
    x = parse_object(p);
    p->nl = nl;
    return x;
  default:
    rc_parse__error(p, t, "Invalid expression",
                    "Expected the start of an expression, but found %s.",
                    rc_parse__describe(p, t, d, sizeof d));
    return NULL;
  }
}

static struct rc_expr *parse_unary(struct rc_parser *p)
{
  struct rc_tok *t = rc_parse__peek(p);
  if (t->kind != RC_T_BANG && t->kind != RC_T_MINUS)
    return parse_postfix(p, parse_primary(p));
  if (!rc_parse__enter(p, t)) return NULL;
  rc_parse__next(p);
  struct rc_tok *n = rc_parse__peek(p);
  struct rc_expr *x = NULL;
  if (t->kind == RC_T_MINUS && n->kind == RC_T_NUMBER) { /* -1 is a literal */
    rc_parse__next(p);
    x = parse_postfix(p, literal(p, number_value(p->text + n->start, n->end - n->start, true),
                                 t->start, n->end));
  } else {
    struct rc_expr *operand = parse_unary(p);
    if (operand) {
      x = rc_parse__node(p, RC_E_UNARY, t->start, operand->range.end);
      x->u.op.op = t->kind == RC_T_BANG ? RC_OP_NOT : RC_OP_NEG;
      x->u.op.a = operand;
    }
  }
  rc_parse__leave(p);
  return x;
}

/* Binary operators by level, 1 (||) to 6 (* / %); all left-associative. */
static int binary_op(int level, enum rc_tok_kind k)
{
  switch (level) {
  case 1: return k == RC_T_OR ? RC_OP_OR : -1;
  case 2: return k == RC_T_AND ? RC_OP_AND : -1;
  case 3: return k == RC_T_EQEQ ? RC_OP_EQ : k == RC_T_NE ? RC_OP_NE : -1;
  case 4:
    return k == RC_T_LT ? RC_OP_LT : k == RC_T_LE ? RC_OP_LE : k == RC_T_GT ? RC_OP_GT
         : k == RC_T_GE ? RC_OP_GE : -1;
  case 5: return k == RC_T_PLUS ? RC_OP_ADD : k == RC_T_MINUS ? RC_OP_SUB : -1;
  case 6:
    return k == RC_T_STAR ? RC_OP_MUL : k == RC_T_SLASH ? RC_OP_DIV
         : k == RC_T_PERCENT ? RC_OP_MOD : -1;
  default: return -1;
  }
}

static struct rc_expr *parse_binary(struct rc_parser *p, int level)
{
  if (level > 6) return parse_unary(p);
  struct rc_expr *lhs = parse_binary(p, level + 1);
  while (lhs) {
    int op = binary_op(level, rc_parse__peek(p)->kind);
    if (op < 0) break;
    rc_parse__next(p);
    struct rc_expr *rhs = parse_binary(p, level + 1);
    if (!rhs) return NULL;
    struct rc_expr *x = rc_parse__node(p, RC_E_BINARY, lhs->range.start, rhs->range.end);
    x->u.op.op = (enum rc_op)op;
    x->u.op.a = lhs;
    x->u.op.b = rhs;
    lhs = x;
  }
  return lhs;
}

struct rc_expr *rc_parse__expr(struct rc_parser *p)
{
  struct rc_tok *t = rc_parse__peek(p);
  if (!rc_parse__enter(p, t)) return NULL;
  struct rc_expr *c = parse_binary(p, 1), *x = c;
  if (c && rc_parse__peek(p)->kind == RC_T_QUESTION) {
    rc_parse__next(p);
    x = NULL;
    struct rc_expr *a = rc_parse__expr(p), *b = NULL;
    if (a) {
      struct rc_tok *colon = rc_parse__peek(p);
      if (colon->kind != RC_T_COLON) {
        char d[96];
        rc_parse__error(p, colon, "Missing false expression in conditional",
                        "The conditional operator (...?...:...) requires a false expression, "
                        "delimited by a colon; found %s.", rc_parse__describe(p, colon, d, sizeof d));
      } else {
        rc_parse__next(p);
        b = rc_parse__expr(p);
      }
    }
    if (a && b) {
      x = rc_parse__node(p, RC_E_COND, c->range.start, b->range.end);
      x->u.cond.cond = c;
      x->u.cond.then_e = a;
      x->u.cond.else_e = b;
    }
  }
  rc_parse__leave(p);
  return x;
}
