/* registry — the table of every resource type and data source. Add a type:
 * write <type>.c exporting `const struct rc_resource_type rc_rt_<name>` and
 * add it to RC_RESOURCE_ROWS in types.h. The engine only reads this table. */
#include <string.h>

#include "rc_suggest.h"
#include "resource.h"
#include "types.h"

#define RC__EXTERN(sym) extern const struct rc_resource_type sym;
RC_RESOURCE_ROWS(RC__EXTERN)
#undef RC__EXTERN

const struct rc_resource_type *const rc_resource_types[] = {
#define RC__ROW(sym) &sym,
    RC_RESOURCE_ROWS(RC__ROW)
#undef RC__ROW
    NULL};

static bool is_data(const struct rc_resource_type *rt)
{
  return (rt->flags & RC_RT_DATA) != 0;
}

const struct rc_resource_type *rc_resource_lookup(const char *name, bool data)
{
  for (size_t i = 0; rc_resource_types[i]; i++) {
    const struct rc_resource_type *rt = rc_resource_types[i];
    if (is_data(rt) != data) continue;
    if (strcmp(rt->name, name) == 0) return rt;
    for (const char *const *a = rt->aliases; a && *a; a++)
      if (strcmp(*a, name) == 0) return rt;
  }
  return NULL;
}

const char *rc_resource_suggest(const char *name, bool data)
{
  const char *names[256] = {0};
  size_t n = 0;
  for (size_t i = 0; rc_resource_types[i] && n < 250; i++) {
    const struct rc_resource_type *rt = rc_resource_types[i];
    if (is_data(rt) != data) continue;
    names[n++] = rt->name;
    for (const char *const *a = rt->aliases; a && *a && n < 250; a++) names[n++] = *a;
  }
  return rc_suggest(name, names, n);
}

const struct rc_attr *rc_schema_attr(const struct rc_attr *schema, const char *name)
{
  for (const struct rc_attr *a = schema; a && a->name; a++)
    if (strcmp(a->name, name) == 0) return a;
  return NULL;
}
