module "vpc" {
  source = "./nope"
}
