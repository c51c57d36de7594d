resource "aws_vpc" "main" {
  count      = 1
  for_each   = {}
  cidr_block = "10.0.0.0/16"
}
