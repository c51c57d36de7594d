module "c" {
  source = "./child"
  nmae   = "x"
}
