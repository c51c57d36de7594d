variable "name" {
  description = "Name of the load balancer; the target group is named <name>-tg."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9]([a-zA-Z0-9-]{0,27}[a-zA-Z0-9])?$", var.name))
    error_message = "The name must be 1 to 29 letters, digits or hyphens, not starting or ending with a hyphen (the target group adds \"-tg\" within AWS's 32-character limit)."
  }
}

variable "vpc_id" {
  description = "ID of the VPC of the target group."
  type        = string
}

variable "subnet_ids" {
  description = "Public subnets of the load balancer, in at least two availability zones."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "An application load balancer needs subnets in at least two availability zones."
  }
}

variable "security_group_ids" {
  description = "Security groups of the load balancer."
  type        = list(string)

  validation {
    condition     = length(var.security_group_ids) >= 1
    error_message = "Give the load balancer at least one security group."
  }
}

variable "container_port" {
  description = "Port the targets (the application containers) listen on."
  type        = number

  validation {
    condition     = var.container_port >= 1 && var.container_port <= 65535 && floor(var.container_port) == var.container_port
    error_message = "The container_port must be a whole number from 1 to 65535."
  }
}

variable "health_check_path" {
  description = "HTTP path the target group probes."
  type        = string
  default     = "/"

  validation {
    condition     = startswith(var.health_check_path, "/")
    error_message = "The health_check_path must start with \"/\"."
  }
}

variable "health_check_matcher" {
  description = "HTTP codes that mean healthy, e.g. \"200\" or \"200-399\"."
  type        = string
  default     = "200-399"

  validation {
    condition     = can(regex("^[0-9]{3}(-[0-9]{3})?(,[0-9]{3}(-[0-9]{3})?)*$", var.health_check_matcher))
    error_message = "The health_check_matcher must be codes or ranges such as \"200\", \"200,204\" or \"200-399\"."
  }
}

variable "health_check_interval" {
  description = "Seconds between health checks (5 to 300)."
  type        = number
  default     = 15

  validation {
    condition     = var.health_check_interval >= 5 && var.health_check_interval <= 300
    error_message = "The health_check_interval must be between 5 and 300 seconds."
  }
}

variable "health_check_timeout" {
  description = "Seconds without an answer that make a check fail (2 to 120, less than the interval)."
  type        = number
  default     = 5

  validation {
    condition     = var.health_check_timeout >= 2 && var.health_check_timeout <= 120
    error_message = "The health_check_timeout must be between 2 and 120 seconds."
  }
}

variable "healthy_threshold" {
  description = "Consecutive successful checks before a target is healthy (2 to 10)."
  type        = number
  default     = 2

  validation {
    condition     = var.healthy_threshold >= 2 && var.healthy_threshold <= 10
    error_message = "The healthy_threshold must be between 2 and 10."
  }
}

variable "unhealthy_threshold" {
  description = "Consecutive failed checks before a target is unhealthy (2 to 10)."
  type        = number
  default     = 3

  validation {
    condition     = var.unhealthy_threshold >= 2 && var.unhealthy_threshold <= 10
    error_message = "The unhealthy_threshold must be between 2 and 10."
  }
}

variable "deregistration_delay" {
  description = "Seconds the target group drains a deregistering target (0 to 3600)."
  type        = number
  default     = 30

  validation {
    condition     = var.deregistration_delay >= 0 && var.deregistration_delay <= 3600
    error_message = "The deregistration_delay must be between 0 and 3600 seconds."
  }
}

variable "idle_timeout" {
  description = "Seconds a connection may stay idle (1 to 4000)."
  type        = number
  default     = 60

  validation {
    condition     = var.idle_timeout >= 1 && var.idle_timeout <= 4000
    error_message = "The idle_timeout must be between 1 and 4000 seconds."
  }
}

variable "certificate_arn" {
  description = "ACM certificate ARN. When set, an HTTPS listener on 443 forwards to the target group and the HTTP listener redirects to HTTPS."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:", var.certificate_arn))
    error_message = "The certificate_arn must be an ACM certificate ARN (arn:aws:acm:...)."
  }
}

variable "ssl_policy" {
  description = "Security policy of the HTTPS listener."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"
}

variable "access_logs_bucket" {
  description = "S3 bucket for access logs; null turns access logs off."
  type        = string
  default     = null
}

variable "access_logs_prefix" {
  description = "Key prefix of the access logs in access_logs_bucket."
  type        = string
  default     = null
}

variable "enable_deletion_protection" {
  description = "Refuse to delete the load balancer through the API."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to the load balancer, target group and listeners."
  type        = map(string)
  default     = {}
}
