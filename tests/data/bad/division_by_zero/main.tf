locals {
  a = 1 / 0
}
