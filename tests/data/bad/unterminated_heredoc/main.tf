locals {
  a = <<EOT
hello
