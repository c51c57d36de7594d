variable "db_password" {
  type      = string
  default   = "hunter2"
  sensitive = true
}

locals {
  connection = "postgres://app:${var.db_password}@db:5432/app"
}

output "connection" {
  value = local.connection
}
