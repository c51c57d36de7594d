# Idioms of terraform-aws-modules/terraform-aws-security-group (named rules
# looked up in a map of lists) and terraform-aws-alb v9 (maps of listeners,
# target groups and rules with optional attributes): see ../README.md.
variable "vpc_id" {
  type    = string
  default = "vpc-0123456789abcdef0"
}

variable "ingress_rules" {
  type    = list(string)
  default = ["http-80-tcp", "https-443-tcp"]
}

variable "ingress_cidr_blocks" {
  type    = list(string)
  default = ["0.0.0.0/0"]
}

variable "rules" {
  type = map(list(any))
  default = {
    http-80-tcp   = [80, 80, "tcp", "HTTP"]
    https-443-tcp = [443, 443, "tcp", "HTTPS"]
    all-all       = [-1, -1, "-1", "All protocols"]
  }
}

variable "listeners" {
  type = any
  default = {
    http = {
      port     = 80
      protocol = "HTTP"
      redirect = { port = "443", protocol = "HTTPS", status_code = "HTTP_301" }
    }
    https = {
      port            = 443
      protocol        = "HTTPS"
      certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/abc"
      forward         = { target_group_key = "api" }
      rules = {
        static = {
          priority   = 10
          actions    = [{ type = "fixed-response", content_type = "text/plain", status_code = 200 }]
          conditions = [{ path_pattern = { values = ["/static/*"] } }]
        }
      }
    }
  }
}

variable "target_groups" {
  type = map(object({
    name_prefix = optional(string)
    protocol    = optional(string, "HTTP")
    port        = optional(number, 80)
    target_type = optional(string, "ip")
    health_check = optional(object({
      path    = optional(string, "/")
      matcher = optional(string, "200-399")
    }), {})
  }))
  default = {
    api = { name_prefix = "api-", port = 8080, health_check = { path = "/health" } }
  }
}

locals {
  create = true

  listener_rules = flatten([
    for listener_key, listener_values in var.listeners : [
      for rule_key, rule_values in lookup(listener_values, "rules", {}) :
      merge(rule_values, {
        listener_key = listener_key
        rule_key     = rule_key
      })
    ]
  ])
}

resource "aws_security_group" "this" {
  name_prefix = "alb-"
  description = "ALB"
  vpc_id      = var.vpc_id

  tags = { Name = "alb" }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_security_group_rule" "ingress_rules" {
  count = length(var.ingress_rules)

  security_group_id = aws_security_group.this.id
  type              = "ingress"

  cidr_blocks = var.ingress_cidr_blocks
  description = var.rules[var.ingress_rules[count.index]][3]

  from_port = var.rules[var.ingress_rules[count.index]][0]
  to_port   = var.rules[var.ingress_rules[count.index]][1]
  protocol  = var.rules[var.ingress_rules[count.index]][2]
}

resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.this.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_lb" "this" {
  name               = "conf"
  load_balancer_type = "application"
  internal           = false
  security_groups    = [aws_security_group.this.id]
  subnets            = ["subnet-1", "subnet-2"]
}

resource "aws_lb_target_group" "this" {
  for_each = { for k, v in var.target_groups : k => v if local.create }

  name_prefix = each.value.name_prefix
  port        = each.value.port
  protocol    = each.value.protocol
  target_type = each.value.target_type
  vpc_id      = var.vpc_id

  dynamic "health_check" {
    for_each = each.value.health_check != null ? [each.value.health_check] : []

    content {
      path    = health_check.value.path
      matcher = health_check.value.matcher
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_lb_listener" "this" {
  for_each = { for k, v in var.listeners : k => v if local.create }

  load_balancer_arn = aws_lb.this.arn
  port              = try(each.value.port, null)
  protocol          = try(each.value.protocol, null)
  certificate_arn   = try(each.value.certificate_arn, null)

  dynamic "default_action" {
    for_each = try([each.value.redirect], [])

    content {
      type = "redirect"
      redirect {
        port        = try(default_action.value.port, null)
        protocol    = try(default_action.value.protocol, null)
        status_code = default_action.value.status_code
      }
    }
  }

  dynamic "default_action" {
    for_each = try([each.value.forward], [])

    content {
      type             = "forward"
      target_group_arn = aws_lb_target_group.this[default_action.value.target_group_key].arn
    }
  }
}

resource "aws_lb_listener_rule" "this" {
  for_each = { for v in local.listener_rules : "${v.listener_key}/${v.rule_key}" => v }

  listener_arn = aws_lb_listener.this[each.value.listener_key].arn
  priority     = try(each.value.priority, null)

  dynamic "action" {
    for_each = [for action in each.value.actions : action if action.type == "fixed-response"]

    content {
      type = "fixed-response"
      fixed_response {
        content_type = action.value.content_type
        status_code  = try(action.value.status_code, null)
      }
    }
  }

  dynamic "condition" {
    for_each = [for condition in each.value.conditions : condition if contains(keys(condition), "path_pattern")]

    content {
      path_pattern {
        values = condition.value.path_pattern.values
      }
    }
  }
}

output "conformance" {
  value = "ok"

  precondition {
    condition     = [for r in var.ingress_rules : var.rules[r][0]] == ["80", "443"]
    error_message = "rule ports"
  }
  precondition {
    condition     = [for r in local.listener_rules : "${r.listener_key}/${r.rule_key}"] == ["https/static"]
    error_message = "listener rule keys: ${jsonencode(local.listener_rules)}"
  }
  precondition {
    condition     = try([var.listeners.http.forward], []) == [] && length(try([var.listeners.https.forward], [])) == 1
    error_message = "try over missing attributes"
  }
  precondition {
    condition     = var.target_groups.api.health_check.matcher == "200-399" && var.target_groups.api.target_type == "ip"
    error_message = "optional defaults in nested objects"
  }
}
