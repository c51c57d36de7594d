t = "%{ for k, v in var.m ~}${k}=${v}, %{ endfor ~}%{ if x }y%{ else }n%{ endif }"
e = "\n\t\"\\\u00e9\U0001F600"
