# file()/templatefile() paths resolve from the root module's directory:
# child modules reach their own files through path.module.
module "app" {
  source = "./modules/app"
  name   = "web"
}

locals {
  banner = trimspace(file("banner.txt"))
}

output "rendered" { value = module.app.rendered }
output "root_file" { value = module.app.root_file }
output "module_path" { value = module.app.module_path }
output "banner" { value = local.banner }
output "files" { value = module.app.files }
