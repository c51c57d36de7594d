d = "auto_b"
e = "auto_b"
f = "auto_b"
g = "auto_b"
