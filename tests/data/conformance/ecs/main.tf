# Idioms of terraform-aws-modules/terraform-aws-ecs (modules/cluster and
# modules/service), for the resource types recon supports: see ../README.md.
variable "cluster_name" {
  type    = string
  default = "conf"
}

variable "cluster_settings" {
  type = any
  default = [
    { name = "containerInsights", value = "enabled" }
  ]
}

variable "cloudwatch_log_group_retention_in_days" {
  type    = number
  default = 90
}

variable "services" {
  type = map(object({
    cpu    = optional(number, 256)
    memory = optional(number, 512)
    container_definitions = map(object({
      image           = string
      essential       = optional(bool, true)
      port            = optional(number)
      environment     = optional(list(object({ name = string, value = string })), [])
      command         = optional(list(string))
      readonly_rootfs = optional(bool)
    }))
    tasks_iam_role_statements = optional(list(object({
      sid       = optional(string)
      actions   = list(string)
      resources = list(string)
    })), [])
  }))
  default = {
    api = {
      container_definitions = {
        app = {
          image       = "public.ecr.aws/nginx/nginx:1.25"
          port        = 80
          environment = [{ name = "MODE", value = "api" }]
        }
        sidecar = {
          image     = "public.ecr.aws/aws-observability/aws-otel-collector:latest"
          essential = false
          command   = ["--config=/etc/ecs/ecs-default-config.yaml"]
        }
      }
      tasks_iam_role_statements = [
        { actions = ["s3:GetObject"], resources = ["arn:aws:s3:::conf/*"] }
      ]
    }
    worker = {
      cpu    = 512
      memory = 1024
      container_definitions = {
        app = { image = "public.ecr.aws/docker/library/busybox:latest" }
      }
    }
  }
}

variable "tags" {
  type    = map(string)
  default = { Project = "conformance" }
}

locals {
  # Accept both the list form and a single object, as the cluster module does
  settings       = flatten([var.cluster_settings])
  log_group_name = "/aws/ecs/${var.cluster_name}"
}

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.cloudwatch_log_group_retention_in_days
  tags              = var.tags
}

resource "aws_ecs_cluster" "this" {
  name = var.cluster_name

  dynamic "setting" {
    for_each = local.settings

    content {
      name  = setting.value.name
      value = setting.value.value
    }
  }

  tags = var.tags
}

module "service" {
  source   = "./modules/service"
  for_each = var.services

  name                      = each.key
  cluster_arn               = aws_ecs_cluster.this.arn
  cpu                       = each.value.cpu
  memory                    = each.value.memory
  container_definitions     = each.value.container_definitions
  log_group_name            = local.log_group_name
  tasks_iam_role_statements = each.value.tasks_iam_role_statements
  tags                      = merge(var.tags, { Service = each.key })

  depends_on = [aws_cloudwatch_log_group.this]
}

output "cluster_arn" {
  value = aws_ecs_cluster.this.arn
}

output "services" {
  value = { for k, s in module.service : k => s.task_definition_family }
}

output "task_role_names" {
  value = compact([for k, s in module.service : s.tasks_iam_role_name])
}

output "conformance" {
  value = "ok"

  precondition {
    condition     = module.service["api"].container_names == ["app", "sidecar"]
    error_message = "container names: ${jsonencode(module.service["api"].container_names)}"
  }
  precondition {
    condition     = module.service["api"].port_mappings == [[{ containerPort = 80, hostPort = 80, protocol = "tcp" }], []]
    error_message = "port mappings: ${jsonencode(module.service["api"].port_mappings)}"
  }
  precondition {
    condition     = module.service["worker"].tasks_iam_role_name == null && module.service["api"].tasks_iam_role_name == "api-tasks"
    error_message = "task roles"
  }
  precondition {
    condition     = jsondecode(module.service["api"].container_json)[1].command == ["--config=/etc/ecs/ecs-default-config.yaml"] && !contains(keys(jsondecode(module.service["worker"].container_json)[0]), "command")
    error_message = "container json: ${module.service["api"].container_json}"
  }
  precondition {
    condition     = module.service["api"].policy_statement_sids == ["Statement0"]
    error_message = "sids: ${jsonencode(module.service["api"].policy_statement_sids)}"
  }
}
