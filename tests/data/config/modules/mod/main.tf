variable "label" {
  type = string
}
resource "aws_subnet" "s" {
  count      = 2
  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index)
  tags       = { Name = "${var.label}-${count.index}" }
}
output "label" {
  value = upper(var.label)
}
output "vpc_ref" {
  value = aws_subnet.s[0].vpc_id
}
