resourse "aws_vpc" "main" {
}
