variable "subnet_ids" {
  type     = list(string)
  default  = null
  nullable = false
}
