module "m" {
  source = "./empty"
}
