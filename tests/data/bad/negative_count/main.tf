resource "aws_vpc" "main" {
  count      = -1
  cidr_block = "10.0.0.0/16"
}
