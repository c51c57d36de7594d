/* The HTTP transport: one worker thread drives a curl multi handle. Callers
 * (walker threads, rc_aws_call_many's threads) queue a transfer and block on a
 * condition variable until the worker finishes it. The multi handle keeps the
 * connection cache, so keep-alive connections are reused per host; at most
 * max_parallel transfers run at once, the rest wait in the queue. The worker
 * starts on the first transfer and stops in rc_aws__http_free. */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws_int.h"
#include "rc_alloc.h"
#include "rc_limits.h"

#define HEADER_CAP (256u * 1024u)

struct job {
  const struct rc_aws_http_req *req;
  const struct rc_aws__http_opts *opts;
  struct rc_aws_http_resp *resp;
  struct rc_aws__http_err *err;
  struct rc_buf body, hdrs;
  struct curl_slist *slist;
  CURL *easy;
  char errbuf[CURL_ERROR_SIZE];
  bool too_big;
  bool done;
  struct job *next;
};

struct rc_aws__http {
  pthread_mutex_t mu;
  pthread_cond_t done_cv;
  pthread_t worker;
  bool started, stop;
  CURLM *multi;
  struct job *head, *tail; /* queued, not yet in the multi handle */
  int active, max_parallel;
  size_t body_cap;
  long low_speed_s;        /* under 1 byte/s for this long: the transfer fails */
  CURL *idle[64];          /* easy handles kept for reuse */
  int nidle;
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static void global_init(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

struct rc_aws__http *rc_aws__http_new(int max_parallel)
{
  pthread_once(&global_once, global_init);
  struct rc_aws__http *h = rc_calloc(1, sizeof *h);
  pthread_mutex_init(&h->mu, NULL);
  pthread_cond_init(&h->done_cv, NULL);
  h->max_parallel = max_parallel > 0 ? max_parallel : 10;
  h->body_cap = RC_LIMIT_HTTP_BODY;
  h->low_speed_s = RC_AWS_LOW_SPEED_TIME_S;
  h->multi = curl_multi_init();
  curl_multi_setopt(h->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)h->max_parallel);
  curl_multi_setopt(h->multi, CURLMOPT_MAXCONNECTS, (long)h->max_parallel * 2);
  return h;
}

void rc_aws__http_set_body_cap(struct rc_aws__http *h, size_t cap) { h->body_cap = cap; }
void rc_aws__http_set_low_speed_time(struct rc_aws__http *h, long seconds) { h->low_speed_s = seconds; }

void rc_aws__http_free(struct rc_aws__http *h)
{
  if (!h) return;
  pthread_mutex_lock(&h->mu);
  h->stop = true;
  bool started = h->started;
  pthread_mutex_unlock(&h->mu);
  if (started) {
    curl_multi_wakeup(h->multi);
    pthread_join(h->worker, NULL);
  }
  for (int i = 0; i < h->nidle; i++) curl_easy_cleanup(h->idle[i]);
  curl_multi_cleanup(h->multi);
  pthread_cond_destroy(&h->done_cv);
  pthread_mutex_destroy(&h->mu);
  rc_free(h);
}

void rc_aws__http_resp_free(struct rc_aws_http_resp *r)
{
  if (!r) return;
  rc_free(r->body);
  rc_free(r->headers);
  r->body = r->headers = NULL;
  r->len = 0;
}

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
  struct job *j = ud;
  size_t len = sz * n;
  if (j->body.len + len > j->body.max || rc_buf_append(&j->body, p, len) != RC_OK) {
    j->too_big = true;
    return 0;
  }
  return len;
}

static size_t on_header(char *p, size_t sz, size_t n, void *ud)
{
  struct job *j = ud;
  size_t len = sz * n;
  if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) rc_buf_reset(&j->hdrs); /* 100-continue, redirects */
  if (rc_buf_append(&j->hdrs, p, len) != RC_OK) return 0;
  return len;
}

static CURL *setup(struct rc_aws__http *h, struct job *j)
{
  CURL *e = h->nidle ? h->idle[--h->nidle] : curl_easy_init();
  curl_easy_reset(e);
  const struct rc_aws_http_req *r = j->req;
  const struct rc_aws__http_opts *o = j->opts;
  curl_easy_setopt(e, CURLOPT_URL, r->url);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
  const char *ca = getenv("AWS_CA_BUNDLE");
  if (ca && *ca) curl_easy_setopt(e, CURLOPT_CAINFO, ca);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, o && o->connect_ms ? o->connect_ms : 10000L);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o && o->total_ms ? o->total_ms : 120000L);
  /* an endpoint that never answers, or drips, fails in bounded time rather
   * than holding a walker thread until the total timeout */
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, h->low_speed_s);
  if (o && o->no_proxy) curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(e, CURLOPT_USERAGENT, "recon/0.1.0");
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, j);
  curl_easy_setopt(e, CURLOPT_PRIVATE, j);
  curl_off_t cap = (curl_off_t)h->body_cap;
  curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, cap);
  const char *m = r->method ? r->method : "GET";
  if (strcmp(m, "GET") == 0) {
    curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
  } else if (strcmp(m, "HEAD") == 0) {
    curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body ? r->body : "");
    if (strcmp(m, "POST") != 0) curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m);
  }
  for (const char *const *hp = r->headers; hp && *hp; hp++) j->slist = curl_slist_append(j->slist, *hp);
  j->slist = curl_slist_append(j->slist, "Expect:");
  if (strcmp(m, "POST") == 0 || strcmp(m, "PUT") == 0) {
    bool ct = false;
    for (const char *const *hp = r->headers; hp && *hp; hp++)
      if (strncasecmp(*hp, "content-type:", 13) == 0) ct = true;
    if (!ct) j->slist = curl_slist_append(j->slist, "Content-Type:");
  }
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->slist);
  return e;
}

static void finish(struct rc_aws__http *h, struct job *j, CURLcode rc)
{
  long status = 0;
  curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
  struct rc_aws__http_err *e = j->err;
  memset(e, 0, sizeof *e);
  if (rc != CURLE_OK) {
    e->curl_code = (int)rc;
    e->timeout = rc == CURLE_OPERATION_TIMEDOUT;
    e->too_big = j->too_big || rc == CURLE_FILESIZE_EXCEEDED;
    if (e->too_big)
      snprintf(e->msg, sizeof e->msg, "the answer is larger than the %zu-byte limit", h->body_cap);
    else
      snprintf(e->msg, sizeof e->msg, "%s", j->errbuf[0] ? j->errbuf : curl_easy_strerror(rc));
    status = 0;
  } else if (status == 0) {
    snprintf(e->msg, sizeof e->msg, "empty reply from server");
    e->curl_code = (int)CURLE_GOT_NOTHING;
  }
  j->resp->status = (int)status;
  j->resp->len = j->body.len;
  j->resp->body = rc_buf_detach(&j->body);
  j->resp->headers = rc_buf_detach(&j->hdrs);
  curl_slist_free_all(j->slist);
  j->slist = NULL;
  if (h->nidle < 64) h->idle[h->nidle++] = j->easy;
  else curl_easy_cleanup(j->easy);
  j->easy = NULL;
}

static void *worker(void *arg)
{
  struct rc_aws__http *h = arg;
  pthread_mutex_lock(&h->mu);
  while (!h->stop || h->active || h->head) {
    while (h->head && h->active < h->max_parallel) {
      struct job *j = h->head;
      h->head = j->next;
      if (!h->head) h->tail = NULL;
      j->easy = setup(h, j);
      curl_multi_add_handle(h->multi, j->easy);
      h->active++;
    }
    pthread_mutex_unlock(&h->mu);
    int running = 0;
    curl_multi_perform(h->multi, &running);
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(h->multi, &left))) {
      if (msg->msg != CURLMSG_DONE) continue;
      struct job *j = NULL;
      CURL *e = msg->easy_handle;
      CURLcode rc = msg->data.result;
      curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&j);
      curl_multi_remove_handle(h->multi, e);
      pthread_mutex_lock(&h->mu);
      finish(h, j, rc);
      j->done = true;
      h->active--;
      pthread_cond_broadcast(&h->done_cv);
      pthread_mutex_unlock(&h->mu);
    }
    pthread_mutex_lock(&h->mu);
    bool idle = !h->head || h->active >= h->max_parallel;
    pthread_mutex_unlock(&h->mu);
    if (idle) curl_multi_poll(h->multi, NULL, 0, 1000, NULL);
    pthread_mutex_lock(&h->mu);
  }
  pthread_mutex_unlock(&h->mu);
  return NULL;
}

void rc_aws__http_do(struct rc_aws__http *h, const struct rc_aws_http_req *req,
                     const struct rc_aws__http_opts *o, struct rc_aws_http_resp *resp,
                     struct rc_aws__http_err *e)
{
  struct job j = {.req = req, .opts = o, .resp = resp, .err = e};
  memset(resp, 0, sizeof *resp);
  rc_buf_init(&j.body, h->body_cap);
  rc_buf_init(&j.hdrs, HEADER_CAP);
  pthread_mutex_lock(&h->mu);
  if (!h->started) {
    h->started = true;
    pthread_create(&h->worker, NULL, worker, h);
  }
  if (h->tail) h->tail->next = &j;
  else h->head = &j;
  h->tail = &j;
  pthread_mutex_unlock(&h->mu);
  curl_multi_wakeup(h->multi);
  pthread_mutex_lock(&h->mu);
  while (!j.done) pthread_cond_wait(&h->done_cv, &h->mu);
  pthread_mutex_unlock(&h->mu);
}

bool rc_aws__header(const char *block, const char *name, char *out, size_t outsz)
{
  if (!block) return false;
  size_t nl = strlen(name);
  for (const char *p = block; *p;) {
    const char *e = strchr(p, '\n');
    size_t l = e ? (size_t)(e - p) : strlen(p);
    if (l > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
      const char *v = p + nl + 1;
      const char *ve = p + l;
      while (v < ve && (*v == ' ' || *v == '\t')) v++;
      while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t')) ve--;
      snprintf(out, outsz, "%.*s", (int)(ve - v), v);
      return true;
    }
    if (!e) break;
    p = e + 1;
  }
  return false;
}
