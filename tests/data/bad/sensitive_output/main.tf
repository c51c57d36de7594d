variable "pw" {
  default   = "x"
  sensitive = true
}
output "pw" {
  value = var.pw
}
