variable "ports" {
  default = { http = 80, https = 443 }
}
resource "aws_security_group" "sg" {
  name = "sg"
  dynamic "ingress" {
    for_each = var.ports
    iterator = rule
    content {
      description = rule.key
      from_port   = rule.value
      to_port     = rule.value
      protocol    = "tcp"
    }
  }
  egress {
    from_port = 0
    to_port   = 0
    protocol  = "-1"
  }
  timeouts {
    create = "5m"
  }
  lifecycle {
    create_before_destroy = true
    ignore_changes        = [tags, description]
  }
}
