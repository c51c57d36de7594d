variable "azs" {
  type    = list(string)
  default = ["eu-west-1a"]
}

resource "aws_subnet" "this" {
  count      = length(var.azs)
  vpc_id     = "vpc-1"
  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index)

  lifecycle {
    precondition {
      condition     = length(var.azs) >= 2
      error_message = "High availability needs at least two availability zones."
    }
  }
}
