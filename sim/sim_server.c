/* sim_server.c — libmicrohttpd front of recon-sim: collects the raw URI,
 * headers and body of each request into a struct rc_sim_call, dispatches
 * it, and sends the answer (or closes the connection for a drop). */
#include "sim_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <microhttpd.h>
#include "common/rc_alloc.h"
#include "common/rc_buf.h"
#include "common/rc_limits.h"
#include "sim.h"

struct rc_sim_server {
  struct MHD_Daemon *d;
};

struct conn_state {
  char *raw_uri;
  struct rc_buf body;
  bool started;
  bool too_big;
};

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
  struct conn_state *st = rc_calloc(1, sizeof *st);
  st->raw_uri = rc_strdup(uri);
  rc_buf_init(&st->body, RC_LIMIT_HTTP_BODY);
  return st;
}

static void on_done(void *cls, struct MHD_Connection *conn, void **con_cls,
                    enum MHD_RequestTerminationCode toe)
{
  struct conn_state *st = *con_cls;
  if (!st) return;
  rc_free(st->raw_uri);
  rc_buf_free(&st->body);
  rc_free(st);
  *con_cls = NULL;
}

static enum MHD_Result add_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
  rc_sim_call_header(cls, key, value ? value : "");
  return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
  struct conn_state *st = *con_cls;
  if (!st) return MHD_NO;
  if (!st->started) {
    st->started = true;
    return MHD_YES;
  }
  if (*upload_size) {
    if (rc_buf_append(&st->body, upload_data, *upload_size) != RC_OK) st->too_big = true;
    *upload_size = 0;
    return MHD_YES;
  }
  if (st->too_big) return MHD_NO;
  struct rc_sim_call *c = rc_sim_call_new(method, st->raw_uri, st->body.ptr, st->body.len);
  MHD_get_connection_values(conn, MHD_HEADER_KIND, add_header, c);
  rc_sim_dispatch(c);
  if (c->resp.drop) {
    rc_sim_call_free(c);
    return MHD_NO;
  }
  struct MHD_Response *r = MHD_create_response_from_buffer(c->resp.body.len, c->resp.body.ptr,
                                                           MHD_RESPMEM_MUST_COPY);
  if (c->resp.content_type[0])
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, c->resp.content_type);
  if (c->req.request_id[0]) {
    bool s3 = c->svc && c->svc->protocol == RC_SIM_REST_XML;
    MHD_add_response_header(r, s3 ? "x-amz-request-id" : "x-amzn-RequestId",
                            c->req.request_id);
  }
  MHD_add_response_header(r, "Server", "recon-sim");
  for (size_t i = 0; i < c->resp.n_headers; i++)
    MHD_add_response_header(r, c->resp.headers[i].key, c->resp.headers[i].val);
  enum MHD_Result ret = MHD_queue_response(conn, (unsigned)c->resp.status, r);
  MHD_destroy_response(r);
  rc_sim_call_free(c);
  return ret;
}

rc_status rc_sim_server_start(const char *host, int port, struct rc_sim_server **out,
                              int *bound_port)
{
  *out = NULL;
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)port);
  if (strcmp(host, "localhost") == 0) host = "127.0.0.1";
  if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) return RC_USAGE;
  if ((ntohl(sa.sin_addr.s_addr) >> 24) != 127) return RC_USAGE; /* loopback only */
  if (port < 0 || port > 65535) return RC_USAGE;
  struct MHD_Daemon *d = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL,
      (uint16_t)port, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
      MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL,
      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120, MHD_OPTION_LISTEN_BACKLOG_SIZE,
      (unsigned)1024, MHD_OPTION_END);
  if (!d) return RC_NETWORK;
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  *bound_port = info ? info->port : port;
  struct rc_sim_server *s = rc_calloc(1, sizeof *s);
  s->d = d;
  *out = s;
  return RC_OK;
}

void rc_sim_server_stop(struct rc_sim_server *s)
{
  if (!s) return;
  MHD_stop_daemon(s->d);
  rc_free(s);
}
