/* func_crypto.c — md5 sha1 sha256 sha512 base64sha256 base64sha512 uuid uuidv5,
 * with OpenSSL libcrypto. Hashes are of the string's UTF-8 bytes; uuid is
 * unknown while planning (ctx->plan_time), a random v4 UUID otherwise. */
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

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

/* uuidv5(namespace, name): RFC 4122 name-based UUID with SHA-1; namespace is
 * "dns", "url", "oid", "x500" or a UUID in text form. */
static bool parse_uuid(const char *s, unsigned char out[16])
{
  size_t k = 0;
  for (size_t i = 0; s[i] && k < 32; i++) {
    if (s[i] == '-' && (i == 8 || i == 13 || i == 18 || i == 23)) continue;
    char c = s[i];
    int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
          : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (v < 0) return false;
    if (k % 2 == 0) out[k / 2] = (unsigned char)(v << 4);
    else out[k / 2] |= (unsigned char)v;
    k++;
  }
  return k == 32 && strlen(s) == 36;
}

RC_FUNC_DEFINE(uuidv5, "namespace:string,name:string", 0)
{
  static const struct {
    const char *name, *uuid;
  } ns[] = {{"dns", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"},
            {"url", "6ba7b811-9dad-11d1-80b4-00c04fd430c8"},
            {"oid", "6ba7b812-9dad-11d1-80b4-00c04fd430c8"},
            {"x500", "6ba7b814-9dad-11d1-80b4-00c04fd430c8"}};
  const char *n = rc_value_str(args[0]);
  for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
    if (strcmp(n, ns[i].name) == 0) n = ns[i].uuid;
  unsigned char space[16];
  if (!parse_uuid(n, space))
    return rc_func_error(ctx, 0, "uuidv5() doesn't support namespace %s", rc_value_str(args[0]));
  size_t len = 16 + rc_value_strlen(args[1]);
  unsigned char *buf = rc_malloc(len);
  memcpy(buf, space, 16);
  memcpy(buf + 16, rc_value_str(args[1]), len - 16);
  unsigned char md[64];
  rc_func__digest("sha1", buf, len, md);
  rc_free(buf);
  md[6] = (unsigned char)((md[6] & 0x0f) | 0x50);
  md[8] = (unsigned char)((md[8] & 0x3f) | 0x80);
  char out[37];
  snprintf(out, sizeof out,
           "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", md[0], md[1],
           md[2], md[3], md[4], md[5], md[6], md[7], md[8], md[9], md[10], md[11], md[12], md[13],
           md[14], md[15]);
  return rc_value_string(out);
}
