# Two security groups: the load balancer's, open to the configured CIDRs on
# the listener ports, and the application's, which admits only the load
# balancer's group on the container port.

resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "Load balancer: listener ports from the allowed CIDRs"
  vpc_id      = var.vpc_id

  dynamic "ingress" {
    for_each = var.listener_ports
    content {
      description = "Listener port ${ingress.value}"
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = var.ingress_cidr_blocks
    }
  }

  dynamic "egress" {
    for_each = length(var.alb_egress_cidr_blocks) > 0 ? [var.alb_egress_cidr_blocks] : []
    content {
      description = "To the targets"
      from_port   = 0
      to_port     = 0
      protocol    = "-1"
      cidr_blocks = egress.value
    }
  }

  tags = merge(var.tags, { Name = "${var.name}-alb" })
}

resource "aws_security_group" "app" {
  name        = "${var.name}-app"
  description = "Application tasks: container port from the load balancer only"
  vpc_id      = var.vpc_id

  ingress {
    description     = "From the load balancer"
    from_port       = var.container_port
    to_port         = var.container_port
    protocol        = "tcp"
    security_groups = [aws_security_group.alb.id]
  }

  dynamic "egress" {
    for_each = length(var.app_egress_cidr_blocks) > 0 ? [var.app_egress_cidr_blocks] : []
    content {
      description = "Outbound"
      from_port   = 0
      to_port     = 0
      protocol    = "-1"
      cidr_blocks = egress.value
    }
  }

  tags = merge(var.tags, { Name = "${var.name}-app" })
}
