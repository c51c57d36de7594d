variable "x" {
  type = strin
}
