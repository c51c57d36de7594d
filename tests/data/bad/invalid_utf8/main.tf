locals {
  a = "ÿþ bad"
}
