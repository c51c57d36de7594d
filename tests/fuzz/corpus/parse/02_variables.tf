variable "azs" {
  type    = list(string)
  default = ["us-east-1a", "us-east-1b"]
}
locals {
  n     = length(var.azs)
  cidrs = [for i, az in var.azs : cidrsubnet(var.cidr, 8, i)]
}
