#include "lang_test_util.h"
#include "lexer.h"
#include "rc_alloc.h"

static void lex(struct lt *t, const char *src, struct rc_toks *out)
{
  t->f = rc_fileset_add(&t->fs, "lex.tf", src, strlen(src));
  rc_lex_all(t->f, t->f->text, t->f->len, RC_LEX_NORMAL, NULL, out, &t->ds);
}

static void expect_kinds(struct lt *t, const char *src, const enum rc_tok_kind *want, size_t n)
{
  struct rc_toks toks = {0};
  lex(t, src, &toks);
  for (size_t i = 0; i < n && i < toks.n; i++) {
    if (toks.v[i].kind != want[i])
      fprintf(stderr, "token %zu: got %s want %s\n", i, rc_lex_kind_name(toks.v[i].kind),
              rc_lex_kind_name(want[i]));
    assert_int_equal(toks.v[i].kind, want[i]);
  }
  assert_int_equal(toks.n, n);
  rc_lex_free(&toks);
}

#define KINDS(...) (const enum rc_tok_kind[]){__VA_ARGS__}, \
  sizeof((const enum rc_tok_kind[]){__VA_ARGS__}) / sizeof(enum rc_tok_kind)

static void test_lexer__punctuation_and_operators(void **state)
{
  expect_kinds(*state, "{ } [ ] ( ) , . ... = : ? => + - * / % ! == != < <= > >= && ||",
               KINDS(RC_T_LBRACE, RC_T_RBRACE, RC_T_LBRACK, RC_T_RBRACK, RC_T_LPAREN,
                     RC_T_RPAREN, RC_T_COMMA, RC_T_DOT, RC_T_ELLIPSIS, RC_T_EQUAL, RC_T_COLON,
                     RC_T_QUESTION, RC_T_FATARROW, RC_T_PLUS, RC_T_MINUS, RC_T_STAR,
                     RC_T_SLASH, RC_T_PERCENT, RC_T_BANG, RC_T_EQEQ, RC_T_NE, RC_T_LT, RC_T_LE,
                     RC_T_GT, RC_T_GE, RC_T_AND, RC_T_OR, RC_T_EOF));
  assert_int_equal(((struct lt *)*state)->ds.errors, 0);
}

static void test_lexer__idents_numbers_comments_newlines(void **state)
{
  struct lt *t = *state;
  struct rc_toks toks = {0};
  lex(t, "a-b_c 12 1.5 2e10 3.0E-2 # c\n// d\r\n/* e\n f */ x", &toks);
  enum rc_tok_kind want[] = {RC_T_IDENT, RC_T_NUMBER, RC_T_NUMBER, RC_T_NUMBER, RC_T_NUMBER,
                             RC_T_COMMENT, RC_T_NEWLINE, RC_T_COMMENT, RC_T_NEWLINE,
                             RC_T_COMMENT, RC_T_IDENT, RC_T_EOF};
  assert_int_equal(toks.n, sizeof want / sizeof want[0]);
  for (size_t i = 0; i < toks.n; i++) assert_int_equal(toks.v[i].kind, want[i]);
  assert_int_equal(toks.v[0].end - toks.v[0].start, 5); /* dashes belong to identifiers */
  assert_int_equal(toks.v[4].end - toks.v[4].start, 6);
  assert_memory_equal(t->f->text + toks.v[5].start, "# c", 3);
  assert_int_equal(toks.v[5].end - toks.v[5].start, 3); /* comment excludes the newline */
  assert_int_equal(toks.v[7].end - toks.v[7].start, 4); /* and the \r */
  rc_lex_free(&toks);
}

static void test_lexer__quoted_template_tokens(void **state)
{
  struct lt *t = *state;
  struct rc_toks toks = {0};
  lex(t, "\"a\\\"${~ x ~}b%{if y}$${z}\"", &toks);
  enum rc_tok_kind want[] = {RC_T_OQUOTE, RC_T_QLIT, RC_T_TINTERP, RC_T_IDENT, RC_T_TEND,
                             RC_T_QLIT, RC_T_TCONTROL, RC_T_IDENT, RC_T_IDENT, RC_T_TEND,
                             RC_T_QLIT, RC_T_CQUOTE, RC_T_EOF};
  assert_int_equal(toks.n, sizeof want / sizeof want[0]);
  for (size_t i = 0; i < toks.n; i++) assert_int_equal(toks.v[i].kind, want[i]);
  assert_true(toks.v[2].flags & RC_TOK_STRIP);
  assert_true(toks.v[4].flags & RC_TOK_STRIP);
  assert_false(toks.v[6].flags & RC_TOK_STRIP);
  assert_int_equal(toks.v[1].end - toks.v[1].start, 3); /* a\" stays one literal */
  rc_lex_free(&toks);
}

static void test_lexer__nested_braces_in_interpolation(void **state)
{
  expect_kinds(*state, "\"${ {a = \"}\"}.a }\"",
               KINDS(RC_T_OQUOTE, RC_T_TINTERP, RC_T_LBRACE, RC_T_IDENT, RC_T_EQUAL,
                     RC_T_OQUOTE, RC_T_QLIT, RC_T_CQUOTE, RC_T_RBRACE, RC_T_DOT, RC_T_IDENT,
                     RC_T_TEND, RC_T_CQUOTE, RC_T_EOF));
}

static void test_lexer__heredoc_tokens(void **state)
{
  struct lt *t = *state;
  struct rc_toks toks = {0};
  lex(t, "x = <<-EOT\n  a ${b}\n  EOTX\n  EOT\ny", &toks);
  enum rc_tok_kind want[] = {RC_T_IDENT, RC_T_EQUAL, RC_T_OHEREDOC, RC_T_HLIT, RC_T_TINTERP,
                             RC_T_IDENT, RC_T_TEND, RC_T_HLIT, RC_T_HLIT, RC_T_CHEREDOC,
                             RC_T_NEWLINE, RC_T_IDENT, RC_T_EOF};
  assert_int_equal(toks.n, sizeof want / sizeof want[0]);
  for (size_t i = 0; i < toks.n; i++) assert_int_equal(toks.v[i].kind, want[i]);
  assert_true(toks.v[2].flags & RC_TOK_FLUSH);
  assert_true(toks.v[3].flags & RC_TOK_LINESTART);
  assert_false(toks.v[7].flags & RC_TOK_LINESTART); /* "\n" after the interpolation */
  assert_true(toks.v[8].flags & RC_TOK_LINESTART);  /* "  EOTX\n" is not the marker */
  rc_lex_free(&toks);
}

static void test_lexer__unterminated_quote_ends_at_newline(void **state)
{
  expect_kinds(*state, "a = \"abc\nb",
               KINDS(RC_T_IDENT, RC_T_EQUAL, RC_T_OQUOTE, RC_T_QLIT, RC_T_NEWLINE, RC_T_IDENT,
                     RC_T_EOF));
}

static void test_lexer__invalid_character(void **state)
{
  struct lt *t = *state;
  struct rc_toks toks = {0};
  lex(t, "a = 1\nb = @\n", &toks);
  assert_int_equal(t->ds.errors, 1);
  lt_diag(t, 0, "Invalid character", 2, 5);
  assert_int_equal(toks.v[6].kind, RC_T_INVALID);
  rc_lex_free(&toks);
}

static void test_lexer__invalid_utf8_everywhere(void **state)
{
  struct lt *t = *state;
  struct rc_toks toks = {0};
  lex(t, "# ok \xc3\xa9\n# bad \xff\na = \"x\xc3(\"\nb\xfe = 1\n", &toks);
  assert_int_equal(t->ds.errors, 3);
  lt_diag(t, 0, "Invalid UTF-8", 2, 7);
  lt_diag(t, 1, "Invalid UTF-8", 3, 7);
  lt_diag(t, 2, "Invalid UTF-8", 4, 2);
  rc_lex_free(&toks);
}

static void test_lexer__utf8_validation(void **state)
{
  (void)state;
  assert_int_equal(rc_lex_utf8_len((const unsigned char *)"\xc3\xa9", 2), 2);
  assert_int_equal(rc_lex_utf8_len((const unsigned char *)"\xf0\x9f\x98\x80", 4), 4);
  assert_int_equal(rc_lex_utf8_len((const unsigned char *)"\xc0\x80", 2), 0);     /* overlong */
  assert_int_equal(rc_lex_utf8_len((const unsigned char *)"\xed\xa0\x80", 3), 0); /* surrogate */
  assert_int_equal(rc_lex_utf8_len((const unsigned char *)"\xe2\x82", 2), 0);     /* truncated */
}

static void test_lexer__unterminated_comment(void **state)
{
  struct lt *t = *state;
  struct rc_toks toks = {0};
  lex(t, "a = 1\n  /* never closed", &toks);
  lt_diag(t, 0, "Unterminated comment", 2, 3);
  rc_lex_free(&toks);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_lexer__punctuation_and_operators, lt_setup, lt_teardown),
      cmocka_unit_test_setup_teardown(test_lexer__idents_numbers_comments_newlines, lt_setup, lt_teardown),
      cmocka_unit_test_setup_teardown(test_lexer__quoted_template_tokens, lt_setup, lt_teardown),
      cmocka_unit_test_setup_teardown(test_lexer__nested_braces_in_interpolation, lt_setup, lt_teardown),
      cmocka_unit_test_setup_teardown(test_lexer__heredoc_tokens, lt_setup, lt_teardown),
      cmocka_unit_test_setup_teardown(test_lexer__unterminated_quote_ends_at_newline, lt_setup, lt_teardown),
      cmocka_unit_test_setup_teardown(test_lexer__invalid_character, lt_setup, lt_teardown),
      cmocka_unit_test_setup_teardown(test_lexer__invalid_utf8_everywhere, lt_setup, lt_teardown),
      cmocka_unit_test_setup_teardown(test_lexer__utf8_validation, lt_setup, lt_teardown),
      cmocka_unit_test_setup_teardown(test_lexer__unterminated_comment, lt_setup, lt_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
