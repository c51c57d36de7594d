variable "name_prefix" {
  type    = string
  default = "this-prefix-is-too-long"

  validation {
    condition     = can(regex("^[a-z0-9-]{1,6}$", var.name_prefix))
    error_message = "The name_prefix must be 1-6 lowercase letters, digits or dashes."
  }
}
