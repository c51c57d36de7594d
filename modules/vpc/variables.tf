variable "name" {
  description = "Name prefix for every resource"
  type        = string
}

variable "cidr_block" {
  description = "CIDR block of the VPC"
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.cidr_block, 0))
    error_message = "The cidr_block must be a valid IPv4 CIDR block."
  }
}

variable "azs" {
  description = "Availability zones: one public and one private subnet in each"
  type        = list(string)
}

variable "tags" {
  type    = map(string)
  default = {}
}
