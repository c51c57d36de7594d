/* elbv2_state.c — ELBv2's part of the state document (GET /_sim/state and
 * the -state file): every field of load balancers, target groups (with their
 * targets' registration instants and fates), listeners and rules (actions,
 * conditions), so that load(save()) rebuilds exactly what was there. The
 * summary keys older readers use (arn, name, targets[].state, rules[].arn,
 * default_target_groups, tags...) stay; the rest are extra members. */
#include <stdio.h>
#include <string.h>
#include "common/rc_alloc.h"
#include "elbv2_int.h"

/* --- small readers --- */

static const char *js(const json_t *o, const char *k)
{
  return json_string_value(json_object_get(o, k));
}

static void jcopy(char *dst, size_t sz, const json_t *o, const char *k)
{
  const char *s = js(o, k);
  snprintf(dst, sz, "%s", s ? s : "");
}

static char *jdup(const json_t *o, const char *k)
{
  const char *s = js(o, k);
  return s ? rc_strdup(s) : NULL;
}

static int ji(const json_t *o, const char *k) { return (int)json_integer_value(json_object_get(o, k)); }
static uint64_t ju(const json_t *o, const char *k)
{
  return (uint64_t)json_integer_value(json_object_get(o, k));
}

static void set_str(json_t *o, const char *k, const char *v)
{
  if (v) json_object_set_new(o, k, json_string(v));
}

static void res_save(json_t *o, const struct elb_res *r)
{
  json_object_set_new(o, "arn", json_string(r->arn));
  json_object_set_new(o, "tags", rc_sim_tags_to_json(&r->tags));
  json_object_set_new(o, "created_ms", json_integer((json_int_t)r->created_ms));
  json_object_set_new(o, "visible_at_ms", json_integer((json_int_t)r->visible_at));
}

static bool res_load(struct elb_res *r, const json_t *o)
{
  const char *arn = js(o, "arn");
  if (!arn) return false;
  r->arn = rc_strdup(arn);
  rc_sim_tags_from_json(json_object_get(o, "tags"), &r->tags);
  r->created_ms = ju(o, "created_ms");
  r->visible_at = ju(o, "visible_at_ms");
  return true;
}

/* --- load balancers --- */

json_t *rc_elb__lb_json(const struct elb_lb *lb)
{
  json_t *subs = json_array(), *sgs = json_array(), *enis = json_array();
  for (size_t i = 0; i < lb->n_subnets; i++) {
    json_array_append_new(subs, json_pack("{s:s,s:s,s:s}", "subnet_id", lb->subnets[i].id,
                                          "availability_zone", lb->subnets[i].az, "eni",
                                          lb->subnets[i].eni));
    if (lb->subnets[i].eni[0]) json_array_append_new(enis, json_string(lb->subnets[i].eni));
  }
  for (size_t i = 0; i < lb->n_sgs; i++) json_array_append_new(sgs, json_string(lb->sgs[i]));
  json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:I,s:o}", "name", lb->name,
                        "id", lb->id, "dns_name", lb->dns, "scheme", lb->scheme, "type",
                        lb->type, "ip_address_type", lb->ip_type, "vpc_id", lb->vpc, "subnets",
                        subs, "security_groups", sgs, "network_interfaces", enis,
                        "active_at_ms", (json_int_t)lb->active_at, "attributes",
                        rc_sim_tags_to_json(&lb->attrs));
  res_save(o, &lb->r);
  return o;
}

static struct elb_lb *lb_load(const json_t *o)
{
  struct elb_lb *lb = rc_calloc(1, sizeof *lb);
  if (!res_load(&lb->r, o)) {
    rc_free(lb);
    return NULL;
  }
  jcopy(lb->name, sizeof lb->name, o, "name");
  jcopy(lb->id, sizeof lb->id, o, "id");
  jcopy(lb->dns, sizeof lb->dns, o, "dns_name");
  jcopy(lb->scheme, sizeof lb->scheme, o, "scheme");
  jcopy(lb->type, sizeof lb->type, o, "type");
  jcopy(lb->ip_type, sizeof lb->ip_type, o, "ip_address_type");
  jcopy(lb->vpc, sizeof lb->vpc, o, "vpc_id");
  lb->active_at = ju(o, "active_at_ms");
  rc_sim_tags_from_json(json_object_get(o, "attributes"), &lb->attrs);
  json_t *subs = json_object_get(o, "subnets"), *sgs = json_object_get(o, "security_groups"), *v;
  size_t i;
  lb->subnets = rc_calloc(json_array_size(subs) + 1, sizeof *lb->subnets);
  json_array_foreach(subs, i, v)
  {
    struct elb_subnet *s = &lb->subnets[lb->n_subnets++];
    jcopy(s->id, sizeof s->id, v, "subnet_id");
    jcopy(s->az, sizeof s->az, v, "availability_zone");
    jcopy(s->eni, sizeof s->eni, v, "eni");
  }
  lb->sgs = rc_calloc(json_array_size(sgs) + 1, sizeof *lb->sgs);
  json_array_foreach(sgs, i, v) if (json_string_value(v)) lb->sgs[lb->n_sgs++] =
      rc_strdup(json_string_value(v));
  return lb;
}

/* --- target groups --- */

json_t *rc_elb__tg_json(const struct elb_tg *tg, uint64_t now)
{
  json_t *ts = json_array();
  for (size_t i = 0; i < tg->n_targets; i++) {
    const struct elb_target *t = &tg->targets[i];
    if (t->drain_ms && now >= t->gone_ms) continue;
    json_array_append_new(
        ts, json_pack("{s:s,s:i,s:s,s:s,s:I,s:b,s:I,s:I}", "id", t->id, "port", t->port,
                      "state", rc_elb__target_state(tg, t, now, NULL, NULL), "az", t->az,
                      "registered_ms", (json_int_t)t->registered_ms, "healthy", t->healthy,
                      "drain_ms", (json_int_t)t->drain_ms, "gone_ms", (json_int_t)t->gone_ms));
  }
  json_t *o = json_pack(
      "{s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:s,s:b,s:i,s:i,s:i,s:i,s:s,s:s,s:o,s:o}", "name", tg->name,
      "protocol", tg->protocol, "port", tg->port, "vpc_id", tg->vpc, "target_type",
      tg->target_type, "protocol_version", tg->protocol_version, "health_check_protocol",
      tg->hc_protocol, "health_check_port", tg->hc_port, "health_check_enabled", tg->hc_enabled,
      "health_check_interval", tg->hc_interval, "health_check_timeout", tg->hc_timeout,
      "healthy_threshold", tg->healthy_th, "unhealthy_threshold", tg->unhealthy_th,
      "health_check_path", tg->hc_path, "matcher", tg->matcher, "targets", ts, "attributes",
      rc_sim_tags_to_json(&tg->attrs));
  res_save(o, &tg->r);
  return o;
}

static struct elb_tg *tg_load(const json_t *o)
{
  struct elb_tg *tg = rc_calloc(1, sizeof *tg);
  if (!res_load(&tg->r, o)) {
    rc_free(tg);
    return NULL;
  }
  jcopy(tg->name, sizeof tg->name, o, "name");
  jcopy(tg->protocol, sizeof tg->protocol, o, "protocol");
  tg->port = ji(o, "port");
  jcopy(tg->vpc, sizeof tg->vpc, o, "vpc_id");
  jcopy(tg->target_type, sizeof tg->target_type, o, "target_type");
  jcopy(tg->protocol_version, sizeof tg->protocol_version, o, "protocol_version");
  jcopy(tg->hc_protocol, sizeof tg->hc_protocol, o, "health_check_protocol");
  jcopy(tg->hc_port, sizeof tg->hc_port, o, "health_check_port");
  tg->hc_enabled = json_is_true(json_object_get(o, "health_check_enabled"));
  tg->hc_interval = ji(o, "health_check_interval");
  tg->hc_timeout = ji(o, "health_check_timeout");
  tg->healthy_th = ji(o, "healthy_threshold");
  tg->unhealthy_th = ji(o, "unhealthy_threshold");
  jcopy(tg->hc_path, sizeof tg->hc_path, o, "health_check_path");
  jcopy(tg->matcher, sizeof tg->matcher, o, "matcher");
  rc_sim_tags_from_json(json_object_get(o, "attributes"), &tg->attrs);
  json_t *ts = json_object_get(o, "targets"), *v;
  size_t i;
  tg->targets = rc_calloc(json_array_size(ts) + 1, sizeof *tg->targets);
  json_array_foreach(ts, i, v)
  {
    struct elb_target *t = &tg->targets[tg->n_targets++];
    jcopy(t->id, sizeof t->id, v, "id");
    t->port = ji(v, "port");
    jcopy(t->az, sizeof t->az, v, "az");
    t->registered_ms = ju(v, "registered_ms");
    t->healthy = json_is_true(json_object_get(v, "healthy"));
    t->drain_ms = ju(v, "drain_ms");
    t->gone_ms = ju(v, "gone_ms");
  }
  return tg;
}

/* --- actions, conditions, rules, listeners --- */

static json_t *actions_json(const struct elb_action *a, size_t n)
{
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) {
    const struct elb_action *x = &a[i];
    json_t *o = json_pack("{s:s,s:i,s:b,s:i}", "type", x->type, "order", x->order, "stickiness",
                          x->stick, "stickiness_duration", x->stick_dur);
    set_str(o, "target_group_arn", x->tg_arn);
    if (x->n_fwd) {
      json_t *f = json_array();
      for (size_t k = 0; k < x->n_fwd; k++)
        json_array_append_new(f, json_pack("{s:s,s:i}", "arn", x->fwd[k].tg_arn, "weight",
                                           x->fwd[k].weight));
      json_object_set_new(o, "forward", f);
    }
    set_str(o, "redirect_protocol", x->r_proto);
    set_str(o, "redirect_port", x->r_port);
    set_str(o, "redirect_host", x->r_host);
    set_str(o, "redirect_path", x->r_path);
    set_str(o, "redirect_query", x->r_query);
    set_str(o, "redirect_status", x->r_status);
    set_str(o, "fixed_body", x->f_body);
    set_str(o, "fixed_status", x->f_status);
    set_str(o, "fixed_content_type", x->f_ctype);
    json_array_append_new(arr, o);
  }
  return arr;
}

static struct elb_action *actions_load(const json_t *arr, size_t *n_out)
{
  struct elb_action *a = rc_calloc(json_array_size(arr) + 1, sizeof *a);
  size_t i, n = 0;
  json_t *o;
  json_array_foreach(arr, i, o)
  {
    struct elb_action *x = &a[n++];
    jcopy(x->type, sizeof x->type, o, "type");
    x->order = ji(o, "order");
    x->stick = json_is_true(json_object_get(o, "stickiness"));
    x->stick_dur = ji(o, "stickiness_duration");
    x->tg_arn = jdup(o, "target_group_arn");
    json_t *f = json_object_get(o, "forward"), *v;
    size_t k;
    if (json_array_size(f)) x->fwd = rc_calloc(json_array_size(f), sizeof *x->fwd);
    json_array_foreach(f, k, v)
    {
      x->fwd[x->n_fwd].tg_arn = rc_strdup(js(v, "arn") ? js(v, "arn") : "");
      x->fwd[x->n_fwd++].weight = ji(v, "weight");
    }
    x->r_proto = jdup(o, "redirect_protocol");
    x->r_port = jdup(o, "redirect_port");
    x->r_host = jdup(o, "redirect_host");
    x->r_path = jdup(o, "redirect_path");
    x->r_query = jdup(o, "redirect_query");
    x->r_status = jdup(o, "redirect_status");
    x->f_body = jdup(o, "fixed_body");
    x->f_status = jdup(o, "fixed_status");
    x->f_ctype = jdup(o, "fixed_content_type");
  }
  *n_out = n;
  return a;
}

static json_t *rule_json(const struct elb_rule *r)
{
  json_t *conds = json_array();
  for (size_t i = 0; i < r->n_conds; i++) {
    json_t *vals = json_array();
    for (size_t k = 0; k < r->conds[i].n; k++)
      json_array_append_new(vals, json_string(r->conds[i].values[k]));
    json_array_append_new(conds, json_pack("{s:s,s:o}", "field", r->conds[i].field, "values", vals));
  }
  json_t *o = json_pack("{s:i,s:o,s:o}", "priority", r->priority, "conditions", conds,
                        "actions", actions_json(r->acts, r->n_acts));
  res_save(o, &r->r);
  return o;
}

static struct elb_rule *rule_load(const json_t *o)
{
  struct elb_rule *r = rc_calloc(1, sizeof *r);
  if (!res_load(&r->r, o)) {
    rc_free(r);
    return NULL;
  }
  r->priority = ji(o, "priority");
  json_t *conds = json_object_get(o, "conditions"), *v, *s;
  size_t i, k;
  r->conds = rc_calloc(json_array_size(conds) + 1, sizeof *r->conds);
  json_array_foreach(conds, i, v)
  {
    struct elb_cond *cd = &r->conds[r->n_conds++];
    jcopy(cd->field, sizeof cd->field, v, "field");
    json_t *vals = json_object_get(v, "values");
    cd->values = rc_calloc(json_array_size(vals) + 1, sizeof *cd->values);
    json_array_foreach(vals, k, s) cd->values[cd->n++] =
        rc_strdup(json_string_value(s) ? json_string_value(s) : "");
  }
  r->acts = actions_load(json_object_get(o, "actions"), &r->n_acts);
  return r;
}

json_t *rc_elb__listener_json(const struct elb_listener *l)
{
  json_t *rules = json_array(), *tgs = json_array();
  for (size_t i = 0; i < l->rules.n; i++) json_array_append_new(rules, rule_json(l->rules.v[i]));
  for (size_t i = 0; i < l->n_acts; i++)
    if (l->acts[i].tg_arn) json_array_append_new(tgs, json_string(l->acts[i].tg_arn));
  json_t *o = json_pack("{s:s,s:i,s:s,s:o,s:o,s:o}", "load_balancer_arn", l->lb->r.arn, "port",
                        l->port, "protocol", l->protocol, "default_target_groups", tgs,
                        "default_actions", actions_json(l->acts, l->n_acts), "rules", rules);
  set_str(o, "ssl_policy", l->ssl_policy);
  set_str(o, "certificate_arn", l->cert);
  set_str(o, "default_rule_arn", l->default_rule_arn);
  res_save(o, &l->r);
  return o;
}

static struct elb_lb *lb_by_arn(const char *arn)
{
  for (size_t i = 0; arn && i < rc_elb__lbs.n; i++) {
    struct elb_lb *lb = rc_elb__lbs.v[i];
    if (strcmp(lb->r.arn, arn) == 0) return lb;
  }
  return NULL;
}

static struct elb_listener *listener_load(const json_t *o)
{
  struct elb_lb *lb = lb_by_arn(js(o, "load_balancer_arn"));
  if (!lb) return NULL;
  struct elb_listener *l = rc_calloc(1, sizeof *l);
  if (!res_load(&l->r, o)) {
    rc_free(l);
    return NULL;
  }
  l->lb = lb;
  l->port = ji(o, "port");
  jcopy(l->protocol, sizeof l->protocol, o, "protocol");
  l->ssl_policy = jdup(o, "ssl_policy");
  l->cert = jdup(o, "certificate_arn");
  l->default_rule_arn = jdup(o, "default_rule_arn");
  l->acts = actions_load(json_object_get(o, "default_actions"), &l->n_acts);
  json_t *rules = json_object_get(o, "rules"), *v;
  size_t i;
  json_array_foreach(rules, i, v)
  {
    struct elb_rule *r = rule_load(v);
    if (r) rc_elb__push(&l->rules, r);
  }
  return l;
}

/* --- the service hooks --- */

json_t *rc_elb__save(void)
{
  uint64_t now = rc_sim_now_ms();
  json_t *lbs = json_array(), *tgs = json_array(), *ls = json_array();
  for (size_t i = 0; i < rc_elb__lbs.n; i++)
    json_array_append_new(lbs, rc_elb__lb_json(rc_elb__lbs.v[i]));
  for (size_t i = 0; i < rc_elb__tgs.n; i++)
    json_array_append_new(tgs, rc_elb__tg_json(rc_elb__tgs.v[i], now));
  for (size_t i = 0; i < rc_elb__listeners.n; i++)
    json_array_append_new(ls, rc_elb__listener_json(rc_elb__listeners.v[i]));
  return json_pack("{s:o,s:o,s:o}", "load_balancers", lbs, "target_groups", tgs, "listeners", ls);
}

rc_status rc_elb__load(const json_t *st)
{
  json_t *lbs = json_object_get(st, "load_balancers"), *tgs = json_object_get(st, "target_groups");
  json_t *ls = json_object_get(st, "listeners"), *v;
  if ((lbs && !json_is_array(lbs)) || (tgs && !json_is_array(tgs)) || (ls && !json_is_array(ls)))
    return RC_SYNTAX;
  rc_status rs = RC_OK;
  size_t i;
  json_array_foreach(lbs, i, v)
  {
    struct elb_lb *lb = lb_load(v);
    if (lb) rc_elb__push(&rc_elb__lbs, lb);
    else rs = RC_SYNTAX;
  }
  json_array_foreach(tgs, i, v)
  {
    struct elb_tg *tg = tg_load(v);
    if (tg) rc_elb__push(&rc_elb__tgs, tg);
    else rs = RC_SYNTAX;
  }
  json_array_foreach(ls, i, v)
  {
    struct elb_listener *l = listener_load(v); /* after the load balancers it points to */
    if (l) rc_elb__push(&rc_elb__listeners, l);
    else rs = RC_SYNTAX;
  }
  return rs;
}
