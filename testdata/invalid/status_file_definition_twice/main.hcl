node "mailsv" {
  address = "10.0.1.10"
}
node "objsv" {
  address = "10.0.1.30"
}

status_file "main" {
  node = node.objsv
  logical_file "sts1" {
    a_file = "D:\\sts\\sts1a"
    b_file = "E:\\sts\\sts1b"
  }
}

# Same node, same (default) definition file.
status_file "more" {
  node = node.objsv
  logical_file "sts2" {
    a_file = "D:\\sts\\sts2a"
    b_file = "E:\\sts\\sts2b"
  }
}
