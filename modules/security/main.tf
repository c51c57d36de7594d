locals {
  groups = {
    alb = "Load balancer: HTTP from the internet"
    ecs = "ECS tasks: traffic from the load balancer"
  }
}

resource "aws_security_group" "this" {
  for_each    = local.groups
  name        = "${var.name}-${each.key}"
  description = each.value
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-${each.key}" })

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group_rule" "alb_http" {
  type              = "ingress"
  security_group_id = aws_security_group.this["alb"].id
  from_port         = 80
  to_port           = 80
  protocol          = "tcp"
  cidr_blocks       = var.ingress_cidrs
}

resource "aws_security_group_rule" "ecs_from_alb" {
  type                     = "ingress"
  security_group_id        = aws_security_group.this["ecs"].id
  source_security_group_id = aws_security_group.this["alb"].id
  from_port                = var.container_port
  to_port                  = var.container_port
  protocol                 = "tcp"
}
