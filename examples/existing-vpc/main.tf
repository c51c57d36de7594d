# Deploys the application into a network that already exists (made by
# another team or another stack): the VPC and its subnets are looked up by
# their tags, and only the security groups, the load balancer and the ECS
# service are managed here.

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
      ManagedBy   = "recon"
    }
  }
}

data "aws_vpc" "this" {
  tags = var.vpc_tags
}

data "aws_subnets" "public" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.this.id]
  }

  tags = {
    Tier = "public"
  }
}

data "aws_subnets" "private" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.this.id]
  }

  tags = {
    Tier = "private"
  }
}

module "security" {
  source = "../../modules/security"

  name                = var.name
  vpc_id              = data.aws_vpc.this.id
  container_port      = var.container_port
  ingress_cidr_blocks = var.allowed_cidr_blocks
  listener_ports      = [80]
}

module "alb" {
  source = "../../modules/alb"

  name               = var.name
  vpc_id             = data.aws_vpc.this.id
  subnet_ids         = data.aws_subnets.public.ids
  security_group_ids = [module.security.alb_security_group_id]
  container_port     = var.container_port
  health_check_path  = var.health_check_path
}

module "ecs" {
  source = "../../modules/ecs"

  name               = var.name
  region             = var.region
  image_repository   = var.image_repository
  image_tag          = var.image_tag
  container_port     = var.container_port
  desired_count      = var.desired_count
  subnet_ids         = data.aws_subnets.private.ids
  security_group_ids = [module.security.app_security_group_id]
  target_group_arn   = module.alb.target_group_arn
}
