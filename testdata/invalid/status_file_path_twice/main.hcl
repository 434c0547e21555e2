node "mailsv" {
  address = "10.0.1.10"
}
node "objsv" {
  address = "10.0.1.30"
}

status_file "sts" {
  node = node.objsv
  logical_file "sts1" {
    a_file = "D:\\sts\\sts1"
    b_file = "E:\\sts\\sts1"
  }
  logical_file "sts2" {
    a_file = "D:\\sts\\sts2"
    b_file = "d:\\STS\\sts1"
  }
}
