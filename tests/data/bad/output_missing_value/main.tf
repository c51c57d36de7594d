output "x" {
  description = "no value"
}
