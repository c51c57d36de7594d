#include <time.h>

#include "lang_test_util.h"
#include "rc_alloc.h"
#include "rc_limits.h"

static void test_parser__body_attributes_and_blocks(void **state)
{
  struct lt *t = *state;
  struct rc_body *b = lt_parse(t, "# c\nregion = \"us-east-1\"\n\nresource \"aws_vpc\" main {\n"
                                  "  cidr = \"10.0.0.0/16\"\n  lifecycle { prevent_destroy = true }\n"
                                  "  empty {}\n}\n");
  assert_int_equal(t->ds.errors, 0);
  assert_int_equal(b->nattrs, 1);
  assert_string_equal(b->attrs[0].name, "region");
  assert_string_equal(lt_text(t, b->attrs[0].range), "region = \"us-east-1\"");
  assert_string_equal(lt_text(t, b->attrs[0].name_range), "region");
  assert_int_equal(b->nblocks, 1);
  struct rc_block *r = &b->blocks[0];
  assert_string_equal(r->type, "resource");
  assert_int_equal(r->nlabels, 2);
  assert_string_equal(r->labels[0], "aws_vpc");
  assert_string_equal(r->labels[1], "main");
  assert_string_equal(lt_text(t, r->label_ranges[0]), "\"aws_vpc\"");
  assert_string_equal(lt_text(t, r->label_ranges[1]), "main");
  assert_string_equal(lt_text(t, r->type_range), "resource");
  assert_int_equal(r->range.start, 26);
  assert_int_equal(t->f->text[r->range.end - 1], '}');
  assert_int_equal(r->body.nattrs, 1);
  assert_int_equal(r->body.nblocks, 2);
  assert_string_equal(r->body.blocks[0].type, "lifecycle");
  assert_true(rc_value_bool_get(r->body.blocks[0].body.attrs[0].expr->u.literal));
  assert_int_equal(r->body.blocks[1].body.nattrs, 0);
  assert_false(b->from_json);
}

static void test_parser__literals(void **state)
{
  struct lt *t = *state;
  assert_int_equal(lt_int(lt_expr(t, "42")), 42);
  assert_int_equal(lt_int(lt_expr(t, "9007199254740993")), 9007199254740993LL);
  assert_int_equal(lt_int(lt_expr(t, "-5")), -5);
  struct rc_expr *e = lt_expr(t, "1.5e3");
  assert_true(rc_value_number_get(e->u.literal) == 1500.0);
  e = lt_expr(t, "0.25");
  assert_true(rc_value_number_get(e->u.literal) == 0.25);
  assert_false(rc_value_is_int(e->u.literal));
  e = lt_expr(t, "true");
  assert_true(rc_value_bool_get(e->u.literal));
  e = lt_expr(t, "false");
  assert_false(rc_value_bool_get(e->u.literal));
  e = lt_expr(t, "null");
  assert_true(rc_value_is_null(e->u.literal));
  assert_string_equal(lt_str(lt_expr(t, "\"plain\"")), "plain");
  assert_string_equal(lt_str(lt_expr(t, "\"\"")), "");
}

static void test_parser__string_escapes(void **state)
{
  struct lt *t = *state;
  struct rc_expr *e = lt_expr(t, "\"a\\n\\r\\t\\\"\\\\\\u00e9\\U0001F600$${x}%%{y}\"");
  assert_string_equal(lt_str(e), "a\n\r\t\"\\\xc3\xa9\xf0\x9f\x98\x80${x}%{y}");
  assert_string_equal(lt_text(t, e->range), "\"a\\n\\r\\t\\\"\\\\\\u00e9\\U0001F600$${x}%%{y}\"");
}

static void test_parser__traversals(void **state)
{
  struct lt *t = *state;
  struct rc_expr *e = lt_expr(t, "aws_vpc.main.cidr_blocks[0].x.1.2");
  /* ((((((aws_vpc.main).cidr_blocks)[0]).x)[1])[2]) */
  assert_int_equal(e->kind, RC_E_INDEX);
  assert_int_equal(lt_int(e->u.index.key), 2);
  assert_int_equal(e->u.index.obj->kind, RC_E_INDEX);
  assert_int_equal(lt_int(e->u.index.obj->u.index.key), 1);
  struct rc_expr *x = e->u.index.obj->u.index.obj;
  assert_int_equal(x->kind, RC_E_GETATTR);
  assert_string_equal(x->u.getattr.name, "x");
  assert_string_equal(lt_text(t, x->u.getattr.name_range), "x");
  struct rc_expr *i0 = x->u.getattr.obj;
  assert_int_equal(i0->kind, RC_E_INDEX);
  assert_string_equal(lt_text(t, i0->range), "aws_vpc.main.cidr_blocks[0]");
  struct rc_expr *root = i0->u.index.obj->u.getattr.obj->u.getattr.obj;
  assert_int_equal(root->kind, RC_E_VARIABLE);
  assert_string_equal(root->u.var.name, "aws_vpc");
  assert_string_equal(lt_text(t, e->range), "aws_vpc.main.cidr_blocks[0].x.1.2");
  e = lt_expr(t, "m[\"k\"][var.i]");
  assert_string_equal(lt_str(e->u.index.obj->u.index.key), "k");
  assert_int_equal(e->u.index.key->kind, RC_E_GETATTR);
}

static void test_parser__splats(void **state)
{
  struct lt *t = *state;
  struct rc_expr *e = lt_expr(t, "a.b[*].c[0].d");
  assert_int_equal(e->kind, RC_E_SPLAT);
  assert_true(e->u.splat.full);
  assert_string_equal(lt_text(t, e->u.splat.src->range), "a.b");
  struct rc_expr *each = e->u.splat.each; /* full splat captures .c[0].d */
  assert_int_equal(each->kind, RC_E_GETATTR);
  assert_string_equal(each->u.getattr.name, "d");
  assert_int_equal(each->u.getattr.obj->kind, RC_E_INDEX);
  assert_int_equal(each->u.getattr.obj->u.index.obj->u.getattr.obj->kind, RC_E_SPLAT_ITEM);
  assert_string_equal(lt_text(t, e->range), "a.b[*].c[0].d");

  e = lt_expr(t, "a.*.b.c[0]"); /* attribute-only splat stops at the index */
  assert_int_equal(e->kind, RC_E_INDEX);
  struct rc_expr *s = e->u.index.obj;
  assert_int_equal(s->kind, RC_E_SPLAT);
  assert_false(s->u.splat.full);
  assert_string_equal(s->u.splat.each->u.getattr.name, "c");
  assert_int_equal(s->u.splat.each->u.getattr.obj->u.getattr.obj->kind, RC_E_SPLAT_ITEM);

  e = lt_expr(t, "a[*][*].x"); /* a second splat applies to the first's result */
  assert_int_equal(e->kind, RC_E_SPLAT);
  assert_int_equal(e->u.splat.src->kind, RC_E_SPLAT);
  assert_int_equal(e->u.splat.each->kind, RC_E_GETATTR);
  assert_int_equal(e->u.splat.src->u.splat.each->kind, RC_E_SPLAT_ITEM);
}

static void test_parser__precedence(void **state)
{
  struct lt *t = *state;
  struct rc_expr *e = lt_expr(t, "a || b && c == d + e * f");
  assert_int_equal(e->kind, RC_E_BINARY);
  assert_int_equal(e->u.op.op, RC_OP_OR);
  struct rc_expr *and = e->u.op.b;
  assert_int_equal(and->u.op.op, RC_OP_AND);
  struct rc_expr *eq = and->u.op.b;
  assert_int_equal(eq->u.op.op, RC_OP_EQ);
  struct rc_expr *add = eq->u.op.b;
  assert_int_equal(add->u.op.op, RC_OP_ADD);
  assert_int_equal(add->u.op.b->u.op.op, RC_OP_MUL);

  e = lt_expr(t, "1 - 2 - 3"); /* left associative */
  assert_int_equal(e->u.op.op, RC_OP_SUB);
  assert_int_equal(lt_int(e->u.op.b), 3);
  assert_int_equal(e->u.op.a->u.op.op, RC_OP_SUB);

  e = lt_expr(t, "a < b != c >= d");
  assert_int_equal(e->u.op.op, RC_OP_NE);
  assert_int_equal(e->u.op.a->u.op.op, RC_OP_LT);
  assert_int_equal(e->u.op.b->u.op.op, RC_OP_GE);

  e = lt_expr(t, "!a.b && -c * d % e / f");
  assert_int_equal(e->u.op.op, RC_OP_AND);
  assert_int_equal(e->u.op.a->kind, RC_E_UNARY);
  assert_int_equal(e->u.op.a->u.op.op, RC_OP_NOT);
  assert_int_equal(e->u.op.a->u.op.a->kind, RC_E_GETATTR);
  struct rc_expr *div = e->u.op.b;
  assert_int_equal(div->u.op.op, RC_OP_DIV);
  assert_int_equal(div->u.op.a->u.op.op, RC_OP_MOD);
  assert_int_equal(div->u.op.a->u.op.a->u.op.op, RC_OP_MUL);
  assert_int_equal(div->u.op.a->u.op.a->u.op.a->u.op.op, RC_OP_NEG);

  e = lt_expr(t, "a ? b : c ? d : e");
  assert_int_equal(e->kind, RC_E_COND);
  assert_int_equal(e->u.cond.else_e->kind, RC_E_COND);
  e = lt_expr(t, "x > 1 ? 2 : 3");
  assert_int_equal(e->u.cond.cond->u.op.op, RC_OP_GT);
  assert_string_equal(lt_text(t, e->range), "x > 1 ? 2 : 3");

  e = lt_expr(t, "(a + b) * c");
  assert_int_equal(e->u.op.op, RC_OP_MUL);
  assert_int_equal(e->u.op.a->kind, RC_E_PAREN);
  assert_string_equal(lt_text(t, e->u.op.a->range), "(a + b)");
  e = lt_expr(t, "5 <= 6");
  assert_int_equal(e->u.op.op, RC_OP_LE);
}

static void test_parser__collections(void **state)
{
  struct lt *t = *state;
  struct rc_expr *e = lt_expr(t, "[1, \"a\",\n  [],\n]");
  assert_int_equal(e->kind, RC_E_TUPLE);
  assert_int_equal(e->u.tuple.n, 3);
  assert_int_equal(e->u.tuple.items[2]->kind, RC_E_TUPLE);
  assert_int_equal(e->u.tuple.items[2]->u.tuple.n, 0);

  e = lt_expr(t, "{\n  a = 1, b : 2\n  \"c\" = 3\n  (d) = 4\n  \"${e}\" = 5\n}");
  assert_int_equal(e->kind, RC_E_OBJECT);
  assert_int_equal(e->u.object.n, 5);
  assert_string_equal(lt_str(e->u.object.keys[0]), "a");
  assert_string_equal(lt_text(t, e->u.object.keys[0]->range), "a");
  assert_string_equal(lt_str(e->u.object.keys[1]), "b");
  assert_string_equal(lt_str(e->u.object.keys[2]), "c");
  assert_int_equal(e->u.object.keys[3]->kind, RC_E_PAREN);
  assert_int_equal(e->u.object.keys[4]->kind, RC_E_TEMPLATE);
  assert_int_equal(lt_int(e->u.object.vals[4]), 5);
  e = lt_expr(t, "{}");
  assert_int_equal(e->u.object.n, 0);
  e = lt_expr(t, "{ for = 1 }"); /* `for` not followed by a name is a key */
  assert_string_equal(lt_str(e->u.object.keys[0]), "for");
}

static void test_parser__for_expressions(void **state)
{
  struct lt *t = *state;
  struct rc_expr *e = lt_expr(t, "[for v in var.l : upper(v)]");
  assert_int_equal(e->kind, RC_E_FOR);
  assert_null(e->u.forx.key_var);
  assert_string_equal(e->u.forx.val_var, "v");
  assert_null(e->u.forx.key);
  assert_int_equal(e->u.forx.val->kind, RC_E_CALL);
  assert_null(e->u.forx.cond);
  assert_string_equal(lt_text(t, e->range), "[for v in var.l : upper(v)]");

  e = lt_expr(t, "{\n for k, v in var.m :\n k => v...\n if v != null\n}");
  assert_int_equal(e->kind, RC_E_FOR);
  assert_string_equal(e->u.forx.key_var, "k");
  assert_string_equal(e->u.forx.val_var, "v");
  assert_int_equal(e->u.forx.key->kind, RC_E_VARIABLE);
  assert_true(e->u.forx.group);
  assert_int_equal(e->u.forx.cond->u.op.op, RC_OP_NE);
}

static void test_parser__calls(void **state)
{
  struct lt *t = *state;
  struct rc_expr *e = lt_expr(t, "concat(a, [b],\n  c...)");
  assert_int_equal(e->kind, RC_E_CALL);
  assert_string_equal(e->u.call.name, "concat");
  assert_string_equal(lt_text(t, e->u.call.name_range), "concat");
  assert_int_equal(e->u.call.n, 3);
  assert_true(e->u.call.expand_last);
  e = lt_expr(t, "f()");
  assert_int_equal(e->u.call.n, 0);
  assert_false(e->u.call.expand_last);
  e = lt_expr(t, "f(1, 2,)");
  assert_int_equal(e->u.call.n, 2);
  e = lt_expr(t, "f(x).y[0]");
  assert_int_equal(e->kind, RC_E_INDEX);
  assert_int_equal(e->u.index.obj->u.getattr.obj->kind, RC_E_CALL);
}

static void test_parser__templates(void **state)
{
  struct lt *t = *state;
  struct rc_expr *e = lt_expr(t, "\"a-${var.b}-c\"");
  assert_int_equal(e->kind, RC_E_TEMPLATE);
  assert_int_equal(e->u.tmpl.n, 3);
  assert_string_equal(lt_str(e->u.tmpl.parts[0]), "a-");
  assert_string_equal(lt_text(t, e->u.tmpl.parts[1]->range), "var.b");
  assert_string_equal(lt_str(e->u.tmpl.parts[2]), "-c");
  assert_false(e->u.tmpl.heredoc);

  e = lt_expr(t, "\"${x}\""); /* a lone interpolation: the value unconverted */
  assert_int_equal(e->kind, RC_E_TEMPLATE);
  assert_int_equal(e->u.tmpl.n, 1);
  assert_int_equal(e->u.tmpl.parts[0]->kind, RC_E_VARIABLE);

  e = lt_expr(t, "\"%{ if a }yes%{ else }no%{ endif }!\"");
  assert_int_equal(e->u.tmpl.n, 2);
  struct rc_expr *i = e->u.tmpl.parts[0];
  assert_int_equal(i->kind, RC_E_TMPL_IF);
  assert_string_equal(lt_str(i->u.tmpl_if.then_part->u.tmpl.parts[0]), "yes");
  assert_string_equal(lt_str(i->u.tmpl_if.else_part->u.tmpl.parts[0]), "no");
  assert_string_equal(lt_text(t, i->range), "%{ if a }yes%{ else }no%{ endif }");

  e = lt_expr(t, "\"%{for k, v in m}${k}=${v};%{endfor}\"");
  struct rc_expr *f = e->u.tmpl.parts[0];
  assert_int_equal(f->kind, RC_E_TMPL_FOR);
  assert_string_equal(f->u.tmpl_for.key_var, "k");
  assert_string_equal(f->u.tmpl_for.val_var, "v");
  assert_int_equal(f->u.tmpl_for.body->u.tmpl.n, 4);

  e = lt_expr(t, "\"a  ${~ x ~}  b %{~ if c ~} d %{~ endif ~} e\"");
  assert_string_equal(lt_str(e->u.tmpl.parts[0]), "a");
  assert_string_equal(lt_str(e->u.tmpl.parts[2]), "b");
  assert_string_equal(lt_str(e->u.tmpl.parts[3]->u.tmpl_if.then_part->u.tmpl.parts[0]), "d");
  assert_string_equal(lt_str(e->u.tmpl.parts[4]), "e");
}

static void test_parser__heredocs(void **state)
{
  struct lt *t = *state;
  struct rc_expr *e = lt_expr(t, "<<EOT\n  Foo\n    Bar\nEOT");
  assert_string_equal(lt_str(e), "  Foo\n    Bar\n");
  e = lt_expr(t, "<<-EOT\n    Foo\n      Bar\n\n    ${x} Baz\n    EOT");
  assert_int_equal(e->kind, RC_E_TEMPLATE);
  assert_true(e->u.tmpl.heredoc);
  assert_string_equal(lt_str(e->u.tmpl.parts[0]), "Foo\n  Bar\n\n");
  assert_string_equal(lt_str(e->u.tmpl.parts[2]), " Baz\n");
  e = lt_expr(t, "<<-EOT\n    a\n  b\n  EOT");
  assert_string_equal(lt_str(e), "  a\nb\n");
  e = lt_expr(t, "<<-EOT\n\ta\n\t\tb\n\tEOT");
  assert_string_equal(lt_str(e), "a\n\tb\n");
  e = lt_expr(t, "<<EOT\nEOT");
  assert_string_equal(lt_str(e), "");
  e = lt_expr(t, "<<EOT\n$${raw} %%{raw}\nEOT");
  assert_string_equal(lt_str(e), "${raw} %{raw}\n");
}

static void test_parser__newlines_inside_brackets(void **state)
{
  struct lt *t = *state;
  struct rc_expr *e = lt_expr(t, "(\n  a\n  + b\n)");
  assert_int_equal(e->u.paren.inner->u.op.op, RC_OP_ADD);
  e = lt_expr(t, "f(\n  a,\n  b\n)");
  assert_int_equal(e->u.call.n, 2);
  e = lt_expr(t, "x[\n  0\n]");
  assert_int_equal(e->kind, RC_E_INDEX);
}

static void test_parser__parse_expr(void **state)
{
  struct lt *t = *state;
  t->f = rc_fileset_add(&t->fs, "<value>", "[\"a\", 1]", 8);
  struct rc_expr *e = rc_parse_expr(t->f, t->a, &t->ds);
  assert_non_null(e);
  assert_int_equal(e->u.tuple.n, 2);
  t->f = rc_fileset_add(&t->fs, "<value>", "1 2", 3);
  assert_null(rc_parse_expr(t->f, t->a, &t->ds));
  lt_diag(t, 0, "Extra characters after expression", 1, 3);
}

/* --- errors --- */

static void test_parser__error_messages(void **state)
{
  struct lt *t = *state;
  lt_parse(t, "a = 1\n= 2\nb = \nc = \"x\nd = \"\\q\"\ne = [1, 2\nf = (1 + 2]\ng = 1 h = 2\n"
              "i = [1 2]\nj = \"${x\"\n");
  lt_diag(t, 0, "Argument or block definition required", 2, 1);
  lt_diag(t, 1, "Invalid expression", 3, 5);
  lt_diag(t, 2, "Unterminated template string", 4, 5);
  lt_diag(t, 3, "Invalid escape sequence", 5, 6);
  lt_diag(t, 4, "Unexpected token", 7, 1);
  assert_non_null(strstr(t->ds.items[4].detail, "opened at line 6"));
  lt_diag(t, 5, "Missing close bracket", 7, 11);
  assert_non_null(strstr(t->ds.items[5].detail, "opened at line 7"));
  lt_diag(t, 6, "Missing newline after argument", 8, 7);
  lt_diag(t, 7, "Unexpected token", 9, 8);
  lt_diag(t, 8, "Unexpected token", 10, 9);
  assert_non_null(strstr(t->ds.items[8].detail, "to close '${' opened at line 10"));
  assert_int_equal(t->ds.errors, 9);
}

static void test_parser__unclosed_block_and_eof_bracket(void **state)
{
  struct lt *t = *state;
  struct rc_body *b = lt_parse(t, "a {\n  b = 1\n\nc {\n");
  lt_diag(t, 0, "Unclosed configuration block", 4, 3);
  lt_diag(t, 1, "Unclosed configuration block", 1, 3);
  assert_int_equal(b->nblocks, 1);
  assert_int_equal(b->blocks[0].body.nattrs, 1);
}

static void test_parser__missing_close_bracket_at_eof(void **state)
{
  struct lt *t = *state;
  lt_parse(t, "x = {\n  a = [\n    1,\n");
  lt_diag(t, 0, "Missing close bracket", 4, 1);
  assert_non_null(strstr(t->ds.items[0].detail, "'[' opened at line 2"));
}

static void test_parser__block_errors(void **state)
{
  struct lt *t = *state;
  lt_parse(t, "resource \"a\" \"${b}\" {\n}\nfoo\nbar \"x\" = 1\nbaz \"x\" 3 {}\nq {} r = 1\n");
  lt_diag(t, 0, "Invalid block label", 1, 14);
  lt_diag(t, 1, "Argument or block definition required", 3, 1);
  lt_diag(t, 2, "Argument or block definition required", 4, 9);
  lt_diag(t, 3, "Invalid block definition", 5, 9);
  lt_diag(t, 4, "Missing newline after block definition", 6, 6);
}

static void test_parser__template_errors(void **state)
{
  struct lt *t = *state;
  lt_parse(t, "a = \"%{ if x }y\"\nb = \"%{ endif }\"\nc = \"%{ bogus }\"\nd = <<EOT\nno end\n");
  lt_diag(t, 0, "Unterminated template directive", 1, 6);
  lt_diag(t, 1, "Unexpected template directive", 2, 6);
  lt_diag(t, 2, "Invalid template directive", 3, 9);
  lt_diag(t, 3, "Unterminated heredoc", 4, 5);
}

static void test_parser__invalid_unicode_escape(void **state)
{
  struct lt *t = *state;
  lt_parse(t, "a = \"\\uD800\"\nb = \"\\u12\"\nc = \"\\U00110000\"\n");
  lt_diag(t, 0, "Invalid escape sequence", 1, 6);
  lt_diag(t, 1, "Invalid escape sequence", 2, 6);
  lt_diag(t, 2, "Invalid escape sequence", 3, 6);
}

static void test_parser__recovery_reports_several_and_keeps_good_items(void **state)
{
  struct lt *t = *state;
  struct rc_body *b = lt_parse(t, "ok1 = 1\nbad1 = [1,\n  2 3]\nok2 = 2\nres \"a\" {\n  bad2 = )\n"
                                  "  ok3 = 3\n}\nok4 = 4\n");
  assert_int_equal(t->ds.errors, 2);
  lt_diag(t, 0, "Unexpected token", 3, 5);
  lt_diag(t, 1, "Invalid expression", 6, 10);
  assert_int_equal(b->nattrs, 3);
  assert_string_equal(b->attrs[0].name, "ok1");
  assert_string_equal(b->attrs[1].name, "ok2");
  assert_string_equal(b->attrs[2].name, "ok4");
  assert_int_equal(b->blocks[0].body.nattrs, 1);
  assert_string_equal(b->blocks[0].body.attrs[0].name, "ok3");
}

static void test_parser__invalid_utf8_is_a_diagnostic(void **state)
{
  struct lt *t = *state;
  lt_parse(t, "a = \"ok\"\nb = \"\xff\xfe\"\n\x80 = 1\n");
  lt_diag(t, 0, "Invalid UTF-8", 2, 6);
  lt_diag(t, 1, "Invalid UTF-8", 3, 1);
}

static void test_parser__deep_nesting(void **state)
{
  struct lt *t = *state;
  size_t n = 10000;
  char *src = rc_malloc(2 * n + 16);
  memcpy(src, "x = ", 4);
  memset(src + 4, '[', n);
  memset(src + 4 + n, ']', n);
  src[4 + 2 * n] = '\0';
  lt_parse(t, src);
  assert_int_equal(t->ds.errors, 1);
  assert_string_equal(t->ds.items[0].summary, "Too deeply nested");
  /* blocks, parentheses, unary operators and templates are bounded too */
  const char *units[] = {"a {\n", "(", "!", "\"${"};
  for (size_t u = 0; u < 4; u++) {
    struct lt fresh = {0};
    fresh.a = rc_arena_new();
    size_t off = 0;
    if (u) {
      memcpy(src, "x = ", 4);
      off = 4;
    }
    size_t ul = strlen(units[u]);
    for (size_t i = 0; i < n / ul && off + ul < 2 * n; i++, off += ul) memcpy(src + off, units[u], ul);
    src[off] = '\0';
    lt_parse(&fresh, src);
    assert_true(fresh.ds.errors >= 1);
    bool found = false;
    for (size_t i = 0; i < fresh.ds.n; i++)
      found |= strcmp(fresh.ds.items[i].summary, "Too deeply nested") == 0;
    assert_true(found);
    rc_diags_free(&fresh.ds);
    rc_arena_free(fresh.a);
    rc_fileset_free(&fresh.fs);
  }
  rc_free(src);
}

static void test_parser__big_one_line_file_is_fast(void **state)
{
  struct lt *t = *state;
  size_t n = 1 << 20;
  char *src = rc_malloc(n + 1);
  struct rc_buf b;
  rc_buf_init(&b, 0);
  rc_buf_puts(&b, "x = [");
  while (b.len < n - 64) rc_buf_puts(&b, "{a = \"s${v.w[0]}\", b = -1.5e3 * (c + d)}, ");
  rc_buf_puts(&b, "]");
  clock_t c0 = clock();
  struct rc_body *body = lt_parse(t, b.ptr);
  double secs = (double)(clock() - c0) / CLOCKS_PER_SEC;
  assert_int_equal(t->ds.errors, 0);
  assert_true(body->attrs[0].expr->u.tuple.n > 10000);
  assert_true(secs < 1.0);
  /* and a 1 MB line of garbage fails quickly */
  memset(src, '@', n);
  src[n] = '\0';
  c0 = clock();
  lt_parse(t, src);
  secs = (double)(clock() - c0) / CLOCKS_PER_SEC;
  assert_true(t->ds.errors > 0);
  assert_true(secs < 1.0);
  rc_buf_free(&b);
  rc_free(src);
}

/* --- references --- */

struct refs_seen {
  char text[16][64];
  size_t n;
};

static void on_ref(void *ud, const char *const *parts, size_t n, const struct rc_range *r)
{
  struct refs_seen *s = ud;
  (void)r;
  assert_true(s->n < 16);
  char *o = s->text[s->n++];
  o[0] = '\0';
  for (size_t i = 0; i < n; i++) {
    if (i) strncat(o, ":", 63 - strlen(o));
    strncat(o, parts[i], 63 - strlen(o));
  }
}

static void test_parser__refs(void **state)
{
  struct lt *t = *state;
  struct refs_seen s = {0};
  struct rc_expr *e = lt_expr(
      t, "[aws_vpc.main.id[0], var.m[\"k\"].x, local.l[var.i].y, aws_subnet.s[*].id,"
         " [for k, v in var.n : \"${k}${v.z}${count.index}\"],"
         " \"%{for q in each.value}${q}%{endfor}\", f(path.module)]");
  rc_expr_refs(e, on_ref, &s);
  const char *want[] = {"aws_vpc:main:id:0", "var:m:k:x", "local:l", "var:i",
                        "aws_subnet:s", "var:n", "count:index", "each:value", "path:module"};
  assert_int_equal(s.n, sizeof want / sizeof want[0]);
  for (size_t i = 0; i < s.n; i++) assert_string_equal(s.text[i], want[i]);
}

static void test_parser__arena_malloc_mode(void **state)
{
  (void)state;
  setenv("RECON_ARENA_MALLOC", "1", 1);
  struct lt *t = NULL;
  lt_setup((void **)&t);
  struct rc_expr *e = lt_expr(t, "{ a = [1, 2, \"${x}\"] }");
  assert_int_equal(e->kind, RC_E_OBJECT);
  char *big = rc_arena_alloc(t->a, 1 << 20);
  assert_int_equal(big[12345], 0);
  lt_teardown((void **)&t);
  unsetenv("RECON_ARENA_MALLOC");
}

#define T(f) cmocka_unit_test_setup_teardown(f, lt_setup, lt_teardown)
int main(void)
{
  const struct CMUnitTest tests[] = {
      T(test_parser__body_attributes_and_blocks), T(test_parser__literals),
      T(test_parser__string_escapes), T(test_parser__traversals), T(test_parser__splats),
      T(test_parser__precedence), T(test_parser__collections), T(test_parser__for_expressions),
      T(test_parser__calls), T(test_parser__templates), T(test_parser__heredocs),
      T(test_parser__newlines_inside_brackets), T(test_parser__parse_expr),
      T(test_parser__error_messages), T(test_parser__unclosed_block_and_eof_bracket),
      T(test_parser__missing_close_bracket_at_eof), T(test_parser__block_errors),
      T(test_parser__template_errors), T(test_parser__invalid_unicode_escape),
      T(test_parser__recovery_reports_several_and_keeps_good_items),
      T(test_parser__invalid_utf8_is_a_diagnostic), T(test_parser__deep_nesting),
      T(test_parser__big_one_line_file_is_fast), T(test_parser__refs),
      T(test_parser__arena_malloc_mode),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
