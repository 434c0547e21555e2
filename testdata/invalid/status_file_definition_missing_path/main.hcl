node "objsv" {
  address = "10.0.1.30"
}

# The definition content names sts1's A file but not its B file (STS1B would match: NTFS
# names are case-insensitive; sts1bb would not: a longer name).
status_file "sts" {
  node               = node.objsv
  definition_content = <<-EOT
    logical sts1 D:\sts\STS1A E:\sts\sts1bb
  EOT
  logical_file "sts1" {
    a_file = "D:\\sts\\sts1a"
    b_file = "E:\\sts\\sts1b"
  }
}
