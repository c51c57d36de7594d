/* plan_fixtures — plans built in C for the renderer and plan file tests.
 * Each builder fills a zeroed struct rc_plan the caller frees (rc_plan_free). */
#ifndef PLAN_FIXTURES_H
#define PLAN_FIXTURES_H
#include <stdio.h>
#include <string.h>

#include "plan.h"
#include "rc_alloc.h"
#include "rc_value.h"

#define SECRET "hunter2-very-secret"

static inline struct rc_value *fx_json(const char *text)
{
  struct rc_value *v = rc_value_parse_json(text, strlen(text), NULL);
  return v;
}

/* JSON objects decode as objects; attributes typed map (tags) are maps. */
static inline struct rc_value *fx_as_map(struct rc_value *obj, const char *key)
{
  const struct rc_value *o = rc_value_get(obj, key);
  struct rc_value *m = rc_value_obj_new(RC_MAP);
  for (size_t i = 0; i < rc_value_len(o); i++)
    rc_value_obj_put(m, rc_value_key(o, i), rc_value_incref(rc_value_index(o, i)));
  rc_value_obj_put(obj, key, m);
  return obj;
}

static inline struct rc_value *fx_str(const char *s) { return rc_value_string(s); }

static inline struct rc_change *fx_change(struct rc_plan *p, const char *addr, const char *type,
                                          enum rc_action a)
{
  struct rc_change *c = rc_plan_add_change(p);
  c->address = rc_strdup(addr);
  c->type = rc_strdup(type);
  c->action = a;
  return c;
}

static inline void fx_replace_path(struct rc_change *c, const char *path)
{
  c->replace_paths = rc_realloc(c->replace_paths, (c->nreplace + 1) * sizeof(char *));
  c->replace_paths[c->nreplace++] = rc_strdup(path);
}

/* VPC create with an unknown id and tags. */
static inline void fx_create_vpc(struct rc_plan *p)
{
  struct rc_change *c = fx_change(p, "module.vpc.aws_vpc.this", "aws_vpc", RC_ACT_CREATE);
  struct rc_value *a = fx_json("{\"cidr_block\":\"10.0.0.0/16\",\"enable_dns_hostnames\":true,"
                               "\"instance_tenancy\":\"default\",\"ipv6_cidr_block\":null,"
                               "\"tags\":{\"Name\":\"main\",\"env\":\"prod\"}}");
  rc_value_obj_put(a, "id", rc_value_unknown());
  rc_value_obj_put(a, "arn", rc_value_unknown());
  c->after = fx_as_map(a, "tags");
}

/* In-place update of tags on a subnet. */
static inline void fx_update_tags(struct rc_plan *p)
{
  struct rc_change *c = fx_change(p, "aws_subnet.public[0]", "aws_subnet", RC_ACT_UPDATE);
  c->before = fx_as_map(fx_json("{\"id\":\"subnet-0a1\",\"cidr_block\":\"10.0.1.0/24\","
                      "\"vpc_id\":\"vpc-1\",\"map_public_ip_on_launch\":true,"
                      "\"tags\":{\"Name\":\"public-a\",\"tier\":\"web\",\"old\":\"x\"}}"), "tags");
  c->after = fx_as_map(fx_json("{\"id\":\"subnet-0a1\",\"cidr_block\":\"10.0.1.0/24\","
                     "\"vpc_id\":\"vpc-1\",\"map_public_ip_on_launch\":true,"
                     "\"tags\":{\"Name\":\"public-a\",\"tier\":\"app\",\"new\":\"y\"}}"), "tags");
}

/* Subnet replaced because cidr_block changed. */
static inline void fx_replace_subnet(struct rc_plan *p)
{
  struct rc_change *c = fx_change(p, "aws_subnet.private[\"b\"]", "aws_subnet", RC_ACT_REPLACE);
  c->reason = "replace_because_cannot_update";
  c->before = fx_json("{\"id\":\"subnet-0b2\",\"cidr_block\":\"10.0.2.0/24\","
                      "\"availability_zone\":\"eu-west-1b\",\"vpc_id\":\"vpc-1\","
                      "\"arn\":\"arn:aws:ec2:eu-west-1:1:subnet/subnet-0b2\"}");
  struct rc_value *a = fx_json("{\"cidr_block\":\"10.0.12.0/24\","
                               "\"availability_zone\":\"eu-west-1b\",\"vpc_id\":\"vpc-1\"}");
  rc_value_obj_put(a, "id", rc_value_unknown());
  rc_value_obj_put(a, "arn", rc_value_unknown());
  c->after = a;
  fx_replace_path(c, "cidr_block");
}

/* Delete of an instance whose for_each key is gone. */
static inline void fx_delete(struct rc_plan *p)
{
  struct rc_change *c =
      fx_change(p, "aws_security_group.extra[\"db\"]", "aws_security_group", RC_ACT_DELETE);
  c->reason = "delete_because_each_key";
  c->before = fx_json("{\"id\":\"sg-9\",\"name\":\"db\",\"description\":\"Managed\","
                      "\"ingress\":[{\"from_port\":5432,\"to_port\":5432,\"protocol\":\"tcp\","
                      "\"cidr_blocks\":[\"10.0.0.0/16\"]}]}");
}

static inline const char *fx_container_defs(const char *image)
{
  static char buf[2][1024];
  static int which;
  which ^= 1;
  snprintf(buf[which], sizeof buf[which],
           "[{\"name\":\"app\",\"image\":\"%s\",\"cpu\":256,\"memory\":512,"
           "\"essential\":true,\"portMappings\":[{\"containerPort\":8080,\"hostPort\":8080,"
           "\"protocol\":\"tcp\"}],\"environment\":[{\"name\":\"LOG_LEVEL\","
           "\"value\":\"info\"}],\"logConfiguration\":{\"logDriver\":\"awslogs\"}}]",
           image);
  return buf[which];
}

/* The image-tag deploy: a task definition replaced, only the image differs. */
static inline void fx_deploy(struct rc_plan *p)
{
  struct rc_change *c =
      fx_change(p, "module.ecs.aws_ecs_task_definition.app", "aws_ecs_task_definition",
                RC_ACT_REPLACE_CBD);
  struct rc_value *b = fx_json("{\"family\":\"app\",\"cpu\":\"256\",\"memory\":\"512\","
                               "\"network_mode\":\"awsvpc\",\"revision\":3,"
                               "\"arn\":\"arn:aws:ecs:eu-west-1:1:task-definition/app:3\"}");
  rc_value_obj_put(b, "id", fx_str("app"));
  rc_value_obj_put(b, "container_definitions", fx_str(fx_container_defs("repo:1.0")));
  struct rc_value *a = fx_json("{\"family\":\"app\",\"cpu\":\"256\",\"memory\":\"512\","
                               "\"network_mode\":\"awsvpc\"}");
  rc_value_obj_put(a, "id", fx_str("app"));
  rc_value_obj_put(a, "revision", rc_value_unknown());
  rc_value_obj_put(a, "arn", rc_value_unknown());
  rc_value_obj_put(a, "container_definitions", fx_str(fx_container_defs("repo:2.0")));
  c->before = b;
  c->after = a;
  fx_replace_path(c, "container_definitions");
  struct rc_change *s =
      fx_change(p, "module.ecs.aws_ecs_service.app", "aws_ecs_service", RC_ACT_UPDATE);
  s->before = fx_json("{\"id\":\"arn:svc\",\"name\":\"app\",\"desired_count\":2,"
                      "\"task_definition\":\"arn:aws:ecs:eu-west-1:1:task-definition/app:3\"}");
  struct rc_value *sa = fx_json("{\"id\":\"arn:svc\",\"name\":\"app\",\"desired_count\":2}");
  rc_value_obj_put(sa, "task_definition", rc_value_unknown());
  s->after = sa;
}

/* A sensitive attribute (a password) on a create and an update. */
static inline void fx_sensitive(struct rc_plan *p)
{
  struct rc_change *c = fx_change(p, "aws_db_instance.main", "aws_db_instance", RC_ACT_UPDATE);
  struct rc_value *b = fx_json("{\"id\":\"db-1\",\"identifier\":\"main\",\"engine\":\"postgres\"}");
  struct rc_value *s1 = fx_str("old-" SECRET);
  rc_value_obj_put(b, "password", rc_value_mark_sensitive(s1));
  rc_value_decref(s1);
  struct rc_value *a = fx_json("{\"id\":\"db-1\",\"identifier\":\"main\",\"engine\":\"postgres\"}");
  struct rc_value *s2 = fx_str(SECRET);
  rc_value_obj_put(a, "password", rc_value_mark_sensitive(s2));
  rc_value_decref(s2);
  c->before = b;
  c->after = a;
  struct rc_change *k = fx_change(p, "aws_ssm_parameter.token", "aws_ssm_parameter",
                                  RC_ACT_CREATE);
  struct rc_value *ka = fx_json("{\"name\":\"/app/token\",\"type\":\"SecureString\"}");
  struct rc_value *env = fx_json("{\"API_KEY\":\"" SECRET "\"}");
  struct rc_value *kv = rc_value_obj_new(RC_MAP);
  rc_value_obj_put(kv, "API_KEY", rc_value_mark_sensitive(rc_value_get(env, "API_KEY")));
  rc_value_obj_put(kv, "PLAIN", fx_str("visible"));
  rc_value_obj_put(ka, "labels", kv);
  struct rc_value *v = fx_str(SECRET);
  rc_value_obj_put(ka, "value", rc_value_mark_sensitive(v));
  rc_value_decref(v);
  rc_value_decref(env);
  k->after = ka;
}

static inline void fx_drift(struct rc_plan *p)
{
  struct rc_drift *d = rc_plan_add_drift(p);
  d->address = rc_strdup("aws_security_group.web");
  d->type = rc_strdup("aws_security_group");
  d->before = fx_as_map(fx_json("{\"id\":\"sg-1\",\"name\":\"web\",\"description\":\"web\","
                      "\"tags\":{\"Name\":\"web\"}}"), "tags");
  d->after = fx_as_map(fx_json("{\"id\":\"sg-1\",\"name\":\"web\",\"description\":\"web\","
                     "\"tags\":{\"Name\":\"web\",\"owner\":\"someone\"}}"), "tags");
  struct rc_drift *g = rc_plan_add_drift(p);
  g->address = rc_strdup("aws_eip.nat");
  g->type = rc_strdup("aws_eip");
  g->before = fx_json("{\"id\":\"eipalloc-1\",\"domain\":\"vpc\",\"public_ip\":\"203.0.113.7\"}");
}

static inline void fx_outputs(struct rc_plan *p)
{
  struct rc_output_change *o = rc_plan_add_output(p);
  o->name = rc_strdup("vpc_id");
  o->after = rc_value_unknown();
  o = rc_plan_add_output(p);
  o->name = rc_strdup("image");
  o->before = fx_str("repo:1.0");
  o->after = fx_str("repo:2.0");
  o = rc_plan_add_output(p);
  o->name = rc_strdup("db_password");
  o->before = fx_str("old-" SECRET);
  o->after = fx_str(SECRET);
  o->sensitive = true;
  o = rc_plan_add_output(p);
  o->name = rc_strdup("same");
  o->before = fx_str("x");
  o->after = fx_str("x");
}

#endif
