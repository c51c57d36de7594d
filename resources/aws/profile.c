/* The shared AWS files: ~/.aws/credentials ([name] sections) and ~/.aws/config
 * ([default], [profile name]), moved by AWS_SHARED_CREDENTIALS_FILE and
 * AWS_CONFIG_FILE. A key in the credentials file wins over the same key in
 * the config file, as in the SDKs. Values are copied out; nothing here logs. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "rc_alloc.h"

struct kv {
  char *section, *key, *value;
};

struct rc_aws__ini {
  struct kv *items;
  size_t n, cap;
};

static char *trim(char *s)
{
  while (isspace((unsigned char)*s)) s++;
  size_t n = strlen(s);
  while (n && isspace((unsigned char)s[n - 1])) s[--n] = '\0';
  return s;
}

static char *expand_home(const char *p)
{
  const char *home = getenv("HOME");
  if (p[0] == '~' && (p[1] == '/' || p[1] == '\0') && home) return rc_asprintf("%s%s", home, p + 1);
  return rc_strdup(p);
}

char *rc_aws__file_path(const char *env, const char *dflt)
{
  const char *v = getenv(env);
  if (v && *v) return expand_home(v);
  const char *home = getenv("HOME");
  if (!home) return NULL;
  return rc_asprintf("%s/%s", home, dflt);
}

/* Parses one file; is_config maps "[profile x]" to "x". Missing file: empty. */
static void ini_load(struct rc_aws__ini *ini, const char *path, bool is_config, const char *tag)
{
  FILE *f = path ? fopen(path, "r") : NULL;
  if (!f) return;
  char line[8192];
  char *section = NULL;
  bool nested = false;
  while (fgets(line, sizeof line, f)) {
    bool indented = line[0] == ' ' || line[0] == '\t';
    char *l = trim(line);
    if (!*l || *l == '#' || *l == ';') continue;
    if (*l == '[') {
      char *e = strchr(l, ']');
      if (!e) continue;
      *e = '\0';
      char *name = trim(l + 1);
      if (is_config && strncmp(name, "profile ", 8) == 0) name = trim(name + 8);
      rc_free(section);
      section = rc_asprintf("%s%s", tag, name);
      nested = false;
      continue;
    }
    if (indented && nested) continue; /* "s3 =\n  key = v" sub-sections */
    char *eq = strchr(l, '=');
    if (!eq || !section) continue;
    *eq = '\0';
    char *k = trim(l), *v = trim(eq + 1);
    nested = *v == '\0';
    if (ini->n == ini->cap) {
      ini->cap = ini->cap ? ini->cap * 2 : 32;
      ini->items = rc_realloc(ini->items, ini->cap * sizeof *ini->items);
    }
    ini->items[ini->n++] = (struct kv){rc_strdup(section), rc_strdup(k), rc_strdup(v)};
  }
  rc_free(section);
  fclose(f);
}

struct rc_aws__ini *rc_aws__ini_load(void)
{
  struct rc_aws__ini *ini = rc_calloc(1, sizeof *ini);
  char *cred = rc_aws__file_path("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials");
  char *conf = rc_aws__file_path("AWS_CONFIG_FILE", ".aws/config");
  ini_load(ini, cred, false, "c:");
  ini_load(ini, conf, true, "f:");
  rc_free(cred);
  rc_free(conf);
  return ini;
}

void rc_aws__ini_free(struct rc_aws__ini *ini)
{
  if (!ini) return;
  for (size_t i = 0; i < ini->n; i++) {
    rc_free(ini->items[i].section);
    rc_free(ini->items[i].key);
    if (ini->items[i].value) memset(ini->items[i].value, 0, strlen(ini->items[i].value));
    rc_free(ini->items[i].value);
  }
  rc_free(ini->items);
  rc_free(ini);
}

static const char *lookup(const struct rc_aws__ini *ini, const char *tag, const char *profile,
                          const char *key)
{
  const char *found = NULL;
  size_t tl = strlen(tag);
  for (size_t i = 0; i < ini->n; i++) {
    const struct kv *kv = &ini->items[i];
    if (strncmp(kv->section, tag, tl) == 0 && strcmp(kv->section + tl, profile) == 0 &&
        strcasecmp(kv->key, key) == 0)
      found = kv->value; /* the last one wins */
  }
  return found;
}

const char *rc_aws__ini_get(const struct rc_aws__ini *ini, const char *profile, const char *key)
{
  const char *v = lookup(ini, "c:", profile, key);
  if (!v) v = lookup(ini, "f:", profile, key);
  return v && *v ? v : NULL;
}

bool rc_aws__ini_has_profile(const struct rc_aws__ini *ini, const char *profile)
{
  for (size_t i = 0; i < ini->n; i++) {
    const char *s = ini->items[i].section + 2;
    if (strcmp(s, profile) == 0) return true;
  }
  return false;
}

char *rc_aws__profile_region(const char *profile)
{
  struct rc_aws__ini *ini = rc_aws__ini_load();
  const char *r = rc_aws__ini_get(ini, profile, "region");
  char *out = rc_strdup(r);
  rc_aws__ini_free(ini);
  return out;
}
