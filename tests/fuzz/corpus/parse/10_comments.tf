# hash
// slashes
/* block
   comment */
a = 1 # trailing
b {
  c = 2 /* inline */
}
