output "x" {
  value = aws_vpc.main.id
}
