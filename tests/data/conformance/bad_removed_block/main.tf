removed {
  from = aws_vpc.old

  lifecycle {
    destroy = false
  }
}
