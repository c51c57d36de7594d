policy = <<-EOT
  {
    "Version": "${var.v}"
  }
  EOT
plain = <<EOF2
raw $${not} %%{not}
EOF2
