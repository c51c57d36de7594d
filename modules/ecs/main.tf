# An ECS cluster running one Fargate service behind a target group: log
# group, execution and task roles, the task definition (one container) and
# the service, with a rolling deployment guarded by the circuit breaker.

locals {
  image = "${var.image_repository}:${var.image_tag}"

  health_check_command = var.health_check_command != null ? var.health_check_command : [
    "CMD-SHELL", "curl -fsS http://localhost:${var.container_port}/ || exit 1",
  ]

  secret_arns_secretsmanager = [for arn in values(var.secrets) : arn if can(regex(":secretsmanager:", arn))]
  secret_arns_ssm            = [for arn in values(var.secrets) : arn if can(regex(":ssm:", arn))]

  # "secrets" only when there are some: AWS drops an empty list.
  container_secrets = {
    for k, v in { secrets = [for name, arn in var.secrets : { name = name, valueFrom = arn }] } : k => v
    if length(var.secrets) > 0
  }

  container = merge({
    name      = var.name
    image     = local.image
    essential = true
    portMappings = [{
      containerPort = var.container_port
      hostPort      = var.container_port
      protocol      = "tcp"
    }]
    environment = [for k, v in var.environment : { name = k, value = v }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = aws_cloudwatch_log_group.this.name
        "awslogs-region"        = var.region
        "awslogs-stream-prefix" = "app"
      }
    }
    healthCheck = {
      command     = local.health_check_command
      interval    = 30
      timeout     = 5
      retries     = 3
      startPeriod = 10
    }
  }, local.container_secrets)
}

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = var.container_insights ? "enabled" : "disabled"
  }

  tags = var.tags
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/ecs/${var.name}"
  retention_in_days = var.log_retention_days

  tags = var.tags
}

# --- IAM: the execution role (ECS pulls the image, writes logs, reads the
# secrets) and the task role (what the application itself may do) ---

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = "${var.name}-execution"
  description        = "ECS task execution role of ${var.name}"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "execution_secrets" {
  count = length(var.secrets) > 0 ? 1 : 0

  dynamic "statement" {
    for_each = length(local.secret_arns_secretsmanager) > 0 ? [local.secret_arns_secretsmanager] : []
    content {
      sid       = "ReadSecrets"
      effect    = "Allow"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = statement.value
    }
  }

  dynamic "statement" {
    for_each = length(local.secret_arns_ssm) > 0 ? [local.secret_arns_ssm] : []
    content {
      sid       = "ReadParameters"
      effect    = "Allow"
      actions   = ["ssm:GetParameters"]
      resources = statement.value
    }
  }
}

resource "aws_iam_role_policy" "execution_secrets" {
  count = length(var.secrets) > 0 ? 1 : 0

  name   = "read-secrets"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution_secrets[0].json
}

resource "aws_iam_role" "task" {
  name               = "${var.name}-task"
  description        = "ECS task role of ${var.name}: what the application may call"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json

  tags = var.tags
}

resource "aws_iam_role_policy" "task" {
  count = var.task_role_policy_json == null ? 0 : 1

  name   = "${var.name}-app"
  role   = aws_iam_role.task.id
  policy = var.task_role_policy_json
}

# --- the task definition: a new revision for every change (e.g. image_tag) ---

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  container_definitions = jsonencode([local.container])

  tags = var.tags
}

# --- the service: Fargate tasks in the private subnets, behind the target group ---

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = aws_ecs_cluster.this.arn
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = var.desired_count
  launch_type     = "FARGATE"

  health_check_grace_period_seconds  = var.health_check_grace_period_seconds
  deployment_minimum_healthy_percent = var.deployment_minimum_healthy_percent
  deployment_maximum_percent         = var.deployment_maximum_percent
  wait_for_steady_state              = var.wait_for_steady_state

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = var.security_group_ids
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = var.target_group_arn
    container_name   = var.name
    container_port   = var.container_port
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  tags = var.tags

  # The execution role must carry its policy before the first task starts.
  depends_on = [aws_iam_role_policy_attachment.execution, aws_iam_role_policy.execution_secrets]
}
