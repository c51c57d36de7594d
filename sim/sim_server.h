/* sim_server.h — recon-sim's HTTP front (libmicrohttpd): one thread per
 * connection, every request handed to rc_sim_dispatch. The server owns the
 * daemon; rc_sim_server_stop frees it (NULL ok). */
#ifndef RC_SIM_SERVER_H
#define RC_SIM_SERVER_H
#include "common/rc_status.h"

struct rc_sim_server;

/* Listens on 127.0.0.1:port (0 = any free port); *bound_port gets the port.
 * RC_USAGE when host is not a loopback address, RC_NETWORK when binding fails. */
rc_status rc_sim_server_start(const char *host, int port, struct rc_sim_server **out,
                              int *bound_port);
void rc_sim_server_stop(struct rc_sim_server *s);

#endif
