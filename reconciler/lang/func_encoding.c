/* func_encoding.c — base64encode base64decode jsonencode jsondecode
 * urlencode yamlencode csvdecode textencodebase64 textdecodebase64.
 * jsonencode writes Go encoding/json's text (compact, keys sorted, <>& and
 * U+2028/2029 escaped); yamlencode writes the block style Terraform's
 * ctyyaml produces (double-quoted strings and keys). */
#include <iconv.h>
#include <errno.h>
#include <string.h>

#include "func_internal.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *rc_func__base64(const unsigned char *d, size_t n)
{
  char *out = rc_malloc((n + 2) / 3 * 4 + 1);
  size_t w = 0;
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = (uint32_t)d[i] << 16 | (i + 1 < n ? (uint32_t)d[i + 1] << 8 : 0) |
                 (i + 2 < n ? d[i + 2] : 0);
    out[w++] = b64[(v >> 18) & 63];
    out[w++] = b64[(v >> 12) & 63];
    out[w++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
    out[w++] = i + 2 < n ? b64[v & 63] : '=';
  }
  out[w] = '\0';
  return out;
}

/* Strict standard base64 with padding; false on a bad symbol or length. */
static bool unbase64(const char *s, size_t n, struct rc_buf *out)
{
  if (n % 4) return false;
  for (size_t i = 0; i < n; i += 4) {
    uint32_t v = 0;
    int pad = 0;
    for (int k = 0; k < 4; k++) {
      char c = s[i + (size_t)k];
      const char *p = c ? strchr(b64, c) : NULL;
      if (c == '=' && i + 4 == n && k >= 2) {
        pad++;
        v <<= 6;
        continue;
      }
      if (!p || pad) return false;
      v = v << 6 | (uint32_t)(p - b64);
    }
    char bytes[3] = {(char)(v >> 16), (char)(v >> 8), (char)v};
    rc_buf_append(out, bytes, (size_t)(3 - pad));
  }
  return true;
}

static bool valid_utf8(const char *s, size_t n)
{
  for (size_t i = 0; i < n;) {
    size_t st = rc_func__utf8_step(s + i, n - i);
    if (st == 1 && (unsigned char)s[i] >= 0x80) return false;
    i += st;
  }
  return true;
}

RC_FUNC_DEFINE(base64encode, "str:string", 0)
{
  return rc_value_string_steal(
      rc_func__base64((const unsigned char *)rc_value_str(args[0]), rc_value_strlen(args[0])));
}

RC_FUNC_DEFINE(base64decode, "str:string", 0)
{
  struct rc_buf b;
  rc_buf_init(&b, 0);
  if (!unbase64(rc_value_str(args[0]), rc_value_strlen(args[0]), &b)) {
    rc_buf_free(&b);
    return rc_func_error(ctx, 0, "failed to decode base64 data \"%s\"",
                         rc_value_has_sensitive(args[0]) ? "(sensitive value)" : rc_value_str(args[0]));
  }
  if (!valid_utf8(b.ptr, b.len)) {
    rc_buf_free(&b);
    return rc_func_error(ctx, 0, "the result of decoding the provided string is not valid UTF-8");
  }
  return rc_func__buf_string(&b);
}

static void jstr(struct rc_buf *o, const char *s, size_t n)
{
  rc_buf_putc(o, '"');
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)s[i];
    size_t st = rc_func__utf8_step(s + i, n - i);
    if (c >= 0x80) {
      if (st == 1) rc_buf_puts(o, "\\ufffd");
      else if (st == 3 && c == 0xe2 && (unsigned char)s[i + 1] == 0x80 &&
               ((unsigned char)s[i + 2] == 0xa8 || (unsigned char)s[i + 2] == 0xa9))
        rc_buf_printf(o, "\\u%04x", 0x2000 + ((unsigned char)s[i + 2] - 0x80));
      else rc_buf_append(o, s + i, st);
      i += st;
      continue;
    }
    switch (c) {
    case '"': rc_buf_puts(o, "\\\""); break;
    case '\\': rc_buf_puts(o, "\\\\"); break;
    case '\n': rc_buf_puts(o, "\\n"); break;
    case '\r': rc_buf_puts(o, "\\r"); break;
    case '\t': rc_buf_puts(o, "\\t"); break;
    case '<': case '>': case '&': rc_buf_printf(o, "\\u%04x", c); break;
    default:
      if (c < 0x20) rc_buf_printf(o, "\\u%04x", c);
      else rc_buf_putc(o, (char)c);
    }
    i++;
  }
  rc_buf_putc(o, '"');
}

bool rc_func__json_encode(const struct rc_value *v, struct rc_buf *o)
{
  switch (rc_value_kind(v)) {
  case RC_NULL: rc_buf_puts(o, "null"); return true;
  case RC_UNKNOWN: rc_buf_puts(o, "null"); return false;
  case RC_BOOL: rc_buf_puts(o, rc_value_bool_get(v) ? "true" : "false"); return true;
  case RC_NUMBER: rc_convert_number_text(v, o); return true;
  case RC_STRING: jstr(o, rc_value_str(v), rc_value_strlen(v)); return true;
  case RC_LIST: case RC_SET: case RC_TUPLE: {
    bool ok = true;
    rc_buf_putc(o, '[');
    for (size_t i = 0; i < rc_value_len(v); i++) {
      if (i) rc_buf_putc(o, ',');
      ok &= rc_func__json_encode(rc_value_index(v, i), o);
    }
    rc_buf_putc(o, ']');
    return ok;
  }
  default: {
    bool ok = true;
    rc_buf_putc(o, '{');
    for (size_t i = 0; i < rc_value_len(v); i++) {
      if (i) rc_buf_putc(o, ',');
      jstr(o, rc_value_key(v, i), strlen(rc_value_key(v, i)));
      rc_buf_putc(o, ':');
      ok &= rc_func__json_encode(rc_value_index(v, i), o);
    }
    rc_buf_putc(o, '}');
    return ok;
  }
  }
}

RC_FUNC_DEFINE(jsonencode, "val:any?", 0)
{
  struct rc_buf b;
  rc_buf_init(&b, 0);
  rc_func__json_encode(args[0], &b);
  return rc_func__buf_string(&b);
}

RC_FUNC_DEFINE(jsondecode, "str:string", 0)
{
  struct rc_error err = {0};
  struct rc_value *v = rc_value_parse_json(rc_value_str(args[0]), rc_value_strlen(args[0]), &err);
  if (!v) return rc_func_error(ctx, 0, "%s", err.msg);
  return v;
}

RC_FUNC_DEFINE(urlencode, "str:string", 0)
{
  const char *s = rc_value_str(args[0]);
  size_t n = rc_value_strlen(args[0]);
  struct rc_buf b;
  rc_buf_init(&b, 0);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        c == '-' || c == '_' || c == '.' || c == '~')
      rc_buf_putc(&b, (char)c);
    else if (c == ' ')
      rc_buf_putc(&b, '+');
    else
      rc_buf_printf(&b, "%%%02X", c);
  }
  return rc_func__buf_string(&b);
}

/* --- yamlencode --- */

static void yaml_string(struct rc_buf *o, const char *s, size_t n)
{
  rc_buf_putc(o, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
    case '"': rc_buf_puts(o, "\\\""); break;
    case '\\': rc_buf_puts(o, "\\\\"); break;
    case '\n': rc_buf_puts(o, "\\n"); break;
    case '\r': rc_buf_puts(o, "\\r"); break;
    case '\t': rc_buf_puts(o, "\\t"); break;
    case '\0': rc_buf_puts(o, "\\0"); break;
    default:
      if (c < 0x20 || c == 0x7f) rc_buf_printf(o, "\\x%02X", c);
      else rc_buf_putc(o, (char)c);
    }
  }
  rc_buf_putc(o, '"');
}

static void yaml_indent(struct rc_buf *o, int n)
{
  for (int i = 0; i < n; i++) rc_buf_putc(o, ' ');
}

static bool yaml_scalar(struct rc_buf *o, const struct rc_value *v)
{
  switch (rc_value_kind(v)) {
  case RC_NULL: rc_buf_puts(o, "null"); return true;
  case RC_BOOL: rc_buf_puts(o, rc_value_bool_get(v) ? "true" : "false"); return true;
  case RC_NUMBER: rc_convert_number_text(v, o); return true;
  case RC_STRING: yaml_string(o, rc_value_str(v), rc_value_strlen(v)); return true;
  default:
    if (rc_value_len(v) == 0) {
      rc_buf_puts(o, rc_value_is_seq(v) ? "[]" : "{}");
      return true;
    }
    return false;
  }
}

/* Writes v as a block at indent; `inline_first`: the first line continues
 * a "- " already written. */
static void yaml_block(struct rc_buf *o, const struct rc_value *v, int indent, bool inline_first)
{
  if (yaml_scalar(o, v)) {
    rc_buf_putc(o, '\n');
    return;
  }
  bool seq = rc_value_is_seq(v);
  for (size_t i = 0; i < rc_value_len(v); i++) {
    if (i || !inline_first) yaml_indent(o, indent);
    const struct rc_value *e = rc_value_index(v, i);
    if (seq) {
      rc_buf_puts(o, "- ");
      yaml_block(o, e, indent + 2, true);
      continue;
    }
    const char *k = rc_value_key(v, i);
    yaml_string(o, k, strlen(k));
    rc_buf_putc(o, ':');
    if (yaml_scalar(o, (rc_buf_putc(o, ' '), e))) {
      rc_buf_putc(o, '\n');
      continue;
    }
    o->len--; /* drop the space before a nested block */
    o->ptr[o->len] = '\0';
    rc_buf_putc(o, '\n');
    yaml_block(o, e, rc_value_is_seq(e) ? indent : indent + 2, false);
  }
}

RC_FUNC_DEFINE(yamlencode, "value:any?", 0)
{
  struct rc_buf b;
  rc_buf_init(&b, 0);
  yaml_block(&b, args[0], 0, false);
  return rc_func__buf_string(&b);
}

/* --- csvdecode (RFC 4180, as Go's encoding/csv) --- */

/* Parses one record at *p; fields pushed to rec. false at a syntax error. */
static bool csv_record(const char **p, const char *end, struct rc_value *rec, size_t *line)
{
  for (;;) {
    struct rc_buf f;
    rc_buf_init(&f, 0);
    if (*p < end && **p == '"') {
      (*p)++;
      for (;;) {
        if (*p >= end) {
          rc_buf_free(&f);
          return false;
        }
        if (**p == '"') {
          if (*p + 1 < end && (*p)[1] == '"') {
            rc_buf_putc(&f, '"');
            *p += 2;
            continue;
          }
          (*p)++;
          break;
        }
        if (**p == '\n') (*line)++;
        rc_buf_putc(&f, *(*p)++);
      }
      if (*p < end && **p != ',' && **p != '\n' && **p != '\r') {
        rc_buf_free(&f);
        return false;
      }
    } else {
      while (*p < end && **p != ',' && **p != '\n' && !(**p == '\r' && *p + 1 < end && (*p)[1] == '\n')) {
        if (**p == '"') {
          rc_buf_free(&f);
          return false;
        }
        rc_buf_putc(&f, *(*p)++);
      }
    }
    rc_value_seq_push(rec, rc_func__buf_string(&f));
    if (*p < end && **p == ',') {
      (*p)++;
      continue;
    }
    if (*p < end && **p == '\r') (*p)++;
    if (*p < end && **p == '\n') (*p)++;
    (*line)++;
    return true;
  }
}

RC_FUNC_DEFINE(csvdecode, "str:string", 0)
{
  const char *p = rc_value_str(args[0]), *end = p + rc_value_strlen(args[0]);
  size_t line = 1;
  struct rc_value *header = rc_value_seq_new(RC_TUPLE), *rows = rc_value_seq_new(RC_LIST);
  if (p >= end) {
    rc_value_decref(header);
    rc_value_decref(rows);
    return rc_func_error(ctx, 0, "missing header line");
  }
  if (!csv_record(&p, end, header, &line)) goto bad;
  while (p < end) {
    if (*p == '\n') { /* blank lines are skipped as Go does */
      p++, line++;
      continue;
    }
    size_t at = line;
    struct rc_value *rec = rc_value_seq_new(RC_TUPLE);
    if (!csv_record(&p, end, rec, &line)) {
      rc_value_decref(rec);
      goto bad;
    }
    if (rc_value_len(rec) != rc_value_len(header)) {
      rc_value_decref(rec);
      rc_value_decref(header);
      rc_value_decref(rows);
      return rc_func_error(ctx, 0, "record on line %zu: wrong number of fields", at);
    }
    struct rc_value *obj = rc_value_obj_new(RC_OBJECT);
    for (size_t i = 0; i < rc_value_len(rec); i++)
      rc_value_obj_put(obj, rc_value_str(rc_value_index(header, i)), rc_value_incref(rc_value_index(rec, i)));
    rc_value_decref(rec);
    rc_value_seq_push(rows, obj);
  }
  rc_value_decref(header);
  return rows;
bad:
  rc_value_decref(header);
  rc_value_decref(rows);
  return rc_func_error(ctx, 0, "parse error on line %zu: bare \" in non-quoted field or extraneous \" in field", line);
}

/* --- textencodebase64 / textdecodebase64 through iconv --- */

static bool recode(const char *to, const char *from, const char *s, size_t n, struct rc_buf *out,
                   bool *bad_name)
{
  iconv_t cd = iconv_open(to, from);
  *bad_name = cd == (iconv_t)-1;
  if (*bad_name) return false;
  char *in = (char *)s;
  size_t left = n;
  char tmp[4096];
  bool ok = true;
  while (left > 0) {
    char *op = tmp;
    size_t room = sizeof tmp;
    size_t r = iconv(cd, &in, &left, &op, &room);
    rc_buf_append(out, tmp, (size_t)(op - tmp));
    if (r == (size_t)-1 && errno != E2BIG) {
      ok = false;
      break;
    }
  }
  iconv_close(cd);
  return ok;
}

RC_FUNC_DEFINE(textencodebase64, "string:string,encoding:string", 0)
{
  struct rc_buf b;
  bool bad_name;
  rc_buf_init(&b, 0);
  if (!recode(rc_value_str(args[1]), "UTF-8", rc_value_str(args[0]), rc_value_strlen(args[0]), &b,
              &bad_name)) {
    rc_buf_free(&b);
    if (bad_name)
      return rc_func_error(ctx, 1, "\"%s\" is not a supported IANA encoding name or alias in this "
                                   "Terraform version", rc_value_str(args[1]));
    return rc_func_error(ctx, 0, "the given string contains characters that cannot be "
                                 "represented in %s", rc_value_str(args[1]));
  }
  char *s = rc_func__base64((const unsigned char *)b.ptr, b.len);
  rc_buf_free(&b);
  return rc_value_string_steal(s);
}

RC_FUNC_DEFINE(textdecodebase64, "source:string,encoding:string", 0)
{
  struct rc_buf raw, b;
  bool bad_name;
  rc_buf_init(&raw, 0);
  rc_buf_init(&b, 0);
  if (!unbase64(rc_value_str(args[0]), rc_value_strlen(args[0]), &raw)) {
    rc_buf_free(&raw);
    rc_buf_free(&b);
    return rc_func_error(ctx, 0, "the given value is has an invalid base64 symbol");
  }
  bool ok = recode("UTF-8", rc_value_str(args[1]), raw.ptr, raw.len, &b, &bad_name);
  rc_buf_free(&raw);
  if (!ok) {
    rc_buf_free(&b);
    if (bad_name)
      return rc_func_error(ctx, 1, "\"%s\" is not a supported IANA encoding name or alias in this "
                                   "Terraform version", rc_value_str(args[1]));
    return rc_func_error(ctx, 0, "the given value is not valid %s", rc_value_str(args[1]));
  }
  return rc_func__buf_string(&b);
}
