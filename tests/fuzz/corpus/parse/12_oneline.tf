lifecycle { create_before_destroy = true }
dynamic "ingress" {
  for_each = var.rules
  content {
    from_port = ingress.value.port
  }
}
