/* func_file.c — file fileexists filebase64 file{md5,sha1,sha256,sha512}
 * filebase64sha{256,512} templatefile templatestring fileset abspath basename
 * dirname pathexpand.
 * Relative paths are taken from ctx->base_dir: the root module directory, as
 * Terraform (child modules write "${path.module}/file"). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "func_internal.h"

#define FILE_MAX (64u * 1024u * 1024u)

/* Go's filepath.Clean. */
static char *clean_path(const char *p)
{
  size_t n = strlen(p);
  if (n == 0) return rc_strdup(".");
  bool rooted = p[0] == '/';
  char *out = rc_malloc(n + 2);
  size_t w = 0, dotdot = 0;
  if (rooted) out[w++] = '/', dotdot = 1;
  for (size_t r = rooted; r < n;) {
    if (p[r] == '/') r++;
    else if (p[r] == '.' && (r + 1 == n || p[r + 1] == '/')) r++;
    else if (p[r] == '.' && p[r + 1] == '.' && (r + 2 == n || p[r + 2] == '/')) {
      r += 2;
      if (w > dotdot) {
        w--;
        while (w > dotdot && out[w] != '/') w--;
      } else if (!rooted) {
        if (w > 0) out[w++] = '/';
        out[w++] = '.', out[w++] = '.';
        dotdot = w;
      }
    } else {
      if ((rooted && w != 1) || (!rooted && w != 0)) out[w++] = '/';
      while (r < n && p[r] != '/') out[w++] = p[r++];
    }
  }
  if (w == 0) out[w++] = '.';
  out[w] = '\0';
  return out;
}

static char *expand_home(const char *p)
{
  if (p[0] != '~' || (p[1] && p[1] != '/')) return rc_strdup(p);
  const char *home = getenv("HOME");
  return rc_asprintf("%s%s", home ? home : "", p + 1);
}

/* Path resolved against base_dir, after ~ expansion; caller frees. */
static char *resolve(struct rc_func_ctx *ctx, const char *path)
{
  char *e = expand_home(path);
  if (e[0] == '/' || !ctx->base_dir || !ctx->base_dir[0]) return e;
  char *r = rc_asprintf("%s/%s", ctx->base_dir, e);
  rc_free(e);
  return r;
}

char *rc_func__read_file(struct rc_func_ctx *ctx, int arg, const char *path, size_t *len)
{
  char *full = resolve(ctx, path);
  FILE *f = fopen(full, "rb");
  rc_free(full);
  if (!f) {
    rc_func_error(ctx, arg, "no file exists at %s; this function works only with files that are "
                            "distributed as part of the configuration source code, so if this "
                            "file will be created by a resource in this configuration you must "
                            "instead obtain this result from an attribute of that resource.",
                  path);
    return NULL;
  }
  struct rc_buf b;
  rc_buf_init(&b, FILE_MAX);
  char tmp[8192];
  size_t n;
  bool ok = true;
  while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
    if (rc_buf_append(&b, tmp, n) != RC_OK) {
      ok = false;
      break;
    }
  bool err = ferror(f);
  fclose(f);
  if (!ok || err) {
    rc_buf_free(&b);
    rc_func_error(ctx, arg, ok ? "failed to read %s" : "%s is too large", path);
    return NULL;
  }
  *len = b.len;
  return rc_buf_detach(&b);
}

static bool utf8_ok(const char *s, size_t n)
{
  for (size_t i = 0; i < n;) {
    size_t st = rc_func__utf8_step(s + i, n - i);
    if (st == 1 && (unsigned char)s[i] >= 0x80) return false;
    i += st;
  }
  return true;
}

RC_FUNC_DEFINE(file, "path:string", 0)
{
  size_t n;
  char *data = rc_func__read_file(ctx, 0, rc_value_str(args[0]), &n);
  if (!data) return NULL;
  if (!utf8_ok(data, n)) {
    rc_free(data);
    return rc_func_error(ctx, 0, "contents of %s are not valid UTF-8; use the filebase64 function "
                                 "to obtain the Base64 encoded contents or the other file "
                                 "functions (e.g. filemd5, filesha256) to obtain file hashing "
                                 "results instead",
                         rc_value_str(args[0]));
  }
  struct rc_value *r = rc_value_string_n(data, n);
  rc_free(data);
  return r;
}

RC_FUNC_DEFINE(fileexists, "path:string", 0)
{
  char *full = resolve(ctx, rc_value_str(args[0]));
  struct stat st;
  int rc = stat(full, &st);
  int e = errno;
  rc_free(full);
  if (rc != 0) {
    if (e == ENOENT || e == ENOTDIR) return rc_value_bool(false);
    return rc_func_error(ctx, 0, "failed to stat %s", rc_value_str(args[0]));
  }
  if (S_ISREG(st.st_mode)) return rc_value_bool(true);
  return rc_func_error(ctx, 0, "%s is not a regular file, but \"%s\"", rc_value_str(args[0]),
                       S_ISDIR(st.st_mode) ? "d---------" : "other");
}

RC_FUNC_DEFINE(filebase64, "path:string", 0)
{
  size_t n;
  char *data = rc_func__read_file(ctx, 0, rc_value_str(args[0]), &n);
  if (!data) return NULL;
  char *s = rc_func__base64((const unsigned char *)data, n);
  rc_free(data);
  return rc_value_string_steal(s);
}

/* hex (b64 false) or base64 digest of a file */
static struct rc_value *file_hash(struct rc_func_ctx *ctx, const struct rc_value *path,
                                  const char *alg, bool b64)
{
  size_t n;
  char *data = rc_func__read_file(ctx, 0, rc_value_str(path), &n);
  if (!data) return NULL;
  unsigned char md[64];
  size_t mdn = rc_func__digest(alg, data, n, md);
  rc_free(data);
  if (b64) return rc_value_string_steal(rc_func__base64(md, mdn));
  char hex[129];
  for (size_t i = 0; i < mdn; i++) snprintf(hex + 2 * i, 3, "%02x", md[i]);
  hex[2 * mdn] = '\0';
  return rc_value_string(hex);
}

RC_FUNC_DEFINE(filemd5, "path:string", 0) { return file_hash(ctx, args[0], "md5", false); }
RC_FUNC_DEFINE(filesha1, "path:string", 0) { return file_hash(ctx, args[0], "sha1", false); }
RC_FUNC_DEFINE(filesha256, "path:string", 0) { return file_hash(ctx, args[0], "sha256", false); }
RC_FUNC_DEFINE(filesha512, "path:string", 0) { return file_hash(ctx, args[0], "sha512", false); }
RC_FUNC_DEFINE(filebase64sha256, "path:string", 0) { return file_hash(ctx, args[0], "sha256", true); }
RC_FUNC_DEFINE(filebase64sha512, "path:string", 0) { return file_hash(ctx, args[0], "sha512", true); }

RC_FUNC_DEFINE(templatefile, "path:string,vars:any", RC_FN_PARTIAL)
{
  if (!rc_value_is_obj(args[1])) return rc_func_error(ctx, 1, "invalid vars value: must be a map");
  if (!ctx->render_template)
    return rc_func_error(ctx, -1, "templatefile is not available in this context");
  size_t n;
  char *text = rc_func__read_file(ctx, 0, rc_value_str(args[0]), &n);
  if (!text) return NULL;
  char *err = NULL;
  struct rc_value *r = ctx->render_template(ctx->render_ud, text, n, rc_value_str(args[0]), args[1], &err);
  rc_free(text);
  if (!r) {
    rc_func_error(ctx, -1, "%s", err ? err : "template rendering failed");
    rc_free(err);
  }
  return r;
}

RC_FUNC_DEFINE(abspath, "path:string", 0)
{
  const char *p = rc_value_str(args[0]);
  char *joined;
  if (p[0] == '/') {
    joined = rc_strdup(p);
  } else {
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd)) return rc_func_error(ctx, -1, "cannot determine the working directory");
    joined = rc_asprintf("%s/%s", cwd, p);
  }
  char *c = clean_path(joined);
  rc_free(joined);
  return rc_value_string_steal(c);
}

RC_FUNC_DEFINE(basename, "path:string", 0)
{
  const char *p = rc_value_str(args[0]);
  size_t n = strlen(p);
  if (n == 0) return rc_value_string(".");
  while (n > 0 && p[n - 1] == '/') n--;
  if (n == 0) return rc_value_string("/");
  size_t s = n;
  while (s > 0 && p[s - 1] != '/') s--;
  return rc_value_string_n(p + s, n - s);
}

RC_FUNC_DEFINE(dirname, "path:string", 0)
{
  const char *p = rc_value_str(args[0]);
  size_t n = strlen(p);
  while (n > 0 && p[n - 1] != '/') n--;
  char *dir = rc_strndup(p, n);
  char *c = clean_path(dir);
  rc_free(dir);
  return rc_value_string_steal(c);
}

RC_FUNC_DEFINE(pathexpand, "path:string", 0)
{
  return rc_value_string_steal(expand_home(rc_value_str(args[0])));
}

/* templatestring(ref, vars): renders a template held in a string value (the
 * evaluator checks that ref is a reference, not a literal template). */
RC_FUNC_DEFINE(templatestring, "template:string,vars:any", RC_FN_PARTIAL)
{
  if (!rc_value_is_obj(args[1])) return rc_func_error(ctx, 1, "invalid vars value: must be a map");
  if (!ctx->render_template)
    return rc_func_error(ctx, -1, "templatestring is not available in this context");
  char *err = NULL;
  struct rc_value *r = ctx->render_template(ctx->render_ud, rc_value_str(args[0]),
                                            rc_value_strlen(args[0]), "<templatestring>",
                                            args[1], &err);
  if (!r) {
    rc_func_error(ctx, 0, "%s", err ? err : "template rendering failed");
    rc_free(err);
  }
  return r;
}

/* --- fileset: doublestar globbing (*, **, ?, [class], {a,b}) --- */

static bool glob_match(const char *p, const char *s);

/* {a,b}rest: tries each alternative followed by rest. */
static bool glob_alts(const char *p, const char *s)
{
  const char *close = p + 1;
  int depth = 1;
  while (*close && depth) {
    if (*close == '{') depth++;
    else if (*close == '}') depth--;
    if (depth) close++;
  }
  if (!*close) return false;
  const char *alt = p + 1;
  for (const char *q = alt; q <= close; q++) {
    if (q != close && *q != ',') continue;
    size_t an = (size_t)(q - alt), rn = strlen(close + 1);
    char *cand = rc_malloc(an + rn + 1);
    memcpy(cand, alt, an);
    memcpy(cand + an, close + 1, rn + 1);
    bool ok = glob_match(cand, s);
    rc_free(cand);
    if (ok) return true;
    alt = q + 1;
  }
  return false;
}

static bool glob_class(const char **pp, char c)
{
  const char *p = *pp + 1;
  bool neg = *p == '!' || *p == '^', hit = false;
  if (neg) p++;
  for (bool first = true; *p && (first || *p != ']'); first = false) {
    if (p[1] == '-' && p[2] && p[2] != ']') {
      if (c >= p[0] && c <= p[2]) hit = true;
      p += 3;
    } else {
      if (c == *p) hit = true;
      p++;
    }
  }
  *pp = *p ? p + 1 : p;
  return hit != neg;
}

static bool glob_match(const char *p, const char *s)
{
  for (;;) {
    if (*p == '\0') return *s == '\0';
    if (*p == '{') return glob_alts(p, s);
    if (p[0] == '*' && p[1] == '*' && (p[2] == '/' || p[2] == '\0')) {
      const char *rest = p[2] ? p + 3 : p + 2;
      if (!*rest) return true;
      for (const char *t = s;; t++) { /* zero or more whole segments */
        if ((t == s || t[-1] == '/') && glob_match(rest, t)) return true;
        if (!*t) return false;
      }
    }
    if (*p == '*') {
      for (const char *t = s;; t++) {
        if (glob_match(p + 1, t)) return true;
        if (!*t || *t == '/') return false;
      }
    }
    if (*s == '\0') return false;
    if (*p == '?') {
      if (*s == '/') return false;
    } else if (*p == '[') {
      if (*s == '/' || !glob_class(&p, *s)) return false;
      s++;
      continue;
    } else {
      if (*p == '\\' && p[1]) p++;
      if (*p != *s) return false;
    }
    p++, s++;
  }
}

static void walk(const char *root, const char *rel, const char *pat, struct rc_value *out,
                 int depth)
{
  if (depth > 64) return;
  char *dir = rel[0] ? rc_asprintf("%s/%s", root, rel) : rc_strdup(root);
  DIR *d = opendir(dir);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d))) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
      char *r = rel[0] ? rc_asprintf("%s/%s", rel, e->d_name) : rc_strdup(e->d_name);
      char *full = rc_asprintf("%s/%s", root, r);
      struct stat st;
      if (stat(full, &st) == 0) {
        if (S_ISDIR(st.st_mode)) walk(root, r, pat, out, depth + 1);
        else if (S_ISREG(st.st_mode) && glob_match(pat, r))
          rc_value_seq_push(out, rc_value_string(r));
      }
      rc_free(full);
      rc_free(r);
    }
    closedir(d);
  }
  rc_free(dir);
}

/* fileset(path, pattern): the regular files under path matching pattern, as
 * a set of paths relative to path with forward slashes. */
RC_FUNC_DEFINE(fileset, "path:string,pattern:string", 0)
{
  char *root = resolve(ctx, rc_value_str(args[0]));
  struct stat st;
  if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) {
    rc_free(root);
    return rc_value_seq_new(RC_SET);
  }
  const char *pat = rc_value_str(args[1]);
  while (pat[0] == '.' && pat[1] == '/') pat += 2;
  struct rc_value *out = rc_value_seq_new(RC_SET);
  walk(root, "", pat, out, 0);
  rc_free(root);
  return rc_value_seq_seal(out);
}
