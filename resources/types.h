/* types — the list of resource type rows, as one X-macro (the registry turns
 * it into rc_resource_types[]). One line per type; keep resources first,
 * then data sources. */
#ifndef RC_TYPES_H
#define RC_TYPES_H

#define RC_RESOURCE_ROWS(X) \
  X(rc_rt_vpc)              \
  X(rc_rt_subnet)              \
  X(rc_rt_internet_gateway)    \
  X(rc_rt_eip)                 \
  X(rc_rt_nat_gateway)         \
  X(rc_rt_route_table)         \
  X(rc_rt_route)               \
  X(rc_rt_route_table_association) \
  X(rc_rt_security_group)      \
  X(rc_rt_vpc_security_group_ingress_rule) \
  X(rc_rt_vpc_security_group_egress_rule) \
  X(rc_rt_security_group_rule)  \
  X(rc_rt_cloudwatch_log_group)   \
  X(rc_rt_iam_role)              \
  X(rc_rt_iam_role_policy)       \
  X(rc_rt_iam_role_policy_attachment) \
  X(rc_rt_ecs_cluster)           \
  X(rc_rt_ecs_task_definition)   \
  X(rc_rt_ecs_service)           \
  X(rc_rt_lb)                    \
  X(rc_rt_lb_target_group)       \
  X(rc_rt_lb_listener)           \
  X(rc_rt_lb_listener_rule)      \
  X(rc_rt_ecs_cluster_capacity_providers) \
  X(rc_ds_availability_zones)   \
  X(rc_ds_region)               \
  X(rc_ds_caller_identity)      \
  X(rc_ds_vpc)                  \
  X(rc_ds_subnets)              \
  X(rc_ds_subnet)               \
  X(rc_ds_iam_policy_document)  \
  X(rc_ds_iam_role)             \
  X(rc_ds_ecs_task_definition)

#endif
