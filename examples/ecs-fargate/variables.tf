variable "name" {
  description = "Name of the stack; prefixes every resource"
  type        = string
  default     = "demo"
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "environment" {
  type    = string
  default = "dev"
}

variable "azs" {
  type    = list(string)
  default = ["us-east-1a", "us-east-1b"]
}

variable "image_repository" {
  type    = string
  default = "public.ecr.aws/nginx/nginx"
}

variable "image_tag" {
  description = "The container image tag to deploy"
  type        = string
  default     = "1.0"
}

variable "container_port" {
  type    = number
  default = 80
}

variable "desired_count" {
  type    = number
  default = 2
}
