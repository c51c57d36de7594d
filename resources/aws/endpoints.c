/* The services recon speaks and where they live: the AWS default endpoint per
 * service and region, overridden by the provider's endpoints {}, by
 * AWS_ENDPOINT_URL_<SERVICE> and by AWS_ENDPOINT_URL. The signing name and
 * region come from this table, never from the URL, so one endpoint for every
 * service still signs each call for the right service. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "aws_int.h"
#include "rc_alloc.h"

static const struct rc_aws__svc services[] = {
    {.name = "ec2", .signing_name = "ec2", .host_prefix = "ec2", .env_suffix = "EC2",
     .version = "2016-11-15", .proto = RC_AWS_QUERY, .ec2_style = true},
    {.name = "elbv2", .signing_name = "elasticloadbalancing", .host_prefix = "elasticloadbalancing",
     .env_suffix = "ELASTIC_LOAD_BALANCING_V2", .version = "2015-12-01", .proto = RC_AWS_QUERY,
     .aliases = {"elb", "alb", "lb", "elasticloadbalancingv2", "elasticloadbalancing", "elbv2"}},
    {.name = "iam", .signing_name = "iam", .host_prefix = "iam", .env_suffix = "IAM",
     .version = "2010-05-08", .proto = RC_AWS_QUERY, .global = true},
    {.name = "sts", .signing_name = "sts", .host_prefix = "sts", .env_suffix = "STS",
     .version = "2011-06-15", .proto = RC_AWS_QUERY},
    {.name = "ecs", .signing_name = "ecs", .host_prefix = "ecs", .env_suffix = "ECS",
     .target = "AmazonEC2ContainerServiceV20141113", .proto = RC_AWS_JSON11},
    {.name = "logs", .signing_name = "logs", .host_prefix = "logs", .env_suffix = "CLOUDWATCH_LOGS",
     .target = "Logs_20140328", .proto = RC_AWS_JSON11,
     .aliases = {"cloudwatchlogs", "cloudwatch_logs", "cloudwatchlog"}},
    {.name = "s3", .signing_name = "s3", .host_prefix = "s3", .env_suffix = "S3",
     .proto = RC_AWS_RESTXML},
};

const struct rc_aws__svc *rc_aws__svc_find(const char *name)
{
  if (!name) return NULL;
  for (size_t i = 0; i < sizeof services / sizeof *services; i++) {
    if (strcasecmp(services[i].name, name) == 0) return &services[i];
    for (int a = 0; a < 6 && services[i].aliases[a]; a++)
      if (strcasecmp(services[i].aliases[a], name) == 0) return &services[i];
  }
  return NULL;
}

bool rc_aws__url_split(const char *url, char **host, char **path)
{
  const char *p;
  if (strncasecmp(url, "https://", 8) == 0) p = url + 8;
  else if (strncasecmp(url, "http://", 7) == 0) p = url + 7;
  else return false;
  size_t hl = strcspn(p, "/?#");
  if (hl == 0) return false;
  bool https = strncasecmp(url, "https://", 8) == 0;
  char *h = rc_strndup(p, hl);
  /* Host as curl sends it: the default port is left out */
  size_t n = strlen(h);
  if (https && n > 4 && strcmp(h + n - 4, ":443") == 0) h[n - 4] = '\0';
  if (!https && n > 3 && strcmp(h + n - 3, ":80") == 0) h[n - 3] = '\0';
  for (char *q = h; *q; q++) *q = (char)tolower((unsigned char)*q);
  const char *rest = p + hl;
  size_t pl = strcspn(rest, "?#");
  char *pa = rc_strndup(rest, pl);
  while (pl && pa[pl - 1] == '/') pa[--pl] = '\0';
  *host = h;
  *path = pa;
  return true;
}

static const char *override_for(const struct rc_aws_client *c, const struct rc_aws__svc *s,
                                char **envbuf)
{
  if (c->endpoints && rc_value_is_obj(c->endpoints)) {
    for (size_t i = 0; i < rc_value_len(c->endpoints); i++) {
      const char *k = rc_value_key(c->endpoints, i);
      const char *v = rc_value_str(rc_value_index(c->endpoints, i));
      if (v && *v && rc_aws__svc_find(k) == s) return v;
    }
  }
  *envbuf = rc_asprintf("AWS_ENDPOINT_URL_%s", s->env_suffix);
  const char *v = getenv(*envbuf);
  if (v && *v) return v;
  v = getenv("AWS_ENDPOINT_URL");
  if (v && *v) return v;
  return NULL;
}

rc_status rc_aws__endpoint_resolve(const struct rc_aws_client *c, const struct rc_aws__svc *s,
                                   struct rc_aws__endpoint *ep, struct rc_error *err)
{
  memset(ep, 0, sizeof *ep);
  char *envname = NULL;
  const char *o = override_for(c, s, &envname);
  rc_free(envname);
  ep->signing_region = s->global && !o ? "us-east-1" : c->region;
  if (o) {
    if (!rc_aws__url_split(o, &ep->host, &ep->path))
      return rc_error_set(err, RC_USAGE,
                          "endpoint for %s must be an http:// or https:// URL, not \"%s\"",
                          s->name, o);
    const char *scheme_end = strstr(o, "://") + 3;
    size_t hl = strcspn(scheme_end, "/?#");
    ep->base = rc_asprintf("%.*s%s", (int)((size_t)(scheme_end - o) + hl), o, ep->path);
    ep->custom = true;
    return RC_OK;
  }
  if (s->global)
    ep->host = rc_asprintf("%s.amazonaws.com", s->host_prefix);
  else
    ep->host = rc_asprintf("%s.%s.amazonaws.com", s->host_prefix, c->region);
  if (strncmp(c->region, "cn-", 3) == 0) {
    char *h = rc_asprintf("%s.cn", ep->host);
    rc_free(ep->host);
    ep->host = h;
  }
  ep->path = rc_strdup("");
  ep->base = rc_asprintf("https://%s", ep->host);
  return RC_OK;
}

void rc_aws__endpoint_free(struct rc_aws__endpoint *ep)
{
  if (!ep) return;
  rc_free(ep->base);
  rc_free(ep->host);
  rc_free(ep->path);
  memset(ep, 0, sizeof *ep);
}
