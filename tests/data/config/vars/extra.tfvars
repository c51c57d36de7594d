e = "file"
f = "file"
g = "file"
