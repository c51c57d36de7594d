variable "names" {
  default = ["x", "y"]
}
module "counted" {
  source = "./mod"
  count  = 2
  label  = "c${count.index}"
}
module "each" {
  source   = "./mod"
  for_each = toset(var.names)
  label    = each.key
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_security_group" "sg" {
  for_each = { api = 80, web = 443 }
  name     = "sg-${each.key}"
  vpc_id   = module.each["x"].vpc_ref
  tags     = { port = each.value }
}
output "labels" {
  value = module.counted[*].label
}
output "each_labels" {
  value = { for k, m in module.each : k => m.label }
}
