output "alb_security_group_id" {
  description = "ID of the load balancer's security group."
  value       = aws_security_group.alb.id
}

output "app_security_group_id" {
  description = "ID of the application's security group."
  value       = aws_security_group.app.id
}
