variable "cidr" {
  default = "nope"
  validation {
    condition     = can(cidrhost(var.cidr, 0))
    error_message = "The cidr must be a CIDR block."
  }
}
