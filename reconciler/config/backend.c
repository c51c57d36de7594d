/* backend — reading only the root module's `terraform { backend "x" {} }`
 * block, for the commands that need the state but not the configuration
 * (output, show, state, force-unlock): they must find an S3 backend even
 * when required variables are not given. Backend arguments are constants in
 * Terraform, so nothing is evaluated beyond literals. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"
#include "rc_alloc.h"

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *suf)
{
  size_t n = strlen(s), m = strlen(suf);
  return n >= m && strcmp(s + n - m, suf) == 0;
}

struct rc_value *rc_config_read_backend(const char *dir, char **type, struct rc_diags *ds)
{
  *type = NULL;
  DIR *d = opendir(dir);
  if (!d) return NULL;
  char **names = NULL;
  size_t n = 0;
  for (struct dirent *de; (de = readdir(d));) {
    if (de->d_name[0] == '.' || !(ends_with(de->d_name, ".tf") || ends_with(de->d_name, ".tf.json")))
      continue;
    names = rc_realloc(names, (n + 1) * sizeof *names);
    names[n++] = rc_asprintf("%s/%s", dir, de->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof *names, cmp_str);
  struct rc_fileset fs = {0};
  struct rc_arena *arena = rc_arena_new();
  struct rc_value *found = NULL;
  struct rc_diags quiet = {0}; /* syntax errors are the full load's to report */
  for (size_t i = 0; i < n && !found; i++) {
    const struct rc_file *f = NULL;
    struct rc_error err = {0};
    if (rc_fileset_read(&fs, names[i], &f, &err)) continue;
    struct rc_body *body = ends_with(names[i], ".json") ? rc_parse_json_file(f, arena, &quiet)
                                                        : rc_parse_file(f, arena, &quiet);
    for (size_t b = 0; body && b < body->nblocks && !found; b++) {
      const struct rc_block *tb = &body->blocks[b];
      if (strcmp(tb->type, "terraform") != 0) continue;
      for (size_t k = 0; k < tb->body.nblocks && !found; k++) {
        const struct rc_block *x = &tb->body.blocks[k];
        if (strcmp(x->type, "backend") != 0 || x->nlabels != 1) continue;
        found = rc_value_obj_new(RC_OBJECT);
        for (size_t j = 0; j < x->body.nattrs; j++) {
          struct rc_value *v = rc_config__const(x->body.attrs[j].expr, ds);
          if (v) rc_value_obj_put(found, x->body.attrs[j].name, v);
        }
        *type = rc_strdup(x->labels[0]);
      }
    }
  }
  rc_diags_free(&quiet);
  rc_arena_free(arena);
  rc_fileset_free(&fs);
  for (size_t i = 0; i < n; i++) rc_free(names[i]);
  rc_free(names);
  return found;
}
