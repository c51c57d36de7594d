variable "name" {
  description = "Name prefix of the two security groups (<name>-alb and <name>-app)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9-]{0,59}$", var.name))
    error_message = "The name must be 1 to 60 letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "vpc_id" {
  description = "ID of the VPC the groups belong to."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "The vpc_id must look like vpc-0123456789abcdef0."
  }
}

variable "container_port" {
  description = "Port the application containers listen on; the only port the app group admits, and only from the load balancer's group."
  type        = number

  validation {
    condition     = var.container_port >= 1 && var.container_port <= 65535 && floor(var.container_port) == var.container_port
    error_message = "The container_port must be a whole number from 1 to 65535."
  }
}

variable "ingress_cidr_blocks" {
  description = "IPv4 CIDR blocks allowed to reach the load balancer's listener ports."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = alltrue([for c in var.ingress_cidr_blocks : can(cidrhost(c, 0))])
    error_message = "Every entry of ingress_cidr_blocks must be a valid IPv4 CIDR block."
  }
}

variable "listener_ports" {
  description = "Load balancer listener ports opened to ingress_cidr_blocks."
  type        = list(number)
  default     = [80, 443]

  validation {
    condition     = length(var.listener_ports) > 0 && alltrue([for p in var.listener_ports : p >= 1 && p <= 65535])
    error_message = "The listener_ports must hold at least one port from 1 to 65535."
  }
}

variable "alb_egress_cidr_blocks" {
  description = "IPv4 CIDR blocks the load balancer may send to (all protocols). The default keeps it inside private address space; the targets are in the VPC."
  type        = list(string)
  default     = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]

  validation {
    condition     = alltrue([for c in var.alb_egress_cidr_blocks : can(cidrhost(c, 0))])
    error_message = "Every entry of alb_egress_cidr_blocks must be a valid IPv4 CIDR block."
  }
}

variable "app_egress_cidr_blocks" {
  description = "IPv4 CIDR blocks the application tasks may send to (all protocols); they pull images and reach AWS APIs through it. Empty: no egress at all."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = alltrue([for c in var.app_egress_cidr_blocks : can(cidrhost(c, 0))])
    error_message = "Every entry of app_egress_cidr_blocks must be a valid IPv4 CIDR block."
  }
}

variable "tags" {
  description = "Tags added to both security groups."
  type        = map(string)
  default     = {}
}
