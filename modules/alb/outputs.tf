output "alb_arn" {
  description = "ARN of the load balancer."
  value       = aws_lb.this.arn
}

output "dns_name" {
  description = "DNS name of the load balancer: the address users browse to."
  value       = aws_lb.this.dns_name
}

output "zone_id" {
  description = "Route 53 hosted zone of the load balancer, for alias records."
  value       = aws_lb.this.zone_id
}

output "target_group_arn" {
  description = "ARN of the target group. It is only handed out once the listeners forward to it, so a service that registers into it is created after them."
  value       = aws_lb_target_group.this.arn
  depends_on  = [aws_lb_listener.http, aws_lb_listener.https]
}

output "http_listener_arn" {
  description = "ARN of the HTTP listener."
  value       = aws_lb_listener.http.arn
}

output "https_listener_arn" {
  description = "ARN of the HTTPS listener, or null without a certificate."
  value       = one(aws_lb_listener.https[*].arn)
}

output "listener_arns" {
  description = "ARNs of every listener."
  value       = concat([aws_lb_listener.http.arn], aws_lb_listener.https[*].arn)
}
