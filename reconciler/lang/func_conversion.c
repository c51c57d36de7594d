/* func_conversion.c — tobool tolist tomap tonumber toset tostring and the
 * sensitivity functions sensitive nonsensitive issensitive. (can and try
 * need unevaluated expressions: the evaluator implements them.) */
#include <string.h>

#include "func_internal.h"

static const char *kind_word(const struct rc_value *v)
{
  return rc_value_kind_name(rc_value_kind(v));
}

RC_FUNC_DEFINE(tostring, "v:any?", RC_FN_PARTIAL)
{
  if (rc_value_is_null(args[0])) return rc_value_null();
  struct rc_value *r = rc_convert_to_string(args[0], NULL);
  return r ? r : rc_func_error(ctx, 0, "cannot convert %s to string", kind_word(args[0]));
}

RC_FUNC_DEFINE(tonumber, "v:any?", RC_FN_PARTIAL)
{
  if (rc_value_is_null(args[0])) return rc_value_null();
  char *err = NULL;
  struct rc_value *r = rc_convert_to_number(args[0], &err);
  rc_free(err);
  if (r) return r;
  if (rc_value_kind(args[0]) == RC_STRING)
    return rc_func_error(ctx, 0, "cannot convert \"%s\" to number; given string must be a decimal "
                                 "representation of a number",
                         rc_value_str(args[0]));
  return rc_func_error(ctx, 0, "cannot convert %s to number", kind_word(args[0]));
}

RC_FUNC_DEFINE(tobool, "v:any?", RC_FN_PARTIAL)
{
  if (rc_value_is_null(args[0])) return rc_value_null();
  char *err = NULL;
  struct rc_value *r = rc_convert_to_bool(args[0], &err);
  rc_free(err);
  if (r) return r;
  if (rc_value_kind(args[0]) == RC_STRING)
    return rc_func_error(ctx, 0, "cannot convert \"%s\" to bool; only the strings \"true\" or "
                                 "\"false\" are allowed",
                         rc_value_str(args[0]));
  return rc_func_error(ctx, 0, "cannot convert %s to bool", kind_word(args[0]));
}

static struct rc_value *to_collection(struct rc_func_ctx *ctx, const struct rc_value *v,
                                      enum rc_type_kind k)
{
  if (rc_value_is_null(v)) return rc_value_null();
  struct rc_type *t = rc_type_collection(k, NULL);
  char *err = NULL;
  struct rc_value *r = rc_convert(v, t, &err);
  if (!r) {
    struct rc_buf b;
    rc_buf_init(&b, 0);
    rc_type_friendly(t, &b);
    if (err && strstr(err, ": ") && strncmp(err, "all ", 4) != 0)
      rc_func_error(ctx, 0, "cannot convert %s to %s: %s", kind_word(v), b.ptr, err);
    else
      rc_func_error(ctx, 0, "cannot convert %s to %s", kind_word(v), b.ptr);
    rc_buf_free(&b);
  }
  rc_free(err);
  rc_type_free(t);
  return r;
}

RC_FUNC_DEFINE(tolist, "v:any?", RC_FN_PARTIAL) { return to_collection(ctx, args[0], RC_TYPE_LIST); }
RC_FUNC_DEFINE(toset, "v:any?", RC_FN_PARTIAL) { return to_collection(ctx, args[0], RC_TYPE_SET); }
RC_FUNC_DEFINE(tomap, "v:any?", RC_FN_PARTIAL) { return to_collection(ctx, args[0], RC_TYPE_MAP); }

RC_FUNC_DEFINE(sensitive, "value:any?!~", RC_FN_PARTIAL)
{
  return rc_value_mark_sensitive(args[0]);
}

RC_FUNC_DEFINE(nonsensitive, "value:any?!~", RC_FN_PARTIAL)
{
  return rc_value_unmark(args[0]);
}

RC_FUNC_DEFINE(issensitive, "value:any?!~", RC_FN_PARTIAL)
{
  if (rc_value_is_sensitive(args[0])) return rc_value_bool(true);
  if (!rc_value_is_known(args[0])) return rc_value_unknown();
  return rc_value_bool(false);
}

/* recon has no ephemeral values: every value is returned as it is. */
RC_FUNC_DEFINE(ephemeralasnull, "value:any?!~", RC_FN_PARTIAL)
{
  return rc_value_incref(args[0]);
}
