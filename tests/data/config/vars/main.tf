variable "a" {
  default = "default"
}
variable "b" {
  default = "default"
}
variable "c" {
  default = "default"
}
variable "d" {
  default = "default"
}
variable "e" {
  default = "default"
}
variable "f" {
  default = "default"
}
variable "g" {
  default = "default"
}
variable "list" {
  type    = list(number)
  default = []
}
variable "secret" {
  default   = "s3cret"
  sensitive = true
}
output "all" {
  value = [var.a, var.b, var.c, var.d, var.e, var.f, var.g]
}
output "list" {
  value = var.list
}
