/* The query protocol (ec2, elbv2, iam, sts): a form-encoded POST body
 * Action=..&Version=..&<flat params>, and XML answers turned into values with
 * libxml2 by the generic mapping of aws.h. Also the XML error answers of every
 * XML service (query and S3). */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <pthread.h>
#include <string.h>

#include "aws_int.h"
#include "rc_alloc.h"
#include "rc_limits.h"

static void put_pair(struct rc_buf *b, const char *k, const char *v)
{
  if (b->len) rc_buf_putc(b, '&');
  rc_sigv4_uri_encode(b, k, strlen(k), false);
  rc_buf_putc(b, '=');
  rc_sigv4_uri_encode(b, v, strlen(v), false);
}

/* A flat value as its wire text; false for null. */
static bool scalar_text(const struct rc_value *v, char *tmp, size_t tmpsz, const char **out)
{
  switch (rc_value_kind(v)) {
  case RC_STRING: *out = rc_value_str(v); return true;
  case RC_BOOL: *out = rc_value_bool_get(v) ? "true" : "false"; return true;
  case RC_NUMBER: rc_value_format_number(v, tmp, tmpsz); *out = tmp; return true;
  default: return false;
  }
}

/* Nested values are flattened the way each dialect lists them: EC2 "Key.N",
 * the others "Key.member.N"; objects "Key.Sub". */
static rc_status flatten(const struct rc_aws__svc *s, const char *key, const struct rc_value *v,
                         struct rc_buf *b, int depth, struct rc_error *err)
{
  if (depth > RC_LIMIT_NESTING) return rc_error_set(err, RC_TOO_BIG, "parameters nest too deep");
  char tmp[64];
  const char *text;
  if (rc_value_is_null(v)) return RC_OK;
  if (scalar_text(v, tmp, sizeof tmp, &text)) {
    put_pair(b, key, text);
    return RC_OK;
  }
  if (rc_value_is_seq(v)) {
    for (size_t i = 0; i < rc_value_len(v); i++) {
      char *k = s->ec2_style ? rc_asprintf("%s.%zu", key, i + 1)
                             : rc_asprintf("%s.member.%zu", key, i + 1);
      rc_status st = flatten(s, k, rc_value_index(v, i), b, depth + 1, err);
      rc_free(k);
      if (st) return st;
    }
    return RC_OK;
  }
  if (rc_value_is_obj(v)) {
    for (size_t i = 0; i < rc_value_len(v); i++) {
      char *k = rc_asprintf("%s.%s", key, rc_value_key(v, i));
      rc_status st = flatten(s, k, rc_value_index(v, i), b, depth + 1, err);
      rc_free(k);
      if (st) return st;
    }
    return RC_OK;
  }
  return rc_error_set(err, RC_USAGE, "parameter %s: a %s cannot be sent", key,
                      rc_value_kind_name(rc_value_kind(v)));
}

rc_status rc_aws__query_encode(const struct rc_aws__svc *s, const char *op,
                               const struct rc_value *params, struct rc_aws__wire *w,
                               struct rc_error *err)
{
  rc_buf_init(&w->body, RC_LIMIT_HTTP_BODY);
  w->content_type = "application/x-www-form-urlencoded; charset=utf-8";
  w->target[0] = '\0';
  put_pair(&w->body, "Action", op);
  put_pair(&w->body, "Version", s->version);
  if (!params) return RC_OK;
  if (!rc_value_is_obj(params))
    return rc_error_set(err, RC_USAGE, "%s.%s: parameters must be an object", s->name, op);
  for (size_t i = 0; i < rc_value_len(params); i++) {
    const char *k = rc_value_key(params, i);
    if (strcmp(k, "Action") == 0 || strcmp(k, "Version") == 0) continue;
    rc_status st = flatten(s, k, rc_value_index(params, i), &w->body, 0, err);
    if (st) return st;
  }
  return RC_OK;
}

/* --- XML → value --- */
static bool is_elem(const xmlNode *n) { return n && n->type == XML_ELEMENT_NODE; }

static struct rc_value *elem_to_value(const xmlNode *e, int depth)
{
  if (depth > RC_LIMIT_NESTING) return rc_value_null();
  size_t nelem = 0, nitem = 0, nmember = 0;
  for (const xmlNode *c = e->children; c; c = c->next) {
    if (!is_elem(c)) continue;
    nelem++;
    if (xmlStrcmp(c->name, (const xmlChar *)"item") == 0) nitem++;
    if (xmlStrcmp(c->name, (const xmlChar *)"member") == 0) nmember++;
  }
  if (nelem && (nitem == nelem || nmember == nelem)) {
    struct rc_value *t = rc_value_seq_new(RC_TUPLE);
    for (const xmlNode *c = e->children; c; c = c->next)
      if (is_elem(c)) rc_value_seq_push(t, elem_to_value(c, depth + 1));
    return t;
  }
  if (nelem) {
    struct rc_value *o = rc_value_obj_new(RC_OBJECT);
    for (const xmlNode *c = e->children; c; c = c->next)
      if (is_elem(c)) rc_value_obj_put(o, (const char *)c->name, elem_to_value(c, depth + 1));
    return o;
  }
  xmlChar *txt = xmlNodeGetContent(e);
  struct rc_value *v = txt && *txt ? rc_value_string((const char *)txt) : rc_value_null();
  xmlFree(txt);
  return v;
}

/* libxml2 reports some errors (encoding errors above all) on its generic
 * channel, which prints to stderr whatever the parse options say. A
 * structured handler, installed around each parse, takes them all instead;
 * libxml2 keeps the handler per thread, so parallel calls do not meet. */
struct xml_why {
  char msg[256];
};

#if LIBXML_VERSION >= 21200
static void on_xml_error(void *ud, const xmlError *e)
#else
static void on_xml_error(void *ud, xmlErrorPtr e)
#endif
{
  struct xml_why *w = ud;
  if (!w || w->msg[0] || !e || !e->message) return; /* the first one says most */
  snprintf(w->msg, sizeof w->msg, "%s", e->message);
  size_t n = strlen(w->msg);
  while (n && (w->msg[n - 1] == '\n' || w->msg[n - 1] == ' ')) w->msg[--n] = '\0';
  for (char *p = w->msg; *p; p++)
    if ((unsigned char)*p < 0x20) *p = ' ';
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static void xml_init(void) { xmlInitParser(); }

/* The document, or NULL with the parser's first complaint in why (may be NULL). */
static xmlDoc *parse(const char *body, size_t len, struct xml_why *why)
{
  struct xml_why local = {{0}};
  if (!why) why = &local;
  why->msg[0] = '\0';
  if (!body || !len) {
    snprintf(why->msg, sizeof why->msg, "empty answer");
    return NULL;
  }
  if (len > RC_LIMIT_HTTP_BODY) {
    snprintf(why->msg, sizeof why->msg, "answer too large");
    return NULL;
  }
  pthread_once(&xml_once, xml_init);
  xmlStructuredErrorFunc prev = xmlStructuredError;
  void *prev_ud = xmlStructuredErrorContext;
  xmlSetStructuredErrorFunc(why, on_xml_error);
  xmlDoc *d = xmlReadMemory(body, (int)len, "aws.xml", NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                XML_PARSE_NOBLANKS);
  xmlSetStructuredErrorFunc(prev_ud, prev);
  return d;
}

struct rc_value *rc_aws__xml_to_value(const char *body, size_t len)
{
  xmlDoc *d = parse(body, len, NULL);
  if (!d) return NULL;
  xmlNode *root = xmlDocGetRootElement(d);
  struct rc_value *v = root ? elem_to_value(root, 0) : NULL;
  xmlFreeDoc(d);
  return v;
}

rc_status rc_aws__query_decode(const struct rc_aws__svc *s, const char *op, const char *body,
                               size_t len, struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  struct xml_why why;
  xmlDoc *d = parse(body, len, &why);
  xmlNode *root = d ? xmlDocGetRootElement(d) : NULL;
  if (!root) {
    if (d) xmlFreeDoc(d);
    return rc_error_set(err, RC_AWS, "%s.%s: the answer is not XML (%zu bytes%s%s)", s->name, op,
                        len, why.msg[0] ? ": " : "", why.msg);
  }
  char want_root[256];
  snprintf(want_root, sizeof want_root, "%sResponse", op);
  if (xmlStrcmp(root->name, (const xmlChar *)want_root) != 0) {
    /* well-formed but not this operation's answer (a proxy's page, another
     * API): reading it as "no objects" would plan to create them again */
    char got[128];
    snprintf(got, sizeof got, "%s", (const char *)root->name);
    xmlFreeDoc(d);
    return rc_error_set(err, RC_AWS, "%s.%s: unexpected answer: <%s>, not <%s> (%zu bytes)",
                        s->name, op, got, want_root, len);
  }
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  const xmlNode *from = root;
  if (!s->ec2_style) {
    char want[256];
    snprintf(want, sizeof want, "%sResult", op);
    from = NULL;
    for (const xmlNode *c = root->children; c; c = c->next)
      if (is_elem(c) && xmlStrcmp(c->name, (const xmlChar *)want) == 0) from = c;
  }
  for (const xmlNode *c = from ? from->children : NULL; c; c = c->next) {
    if (!is_elem(c)) continue;
    if (s->ec2_style && xmlStrcmp(c->name, (const xmlChar *)"requestId") == 0) continue;
    rc_value_obj_put(o, (const char *)c->name, elem_to_value(c, 1));
  }
  xmlFreeDoc(d);
  *out = o;
  return RC_OK;
}

static const xmlNode *find_elem(const xmlNode *n, const char *name, int depth)
{
  for (; n && depth < 16; n = n->next) {
    if (!is_elem(n)) continue;
    if (xmlStrcmp(n->name, (const xmlChar *)name) == 0) return n;
    const xmlNode *f = find_elem(n->children, name, depth + 1);
    if (f) return f;
  }
  return NULL;
}

static void copy_text(const xmlNode *n, char *out, size_t outsz)
{
  if (!n) return;
  xmlChar *t = xmlNodeGetContent(n);
  if (t) snprintf(out, outsz, "%s", (const char *)t);
  xmlFree(t);
}

static const xmlNode *child(const xmlNode *e, const char *name)
{
  for (const xmlNode *c = e ? e->children : NULL; c; c = c->next)
    if (is_elem(c) && xmlStrcmp(c->name, (const xmlChar *)name) == 0) return c;
  return NULL;
}

void rc_aws__xml_error(const char *body, size_t len, struct rc_error *err)
{
  xmlDoc *d = parse(body, len, NULL);
  xmlNode *root = d ? xmlDocGetRootElement(d) : NULL;
  if (!root) {
    if (d) xmlFreeDoc(d);
    return;
  }
  const xmlNode *e = xmlStrcmp(root->name, (const xmlChar *)"Error") == 0
                         ? root
                         : find_elem(root->children, "Error", 0);
  if (e) {
    copy_text(child(e, "Code"), err->aws_code, sizeof err->aws_code);
    const xmlNode *m = child(e, "Message");
    if (!m) m = child(e, "message");
    copy_text(m, err->msg, sizeof err->msg);
  }
  const xmlNode *rid = find_elem(root, "RequestId", 0);
  if (!rid) rid = find_elem(root, "RequestID", 0);
  if (!rid) rid = find_elem(root, "requestId", 0);
  if (rid) copy_text(rid, err->request_id, sizeof err->request_id);
  xmlFreeDoc(d);
}
