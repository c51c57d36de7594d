/* Helpers shared by the AWS client's unit tests: recorded wire samples and a
 * scripted transport for the rc_aws_client_set_transport seam. Header-only
 * (static functions); each test includes it once. */
#ifndef RC_AWS_TEST_UTIL_H
#define RC_AWS_TEST_UTIL_H
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aws.h"
#include "rc_alloc.h"
#include "rc_buf.h"

/* One recorded exchange: the k-th command (0-based) of a wire-samples file. */
struct sample {
  int status;
  char *headers; /* raw header block */
  char *body;
  size_t len;
  char *request_body;
};

static inline char *sample_dir(void)
{
  const char *src = getenv("RECON_SOURCE_DIR");
  char buf[4096];
  struct stat st;
  if (src) {
    snprintf(buf, sizeof buf, "%s/../shared/aws/wire-samples", src);
    if (stat(buf, &st) == 0) return rc_strdup(buf);
  }
  if (stat("/work/shared/aws/wire-samples", &st) == 0) return rc_strdup("/work/shared/aws/wire-samples");
  return NULL;
}

static inline void sample_free(struct sample *s)
{
  rc_free(s->headers);
  rc_free(s->body);
  rc_free(s->request_body);
  memset(s, 0, sizeof *s);
}

/* Loads exchange k of file; false when the file is missing. */
static inline bool sample_load(const char *file, int k, struct sample *out)
{
  memset(out, 0, sizeof *out);
  char *dir = sample_dir();
  if (!dir) return false;
  char path[4200];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  rc_free(dir);
  FILE *f = fopen(path, "r");
  if (!f) return false;
  char line[65536];
  int cmd = -1;
  int mode = 0; /* 0 none, 1 client chunk, 2 server chunk */
  bool in_body = false, req_body = false;
  struct rc_buf hdr, body, rq;
  rc_buf_init(&hdr, 0);
  rc_buf_init(&body, 0);
  rc_buf_init(&rq, 0);
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, "$ aws", 5) == 0) {
      cmd++;
      mode = 0;
      continue;
    }
    if (cmd != k) continue;
    if (strncmp(line, "=====", 5) == 0) {
      mode = 0;
      continue;
    }
    if (strncmp(line, "---- client -> server", 21) == 0) {
      mode = 1;
      req_body = false;
      continue;
    }
    if (strncmp(line, "---- server -> client", 21) == 0) {
      mode = 2;
      continue;
    }
    size_t l = strlen(line);
    while (l && (line[l - 1] == '\n' || line[l - 1] == '\r')) line[--l] = '\0';
    if (mode == 1) {
      if (req_body) rc_buf_puts(&rq, line);
      else if (l == 0) req_body = true;
    } else if (mode == 2) {
      if (in_body) {
        if (body.len) rc_buf_putc(&body, '\n');
        rc_buf_puts(&body, line);
      } else if (l == 0) {
        in_body = true;
      } else {
        if (hdr.len == 0) {
          const char *sp = strchr(line, ' ');
          out->status = sp ? (int)strtol(sp + 1, NULL, 10) : 0;
        }
        rc_buf_printf(&hdr, "%s\r\n", line);
      }
    }
  }
  fclose(f);
  while (body.len && (body.ptr[body.len - 1] == '\n' || body.ptr[body.len - 1] == ' ')) body.ptr[--body.len] = '\0';
  out->headers = rc_buf_detach(&hdr);
  out->len = body.len;
  out->body = rc_buf_detach(&body);
  out->request_body = rc_buf_detach(&rq);
  if (out->status == 0) {
    sample_free(out);
    return false;
  }
  return true;
}

/* A scripted transport: answers in order, records the requests it saw. */
#define SCRIPT_MAX 64
struct script {
  pthread_mutex_t mu;
  int n, next;
  int status[SCRIPT_MAX];
  const char *headers[SCRIPT_MAX];
  const char *body[SCRIPT_MAX];
  /* recorded */
  char *last_body;
  char *last_url;
  char *last_headers; /* joined with \n */
  int calls;
};

static inline void script_add(struct script *s, int status, const char *headers, const char *body)
{
  s->status[s->n] = status;
  s->headers[s->n] = headers;
  s->body[s->n] = body;
  s->n++;
}

static inline void script_transport(void *ud, const struct rc_aws_http_req *req,
                             struct rc_aws_http_resp *resp)
{
  struct script *s = ud;
  pthread_mutex_lock(&s->mu);
  int i = s->next < s->n ? s->next++ : s->n - 1;
  s->calls++;
  rc_free(s->last_body);
  rc_free(s->last_url);
  rc_free(s->last_headers);
  s->last_body = rc_strndup(req->body ? req->body : "", req->body_len);
  s->last_url = rc_strdup(req->url);
  struct rc_buf b;
  rc_buf_init(&b, 0);
  for (const char *const *h = req->headers; h && *h; h++) rc_buf_printf(&b, "%s\n", *h);
  s->last_headers = rc_buf_detach(&b);
  resp->status = s->status[i];
  const char *body = s->body[i] ? s->body[i] : "";
  resp->len = strlen(body);
  resp->body = rc_strdup(body);
  resp->headers = rc_strdup(s->headers[i] ? s->headers[i] : "HTTP/1.1 200 OK\r\n");
  pthread_mutex_unlock(&s->mu);
}

static inline void script_free(struct script *s)
{
  rc_free(s->last_body);
  rc_free(s->last_url);
  rc_free(s->last_headers);
}

#endif
