variable "x" {
  type    = number
  default = "abc"
}
