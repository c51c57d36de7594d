/* services.c — the one table of services recon-sim serves. To add a
 * service: write sim/<name>.c exporting `const struct rc_sim_service
 * rc_sim_svc_<name>`, then add one extern line and one row below. */
#include "sim.h"

extern const struct rc_sim_service rc_sim_svc_ec2;
extern const struct rc_sim_service rc_sim_svc_sts;
extern const struct rc_sim_service rc_sim_svc_logs;
extern const struct rc_sim_service rc_sim_svc_iam;
extern const struct rc_sim_service rc_sim_svc_elbv2;
extern const struct rc_sim_service rc_sim_svc_ecs;
extern const struct rc_sim_service rc_sim_svc_s3;

const struct rc_sim_service *const rc_sim_services[] = {
    &rc_sim_svc_ec2,
    &rc_sim_svc_sts,
    &rc_sim_svc_logs,
    &rc_sim_svc_iam,
    &rc_sim_svc_elbv2,
    &rc_sim_svc_ecs,
    &rc_sim_svc_s3,
    NULL,
};
