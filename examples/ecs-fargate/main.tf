# The reference stack: browser -> HTTP 80 -> public ALB (two public subnets)
# -> target group -> Fargate tasks in two private subnets on port 3000.

terraform {
  required_version = ">= 1.9"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Application = var.name
      Environment = var.environment
      ManagedBy   = "recon"
    }
  }
}

module "vpc" {
  source = "../../modules/vpc"

  name       = var.name
  cidr_block = "10.0.0.0/16"
  az_count   = var.az_count
  azs        = var.azs
  nat        = "single"
}

module "security" {
  source = "../../modules/security"

  name                = var.name
  vpc_id              = module.vpc.vpc_id
  container_port      = var.container_port
  ingress_cidr_blocks = var.allowed_cidr_blocks
  listener_ports      = var.certificate_arn == null ? [80] : [80, 443]
}

module "alb" {
  source = "../../modules/alb"

  name               = var.name
  vpc_id             = module.vpc.vpc_id
  subnet_ids         = module.vpc.public_subnet_ids
  security_group_ids = [module.security.alb_security_group_id]
  container_port     = var.container_port
  health_check_path  = var.health_check_path
  certificate_arn    = var.certificate_arn
}

module "ecs" {
  source = "../../modules/ecs"

  name               = var.name
  region             = var.region
  image_repository   = var.image_repository
  image_tag          = var.image_tag
  container_port     = var.container_port
  cpu                = var.cpu
  memory             = var.memory
  desired_count      = var.desired_count
  subnet_ids         = module.vpc.private_subnet_ids
  security_group_ids = [module.security.app_security_group_id]
  target_group_arn   = module.alb.target_group_arn

  environment = {
    APP_ENV = var.environment
    PORT    = tostring(var.container_port)
  }
}
