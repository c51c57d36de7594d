b = "tfvars"
c = "tfvars"
d = "tfvars"
e = "tfvars"
f = "tfvars"
g = "tfvars"
undeclared = 1
