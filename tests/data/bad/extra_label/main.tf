variable "x" "y" {
}
