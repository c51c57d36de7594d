variable "name" {
  description = "Name of the application; names the cluster, service, load balancer and the /ecs/<name> log group."
  type        = string
  default     = "my-app"
}

variable "region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "us-east-1"
}

variable "environment" {
  description = "Environment name, set as the Environment tag and the container's APP_ENV."
  type        = string
  default     = "dev"
}

variable "az_count" {
  description = "Number of availability zones (one public and one private subnet in each)."
  type        = number
  default     = 2
}

variable "azs" {
  description = "Explicit availability zones; empty: the first az_count zones of the region."
  type        = list(string)
  default     = []
}

variable "image_repository" {
  description = "Container image repository, without the tag."
  type        = string
  default     = "public.ecr.aws/docker/library/my-app"
}

variable "image_tag" {
  description = "Image tag to run: changing it is a deploy, setting the previous one back is a rollback."
  type        = string
  default     = "1.0"
}

variable "container_port" {
  description = "Port the application listens on."
  type        = number
  default     = 3000
}

variable "desired_count" {
  description = "Number of tasks."
  type        = number
  default     = 2
}

variable "cpu" {
  description = "Task CPU units (Fargate sizes)."
  type        = number
  default     = 256
}

variable "memory" {
  description = "Task memory in MiB (a size Fargate allows for cpu)."
  type        = number
  default     = 512
}

variable "health_check_path" {
  description = "Path the load balancer probes on every task."
  type        = string
  default     = "/health"
}

variable "allowed_cidr_blocks" {
  description = "Who may reach the load balancer."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "certificate_arn" {
  description = "ACM certificate for HTTPS; null serves plain HTTP on port 80 only."
  type        = string
  default     = null
}
