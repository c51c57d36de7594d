terraform {
  required_version = ">= 1.5"
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Stack = var.name
    }
  }
}

locals {
  tags = {
    Project     = var.name
    Environment = var.environment
  }
}

module "vpc" {
  source = "../../modules/vpc"
  name   = var.name
  azs    = var.azs
  tags   = local.tags
}

module "security" {
  source         = "../../modules/security"
  name           = var.name
  vpc_id         = module.vpc.vpc_id
  container_port = var.container_port
  tags           = local.tags
}

module "alb" {
  source             = "../../modules/alb"
  name               = var.name
  vpc_id             = module.vpc.vpc_id
  subnet_ids         = module.vpc.public_subnet_ids
  security_group_ids = [module.security.alb_security_group_id]
  container_port     = var.container_port
  health_check_path  = "/health"
  tags               = local.tags
}

module "ecs" {
  source             = "../../modules/ecs"
  name               = var.name
  region             = var.region
  image_repository   = var.image_repository
  image_tag          = var.image_tag
  container_port     = var.container_port
  desired_count      = var.desired_count
  subnet_ids         = module.vpc.public_subnet_ids
  security_group_ids = [module.security.ecs_security_group_id]
  target_group_arn   = module.alb.target_group_arn
  environment        = { APP_ENV = var.environment }
  tags               = local.tags
}
