/* func_ipnet.c — cidrhost cidrnetmask cidrsubnet cidrsubnets for IPv4 and
 * IPv6, after Terraform's funcs/cidr.go and apparentlymart/go-cidr, with
 * their error messages. Addresses are 128-bit integers with a width of 32
 * or 128 bits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "func_internal.h"

typedef unsigned __int128 u128;

struct net {
  u128 ip;   /* network address (host bits cleared) */
  int bits;  /* 32 or 128 */
  int plen;  /* prefix length */
};

static u128 mask_of(int bits, int plen)
{
  if (plen <= 0) return 0;
  u128 all = bits == 128 ? ~(u128)0 : (((u128)1 << 32) - 1);
  return plen >= bits ? all : all & ~((((u128)1) << (bits - plen)) - 1);
}

static bool parse_v4(const char *s, size_t n, u128 *out)
{
  u128 v = 0;
  int parts = 0;
  size_t i = 0;
  while (i < n) {
    unsigned long x = 0;
    size_t st = i;
    while (i < n && s[i] >= '0' && s[i] <= '9' && i - st < 4) x = x * 10 + (unsigned long)(s[i++] - '0');
    if (i == st || x > 255) return false;
    v = v << 8 | x;
    parts++;
    if (i < n) {
      if (s[i] != '.' || parts == 4) return false;
      i++;
      if (i == n) return false;
    }
  }
  if (parts != 4) return false;
  *out = v;
  return true;
}

static bool parse_v6(const char *s, size_t n, u128 *out)
{
  uint16_t g[8] = {0};
  int ng = 0, gap = -1;
  size_t i = 0;
  if (n >= 2 && s[0] == ':' && s[1] == ':') gap = 0, i = 2;
  else if (n && s[0] == ':') return false;
  while (i < n) {
    size_t st = i;
    unsigned x = 0;
    while (i < n && strchr("0123456789abcdefABCDEF", s[i]) && i - st < 5) {
      char c = s[i++];
      x = x * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    if (i < n && s[i] == '.') { /* embedded IPv4 tail */
      u128 v4;
      if (ng > 6 || !parse_v4(s + st, n - st, &v4)) return false;
      g[ng++] = (uint16_t)(v4 >> 16);
      g[ng++] = (uint16_t)v4;
      i = n;
      break;
    }
    if (i == st || i - st > 4 || ng == 8) return false;
    g[ng++] = (uint16_t)x;
    if (i == n) break;
    if (s[i] != ':') return false;
    i++;
    if (i < n && s[i] == ':') {
      if (gap >= 0) return false;
      gap = ng;
      i++;
    } else if (i == n) {
      return false;
    }
  }
  if (gap < 0 && ng != 8) return false;
  if (gap >= 0 && ng >= 8) return false;
  uint16_t full[8] = {0};
  if (gap >= 0) {
    for (int k = 0; k < gap; k++) full[k] = g[k];
    for (int k = gap; k < ng; k++) full[8 - (ng - k)] = g[k];
  } else {
    memcpy(full, g, sizeof full);
  }
  u128 v = 0;
  for (int k = 0; k < 8; k++) v = v << 16 | full[k];
  *out = v;
  return true;
}

static bool parse_ip(const char *s, size_t n, u128 *ip, int *bits)
{
  if (memchr(s, ':', n)) {
    *bits = 128;
    return parse_v6(s, n, ip);
  }
  *bits = 32;
  return parse_v4(s, n, ip);
}

static bool parse_cidr(struct rc_func_ctx *ctx, int arg, const char *s, struct net *net)
{
  const char *slash = strchr(s, '/');
  char *end;
  long plen = slash ? strtol(slash + 1, &end, 10) : -1;
  if (!slash || !parse_ip(s, (size_t)(slash - s), &net->ip, &net->bits) || end == slash + 1 ||
      *end || plen < 0 || plen > net->bits || slash[1] == '+' || slash[1] == '-') {
    rc_func_error(ctx, arg, "invalid CIDR expression: invalid CIDR address: %s", s);
    return false;
  }
  net->plen = (int)plen;
  net->ip &= mask_of(net->bits, net->plen);
  return true;
}

static void format_ip(u128 ip, int bits, struct rc_buf *b)
{
  if (bits == 32) {
    rc_buf_printf(b, "%u.%u.%u.%u", (unsigned)(ip >> 24) & 255, (unsigned)(ip >> 16) & 255,
                  (unsigned)(ip >> 8) & 255, (unsigned)ip & 255);
    return;
  }
  unsigned g[8];
  for (int k = 0; k < 8; k++) g[k] = (unsigned)(ip >> (16 * (7 - k))) & 0xffff;
  int best = -1, bestlen = 1;
  for (int k = 0; k < 8;) {
    int j = k;
    while (j < 8 && g[j] == 0) j++;
    if (j - k > bestlen) best = k, bestlen = j - k;
    k = j > k ? j : k + 1;
  }
  for (int k = 0; k < 8; k++) {
    if (k == best) {
      rc_buf_puts(b, "::");
      k += bestlen - 1;
      continue;
    }
    if (k && k != best + bestlen) rc_buf_putc(b, ':');
    rc_buf_printf(b, "%x", g[k]);
  }
}

static struct rc_value *cidr_string(u128 ip, int bits, int plen)
{
  struct rc_buf b;
  rc_buf_init(&b, 0);
  format_ip(ip, bits, &b);
  rc_buf_printf(&b, "/%d", plen);
  return rc_func__buf_string(&b);
}

RC_FUNC_DEFINE(cidrhost, "prefix:string,hostnum:number", 0)
{
  struct net n;
  if (!parse_cidr(ctx, 0, rc_value_str(args[0]), &n)) return NULL;
  int64_t num;
  if (!rc_func__get_int(args[1], &num)) return rc_func_error(ctx, 1, "hostnum must be a whole number");
  int hostlen = n.bits - n.plen;
  u128 maxhost = hostlen >= 128 ? ~(u128)0 : (((u128)1) << hostlen) - 1;
  u128 u;
  if (num < 0) {
    u128 back = (u128)(-(num + 1));
    if (back > maxhost)
      return rc_func_error(ctx, 1, "prefix of %d does not accommodate a host numbered %lld", n.plen,
                           (long long)num);
    u = maxhost - back;
  } else {
    u = (u128)num;
    if (u > maxhost)
      return rc_func_error(ctx, 1, "prefix of %d does not accommodate a host numbered %lld", n.plen,
                           (long long)num);
  }
  struct rc_buf b;
  rc_buf_init(&b, 0);
  format_ip(n.ip | u, n.bits, &b);
  return rc_func__buf_string(&b);
}

RC_FUNC_DEFINE(cidrnetmask, "prefix:string", 0)
{
  struct net n;
  if (!parse_cidr(ctx, 0, rc_value_str(args[0]), &n)) return NULL;
  if (n.bits != 32)
    return rc_func_error(ctx, 0, "IPv6 addresses cannot have a netmask: %s", rc_value_str(args[0]));
  struct rc_buf b;
  rc_buf_init(&b, 0);
  format_ip(mask_of(32, n.plen), 32, &b);
  return rc_func__buf_string(&b);
}

RC_FUNC_DEFINE(cidrsubnet, "prefix:string,newbits:number,netnum:number", 0)
{
  struct net n;
  if (!parse_cidr(ctx, 0, rc_value_str(args[0]), &n)) return NULL;
  int64_t newbits, netnum;
  if (!rc_func__get_int(args[1], &newbits)) return rc_func_error(ctx, 1, "newbits must be a whole number");
  if (!rc_func__get_int(args[2], &netnum)) return rc_func_error(ctx, 2, "netnum must be a whole number");
  if (newbits > 32) return rc_func_error(ctx, -1, "may not extend prefix by more than 32 bits");
  if (newbits < 0) return rc_func_error(ctx, 1, "must not be negative");
  if (n.plen + newbits > n.bits)
    return rc_func_error(ctx, -1, "insufficient address space to extend prefix of %d by %lld", n.plen,
                         (long long)newbits);
  if (netnum < 0 || (uint64_t)netnum > (((uint64_t)1 << newbits) - 1))
    return rc_func_error(ctx, -1, "prefix extension of %lld does not accommodate a subnet numbered %lld",
                         (long long)newbits, (long long)netnum);
  int plen = n.plen + (int)newbits;
  u128 ip = n.ip | ((u128)netnum << (n.bits - plen));
  return cidr_string(ip, n.bits, plen);
}

RC_FUNC_DEFINE(cidrsubnets, "prefix:string,...newbits:number", 0)
{
  struct net n;
  if (!parse_cidr(ctx, 0, rc_value_str(args[0]), &n)) return NULL;
  struct rc_value *r = rc_value_seq_new(RC_LIST);
  if (nargs == 1) return r;
  u128 all = mask_of(n.bits, n.bits);
  int64_t first;
  if (!rc_func__get_int(args[1], &first)) first = 1;
  /* PreviousSubnet: the block of the first length just before the network */
  int cur_len = n.plen + (int)(first < 0 ? 0 : first > 128 ? 128 : first);
  if (cur_len > n.bits) cur_len = n.bits;
  u128 cur = ((n.ip - 1) & all) & mask_of(n.bits, cur_len);
  for (size_t i = 1; i < nargs; i++) {
    int64_t len;
    if (!rc_func__get_int(args[i], &len)) len = 0;
    if (len < 1) goto err_short;
    if (len > 32) {
      rc_value_decref(r);
      return rc_func_error(ctx, (int)i, "may not extend prefix by more than 32 bits");
    }
    int plen = n.plen + (int)len;
    if (plen > n.bits) {
      rc_value_decref(r);
      return rc_func_error(ctx, (int)i, "would extend prefix to %d bits, which is too long for an %s address",
                           plen, n.bits == 32 ? "IPv4" : "IPv6");
    }
    /* NextSubnet(cur, plen) */
    u128 cur_last = (cur | ~mask_of(n.bits, cur_len)) & all;
    u128 sub = cur_last & mask_of(n.bits, plen);
    u128 last = ((sub | ~mask_of(n.bits, plen)) & all) + 1;
    last &= all;
    u128 next = last & mask_of(n.bits, plen);
    bool rollover = last == 0;
    if (rollover || (next & mask_of(n.bits, n.plen)) != n.ip) {
      struct rc_buf b;
      rc_buf_init(&b, 0);
      format_ip(cur, n.bits, &b);
      rc_buf_printf(&b, "/%d", cur_len);
      rc_value_decref(r);
      rc_func_error(ctx, (int)i, "not enough remaining address space for a subnet with a prefix of %d "
                                 "bits after %s", plen, b.ptr);
      rc_buf_free(&b);
      return NULL;
    }
    cur = next;
    cur_len = plen;
    rc_value_seq_push(r, cidr_string(cur, n.bits, plen));
    continue;
  err_short:
    rc_value_decref(r);
    return rc_func_error(ctx, (int)i, "must extend prefix by at least one bit");
  }
  return r;
}
