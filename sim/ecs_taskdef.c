/* ecs_taskdef.c — task definitions: families with revisions 1, 2, 3…,
 * ACTIVE/INACTIVE, AWS's defaults filled in at registration (containers'
 * cpu 0, essential true, port mappings' protocol and host ports for awsvpc,
 * empty lists), Fargate validation with ECS's messages, and the list calls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "common/rc_alloc.h"
#include "ecs_int.h"
#include "svc_json.h"

/* Fargate's cpu → memory range and step (MiB). */
static const struct {
  long cpu, lo, hi, step;
} k_fargate[] = {
    {256, 512, 2048, 0},      {512, 1024, 4096, 1024},    {1024, 2048, 8192, 1024},
    {2048, 4096, 16384, 1024}, {4096, 8192, 30720, 1024}, {8192, 16384, 61440, 4096},
    {16384, 32768, 122880, 8192},
};

static bool fargate_ok(long cpu, long mem)
{
  for (size_t i = 0; i < sizeof k_fargate / sizeof *k_fargate; i++) {
    if (k_fargate[i].cpu != cpu) continue;
    if (cpu == 256) return mem == 512 || mem == 1024 || mem == 2048;
    return mem >= k_fargate[i].lo && mem <= k_fargate[i].hi &&
           (mem - k_fargate[i].lo) % k_fargate[i].step == 0;
  }
  return false;
}

/* "256", 256, "0.25 vCPU", "1 GB", "512 MiB" → units (cpu units or MiB); -1 bad. */
static long units(const json_t *v)
{
  if (json_is_integer(v)) return (long)json_integer_value(v);
  const char *s = json_string_value(v);
  if (!s) return -1;
  char *end;
  double d = strtod(s, &end);
  if (end == s) return -1;
  while (*end == ' ') end++;
  if (!*end) return (long)d;
  if (strcasecmp(end, "vcpu") == 0 || strcasecmp(end, "gb") == 0) return (long)(d * 1024);
  if (strcasecmp(end, "mib") == 0 || strcasecmp(end, "mb") == 0) return (long)d;
  return -1;
}

void rc_ecs__op_register_td(struct rc_sim_call *c)
{
  const char *family = rc_svcj_str(c, "family");
  if (!family || !*family) {
    rc_sim_error(c, 400, "ClientException", "Family must not be null or empty.");
    return;
  }
  bool ok = strlen(family) <= 255;
  for (const char *p = family; ok && *p; p++)
    ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
         *p == '-' || *p == '_';
  if (!ok) {
    rc_sim_error(c, 400, "ClientException", "Family contains invalid characters. Up to 255 "
                 "letters (uppercase and lowercase), numbers, hyphens, and underscores are "
                 "allowed.");
    return;
  }
  json_t *cds = rc_svcj_get(c, "containerDefinitions");
  if (!json_is_array(cds) || json_array_size(cds) == 0) {
    rc_sim_error(c, 400, "ClientException", "Container list cannot be empty.");
    return;
  }
  /* IAM's propagation: a role created a moment ago is not valid for ECS yet */
  static const char *const role_keys[] = {"executionRoleArn", "taskRoleArn"};
  for (size_t k = 0; k < 2; k++) {
    const char *role = rc_svcj_str(c, role_keys[k]);
    if (role && !rc_sim_iam_role_usable(role, c->now_ms)) {
      rc_sim_error(c, 400, "ClientException", "Role is not valid");
      return;
    }
  }
  json_t *doc = json_deep_copy(c->req.json);
  json_object_del(doc, "tags");
  const char *nm = json_string_value(json_object_get(doc, "networkMode"));
  json_t *req = json_object_get(doc, "requiresCompatibilities");
  bool fargate = false;
  size_t i;
  json_t *it;
  json_array_foreach(req, i, it) if (json_string_value(it) &&
                                     strcmp(json_string_value(it), "FARGATE") == 0) fargate = true;
  if (!nm) {
    nm = "bridge";
    json_object_set_new(doc, "networkMode", json_string(nm));
  }
  bool awsvpc = strcmp(nm, "awsvpc") == 0;
  long cpu = -2, mem = -2;
  if (json_object_get(doc, "cpu")) {
    cpu = units(json_object_get(doc, "cpu"));
    if (cpu > 0) json_object_set_new(doc, "cpu", json_sprintf("%ld", cpu));
  }
  if (json_object_get(doc, "memory")) {
    mem = units(json_object_get(doc, "memory"));
    if (mem > 0) json_object_set_new(doc, "memory", json_sprintf("%ld", mem));
  }
  const char *err = NULL;
  char msg[300];
  if (fargate && !awsvpc) err = "Fargate only supports network mode \xe2\x80\x98" "awsvpc\xe2\x80\x99.";
  else if (fargate && cpu == -2) err = "Fargate requires that 'cpu' be defined at the task level.";
  else if (fargate && mem == -2)
    err = "Fargate requires that 'memory' be defined at the task level.";
  else if (cpu == -1 || mem == -1 || (fargate && !fargate_ok(cpu, mem))) {
    snprintf(msg, sizeof msg,
             "No Fargate configuration exists for given values: %s CPU, %s memory. See the "
             "Amazon ECS documentation for the valid values.",
             json_string_value(json_object_get(doc, "cpu")) ? json_string_value(json_object_get(doc, "cpu")) : "?",
             json_string_value(json_object_get(doc, "memory")) ? json_string_value(json_object_get(doc, "memory")) : "?");
    err = msg;
  }
  const char *exec_role = json_string_value(json_object_get(doc, "executionRoleArn"));
  json_t *names = json_object();
  json_array_foreach(json_object_get(doc, "containerDefinitions"), i, it)
  {
    if (err) break;
    const char *cn = json_string_value(json_object_get(it, "name"));
    const char *img = json_string_value(json_object_get(it, "image"));
    if (!cn || !*cn) err = "Container.name should not be null or empty.";
    else if (!img || !*img) err = "Container.image should not be null or empty.";
    else if (json_object_get(names, cn)) err = "Duplicate container names are not allowed.";
    if (err) break;
    json_object_set_new(names, cn, json_true());
    if (mem == -2 && !json_object_get(it, "memory") && !json_object_get(it, "memoryReservation")) {
      snprintf(msg, sizeof msg, "Invalid setting for container '%s'. At least one of 'memory' "
               "or 'memoryReservation' must be specified.", cn);
      err = msg;
      break;
    }
    json_t *lc = json_object_get(it, "logConfiguration");
    const char *drv = json_string_value(json_object_get(lc, "logDriver"));
    if (fargate && drv && strcmp(drv, "awslogs") == 0 && !exec_role) {
      err = "Fargate requires task definition to have execution role ARN to support log driver "
            "awslogs.";
      break;
    }
    if (!json_object_get(it, "cpu")) json_object_set_new(it, "cpu", json_integer(0));
    if (!json_object_get(it, "essential")) json_object_set_new(it, "essential", json_true());
    const char *lists[] = {"portMappings", "environment", "mountPoints", "volumesFrom",
                           "systemControls"};
    for (size_t k = 0; k < 5; k++)
      if (!json_object_get(it, lists[k])) json_object_set_new(it, lists[k], json_array());
    size_t k;
    json_t *pm;
    json_array_foreach(json_object_get(it, "portMappings"), k, pm)
    {
      json_t *cp = json_object_get(pm, "containerPort"), *hp = json_object_get(pm, "hostPort");
      if (awsvpc && hp && cp && json_integer_value(hp) != json_integer_value(cp)) {
        err = "When networkMode=awsvpc, the host ports and container ports in port mappings "
              "must match.";
        break;
      }
      if (!hp && cp && awsvpc) json_object_set_new(pm, "hostPort", json_integer(json_integer_value(cp)));
      if (!json_object_get(pm, "protocol")) json_object_set_new(pm, "protocol", json_string("tcp"));
    }
  }
  json_decref(names);
  if (err) {
    json_decref(doc);
    rc_sim_error(c, 400, "ClientException", "%s", err);
    return;
  }
  struct rc_sim_tags tags = {0};
  if (!rc_ecs__tags_param(c, rc_svcj_get(c, "tags"), &tags)) {
    json_decref(doc);
    rc_sim_tags_free(&tags);
    return;
  }
  if (!json_object_get(doc, "volumes")) json_object_set_new(doc, "volumes", json_array());
  if (!json_object_get(doc, "placementConstraints"))
    json_object_set_new(doc, "placementConstraints", json_array());
  if (!json_object_get(doc, "requiresCompatibilities"))
    json_object_set_new(doc, "requiresCompatibilities", json_array());
  json_object_set_new(doc, "compatibilities", awsvpc ? json_pack("[s,s]", "EC2", "FARGATE")
                                                     : json_pack("[s]", "EC2"));
  json_t *ra = json_array();
  json_array_append_new(ra, json_pack("{s:s}", "name", "com.amazonaws.ecs.capability.docker-remote-api.1.18"));
  if (awsvpc) json_array_append_new(ra, json_pack("{s:s}", "name", "ecs.capability.task-eni"));
  if (exec_role)
    json_array_append_new(ra, json_pack("{s:s}", "name", "ecs.capability.execution-role-awslogs"));
  json_object_set_new(doc, "requiresAttributes", ra);
  int rev = 0;
  for (size_t k = 0; k < rc_ecs__taskdefs.n; k++) {
    const struct ecs_taskdef *o = rc_ecs__taskdefs.v[k];
    if (strcmp(o->family, family) == 0 && o->revision > rev && rc_sim_arn_in_region(c, o->arn))
      rev = o->revision;
  }
  struct ecs_taskdef *td = rc_calloc(1, sizeof *td);
  snprintf(td->family, sizeof td->family, "%s", family);
  td->revision = rev + 1;
  td->active = true;
  td->arn = rc_sim_arn(c, "ecs", NULL, "task-definition/%s:%d", family, td->revision);
  td->doc = doc;
  td->registered_ms = c->now_ms;
  td->visible_at = rc_sim_visible_at(c);
  td->tags = tags;
  rc_ecs__push(&rc_ecs__taskdefs, td);
  rc_sim_reply_json(c, json_pack("{s:o,s:o}", "taskDefinition", rc_ecs__taskdef_json(td), "tags",
                                 rc_svcj_tags_to_list(&td->tags, "key", "value")));
}

json_t *rc_ecs__taskdef_json(const struct ecs_taskdef *td)
{
  json_t *o = json_deep_copy(td->doc);
  json_object_set_new(o, "taskDefinitionArn", json_string(td->arn));
  json_object_set_new(o, "revision", json_integer(td->revision));
  json_object_set_new(o, "status", json_string(td->active ? "ACTIVE" : "INACTIVE"));
  json_object_set_new(o, "registeredAt", rc_svcj_time(td->registered_ms));
  json_object_set_new(o, "registeredBy", json_string("arn:aws:iam::" RC_SIM_ACCOUNT ":root"));
  if (!td->active) json_object_set_new(o, "deregisteredAt", rc_svcj_time(td->deregistered_ms));
  return o;
}

struct ecs_taskdef *rc_ecs__taskdef_find(const struct rc_sim_call *c, const char *ref)
{
  if (!ref) return NULL;
  const char *p = strstr(ref, ":task-definition/");
  if (strncmp(ref, "arn:", 4) == 0 && !p) return NULL;
  const char *fam = p ? p + 17 : ref;
  const char *colon = strchr(fam, ':');
  size_t flen = colon ? (size_t)(colon - fam) : strlen(fam);
  long rev = 0;
  if (colon) {
    char *end;
    rev = strtol(colon + 1, &end, 10);
    if (*end || rev < 1) return NULL;
  }
  struct ecs_taskdef *best = NULL;
  for (size_t i = 0; i < rc_ecs__taskdefs.n; i++) {
    struct ecs_taskdef *td = rc_ecs__taskdefs.v[i];
    if (strlen(td->family) != flen || strncmp(td->family, fam, flen) != 0) continue;
    if (!(rc_sim_visible(c, td->visible_at) && rc_sim_arn_in_region(c, td->arn))) continue;
    if (rev && td->revision == rev) return td;
    if (!rev && td->active && (!best || td->revision > best->revision)) best = td;
  }
  return best;
}

void rc_ecs__op_describe_td(struct rc_sim_call *c)
{
  const char *ref = rc_svcj_need(c, "taskDefinition", "InvalidParameterException");
  if (!ref) return;
  struct ecs_taskdef *td = rc_ecs__taskdef_find(c, ref);
  if (!td) {
    rc_sim_error(c, 400, "ClientException", "Unable to describe task definition.");
    return;
  }
  json_t *o = json_pack("{s:o}", "taskDefinition", rc_ecs__taskdef_json(td));
  if (rc_ecs__include_tags(c))
    json_object_set_new(o, "tags", rc_svcj_tags_to_list(&td->tags, "key", "value"));
  rc_sim_reply_json(c, o);
}

void rc_ecs__op_deregister_td(struct rc_sim_call *c)
{
  const char *ref = rc_svcj_need(c, "taskDefinition", "InvalidParameterException");
  if (!ref) return;
  if (!strchr(strstr(ref, "task-definition/") ? strstr(ref, "task-definition/") : ref, ':')) {
    rc_sim_error(c, 400, "ClientException", "Invalid revision number. Number: %s", ref);
    return;
  }
  struct ecs_taskdef *td = rc_ecs__taskdef_find(c, ref);
  if (!td) {
    rc_sim_error(c, 400, "ClientException", "The specified task definition does not exist.");
    return;
  }
  if (td->active) {
    td->active = false;
    td->deregistered_ms = c->now_ms;
  }
  rc_sim_reply_json(c, json_pack("{s:o}", "taskDefinition", rc_ecs__taskdef_json(td)));
}

static int td_cmp(const void *a, const void *b)
{
  const struct ecs_taskdef *x = *(const struct ecs_taskdef *const *)a;
  const struct ecs_taskdef *y = *(const struct ecs_taskdef *const *)b;
  int d = strcmp(x->family, y->family);
  return d ? d : (x->revision > y->revision) - (x->revision < y->revision);
}

/* Visible task definitions with the status filter, sorted by family/revision. */
static size_t td_select(struct rc_sim_call *c, const char *family, struct ecs_taskdef ***out)
{
  const char *status = rc_svcj_str(c, "status");
  bool want_active = !status || strcmp(status, "ACTIVE") == 0;
  struct ecs_taskdef **v = rc_calloc(rc_ecs__taskdefs.n + 1, sizeof *v);
  size_t n = 0;
  for (size_t i = 0; i < rc_ecs__taskdefs.n; i++) {
    struct ecs_taskdef *td = rc_ecs__taskdefs.v[i];
    if (!(rc_sim_visible(c, td->visible_at) && rc_sim_arn_in_region(c, td->arn)) || td->active != want_active) continue;
    if (family && strncmp(td->family, family, strlen(family)) != 0) continue;
    v[n++] = td;
  }
  qsort(v, n, sizeof *v, td_cmp);
  *out = v;
  return n;
}

void rc_ecs__op_list_tds(struct rc_sim_call *c)
{
  size_t start, limit;
  if (!rc_svcj_page(c, "maxResults", "nextToken", 1, 100, 100, "InvalidParameterException",
                    &start, &limit))
    return;
  const char *fam = rc_svcj_str(c, "familyPrefix");
  struct ecs_taskdef **v;
  size_t n = td_select(c, NULL, &v);
  const char *sort = rc_svcj_str(c, "sort");
  bool desc = sort && strcmp(sort, "DESC") == 0;
  json_t *all = json_array();
  for (size_t i = 0; i < n; i++) {
    struct ecs_taskdef *td = v[desc ? n - 1 - i : i];
    if (fam && strcmp(td->family, fam) != 0) continue;
    json_array_append_new(all, json_string(td->arn));
  }
  rc_free(v);
  rc_ecs__reply_page(c, "taskDefinitionArns", all, start, limit);
}

void rc_ecs__op_list_families(struct rc_sim_call *c)
{
  size_t start, limit;
  if (!rc_svcj_page(c, "maxResults", "nextToken", 1, 100, 100, "InvalidParameterException",
                    &start, &limit))
    return;
  const char *status = rc_svcj_str(c, "status");
  struct ecs_taskdef **v;
  size_t n = td_select(c, rc_svcj_str(c, "familyPrefix"), &v);
  if (status && strcmp(status, "ALL") == 0) {
    rc_free(v);
    v = rc_calloc(rc_ecs__taskdefs.n + 1, sizeof *v);
    n = 0;
    const char *pre = rc_svcj_str(c, "familyPrefix");
    for (size_t i = 0; i < rc_ecs__taskdefs.n; i++) {
      struct ecs_taskdef *td = rc_ecs__taskdefs.v[i];
      if (!pre || strncmp(td->family, pre, strlen(pre)) == 0) v[n++] = td;
    }
    qsort(v, n, sizeof *v, td_cmp);
  }
  json_t *all = json_array();
  for (size_t i = 0; i < n; i++)
    if (i == 0 || strcmp(v[i]->family, v[i - 1]->family) != 0)
      json_array_append_new(all, json_string(v[i]->family));
  rc_free(v);
  rc_ecs__reply_page(c, "families", all, start, limit);
}
