variable "name" {
  description = "Name of the application."
  type        = string
  default     = "my-app"
}

variable "region" {
  description = "AWS region of the existing VPC."
  type        = string
  default     = "us-east-1"
}

variable "vpc_tags" {
  description = "Tags that identify the existing VPC (exactly one VPC must match)."
  type        = map(string)
  default = {
    Name = "shared"
  }
}

variable "image_repository" {
  description = "Container image repository, without the tag."
  type        = string
  default     = "public.ecr.aws/docker/library/my-app"
}

variable "image_tag" {
  description = "Image tag to run."
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

variable "health_check_path" {
  description = "Path the load balancer probes."
  type        = string
  default     = "/health"
}

variable "allowed_cidr_blocks" {
  description = "Who may reach the load balancer."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}
