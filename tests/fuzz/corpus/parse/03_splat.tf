output "ids" { value = aws_subnet.public[*].id }
output "legacy" { value = aws_subnet.public.*.id[0] }
x = a.b.0.1
