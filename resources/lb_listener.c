/* lb_listener — aws_lb_listener (alias aws_alb_listener): CreateListener
 * with its default actions (forward, fixed-response, redirect) and tags at
 * birth, ModifyListener in place, AddTags / RemoveTags. A refresh is one
 * DescribeListeners per 20 ARNs and one DescribeTags per 20. find() lists
 * the load balancer's listeners and adopts the one carrying this stack's and
 * address's tags. Actions are normalised (lb_actions.c) so what ELBv2 fills
 * in (Order, the redirect's #{...}, a forward's weight 1) shows no change.
 * id = arn. */
#include <string.h>

#include "elbutil.h"
#include "rc_alloc.h"

static struct rc_value *norm_upper(const struct rc_value *v)
{
  const char *s = rc_value_str(v);
  if (!s) return NULL;
  char *u = rc_strdup(s);
  for (char *p = u; *p; p++)
    if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 32);
  return rc_value_string_steal(u);
}

static const struct rc_attr listener_schema[] = {
    {.name = "id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "alpn_policy", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "arn", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "certificate_arn", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "default_action",
     .type = RC_T_BLOCK_LIST,
     .flags = RC_A_REQUIRED,
     .block = rc_elbu_action_schema,
     .normalise = rc_elbu_norm_actions},
    {.name = "load_balancer_arn", .type = RC_T_STRING, .flags = RC_A_REQUIRED | RC_A_FORCE_NEW},
    {.name = "port", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL},
    {.name = "protocol",
     .type = RC_T_STRING,
     .flags = RC_A_OPTIONAL | RC_A_COMPUTED,
     .normalise = norm_upper},
    {.name = "ssl_policy", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    RC_SVCU_TAGS,
    {0}};

static struct rc_value *listener_state(struct rc_rctx *ctx, const struct rc_value *l,
                                       const struct rc_value *attrs, const struct rc_value *tags,
                                       const struct rc_value *prior)
{
  (void)attrs;
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  const char *arn = rc_aws_str(l, "ListenerArn");
  rc_svcu_put_str(o, "id", arn);
  rc_svcu_put_str(o, "arn", arn);
  rc_svcu_put_str(o, "load_balancer_arn", rc_aws_str(l, "LoadBalancerArn"));
  rc_svcu_put_int(o, "port", rc_value_get(l, "Port"));
  rc_svcu_put_str(o, "protocol", rc_aws_str(l, "Protocol"));
  rc_svcu_put_str(o, "ssl_policy", rc_aws_str(l, "SslPolicy"));
  const struct rc_value *certs = rc_aws_list(l, "Certificates");
  const char *cert = NULL;
  for (size_t i = 0; i < rc_value_len(certs) && !cert; i++) {
    const struct rc_value *c = rc_value_index(certs, i);
    const char *def = rc_aws_str(c, "IsDefault");
    if (!def || strcmp(def, "false") != 0) cert = rc_aws_str(c, "CertificateArn");
  }
  rc_svcu_put_str(o, "certificate_arn", cert);
  const struct rc_value *alpn = rc_aws_list(l, "AlpnPolicy");
  rc_svcu_put_str(o, "alpn_policy",
                  rc_value_len(alpn) ? rc_value_str(rc_value_index(alpn, 0)) : NULL);
  rc_value_obj_put(o, "default_action",
                   rc_elbu_actions_state(rc_aws_list(l, "DefaultActions"),
                                         prior ? rc_value_get(prior, "default_action") : NULL));
  rc_res_put_tags(ctx, o, tags);
  return o;
}

static const struct rc_elbu_kind listener_kind = {
    .what = "listener",
    .op = "DescribeListeners",
    .arn_param = "ListenerArns",
    .list_key = "Listeners",
    .arn_key = "ListenerArn",
    .state = listener_state,
};

static rc_status listener_read_many(struct rc_rctx *ctx, struct rc_read_item *items, size_t n)
{
  return rc_elbu_read_many(ctx, &listener_kind, items, n);
}

static rc_status listener_find(struct rc_rctx *ctx, const struct rc_value *config,
                               struct rc_value **out, struct rc_error *err)
{
  return rc_elbu_find_by_tags(ctx, &listener_kind, "LoadBalancerArn",
                              rc_res_str(config, "load_balancer_arn"), config, out, err);
}

/* Port, Protocol, SslPolicy, certificate, ALPN and the default actions */
static void listener_params(struct rc_value *p, const struct rc_value *config)
{
  const char *s;
  const struct rc_value *port = rc_value_get(config, "port");
  if (port && !rc_value_is_null(port))
    rc_value_obj_put(p, "Port", rc_value_int(rc_res_int(config, "port", 0)));
  if ((s = rc_res_str(config, "protocol")) && *s) {
    struct rc_value *u = norm_upper(rc_value_get(config, "protocol"));
    rc_aws_param(p, "Protocol", rc_value_str(u));
    rc_value_decref(u);
  }
  if ((s = rc_res_str(config, "ssl_policy")) && *s) rc_aws_param(p, "SslPolicy", s);
  if ((s = rc_res_str(config, "certificate_arn")) && *s)
    rc_aws_param(p, "Certificates.member.1.CertificateArn", s);
  if ((s = rc_res_str(config, "alpn_policy")) && *s) rc_aws_param(p, "AlpnPolicy.member.1", s);
  rc_elbu_action_params(p, "DefaultActions", rc_value_get(config, "default_action"));
}

/* a target group or load balancer created a moment ago may not be visible yet */
static const char *const visible_retry[] = {"TargetGroupNotFound", "LoadBalancerNotFound", NULL};

static rc_status listener_create(struct rc_rctx *ctx, const struct rc_value *config,
                                 struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *ans = NULL;
  rc_aws_param(p, "LoadBalancerArn", rc_res_str(config, "load_balancer_arn"));
  listener_params(p, config);
  rc_elbu_birth_tags(ctx, p, config);
  rc_status st = rc_svcu_call_retrying(ctx, "elbv2", "CreateListener", p, visible_retry,
                                       RC_ELBU_VISIBLE_S, &ans, err);
  rc_value_decref(p);
  const struct rc_value *l = rc_aws_list(ans, "Listeners");
  const char *arn = rc_value_len(l) ? rc_aws_str(rc_value_index(l, 0), "ListenerArn") : NULL;
  char *id = arn ? rc_strdup(arn) : NULL;
  rc_value_decref(ans);
  if (!st && !id) st = rc_error_set(err, RC_AWS, "CreateListener answered no ARN");
  if (!st) st = rc_elbu_read_one(ctx, &listener_kind, id, config, RC_ELBU_VISIBLE_S, out, err);
  rc_free(id);
  return st;
}

static bool attr_changed(const struct rc_attr *schema, const char *name,
                         const struct rc_value *prior, const struct rc_value *config)
{
  const struct rc_attr *a = rc_schema_attr(schema, name);
  const struct rc_value *c = rc_value_get(config, name), *p = rc_value_get(prior, name);
  if ((a->flags & RC_A_COMPUTED) && (!c || rc_value_is_null(c))) return false;
  struct rc_value *x = c && a->normalise ? a->normalise(c) : NULL;
  struct rc_value *y = p && a->normalise ? a->normalise(p) : NULL;
  const struct rc_value *cx = x ? x : c, *cy = y ? y : p;
  bool ch;
  if (!cx || rc_value_is_null(cx) || !cy || rc_value_is_null(cy))
    ch = !((!cx || rc_value_is_null(cx)) && (!cy || rc_value_is_null(cy)));
  else if (rc_value_kind(cx) == RC_NUMBER || rc_value_kind(cy) == RC_NUMBER)
    ch = rc_svcu_int(cx, -1) != rc_svcu_int(cy, -2);
  else
    ch = !rc_value_equal(cx, cy);
  rc_value_decref(x);
  rc_value_decref(y);
  return ch;
}

static rc_status listener_update(struct rc_rctx *ctx, const struct rc_value *prior,
                                 const struct rc_value *config, struct rc_value **out,
                                 struct rc_error *err)
{
  *out = NULL;
  const char *arn = rc_res_str(prior, "id");
  static const char *const fields[] = {"alpn_policy", "certificate_arn", "default_action", "port",
                                       "protocol", "ssl_policy", NULL};
  bool changed = false;
  for (const char *const *f = fields; *f && !changed; f++)
    changed = attr_changed(listener_schema, *f, prior, config);
  rc_status st = RC_OK;
  if (changed) {
    struct rc_value *p = rc_value_obj_new(RC_OBJECT);
    rc_aws_param(p, "ListenerArn", arn);
    listener_params(p, config);
    st = rc_svcu_call_retrying(ctx, "elbv2", "ModifyListener", p, visible_retry,
                               RC_ELBU_VISIBLE_S, NULL, err);
    rc_value_decref(p);
  }
  if (!st) st = rc_elbu_update_tags(ctx, arn, prior, config, err);
  if (!st) st = rc_elbu_read_one(ctx, &listener_kind, arn, config, RC_ELBU_VISIBLE_S, out, err);
  return st;
}

static rc_status listener_delete(struct rc_rctx *ctx, const struct rc_value *state,
                                 struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_aws_param(p, "ListenerArn", rc_res_str(state, "id"));
  rc_status st = rc_svcu_call(ctx, "elbv2", "DeleteListener", p, err);
  rc_value_decref(p);
  return st;
}

static rc_status listener_import(struct rc_rctx *ctx, const char *id, struct rc_value **out,
                                 struct rc_error *err)
{
  return rc_elbu_read_one(ctx, &listener_kind, id, NULL, 0, out, err);
}

static const char *const listener_aliases[] = {"aws_alb_listener", NULL};

const struct rc_resource_type rc_rt_lb_listener = {
    .name = "aws_lb_listener",
    .aliases = listener_aliases,
    .flags = RC_RT_TAGGABLE,
    .schema = listener_schema,
    .read_many = listener_read_many,
    .find = listener_find,
    .create = listener_create,
    .update = listener_update,
    .delete = listener_delete,
    .import = listener_import,
};
