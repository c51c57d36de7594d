variable "name" {
  description = "Name of the network; prefixes the Name tag of every resource."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9-]{0,47}$", var.name))
    error_message = "The name must be 1 to 48 letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "cidr_block" {
  description = "IPv4 CIDR block of the VPC, /16 to /24."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.cidr_block, 0)) && can(regex("/(1[6-9]|2[0-4])$", var.cidr_block))
    error_message = "The cidr_block must be a valid IPv4 CIDR block with a prefix length between /16 and /24."
  }
}

variable "az_count" {
  description = "How many availability zones to use (the first ones the region reports as available); ignored when azs is set."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 1 && var.az_count <= 6 && floor(var.az_count) == var.az_count
    error_message = "The az_count must be a whole number from 1 to 6."
  }
}

variable "azs" {
  description = "Explicit availability zone names, one public and one private subnet in each. Empty: the first az_count available zones of the region."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.azs) <= 6 && length(distinct(var.azs)) == length(var.azs)
    error_message = "The azs list must hold at most 6 distinct zone names."
  }
}

variable "subnet_newbits" {
  description = "Bits added to the VPC prefix for each subnet (8 turns a /16 into /24 subnets)."
  type        = number
  default     = 8

  validation {
    condition     = var.subnet_newbits >= 2 && var.subnet_newbits <= 12
    error_message = "The subnet_newbits must be between 2 and 12."
  }
}

variable "nat" {
  description = "NAT gateways for the private subnets: \"none\" (no internet egress), \"single\" (one shared NAT in the first public subnet) or \"per_az\" (one NAT per zone)."
  type        = string
  default     = "single"

  validation {
    condition     = contains(["none", "single", "per_az"], var.nat)
    error_message = "The nat must be one of \"none\", \"single\" or \"per_az\"."
  }
}

variable "map_public_ip_on_launch" {
  description = "Give instances launched in the public subnets a public IPv4 address."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
