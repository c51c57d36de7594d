output "alb_dns_name" {
  description = "Open http://<this>/ in a browser."
  value       = module.alb.dns_name
}

output "service_name" {
  description = "Name of the ECS service."
  value       = module.ecs.service_name
}

output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = module.ecs.cluster_name
}

output "image" {
  description = "Image of the task definition revision in the configuration."
  value       = module.ecs.image
}

output "task_definition_arn" {
  description = "Task definition revision the service runs."
  value       = module.ecs.task_definition_arn
}

output "log_group_name" {
  description = "Where the containers' logs go."
  value       = module.ecs.log_group_name
}

output "vpc_id" {
  description = "ID of the VPC."
  value       = module.vpc.vpc_id
}
