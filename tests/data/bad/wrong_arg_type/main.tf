locals {
  a = upper([1, 2])
}
