/* elbv2_sim.h — what ELBv2's simulated state offers the other services of
 * recon-sim (ECS registers its tasks in target groups). All functions run
 * with the sim lock held (inside a handler or tick); ARNs are borrowed. */
#ifndef RC_SIM_ELBV2_SIM_H
#define RC_SIM_ELBV2_SIM_H
#include "sim.h"

/* RC_NOT_FOUND when no target group has this ARN; else RC_OK with its
 * port (may be NULL) and whether a listener or rule of a load balancer
 * forwards to it (has_lb may be NULL). */
rc_status rc_sim_elbv2_tg_info(const char *tg_arn, int *port, bool *has_lb);
/* Registers ip:port; its health checks will find it healthy or not. */
rc_status rc_sim_elbv2_register(const char *tg_arn, const char *ip, int port, bool healthy,
                                uint64_t now_ms);
/* Starts draining ip:port; RC_NOT_FOUND when not registered. */
rc_status rc_sim_elbv2_deregister(const char *tg_arn, const char *ip, int port, uint64_t now_ms);
/* "initial", "healthy", "unhealthy", "unused", "draining", or NULL when the
 * target is not (or no longer) registered. */
const char *rc_sim_elbv2_target_state(const char *tg_arn, const char *ip, int port,
                                      uint64_t now_ms);

/* How long a registered target stays "initial" (the -target-health-ms flag). */
int rc_sim_elbv2_health_delay_ms(void);

#endif
