node "objsv" {
  address = "10.0.1.30"
}

# The first logical file of the definition becomes current at a normal start (seed 003): the
# blocks and the content must agree on which.
status_file "sts" {
  node               = node.objsv
  definition_content = <<-EOT
    logical sts2 D:\sts\sts2a E:\sts\sts2b
    logical sts1 D:\sts\sts1a E:\sts\sts1b
  EOT
  logical_file "sts1" {
    a_file = "D:\\sts\\sts1a"
    b_file = "E:\\sts\\sts1b"
  }
  logical_file "sts2" {
    a_file = "D:\\sts\\sts2a"
    b_file = "E:\\sts\\sts2b"
  }
}
