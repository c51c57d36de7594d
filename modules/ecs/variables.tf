variable "name" {
  description = "Name of the cluster, service, task definition family and container; the log group is /ecs/<name>."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9_-]{0,54}$", var.name))
    error_message = "The name must be 1 to 55 letters, digits, hyphens or underscores, starting with a letter or digit."
  }
}

variable "region" {
  description = "AWS region of the stack (the awslogs driver writes to the log group there)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "The region must be an AWS region name such as us-east-1."
  }
}

variable "image_repository" {
  description = "Container image repository, without the tag (e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/my-app)."
  type        = string

  validation {
    condition     = length(var.image_repository) > 0 && !can(regex(":[^/]*$", var.image_repository)) && !strcontains(var.image_repository, "@")
    error_message = "The image_repository must be a repository name without a tag or digest."
  }
}

variable "image_tag" {
  description = "Image tag to run. Changing it registers a new task definition revision and rolls the service onto it."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag))
    error_message = "The image_tag must be a valid Docker tag: up to 128 letters, digits, underscores, periods or hyphens, not starting with a period or hyphen."
  }
}

variable "container_port" {
  description = "Port the container listens on; registered in the target group."
  type        = number

  validation {
    condition     = var.container_port >= 1 && var.container_port <= 65535 && floor(var.container_port) == var.container_port
    error_message = "The container_port must be a whole number from 1 to 65535."
  }
}

variable "cpu" {
  description = "Task CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384."
  type        = number
  default     = 256

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.cpu)
    error_message = "The cpu must be one of Fargate's sizes: 256, 512, 1024, 2048, 4096, 8192 or 16384."
  }
}

variable "memory" {
  description = "Task memory in MiB; must be a size Fargate allows for the chosen cpu (256: 512-2048, 512: 1024-4096, 1024: 2048-8192, 2048: 4096-16384 in 1024 steps, 4096: 8192-30720 in 1024 steps, 8192: 16384-61440 in 4096 steps, 16384: 32768-122880 in 8192 steps)."
  type        = number
  default     = 512

  validation {
    condition = contains(try({
      "256"   = [512, 1024, 2048]
      "512"   = range(1024, 4097, 1024)
      "1024"  = range(2048, 8193, 1024)
      "2048"  = range(4096, 16385, 1024)
      "4096"  = range(8192, 30721, 1024)
      "8192"  = range(16384, 61441, 4096)
      "16384" = range(32768, 122881, 8192)
    }[tostring(var.cpu)], []), var.memory)
    error_message = "The cpu/memory pair is not one Fargate allows: 256 takes 512, 1024 or 2048; 512 takes 1024-4096; 1024 takes 2048-8192; 2048 takes 4096-16384 (1024 steps); 4096 takes 8192-30720 (1024 steps); 8192 takes 16384-61440 (4096 steps); 16384 takes 32768-122880 (8192 steps)."
  }
}

variable "desired_count" {
  description = "Number of tasks the service keeps running."
  type        = number
  default     = 2

  validation {
    condition     = var.desired_count >= 0 && var.desired_count <= 1000 && floor(var.desired_count) == var.desired_count
    error_message = "The desired_count must be a whole number from 0 to 1000."
  }
}

variable "environment" {
  description = "Plain environment variables of the container (name => value). Put secrets in secrets, not here."
  type        = map(string)
  default     = {}
}

variable "secrets" {
  description = "Secret environment variables (name => ARN of a Secrets Manager secret or an SSM parameter). The execution role is allowed to read exactly these."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for arn in values(var.secrets) : can(regex("^arn:aws[a-z-]*:(secretsmanager|ssm):", arn))])
    error_message = "Every value of secrets must be a Secrets Manager secret ARN or an SSM parameter ARN."
  }
}

variable "health_check_command" {
  description = "Container health check command (Docker HEALTHCHECK form). null: curl the container port's / path."
  type        = list(string)
  default     = null

  validation {
    condition     = var.health_check_command == null ? true : contains(["CMD", "CMD-SHELL", "NONE"], try(var.health_check_command[0], ""))
    error_message = "The health_check_command must start with \"CMD\", \"CMD-SHELL\" or \"NONE\"."
  }
}

variable "task_role_policy_json" {
  description = "IAM policy (JSON) granting the application what it needs, attached inline to the task role. null: the task role has no permissions."
  type        = string
  default     = null

  validation {
    condition     = var.task_role_policy_json == null ? true : can(jsondecode(var.task_role_policy_json))
    error_message = "The task_role_policy_json must be a JSON policy document."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the container logs (one of the values CloudWatch Logs accepts, 0 = forever)."
  type        = number
  default     = 14

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "The log_retention_days must be a value CloudWatch Logs accepts: 0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "container_insights" {
  description = "Turn on CloudWatch Container Insights for the cluster."
  type        = bool
  default     = false
}

variable "subnet_ids" {
  description = "Private subnets the tasks run in (they get no public IP)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1
    error_message = "Give the service at least one subnet."
  }
}

variable "security_group_ids" {
  description = "Security groups of the tasks."
  type        = list(string)

  validation {
    condition     = length(var.security_group_ids) >= 1
    error_message = "Give the service at least one security group."
  }
}

variable "target_group_arn" {
  description = "Target group the service registers its tasks in."
  type        = string
}

variable "health_check_grace_period_seconds" {
  description = "Seconds the service ignores failing load balancer health checks of a new task."
  type        = number
  default     = 30

  validation {
    condition     = var.health_check_grace_period_seconds >= 0 && var.health_check_grace_period_seconds <= 2147483647
    error_message = "The health_check_grace_period_seconds must not be negative."
  }
}

variable "deployment_minimum_healthy_percent" {
  description = "Lower bound of running tasks during a deployment, in percent of desired_count."
  type        = number
  default     = 100

  validation {
    condition     = var.deployment_minimum_healthy_percent >= 0 && var.deployment_minimum_healthy_percent <= 100
    error_message = "The deployment_minimum_healthy_percent must be between 0 and 100."
  }
}

variable "deployment_maximum_percent" {
  description = "Upper bound of running tasks during a deployment, in percent of desired_count."
  type        = number
  default     = 200

  validation {
    condition     = var.deployment_maximum_percent >= 100 && var.deployment_maximum_percent <= 200
    error_message = "The deployment_maximum_percent must be between 100 and 200."
  }
}

variable "wait_for_steady_state" {
  description = "Make apply wait until the service is steady (and fail when the circuit breaker rolls a deployment back)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
