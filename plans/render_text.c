/* render_text — the plan as Terraform prints it: drift ("Objects have changed
 * outside of recon"), the legend of symbols used, one block per change
 * (sorted by address, no-ops omitted), the summary line and output changes.
 * Text is wrapped at 78 columns as Terraform does when stdout is not a
 * terminal. Colour only when asked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_int.h"
#include "rc_alloc.h"

#define WRAP_COLUMNS 78

#define C_BOLD "\x1b[1m"
#define C_RESET "\x1b[0m"
#define C_RED "\x1b[31m"
#define C_GREEN "\x1b[32m"
#define C_YELLOW "\x1b[33m"
#define C_CYAN "\x1b[36m"

static void raw(struct rc_rd *r, const char *code)
{
  if (r->color) rc_buf_puts(r->out, code);
}

/* Terraform's format.WordWrap: each line longer than the width breaks at
 * spaces; existing newlines are kept. */
static void wrap(struct rc_buf *out, const char *s)
{
  while (*s) {
    const char *nl = strchr(s, '\n');
    size_t len = nl ? (size_t)(nl - s) : strlen(s);
    while (len > WRAP_COLUMNS) {
      size_t cut = WRAP_COLUMNS;
      while (cut > 0 && s[cut] != ' ') cut--;
      if (cut == 0) break;
      rc_buf_append(out, s, cut);
      rc_buf_putc(out, '\n');
      s += cut + 1, len -= cut + 1;
    }
    rc_buf_append(out, s, len);
    s += len;
    if (*s == '\n') rc_buf_putc(out, '\n'), s++;
  }
}

static void rule(struct rc_rd *r)
{
  rc_buf_putc(r->out, '\n');
  raw(r, "\x1b[90m");
  for (int i = 0; i < WRAP_COLUMNS - 1; i++) rc_buf_puts(r->out, "\xe2\x94\x80"); /* ─ */
  raw(r, C_RESET);
}

/* The 3-column resource symbol, coloured. */
static void action_symbol(struct rc_rd *r, enum rc_action a)
{
  switch (a) {
  case RC_ACT_CREATE: rc_buf_puts(r->out, "  "), rc_plan__color(r, C_GREEN, "+"); break;
  case RC_ACT_UPDATE: rc_buf_puts(r->out, "  "), rc_plan__color(r, C_YELLOW, "~"); break;
  case RC_ACT_DELETE: rc_buf_puts(r->out, "  "), rc_plan__color(r, C_RED, "-"); break;
  case RC_ACT_REPLACE:
    rc_plan__color(r, C_RED, "-");
    rc_buf_putc(r->out, '/');
    rc_plan__color(r, C_GREEN, "+");
    break;
  case RC_ACT_REPLACE_CBD:
    rc_plan__color(r, C_GREEN, "+");
    rc_buf_putc(r->out, '/');
    rc_plan__color(r, C_RED, "-");
    break;
  case RC_ACT_READ: rc_buf_putc(r->out, ' '), rc_plan__color(r, C_CYAN, "<="); break;
  default: rc_buf_puts(r->out, "   "); break;
  }
}

static void legend(struct rc_rd *r, enum rc_action a)
{
  static const char *const text[] = {
      [RC_ACT_CREATE] = " create",
      [RC_ACT_UPDATE] = " update in-place",
      [RC_ACT_DELETE] = " destroy",
      [RC_ACT_REPLACE] = " destroy and then create replacement",
      [RC_ACT_REPLACE_CBD] = " create replacement and then destroy",
      [RC_ACT_READ] = " read (data resources)",
  };
  action_symbol(r, a);
  rc_buf_puts(r->out, text[a]);
  rc_buf_putc(r->out, '\n');
}

static void bold(struct rc_rd *r, const char *text) { rc_plan__color(r, C_BOLD, text); }

static void red_word(struct rc_rd *r, const char *w)
{
  raw(r, C_BOLD C_RED);
  rc_buf_puts(r->out, w);
  raw(r, C_RESET);
}

/* "  # addr will be ..." and the reason lines under it. */
static void comment(struct rc_rd *r, const char *addr, enum rc_action a, const char *reason,
                    bool drift)
{
  struct rc_plan_addr pa;
  bool parsed = rc_plan__addr_parse(addr, &pa);
  raw(r, C_BOLD);
  rc_buf_printf(r->out, "  # %s", addr);
  raw(r, C_RESET);
  const char *rs = reason ? reason : "";
  switch (a) {
  case RC_ACT_CREATE: rc_buf_puts(r->out, " will be created"); break;
  case RC_ACT_READ:
    rc_buf_puts(r->out, " will be read during apply");
    if (!strcmp(rs, "read_because_config_unknown"))
      rc_buf_puts(r->out, "\n  # (config refers to values not yet known)");
    else if (!strcmp(rs, "read_because_dependency_pending"))
      rc_buf_puts(r->out, "\n  # (depends on a resource or a module with changes pending)");
    break;
  case RC_ACT_UPDATE: rc_buf_puts(r->out, drift ? " has changed" : " will be updated in-place"); break;
  case RC_ACT_REPLACE:
  case RC_ACT_REPLACE_CBD:
    if (!strcmp(rs, "replace_because_tainted")) {
      rc_buf_puts(r->out, " is tainted, so it must be ");
      red_word(r, "replaced");
    } else if (!strcmp(rs, "replace_by_request")) {
      rc_buf_puts(r->out, " will be ");
      red_word(r, "replaced");
      rc_buf_puts(r->out, ", as requested");
    } else if (!strcmp(rs, "replace_by_triggers")) {
      rc_buf_puts(r->out, " will be ");
      red_word(r, "replaced");
      rc_buf_puts(r->out, " due to changes in replace_triggered_by");
    } else {
      rc_buf_puts(r->out, " must be ");
      red_word(r, "replaced");
    }
    break;
  case RC_ACT_DELETE:
    if (drift) {
      rc_buf_puts(r->out, " has been deleted");
      break;
    }
    rc_buf_puts(r->out, " will be ");
    red_word(r, "destroyed");
    if (!parsed) break;
    if (!strcmp(rs, "delete_because_no_resource_config")) {
      rc_buf_printf(r->out, "\n  # (because %s%s.%s is not in configuration)",
                    pa.data ? "data." : "", pa.type, pa.name);
    } else if (!strcmp(rs, "delete_because_no_module")) {
      rc_buf_printf(r->out, "\n  # (because %s is not in configuration)",
                    pa.module ? pa.module : "its module");
    } else if (!strcmp(rs, "delete_because_wrong_repetition")) {
      rc_buf_puts(r->out, !pa.has_key  ? "\n  # (because resource uses count or for_each)"
                          : pa.key_str ? "\n  # (because resource does not use for_each)"
                                       : "\n  # (because resource does not use count)");
    } else if (!strcmp(rs, "delete_because_count_index") && pa.has_key) {
      rc_buf_printf(r->out, "\n  # (because index [%lld] is out of range for count)", pa.key_num);
    } else if (!strcmp(rs, "delete_because_each_key") && pa.has_key) {
      rc_buf_puts(r->out, "\n  # (because key [");
      if (pa.key_str)
        rc_plan__quote(r->out, pa.key_str, strlen(pa.key_str));
      else
        rc_buf_printf(r->out, "%lld", pa.key_num);
      rc_buf_puts(r->out, "] is not in for_each map)");
    }
    break;
  default: break;
  }
  rc_buf_putc(r->out, '\n');
  if (parsed) rc_plan__addr_free(&pa);
}

static void resource(struct rc_rd *r, const char *addr, const char *type, bool data,
                     enum rc_action a, const char *reason, const struct rc_value *before,
                     const struct rc_value *after, bool drift)
{
  struct rc_plan_addr pa;
  bool parsed = rc_plan__addr_parse(addr, &pa);
  comment(r, addr, a, reason, drift);
  action_symbol(r, a);
  rc_buf_printf(r->out, " %s \"%s\" \"%s\" ", data || (parsed && pa.data) ? "data" : "resource",
                type ? type : (parsed ? pa.type : "?"), parsed ? pa.name : addr);
  const struct rc_value *b = before, *af = after;
  if (a == RC_ACT_CREATE || a == RC_ACT_READ) b = NULL;
  if (a == RC_ACT_DELETE) af = NULL;
  rc_plan__render_block(r, b, af, 0, "", false, false);
  rc_buf_putc(r->out, '\n');
  if (parsed) rc_plan__addr_free(&pa);
}

static int cmp_change(const void *x, const void *y)
{
  const struct rc_change *const *a = x, *const *b = y;
  return rc_plan__addr_cmp((*a)->address, (*b)->address);
}

static int cmp_drift(const void *x, const void *y)
{
  const struct rc_drift *const *a = x, *const *b = y;
  return rc_plan__addr_cmp((*a)->address, (*b)->address);
}

static int cmp_output(const void *x, const void *y)
{
  const struct rc_output_change *const *a = x, *const *b = y;
  return strcmp((*a)->name, (*b)->name);
}

/* Output lines "  + name = value"; returns how many were written. */
static size_t outputs(struct rc_rd *r, const struct rc_plan *p)
{
  const struct rc_output_change **v = rc_calloc(p->noutputs + 1, sizeof *v);
  size_t width = 0, shown = 0;
  for (size_t i = 0; i < p->noutputs; i++) {
    v[i] = &p->outputs[i];
    size_t w = strlen(p->outputs[i].name);
    if (w > width) width = w;
  }
  qsort(v, p->noutputs, sizeof *v, cmp_output);
  for (size_t i = 0; i < p->noutputs; i++) {
    const struct rc_output_change *oc = v[i];
    enum rc_action a = rc_plan__output_action(oc);
    if (a == RC_ACT_NOOP) continue;
    struct rc_value *b = NULL, *af = NULL;
    if (oc->before && !rc_value_is_null(oc->before))
      b = oc->sensitive ? rc_value_mark_sensitive(oc->before) : rc_value_incref(oc->before);
    if (oc->after && !rc_value_is_null(oc->after))
      af = oc->sensitive ? rc_value_mark_sensitive(oc->after) : rc_value_incref(oc->after);
    if (shown++) rc_buf_putc(r->out, '\n');
    action_symbol(r, a);
    rc_buf_printf(r->out, " %-*s = ", (int)width, oc->name);
    rc_plan__render_value(r, b, af, 0);
    rc_value_decref(b);
    rc_value_decref(af);
  }
  rc_free(v);
  return shown;
}

rc_status rc_plan_render_text(const struct rc_plan *p, bool color, struct rc_buf *out)
{
  struct rc_rd r = {.out = out, .color = color};
  size_t n = 0, counts[RC_ACT_READ + 1] = {0};
  const struct rc_change **ch = rc_calloc(p->nchanges + 1, sizeof *ch);
  for (size_t i = 0; i < p->nchanges; i++) {
    const struct rc_change *c = &p->changes[i];
    if (c->action == RC_ACT_NOOP) continue;
    if (c->action == RC_ACT_DELETE && c->data) continue; /* data sources are just forgotten */
    ch[n++] = c;
    counts[c->action]++;
  }
  qsort(ch, n, sizeof *ch, cmp_change);
  const struct rc_drift **dr = rc_calloc(p->ndrift + 1, sizeof *dr);
  for (size_t i = 0; i < p->ndrift; i++) dr[i] = &p->drift[i];
  qsort(dr, p->ndrift, sizeof *dr, cmp_drift);

  /* the output section first, into its own buffer: it decides "No changes" */
  struct rc_buf obuf;
  rc_buf_init(&obuf, 0);
  struct rc_rd ro = {.out = &obuf, .color = color};
  size_t nout = outputs(&ro, p);

  bool drift = p->ndrift > 0;
  if (drift) {
    rc_buf_putc(out, '\n');
    raw(&r, C_BOLD C_CYAN);
    rc_buf_puts(out, "Note:");
    raw(&r, C_RESET C_BOLD);
    rc_buf_puts(out, " Objects have changed outside of recon");
    raw(&r, C_RESET);
    rc_buf_puts(out, "\n\n");
    wrap(out, "recon detected the following changes made outside of recon since the last "
              "\"recon apply\" which may have affected this plan:\n");
    for (size_t i = 0; i < p->ndrift; i++) {
      rc_buf_putc(out, '\n');
      resource(&r, dr[i]->address, dr[i]->type, false,
               dr[i]->after ? RC_ACT_UPDATE : RC_ACT_DELETE, NULL, dr[i]->before, dr[i]->after,
               true);
    }
    wrap(out, p->refresh_only
                  ? "\n\nThis is a refresh-only plan, so recon will not take any actions to undo "
                    "these. If you were expecting these changes then you can apply this plan to "
                    "record the updated values in the recon state without changing any remote "
                    "objects."
                  : "\n\nUnless you have made equivalent changes to your configuration, or "
                    "ignored the relevant attributes using ignore_changes, the following plan "
                    "may include actions to undo or respond to these changes.");
    rc_buf_putc(out, '\n');
  }

  if (n == 0 && nout == 0) {
    if (drift && p->refresh_only) goto done;
    if (drift) {
      rule(&r);
      rc_buf_putc(out, '\n');
    }
    rc_buf_putc(out, '\n');
    raw(&r, C_BOLD C_GREEN);
    rc_buf_puts(out, "No changes.");
    raw(&r, C_RESET C_BOLD);
    if (p->destroy)
      rc_buf_puts(out, " No objects need to be destroyed.");
    else if (p->refresh_only)
      rc_buf_puts(out, " Your infrastructure still matches the configuration.");
    else
      rc_buf_puts(out, " Your infrastructure matches the configuration.");
    raw(&r, C_RESET);
    rc_buf_puts(out, "\n\n");
    if (p->destroy)
      wrap(out, "Either you have not created any objects yet or the existing objects were "
                "already deleted outside of recon.");
    else if (p->refresh_only)
      wrap(out, "recon has checked that the real remote objects still match the result of "
                "your most recent changes, and found no differences.");
    else if (drift)
      wrap(out, "Your configuration already matches the changes detected above, so applying "
                "this plan will only update the state to include the changes detected above "
                "and won't change any real infrastructure.");
    else
      wrap(out, "recon has compared your real infrastructure against your configuration and "
                "found no differences, so no changes are needed.");
    rc_buf_putc(out, '\n');
    goto done;
  }
  if (drift) {
    rule(&r);
    rc_buf_putc(out, '\n');
  }
  if (n > 0) {
    wrap(out, "\nrecon used the selected providers to generate the following execution plan. "
              "Resource actions are indicated with the following symbols:");
    rc_buf_putc(out, '\n');
    static const enum rc_action order[] = {RC_ACT_CREATE,  RC_ACT_UPDATE,      RC_ACT_DELETE,
                                           RC_ACT_REPLACE, RC_ACT_REPLACE_CBD, RC_ACT_READ};
    for (size_t i = 0; i < sizeof order / sizeof *order; i++)
      if (counts[order[i]]) legend(&r, order[i]);
    rc_buf_puts(out, "\nrecon will perform the following actions:\n");
    for (size_t i = 0; i < n; i++) {
      rc_buf_putc(out, '\n');
      r.replace = ch[i]->replace_paths;
      r.nreplace = ch[i]->nreplace;
      resource(&r, ch[i]->address, ch[i]->type, ch[i]->data, ch[i]->action, ch[i]->reason,
               ch[i]->before, ch[i]->after, false);
    }
    r.replace = NULL, r.nreplace = 0;
    int add, change, destroy;
    rc_plan_counts(p, &add, &change, &destroy);
    rc_buf_putc(out, '\n');
    bold(&r, "Plan:");
    rc_buf_printf(out, " %d to add, %d to change, %d to destroy.\n", add, change, destroy);
  }
  if (nout > 0) {
    rc_buf_puts(out, "\nChanges to Outputs:\n");
    rc_buf_append(out, obuf.ptr, obuf.len);
    rc_buf_putc(out, '\n');
    if (n == 0) {
      wrap(out, "\nYou can apply this plan to save these new output values to the recon state, "
                "without changing any real infrastructure.");
      rc_buf_putc(out, '\n');
    }
  }
done:
  rc_buf_free(&obuf);
  rc_free(ch);
  rc_free(dr);
  return RC_OK;
}
