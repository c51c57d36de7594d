variable "name" { type = string }

output "rendered" {
  value = templatefile("${path.module}/templates/policy.json.tftpl", { name = var.name, ports = [80, 443] })
}
output "root_file" { value = file("${path.root}/banner.txt") }
output "module_path" { value = path.module }
output "files" { value = fileset("${path.module}/templates", "*.tftpl") }
