output "alb_dns_name" {
  value = module.alb.dns_name
}

output "vpc_id" {
  value = module.vpc.vpc_id
}

output "service_name" {
  value = module.ecs.service_name
}

output "image" {
  value = "${var.image_repository}:${var.image_tag}"
}
