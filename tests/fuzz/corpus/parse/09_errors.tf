a = [1, 2
b = "unterminated
c = }
d = "\q"
