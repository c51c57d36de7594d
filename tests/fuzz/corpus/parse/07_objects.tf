o = {
  a = 1, b : 2
  "c" = 3
  (local.k) = 4
}
g = { for s in var.l : s.k => s.v... if s.ok }
