/* state.c — the in-memory state record: resources sorted by address,
 * outputs sorted by name, lineage/serial/salt; salted hashes of sensitive
 * values. The JSON document lives in state_json.c. */
#include <ctype.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>

#include "rc_alloc.h"
#include "state.h"
#include "state_int.h"
#include "state_json.h"

void rc_state__random_hex(char *out, size_t nbytes)
{
  unsigned char buf[64];
  static const char hex[] = "0123456789abcdef";
  if (nbytes > sizeof buf) nbytes = sizeof buf;
  if (RAND_bytes(buf, (int)nbytes) != 1) {
    /* The OpenSSL DRBG does not fail on Linux once seeded; keep going with
     * /dev/urandom rather than producing a predictable salt. */
    FILE *f = fopen("/dev/urandom", "rb");
    if (!f || fread(buf, 1, nbytes, f) != nbytes) abort();
    fclose(f);
  }
  for (size_t i = 0; i < nbytes; i++) {
    out[2 * i] = hex[buf[i] >> 4];
    out[2 * i + 1] = hex[buf[i] & 15];
  }
  out[2 * nbytes] = '\0';
}

void rc_state__uuid(char out[37])
{
  unsigned char b[16];
  char hex[33];
  rc_state__random_hex(hex, 16);
  for (int i = 0; i < 16; i++) {
    unsigned v = 0;
    for (int k = 0; k < 2; k++) {
      char c = hex[2 * i + k];
      v = v * 16 + (unsigned)(c <= '9' ? c - '0' : c - 'a' + 10);
    }
    b[i] = (unsigned char)v;
  }
  b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
  b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
  snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
           b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
           b[13], b[14], b[15]);
}

/* --- natural order of addresses: digit runs compare as numbers --- */
int rc_state__addr_cmp(const char *a, const char *b)
{
  while (*a && *b) {
    if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
      while (*a == '0' && isdigit((unsigned char)a[1])) a++;
      while (*b == '0' && isdigit((unsigned char)b[1])) b++;
      size_t la = 0, lb = 0;
      while (isdigit((unsigned char)a[la])) la++;
      while (isdigit((unsigned char)b[lb])) lb++;
      if (la != lb) return la < lb ? -1 : 1;
      int c = memcmp(a, b, la);
      if (c) return c < 0 ? -1 : 1;
      a += la, b += lb;
      continue;
    }
    if (*a != *b) return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
    a++, b++;
  }
  if (*a || *b) return *a ? 1 : -1;
  return 0;
}

/* --- lifecycle --- */
struct rc_state *rc_state__alloc(void)
{
  struct rc_state *st = rc_calloc(1, sizeof *st);
  st->recon_version = rc_strdup("");
  return st;
}

struct rc_state *rc_state_new(void)
{
  struct rc_state *st = rc_state__alloc();
  char id[37];
  rc_state__uuid(id);
  st->lineage = rc_strdup(id);
  rc_state__random_hex(st->salt, RC_STATE_SALT_BYTES);
  return st;
}

static void res_clear(struct rc_state_resource *r)
{
  rc_free((char *)r->address);
  rc_free((char *)r->type);
  rc_free((char *)r->id);
  rc_value_decref(r->attributes);
  for (size_t i = 0; i < r->n_dependencies; i++) rc_free((char *)r->dependencies[i]);
  rc_free((void *)r->dependencies);
  memset(r, 0, sizeof *r);
}

static void res_copy(struct rc_state_resource *dst, const struct rc_state_resource *src)
{
  dst->address = rc_strdup(src->address);
  dst->mode = src->mode;
  dst->type = rc_strdup(src->type ? src->type : "");
  dst->id = rc_strdup(src->id ? src->id : "");
  dst->attributes = src->attributes ? rc_value_incref(src->attributes)
                                    : rc_value_obj_new(RC_OBJECT);
  dst->n_dependencies = src->n_dependencies;
  char **deps = rc_calloc(src->n_dependencies ? src->n_dependencies : 1, sizeof *deps);
  for (size_t i = 0; i < src->n_dependencies; i++) deps[i] = rc_strdup(src->dependencies[i]);
  dst->dependencies = (const char *const *)deps;
  dst->create_before_destroy = src->create_before_destroy;
}

void rc_state_free(struct rc_state *st)
{
  if (!st) return;
  for (size_t i = 0; i < st->n_res; i++) {
    res_clear(&st->res[i]);
    rc_free(st->res_json[i]);
  }
  rc_free(st->res);
  rc_free(st->res_json);
  rc_state_outputs_clear(st);
  rc_free(st->outs);
  rc_free(st->lineage);
  rc_free(st->recon_version);
  rc_free(st);
}

struct rc_state *rc_state_dup(const struct rc_state *st)
{
  struct rc_state *c = rc_state__alloc();
  rc_free(c->recon_version);
  c->recon_version = rc_strdup(st->recon_version);
  c->lineage = rc_strdup(st->lineage);
  c->serial = st->serial;
  memcpy(c->salt, st->salt, sizeof c->salt);
  for (size_t i = 0; i < st->n_res; i++) rc_state_put(c, &st->res[i]);
  for (size_t i = 0; i < st->n_outs; i++)
    rc_state_output_set(c, st->outs[i].name, st->outs[i].value, st->outs[i].sensitive);
  return c;
}

const char *rc_state_lineage(const struct rc_state *st) { return st->lineage; }
uint64_t rc_state_serial(const struct rc_state *st) { return st->serial; }
void rc_state_set_serial(struct rc_state *st, uint64_t serial) { st->serial = serial; }
const char *rc_state_recon_version(const struct rc_state *st) { return st->recon_version; }

/* --- resources --- */
static size_t res_find(const struct rc_state *st, const char *address, bool *found)
{
  size_t lo = 0, hi = st->n_res;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (rc_state__addr_cmp(st->res[mid].address, address) < 0) lo = mid + 1;
    else hi = mid;
  }
  *found = lo < st->n_res && rc_state__addr_cmp(st->res[lo].address, address) == 0;
  return lo;
}

size_t rc_state_count(const struct rc_state *st) { return st->n_res; }

const struct rc_state_resource *rc_state_at(const struct rc_state *st, size_t i)
{
  return i < st->n_res ? &st->res[i] : NULL;
}

const struct rc_state_resource *rc_state_find(const struct rc_state *st, const char *address)
{
  bool found;
  size_t at = res_find(st, address, &found);
  return found ? &st->res[at] : NULL;
}

void rc_state_put(struct rc_state *st, const struct rc_state_resource *r)
{
  assert(r->address && r->address[0]);
  struct rc_state_resource copy;
  res_copy(&copy, r); /* before touching st: r may point into it */
  bool found;
  size_t at = res_find(st, r->address, &found);
  if (found) {
    res_clear(&st->res[at]);
    st->res[at] = copy;
    rc_free(st->res_json[at]);
    st->res_json[at] = NULL;
    return;
  }
  if (st->n_res == st->cap_res) {
    st->cap_res = st->cap_res ? st->cap_res * 2 : 16;
    st->res = rc_realloc(st->res, st->cap_res * sizeof *st->res);
    st->res_json = rc_realloc(st->res_json, st->cap_res * sizeof *st->res_json);
  }
  memmove(st->res + at + 1, st->res + at, (st->n_res - at) * sizeof *st->res);
  memmove(st->res_json + at + 1, st->res_json + at, (st->n_res - at) * sizeof *st->res_json);
  st->res[at] = copy;
  st->res_json[at] = NULL;
  st->n_res++;
}

rc_status rc_state_remove(struct rc_state *st, const char *address)
{
  bool found;
  size_t at = res_find(st, address, &found);
  if (!found) return RC_NOT_FOUND;
  res_clear(&st->res[at]);
  rc_free(st->res_json[at]);
  memmove(st->res + at, st->res + at + 1, (st->n_res - at - 1) * sizeof *st->res);
  memmove(st->res_json + at, st->res_json + at + 1, (st->n_res - at - 1) * sizeof *st->res_json);
  st->n_res--;
  return RC_OK;
}

rc_status rc_state_move(struct rc_state *st, const char *src, const char *dst,
                        struct rc_error *err)
{
  const struct rc_state_resource *s = rc_state_find(st, src);
  if (!s) return rc_error_set(err, RC_NOT_FOUND, "no resource %s in state", src);
  if (rc_state_find(st, dst))
    return rc_error_set(err, RC_CONFLICT, "resource %s already exists in state", dst);
  struct rc_state_resource moved;
  res_copy(&moved, s);
  rc_free((char *)moved.address);
  moved.address = rc_strdup(dst);
  rc_state_remove(st, src);
  rc_state_put(st, &moved);
  res_clear(&moved);
  for (size_t i = 0; i < st->n_res; i++) {
    struct rc_state_resource *r = &st->res[i];
    for (size_t k = 0; k < r->n_dependencies; k++)
      if (strcmp(r->dependencies[k], src) == 0) {
        char **deps = (char **)r->dependencies;
        rc_free(deps[k]);
        deps[k] = rc_strdup(dst);
        rc_free(st->res_json[i]);
        st->res_json[i] = NULL;
      }
  }
  return RC_OK;
}

/* --- outputs --- */
static size_t out_find(const struct rc_state *st, const char *name, bool *found)
{
  size_t lo = 0, hi = st->n_outs;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(st->outs[mid].name, name) < 0) lo = mid + 1;
    else hi = mid;
  }
  *found = lo < st->n_outs && strcmp(st->outs[lo].name, name) == 0;
  return lo;
}

void rc_state_output_set(struct rc_state *st, const char *name, const struct rc_value *value,
                         bool sensitive)
{
  struct rc_value *v = sensitive ? rc_value_mark_sensitive(value) : rc_value_incref(value);
  bool found;
  size_t at = out_find(st, name, &found);
  if (found) {
    rc_value_decref(st->outs[at].value);
    st->outs[at].value = v;
    st->outs[at].sensitive = sensitive;
    return;
  }
  if (st->n_outs == st->cap_outs) {
    st->cap_outs = st->cap_outs ? st->cap_outs * 2 : 8;
    st->outs = rc_realloc(st->outs, st->cap_outs * sizeof *st->outs);
  }
  memmove(st->outs + at + 1, st->outs + at, (st->n_outs - at) * sizeof *st->outs);
  st->outs[at] = (struct rc_state__output){rc_strdup(name), v, sensitive};
  st->n_outs++;
}

rc_status rc_state_output_remove(struct rc_state *st, const char *name)
{
  bool found;
  size_t at = out_find(st, name, &found);
  if (!found) return RC_NOT_FOUND;
  rc_free(st->outs[at].name);
  rc_value_decref(st->outs[at].value);
  memmove(st->outs + at, st->outs + at + 1, (st->n_outs - at - 1) * sizeof *st->outs);
  st->n_outs--;
  return RC_OK;
}

void rc_state_outputs_clear(struct rc_state *st)
{
  for (size_t i = 0; i < st->n_outs; i++) {
    rc_free(st->outs[i].name);
    rc_value_decref(st->outs[i].value);
  }
  st->n_outs = 0;
}

size_t rc_state_output_count(const struct rc_state *st) { return st->n_outs; }

const char *rc_state_output_name(const struct rc_state *st, size_t i)
{
  return i < st->n_outs ? st->outs[i].name : NULL;
}

const struct rc_value *rc_state_output_get(const struct rc_state *st, const char *name,
                                           bool *sensitive)
{
  bool found;
  size_t at = out_find(st, name, &found);
  if (!found) return NULL;
  if (sensitive) *sensitive = st->outs[at].sensitive;
  return st->outs[at].value;
}

/* --- sensitive hashing --- */
void rc_state__hash(const char *salt, const struct rc_value *v, char out[65])
{
  static const char hex[] = "0123456789abcdef";
  struct rc_value *clear = rc_value_unmark_deep(v);
  char *text = rc_value_dump_json(clear);
  rc_value_decref(clear);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int mdlen = 0;
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
      EVP_DigestUpdate(ctx, salt, strlen(salt)) != 1 ||
      EVP_DigestUpdate(ctx, text, strlen(text)) != 1 ||
      EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 || mdlen != 32)
    abort(); /* SHA-256 cannot fail short of memory exhaustion */
  EVP_MD_CTX_free(ctx);
  rc_free(text);
  for (unsigned i = 0; i < 32; i++) {
    out[2 * i] = hex[md[i] >> 4];
    out[2 * i + 1] = hex[md[i] & 15];
  }
  out[64] = '\0';
}

static bool is_placeholder_shape(const struct rc_value *v)
{
  if (!rc_value_is_obj(v) || rc_value_len(v) != 1) return false;
  const struct rc_value *h = rc_value_get(v, "sha256");
  if (!h || rc_value_kind(h) != RC_STRING || rc_value_strlen(h) != 64) return false;
  const char *s = rc_value_str(h);
  for (size_t i = 0; i < 64; i++)
    if (!isxdigit((unsigned char)s[i])) return false;
  return true;
}

bool rc_state_is_hashed(const struct rc_value *v)
{
  return v && rc_value_is_sensitive(v) && is_placeholder_shape(v);
}

bool rc_state_value_matches(const struct rc_state *st, const struct rc_value *stored,
                            const struct rc_value *clear)
{
  if (!stored || !clear) return stored == clear;
  if (rc_state_is_hashed(stored)) {
    if (!rc_value_is_wholly_known(clear)) return false;
    const char *want = rc_value_str(rc_value_get(stored, "sha256"));
    if (is_placeholder_shape(clear))
      return strcmp(want, rc_value_str(rc_value_get(clear, "sha256"))) == 0;
    char got[65];
    rc_state__hash(st->salt, clear, got);
    return strcmp(want, got) == 0;
  }
  if (rc_value_is_seq(stored) && rc_value_is_seq(clear)) {
    size_t n = rc_value_len(stored);
    if (n != rc_value_len(clear)) return false;
    for (size_t i = 0; i < n; i++)
      if (!rc_state_value_matches(st, rc_value_index(stored, i), rc_value_index(clear, i)))
        return false;
    return true;
  }
  if (rc_value_is_obj(stored) && rc_value_is_obj(clear)) {
    size_t n = rc_value_len(stored);
    if (n != rc_value_len(clear)) return false;
    for (size_t i = 0; i < n; i++) {
      const char *k = rc_value_key(stored, i);
      const struct rc_value *c = rc_value_get(clear, k);
      if (!c || !rc_state_value_matches(st, rc_value_index(stored, i), c)) return false;
    }
    return true;
  }
  return rc_value_equal(stored, clear);
}
