/* func_provider.c — provider-defined functions, called as
 * provider::<provider>::<name>(...) (Terraform 1.8). recon implements the
 * aws provider's pure functions: arn_build, arn_parse, trim_iam_role_path
 * (terraform-provider-aws internal/functions). They run through the same
 * dispatcher as the built-ins (argument conversion, unknowns, marks). */
#include <string.h>

#include "func_internal.h"

/* Go's arn.Parse: "arn:partition:service:region:account-id:resource", the
 * resource keeping any further colons. Fills the five sections. */
static bool arn_split(const char *s, size_t n, const char *sec[5], size_t len[5],
                      const char **why)
{
  if (n < 4 || memcmp(s, "arn:", 4) != 0) {
    *why = "arn: invalid prefix";
    return false;
  }
  const char *p = s + 4, *end = s + n;
  for (int i = 0; i < 4; i++) {
    const char *c = memchr(p, ':', (size_t)(end - p));
    if (!c) {
      *why = "arn: not enough sections";
      return false;
    }
    sec[i] = p;
    len[i] = (size_t)(c - p);
    p = c + 1;
  }
  sec[4] = p;
  len[4] = (size_t)(end - p);
  return true;
}

static struct rc_value *arn_parse_body(struct rc_func_ctx *ctx, struct rc_value *const *args,
                                       size_t nargs)
{
  (void)nargs;
  const char *sec[5];
  size_t len[5];
  const char *why = NULL;
  if (!arn_split(rc_value_str(args[0]), rc_value_strlen(args[0]), sec, len, &why))
    return rc_func_error(ctx, 0, "%s", why);
  static const char *const names[5] = {"partition", "service", "region", "account_id",
                                       "resource"};
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  for (int i = 0; i < 5; i++) rc_value_obj_put(o, names[i], rc_value_string_n(sec[i], len[i]));
  return o;
}

static struct rc_value *arn_build_body(struct rc_func_ctx *ctx, struct rc_value *const *args,
                                       size_t nargs)
{
  (void)ctx;
  struct rc_buf b;
  rc_buf_init(&b, 0);
  rc_buf_puts(&b, "arn");
  for (size_t i = 0; i < nargs; i++) {
    rc_buf_puts(&b, ":");
    rc_buf_append(&b, rc_value_str(args[i]), rc_value_strlen(args[i]));
  }
  return rc_func__buf_string(&b);
}

/* arn:aws:iam::123456789012:role/some/path/name → ...:role/name */
static struct rc_value *trim_iam_role_path_body(struct rc_func_ctx *ctx,
                                                struct rc_value *const *args, size_t nargs)
{
  (void)nargs;
  const char *s = rc_value_str(args[0]);
  size_t n = rc_value_strlen(args[0]);
  const char *sec[5];
  size_t len[5];
  const char *why = NULL;
  if (!arn_split(s, n, sec, len, &why)) return rc_func_error(ctx, 0, "%s", why);
  if (len[1] != 3 || memcmp(sec[1], "iam", 3) != 0 || len[4] < 5 ||
      memcmp(sec[4], "role/", 5) != 0)
    return rc_func_error(ctx, 0, "\"%s\" is not an IAM role ARN", s);
  const char *res = sec[4], *last = memrchr(res, '/', len[4]);
  struct rc_buf b;
  rc_buf_init(&b, 0);
  rc_buf_append(&b, s, (size_t)(res - s));
  rc_buf_puts(&b, "role/");
  rc_buf_append(&b, last + 1, (size_t)(s + n - (last + 1)));
  return rc_func__buf_string(&b);
}

static const struct rc_func__info infos[] = {
  {"provider::aws::arn_build",
   "partition:string,service:string,region:string,account_id:string,resource:string", 0,
   arn_build_body},
  {"provider::aws::arn_parse", "arn:string", 0, arn_parse_body},
  {"provider::aws::trim_iam_role_path", "arn:string", 0, trim_iam_role_path_body},
};

static struct rc_value *call_arn_build(struct rc_func_ctx *c, struct rc_value *const *a, size_t n)
{
  return rc_func__dispatch(&infos[0], c, a, n);
}
static struct rc_value *call_arn_parse(struct rc_func_ctx *c, struct rc_value *const *a, size_t n)
{
  return rc_func__dispatch(&infos[1], c, a, n);
}
static struct rc_value *call_trim(struct rc_func_ctx *c, struct rc_value *const *a, size_t n)
{
  return rc_func__dispatch(&infos[2], c, a, n);
}

static const struct rc_func table[] = {
  {"provider::aws::arn_build", call_arn_build, 5, 5},
  {"provider::aws::arn_parse", call_arn_parse, 1, 1},
  {"provider::aws::trim_iam_role_path", call_trim, 1, 1},
};

const struct rc_func *rc_func__provider_lookup(const char *name)
{
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (strcmp(table[i].name, name) == 0) return &table[i];
  return NULL;
}
