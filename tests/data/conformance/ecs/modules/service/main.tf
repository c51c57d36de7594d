variable "name" {
  type = string
}

variable "cluster_arn" {
  type = string
}

variable "cpu" {
  type    = number
  default = 256
}

variable "memory" {
  type    = number
  default = 512
}

variable "container_definitions" {
  type     = any
  default  = {}
  nullable = false
}

variable "log_group_name" {
  type = string
}

variable "tasks_iam_role_statements" {
  type    = any
  default = []
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "create_tasks_iam_role" {
  type    = bool
  default = true
}

locals {
  # The container-definition submodule's idiom: drop nulls so the JSON only
  # holds what was set
  containers = [
    for name, c in var.container_definitions : { for k, v in {
      name                   = name
      image                  = c.image
      essential              = c.essential
      command                = c.command
      readonlyRootFilesystem = c.readonly_rootfs
      environment            = c.environment
      portMappings = c.port == null ? [] : [{
        containerPort = c.port
        hostPort      = c.port
        protocol      = "tcp"
      }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = var.log_group_name
          awslogs-region        = "eu-west-1"
          awslogs-stream-prefix = "ecs"
        }
      }
    } : k => v if v != null }
  ]

  create_tasks_iam_role = var.create_tasks_iam_role && length(var.tasks_iam_role_statements) > 0

  statements = [
    for i, s in var.tasks_iam_role_statements : {
      Sid      = try(coalesce(s.sid), "Statement${i}")
      Effect   = "Allow"
      Action   = s.actions
      Resource = s.resources
    }
  ]
}

resource "aws_iam_role" "task_exec" {
  name = "${var.name}-exec"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "ECSTaskExecutionAssumeRole"
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
    }]
  })

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "task_exec" {
  for_each = toset([
    "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
  ])

  role       = aws_iam_role.task_exec.name
  policy_arn = each.value
}

resource "aws_iam_role" "tasks" {
  count = local.create_tasks_iam_role ? 1 : 0

  name = "${var.name}-tasks"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "tasks" {
  count = local.create_tasks_iam_role ? 1 : 0

  name   = "${var.name}-tasks"
  role   = aws_iam_role.tasks[0].id
  policy = jsonencode({ Version = "2012-10-17", Statement = local.statements })
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  cpu                      = var.cpu
  memory                   = var.memory
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  execution_role_arn       = aws_iam_role.task_exec.arn
  task_role_arn            = try(aws_iam_role.tasks[0].arn, null)
  container_definitions    = jsonencode(local.containers)

  tags = var.tags
}

output "task_definition_family" {
  value = aws_ecs_task_definition.this.family
}

output "tasks_iam_role_name" {
  value = local.create_tasks_iam_role ? "${var.name}-tasks" : null
}

output "container_names" {
  value = [for c in local.containers : c.name]
}

output "port_mappings" {
  value = local.containers[*].portMappings
}

output "container_json" {
  value = jsonencode(local.containers)
}

output "policy_statement_sids" {
  value = local.statements[*].Sid
}
