node "objsv" {
  address = "10.0.1.30"
}

status_file "sts" {
  node = node.objsv
  logical_file "sts1" {
    a_file = "D:\\sts\\sts1a"
    b_file = "E:\\sts\\sts1b"
  }
  logical_file "sts1" {
    a_file = "D:\\sts\\sts2a"
    b_file = "E:\\sts\\sts2b"
  }
}
