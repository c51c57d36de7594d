output "vpc_id" {
  description = "ID of the VPC that was found."
  value       = data.aws_vpc.this.id
}

output "alb_dns_name" {
  description = "Open http://<this>/ in a browser."
  value       = module.alb.dns_name
}

output "service_name" {
  description = "Name of the ECS service."
  value       = module.ecs.service_name
}

output "image" {
  description = "Image of the task definition revision in the configuration."
  value       = module.ecs.image
}
