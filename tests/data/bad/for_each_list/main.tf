resource "aws_vpc" "main" {
  for_each   = ["a", "b"]
  cidr_block = "10.0.0.0/16"
}
