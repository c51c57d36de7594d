/* A tiny HTTP/1.1 server on 127.0.0.1 for the AWS client's tests (IMDS,
 * container credentials, STS, the real transport). A thread per connection,
 * keep-alive, Content-Length bodies. The handler fills status, headers and
 * body for each request. Header-only (static functions). */
#ifndef RC_LOOPBACK_H
#define RC_LOOPBACK_H
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

struct lb_req {
  char method[16];
  char path[1024];
  char headers[8192];
  char body[65536];
  size_t body_len;
};

struct lb_resp {
  int status;
  char headers[1024]; /* extra lines, each ending \r\n */
  char *body;         /* malloc'd or NULL */
  size_t len;
};

typedef void (*lb_handler)(void *ud, const struct lb_req *rq, struct lb_resp *rs);

struct loopback {
  int fd, port;
  lb_handler fn;
  void *ud;
  pthread_t th;
  pthread_mutex_t mu;
  int connections, requests;
  volatile bool stop;
};

static inline bool lb_header(const struct lb_req *rq, const char *name, char *out, size_t outsz)
{
  size_t nl = strlen(name);
  for (const char *p = rq->headers; *p;) {
    const char *e = strstr(p, "\r\n");
    if (!e) break;
    if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
      const char *v = p + nl + 1;
      while (*v == ' ') v++;
      snprintf(out, outsz, "%.*s", (int)(e - v), v);
      return true;
    }
    p = e + 2;
  }
  return false;
}

struct lb_conn {
  struct loopback *lb;
  int fd;
};

static void *lb_conn_main(void *arg)
{
  struct lb_conn *cn = arg;
  struct loopback *lb = cn->lb;
  static __thread char buf[200000];
  size_t have = 0;
  for (;;) {
    char *end;
    while (!(end = memmem(buf, have, "\r\n\r\n", 4))) {
      ssize_t n = read(cn->fd, buf + have, sizeof buf - have - 1);
      if (n <= 0) goto done;
      have += (size_t)n;
    }
    struct lb_req *rq = calloc(1, sizeof *rq);
    size_t hlen = (size_t)(end - buf) + 4;
    char *line_end = strstr(buf, "\r\n");
    sscanf(buf, "%15s %1023s", rq->method, rq->path);
    snprintf(rq->headers, sizeof rq->headers, "%.*s", (int)(hlen - (size_t)(line_end + 2 - buf)), line_end + 2);
    char cl[32] = "0";
    lb_header(rq, "Content-Length", cl, sizeof cl);
    size_t blen = (size_t)strtoul(cl, NULL, 10);
    while (have < hlen + blen) {
      ssize_t n = read(cn->fd, buf + have, sizeof buf - have - 1);
      if (n <= 0) { free(rq); goto done; }
      have += (size_t)n;
    }
    rq->body_len = blen < sizeof rq->body - 1 ? blen : sizeof rq->body - 1;
    memcpy(rq->body, buf + hlen, rq->body_len);
    memmove(buf, buf + hlen + blen, have - hlen - blen);
    have -= hlen + blen;
    struct lb_resp rs = {.status = 200};
    pthread_mutex_lock(&lb->mu);
    lb->requests++;
    pthread_mutex_unlock(&lb->mu);
    lb->fn(lb->ud, rq, &rs);
    free(rq);
    if (rs.status < 0) goto done; /* drop the connection without answering */
    char head[2048];
    int hl = snprintf(head, sizeof head, "HTTP/1.1 %d X\r\nContent-Length: %zu\r\n%sConnection: keep-alive\r\n\r\n",
                      rs.status, rs.len, rs.headers);
    if (write(cn->fd, head, (size_t)hl) < 0) { free(rs.body); goto done; }
    if (rs.len && write(cn->fd, rs.body, rs.len) < 0) { free(rs.body); goto done; }
    free(rs.body);
  }
done:
  close(cn->fd);
  free(cn);
  return NULL;
}

static void *lb_main(void *arg)
{
  struct loopback *lb = arg;
  while (!lb->stop) {
    int fd = accept(lb->fd, NULL, NULL);
    if (fd < 0) continue;
    if (lb->stop) { close(fd); break; }
    pthread_mutex_lock(&lb->mu);
    lb->connections++;
    pthread_mutex_unlock(&lb->mu);
    struct lb_conn *cn = malloc(sizeof *cn);
    cn->lb = lb;
    cn->fd = fd;
    pthread_t t;
    pthread_create(&t, NULL, lb_conn_main, cn);
    pthread_detach(t);
  }
  return NULL;
}

static inline void lb_start(struct loopback *lb, lb_handler fn, void *ud)
{
  memset(lb, 0, sizeof *lb);
  pthread_mutex_init(&lb->mu, NULL);
  lb->fn = fn;
  lb->ud = ud;
  lb->fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(lb->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  bind(lb->fd, (struct sockaddr *)&a, sizeof a);
  socklen_t al = sizeof a;
  getsockname(lb->fd, (struct sockaddr *)&a, &al);
  lb->port = ntohs(a.sin_port);
  listen(lb->fd, 64);
  pthread_create(&lb->th, NULL, lb_main, lb);
}

static inline void lb_stop(struct loopback *lb)
{
  lb->stop = true;
  int fd = socket(AF_INET, SOCK_STREAM, 0); /* wake accept() */
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)lb->port),
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0) close(fd);
  else close(fd);
  pthread_join(lb->th, NULL);
  close(lb->fd);
}

static inline void lb_body(struct lb_resp *rs, const char *s)
{
  rs->len = strlen(s);
  rs->body = malloc(rs->len + 1);
  memcpy(rs->body, s, rs->len + 1);
}

#endif
