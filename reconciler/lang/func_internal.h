/* func_internal — what the built-in function files (func_*.c) share: the
 * list of functions, the definition macro and the argument dispatcher.
 *
 * Each function is written as
 *     RC_FUNC_DEFINE(name, "param:type,param:type", flags) { ... body ... }
 * which defines rc_func__name (the table's entry point) and a static body.
 * The dispatcher runs before the body, as cty's function.Call does:
 *  - arguments are converted to the declared parameter types (convert.h);
 *    a failure is "Invalid value for \"param\" parameter: <why>.";
 *  - a null argument is an error unless the parameter allows it;
 *  - an unknown argument (or one with unknowns inside, unless the function
 *    has RC_FN_PARTIAL) makes the result unknown without calling the body;
 *  - sensitive marks are removed (deeply) before the body runs and the
 *    result is marked sensitive when any argument had one.
 * So a body sees known, unmarked, converted arguments (args borrowed) and
 * returns a new reference, or NULL after rc_func_error(ctx, argindex, ...):
 * the dispatcher prefixes errors naming an argument with the parameter name.
 *
 * Parameter spec: "[...]name:type[?][!][~]" comma-separated; type as
 * rc_type_parse; "..." marks the variadic last parameter; "?" null allowed;
 * "!" unknown allowed (body handles it); "~" marks passed through unchanged. */
#ifndef RC_FUNC_INTERNAL_H
#define RC_FUNC_INTERNAL_H
#include <stdbool.h>
#include <stddef.h>
#include "convert.h"
#include "functions.h"
#include "rc_alloc.h"
#include "rc_buf.h"

#define RC_FN_PARTIAL 1u /* body handles unknowns nested inside arguments */

struct rc_func__info {
  const char *name;
  const char *params;
  unsigned flags;
  rc_func_fn body;
};

struct rc_value *rc_func__dispatch(const struct rc_func__info *info, struct rc_func_ctx *ctx,
                                   struct rc_value *const *args, size_t nargs);

#define RC_FUNC_DEFINE(fname, spec, fl)                                                      \
  static struct rc_value *fname##_body(struct rc_func_ctx *ctx, struct rc_value *const *args, \
                                       size_t nargs);                                        \
  static const struct rc_func__info fname##_info = {#fname, spec, fl, fname##_body};         \
  struct rc_value *rc_func__##fname(struct rc_func_ctx *ctx, struct rc_value *const *args,    \
                                    size_t nargs)                                            \
  {                                                                                          \
    return rc_func__dispatch(&fname##_info, ctx, args, nargs);                               \
  }                                                                                          \
  static struct rc_value *fname##_body(struct rc_func_ctx *ctx, struct rc_value *const *args, \
                                       size_t nargs)

/* X(name, min_args, max_args) — every built-in, sorted by name. */
#define RC_FUNC_LIST(X)                                                                      \
  X(abs, 1, 1) X(abspath, 1, 1) X(alltrue, 1, 1) X(anytrue, 1, 1) X(base64decode, 1, 1)      \
  X(base64encode, 1, 1) X(base64sha256, 1, 1) X(base64sha512, 1, 1) X(basename, 1, 1)        \
  X(ceil, 1, 1) X(chomp, 1, 1) X(chunklist, 2, 2) X(cidrhost, 2, 2) X(cidrnetmask, 1, 1)     \
  X(cidrsubnet, 3, 3) X(cidrsubnets, 1, -1) X(coalesce, 1, -1) X(coalescelist, 1, -1)        \
  X(compact, 1, 1) X(concat, 0, -1) X(contains, 2, 2) X(csvdecode, 1, 1) X(dirname, 1, 1)    \
  X(distinct, 1, 1) X(element, 2, 2) X(endswith, 2, 2) X(ephemeralasnull, 1, 1) X(file, 1, 1) X(filebase64, 1, 1)     \
  X(filebase64sha256, 1, 1) X(filebase64sha512, 1, 1) X(fileexists, 1, 1) X(filemd5, 1, 1) X(fileset, 2, 2)   \
  X(filesha1, 1, 1) X(filesha256, 1, 1) X(filesha512, 1, 1) X(flatten, 1, 1) X(floor, 1, 1)  \
  X(format, 1, -1) X(formatdate, 2, 2) X(formatlist, 1, -1) X(indent, 2, 2) X(index, 2, 2)   \
  X(issensitive, 1, 1) X(join, 2, -1) X(jsondecode, 1, 1) X(jsonencode, 1, 1) X(keys, 1, 1)  \
  X(length, 1, 1) X(log, 2, 2) X(lookup, 2, 3) X(lower, 1, 1) X(matchkeys, 3, 3)             \
  X(max, 1, -1) X(md5, 1, 1) X(merge, 0, -1) X(min, 1, -1) X(nonsensitive, 1, 1)             \
  X(one, 1, 1) X(parseint, 2, 2) X(pathexpand, 1, 1) X(plantimestamp, 0, 0) X(pow, 2, 2) X(range, 1, 3)             \
  X(regex, 2, 2) X(regexall, 2, 2) X(replace, 3, 3) X(reverse, 1, 1) X(sensitive, 1, 1)      \
  X(setintersection, 1, -1) X(setproduct, 2, -1) X(setsubtract, 2, 2) X(setunion, 1, -1)     \
  X(sha1, 1, 1) X(sha256, 1, 1) X(sha512, 1, 1) X(signum, 1, 1) X(slice, 3, 3) X(sort, 1, 1) \
  X(split, 2, 2) X(startswith, 2, 2) X(strcontains, 2, 2) X(strrev, 1, 1) X(substr, 3, 3)    \
  X(sum, 1, 1) X(templatefile, 2, 2) X(templatestring, 2, 2) X(textdecodebase64, 2, 2) X(textencodebase64, 2, 2)     \
  X(timeadd, 2, 2) X(timecmp, 2, 2) X(timestamp, 0, 0) X(title, 1, 1) X(tobool, 1, 1)        \
  X(tolist, 1, 1) X(tomap, 1, 1) X(tonumber, 1, 1) X(toset, 1, 1) X(tostring, 1, 1)          \
  X(transpose, 1, 1) X(trim, 2, 2) X(trimprefix, 2, 2) X(trimspace, 1, 1)                    \
  X(trimsuffix, 2, 2) X(upper, 1, 1) X(urlencode, 1, 1) X(uuid, 0, 0) X(uuidv5, 2, 2) X(values, 1, 1)        \
  X(yamlencode, 1, 1) X(zipmap, 2, 2)

#define RC_FUNC__DECL(n, a, b)                                                               \
  struct rc_value *rc_func__##n(struct rc_func_ctx *ctx, struct rc_value *const *args,        \
                                size_t nargs);
RC_FUNC_LIST(RC_FUNC__DECL)
#undef RC_FUNC__DECL

/* provider::aws::arn_parse and the other provider-defined functions
 * (func_provider.c); NULL when name is not one. */
const struct rc_func *rc_func__provider_lookup(const char *name);

/* --- small helpers (functions.c) --- */
/* A string value of the buffer's bytes (length-aware); frees the buffer. */
struct rc_value *rc_func__buf_string(struct rc_buf *b);
/* Number of Unicode characters (code points) in s[0..n). */
size_t rc_func__utf8_len(const char *s, size_t n);
/* Byte length of the UTF-8 sequence starting at s (1 for invalid bytes). */
size_t rc_func__utf8_step(const char *s, size_t n);
/* Argument as a C number: exact int when integral. */
bool rc_func__get_int(const struct rc_value *v, int64_t *out);
/* A copy of list with kind changed (elements increfed). */
struct rc_value *rc_func__seq_as(const struct rc_value *seq, enum rc_kind kind);
/* Reads a whole file relative to ctx->base_dir; NULL after rc_func_error. */
char *rc_func__read_file(struct rc_func_ctx *ctx, int arg, const char *path, size_t *len);
/* Hashes (func_crypto.c): EVP digest name "md5", "sha1", "sha256", "sha512".
 * out receives the raw digest; returns its length. */
size_t rc_func__digest(const char *alg, const void *data, size_t n, unsigned char *out);
/* vals[0..n) converted to their unified type (an array of new references
 * the caller frees with rc_func__free_values); NULL after an error that
 * says "all <what> must have the same type" (func_collection.c). */
struct rc_value **rc_func__unify(struct rc_func_ctx *ctx, struct rc_value *const *vals, size_t n,
                                 const char *what);
void rc_func__free_values(struct rc_value **v, size_t n);
/* Terraform's jsonencode text of v appended to out (func_encoding.c). */
bool rc_func__json_encode(const struct rc_value *v, struct rc_buf *out);
/* Base64 of bytes (func_encoding.c), rc_malloc'd. */
char *rc_func__base64(const unsigned char *data, size_t n);

#endif
