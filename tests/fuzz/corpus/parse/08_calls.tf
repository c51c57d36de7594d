x = concat(a, b...)
y = merge({ a = 1 }, { b = 2 },)
z = lookup(var.m, "k", null)
