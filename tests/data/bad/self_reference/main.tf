resource "aws_vpc" "main" {
  cidr_block = aws_vpc.main.cidr_block
}
