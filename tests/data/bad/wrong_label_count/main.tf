resource "aws_vpc" {
}
