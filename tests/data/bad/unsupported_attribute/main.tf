variable "o" {
  default = { name = "a" }
}
locals {
  a = var.o.nmae
}
