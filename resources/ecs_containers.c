/* ecs_containers — the container_definitions normaliser of
 * aws_ecs_task_definition (declared in svcutil.h). It reduces both the
 * configuration and what DescribeTaskDefinition answers to one canonical
 * JSON text, as terraform-provider-aws's containerDefinitions.reduce does,
 * so a plan right after an apply shows no change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rc_alloc.h"
#include "svcutil.h"

/* nulls, empty lists and empty objects removed, recursively; NULL when the
 * value itself is empty */
static struct rc_value *prune(const struct rc_value *v)
{
  if (!v || rc_value_is_null(v)) return NULL;
  if (rc_value_is_seq(v)) {
    struct rc_value *t = rc_value_seq_new(RC_TUPLE);
    for (size_t i = 0; i < rc_value_len(v); i++) {
      struct rc_value *e = prune(rc_value_index(v, i));
      if (e) rc_value_seq_push(t, e);
    }
    if (rc_value_len(t) == 0) {
      rc_value_decref(t);
      return NULL;
    }
    return t;
  }
  if (rc_value_is_obj(v)) {
    struct rc_value *o = rc_value_obj_new(RC_OBJECT);
    for (size_t i = 0; i < rc_value_len(v); i++) {
      struct rc_value *e = prune(rc_value_index(v, i));
      if (e) rc_value_obj_put(o, rc_value_key(v, i), e);
    }
    if (rc_value_len(o) == 0) {
      rc_value_decref(o);
      return NULL;
    }
    return o;
  }
  return rc_value_incref(v);
}

static int64_t num(const struct rc_value *v, bool *ok)
{
  *ok = false;
  if (!v) return 0;
  if (rc_value_kind(v) == RC_NUMBER) {
    *ok = true;
    return rc_value_int_get(v);
  }
  const char *s = rc_value_str(v);
  if (!s || !*s) return 0;
  char *end;
  long long n = strtoll(s, &end, 10);
  if (*end) return 0;
  *ok = true;
  return n;
}

static int cmp_by_name(const void *a, const void *b)
{
  const struct rc_value *x = *(const struct rc_value *const *)a;
  const struct rc_value *y = *(const struct rc_value *const *)b;
  const char *nx = rc_value_is_obj(x) ? rc_aws_str(x, "name") : NULL;
  const char *ny = rc_value_is_obj(y) ? rc_aws_str(y, "name") : NULL;
  int c = strcmp(nx ? nx : "", ny ? ny : "");
  return c ? c : rc_value_compare(x, y);
}

/* a tuple of v's elements sorted by their "name" */
static struct rc_value *sorted_by_name(const struct rc_value *v)
{
  size_t n = rc_value_len(v);
  const struct rc_value **e = rc_calloc(n ? n : 1, sizeof *e);
  for (size_t i = 0; i < n; i++) e[i] = rc_value_index(v, i);
  qsort(e, n, sizeof *e, cmp_by_name);
  struct rc_value *t = rc_value_seq_new(RC_TUPLE);
  for (size_t i = 0; i < n; i++) rc_value_seq_push(t, rc_value_incref(e[i]));
  rc_free(e);
  return t;
}

static struct rc_value *port_mapping(const struct rc_value *pm)
{
  if (!rc_value_is_obj(pm)) return rc_value_incref(pm);
  struct rc_value *o = rc_value_copy(pm);
  const char *proto = rc_aws_str(pm, "protocol");
  if (proto && strcasecmp(proto, "tcp") == 0) rc_value_obj_del(o, "protocol");
  bool okh, okc;
  int64_t hp = num(rc_value_get(pm, "hostPort"), &okh);
  int64_t cp = num(rc_value_get(pm, "containerPort"), &okc);
  if (okh && (hp == 0 || (okc && hp == cp))) rc_value_obj_del(o, "hostPort");
  if (okc) rc_value_obj_put(o, "containerPort", rc_value_int(cp));
  return o;
}

static struct rc_value *container(const struct rc_value *c)
{
  if (!rc_value_is_obj(c)) return rc_value_incref(c);
  struct rc_value *o = rc_value_copy(c);
  bool ok;
  int64_t cpu = num(rc_value_get(c, "cpu"), &ok);
  if (ok && cpu == 0) rc_value_obj_del(o, "cpu");
  const struct rc_value *ess = rc_value_get(c, "essential");
  if (ess && rc_value_kind(ess) == RC_BOOL && rc_value_bool_get(ess))
    rc_value_obj_del(o, "essential"); /* true is the default */
  const struct rc_value *pms = rc_value_get(c, "portMappings");
  if (pms && rc_value_is_seq(pms)) {
    struct rc_value *t = rc_value_seq_new(RC_TUPLE);
    for (size_t i = 0; i < rc_value_len(pms); i++)
      rc_value_seq_push(t, port_mapping(rc_value_index(pms, i)));
    rc_value_obj_put(o, "portMappings", t);
  }
  static const char *const by_name[] = {"environment", "secrets"};
  for (size_t k = 0; k < 2; k++) {
    const struct rc_value *l = rc_value_get(c, by_name[k]);
    if (l && rc_value_is_seq(l)) rc_value_obj_put(o, by_name[k], sorted_by_name(l));
  }
  return o;
}

char *rc_svcu_containers_canon(const char *text)
{
  if (!text) return NULL;
  struct rc_value *v = rc_value_parse_json(text, strlen(text), NULL);
  if (!v || !rc_value_is_seq(v)) {
    rc_value_decref(v);
    return NULL;
  }
  struct rc_value *cs = rc_value_seq_new(RC_TUPLE);
  for (size_t i = 0; i < rc_value_len(v); i++) {
    struct rc_value *c = container(rc_value_index(v, i));
    struct rc_value *p = prune(c);
    rc_value_decref(c);
    if (p) rc_value_seq_push(cs, p);
  }
  struct rc_value *sorted = sorted_by_name(cs);
  char *s = rc_value_dump_json(sorted);
  rc_value_decref(sorted);
  rc_value_decref(cs);
  rc_value_decref(v);
  return s;
}

struct rc_value *rc_svcu_norm_containers(const struct rc_value *v)
{
  const char *s = rc_value_str(v);
  char *c = s ? rc_svcu_containers_canon(s) : NULL;
  return c ? rc_value_string_steal(c) : NULL;
}

struct rc_value *rc_svcu_norm_units(const struct rc_value *v)
{
  char tmp[64];
  if (rc_value_kind(v) == RC_NUMBER) {
    rc_value_format_number(v, tmp, sizeof tmp);
    return rc_value_string(tmp);
  }
  const char *s = rc_value_str(v);
  if (!s) return NULL;
  char *end;
  double d = strtod(s, &end);
  if (end == s) return NULL;
  while (*end == ' ') end++;
  if (!*end) return NULL;
  if (strcasecmp(end, "vcpu") == 0 || strcasecmp(end, "gb") == 0)
    d *= 1024;
  else if (strcasecmp(end, "mb") != 0 && strcasecmp(end, "mib") != 0)
    return NULL;
  snprintf(tmp, sizeof tmp, "%ld", (long)d);
  return rc_value_string(tmp);
}
