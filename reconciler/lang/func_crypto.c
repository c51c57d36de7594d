/* func_crypto.c — md5 sha1 sha256 sha512 base64sha256 base64sha512 uuid,
 * with OpenSSL libcrypto. Hashes are of the string's UTF-8 bytes; uuid is
 * unknown while planning (ctx->plan_time), a random v4 UUID otherwise. */
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>

#include "func_internal.h"

size_t rc_func__digest(const char *alg, const void *data, size_t n, unsigned char *out)
{
  const EVP_MD *md = EVP_get_digestbyname(alg);
  unsigned int len = 0;
  if (!md || !EVP_Digest(data, n, out, &len, md, NULL)) return 0;
  return len;
}

static struct rc_value *hex_hash(const struct rc_value *s, const char *alg)
{
  unsigned char md[64];
  size_t n = rc_func__digest(alg, rc_value_str(s), rc_value_strlen(s), md);
  char hex[129];
  for (size_t i = 0; i < n; i++) snprintf(hex + 2 * i, 3, "%02x", md[i]);
  hex[2 * n] = '\0';
  return rc_value_string(hex);
}

static struct rc_value *b64_hash(const struct rc_value *s, const char *alg)
{
  unsigned char md[64];
  size_t n = rc_func__digest(alg, rc_value_str(s), rc_value_strlen(s), md);
  return rc_value_string_steal(rc_func__base64(md, n));
}

RC_FUNC_DEFINE(md5, "str:string", 0) { return hex_hash(args[0], "md5"); }
RC_FUNC_DEFINE(sha1, "str:string", 0) { return hex_hash(args[0], "sha1"); }
RC_FUNC_DEFINE(sha256, "str:string", 0) { return hex_hash(args[0], "sha256"); }
RC_FUNC_DEFINE(sha512, "str:string", 0) { return hex_hash(args[0], "sha512"); }
RC_FUNC_DEFINE(base64sha256, "str:string", 0) { return b64_hash(args[0], "sha256"); }
RC_FUNC_DEFINE(base64sha512, "str:string", 0) { return b64_hash(args[0], "sha512"); }

RC_FUNC_DEFINE(uuid, "", 0)
{
  if (ctx->plan_time) return rc_value_unknown();
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) return rc_func_error(ctx, -1, "failed to generate a UUID");
  b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
  b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
  char s[37];
  snprintf(s, sizeof s,
           "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
           b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return rc_value_string(s);
}
