variable "name" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "container_port" {
  type    = number
  default = 8080
}

variable "ingress_cidrs" {
  type    = list(string)
  default = ["0.0.0.0/0"]
}

variable "tags" {
  type    = map(string)
  default = {}
}
