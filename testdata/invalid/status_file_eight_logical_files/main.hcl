node "mailsv" {
  address = "10.0.1.10"
}
node "objsv" {
  address = "10.0.1.30"
}

status_file "sts" {
  node = node.objsv
  logical_file "sts1" {
    a_file = "D:\\sts\\sts1a"
    b_file = "E:\\sts\\sts1b"
  }
  logical_file "sts2" {
    a_file = "D:\\sts\\sts2a"
    b_file = "E:\\sts\\sts2b"
  }
  logical_file "sts3" {
    a_file = "D:\\sts\\sts3a"
    b_file = "E:\\sts\\sts3b"
  }
  logical_file "sts4" {
    a_file = "D:\\sts\\sts4a"
    b_file = "E:\\sts\\sts4b"
  }
  logical_file "sts5" {
    a_file = "D:\\sts\\sts5a"
    b_file = "E:\\sts\\sts5b"
  }
  logical_file "sts6" {
    a_file = "D:\\sts\\sts6a"
    b_file = "E:\\sts\\sts6b"
  }
  logical_file "sts7" {
    a_file = "D:\\sts\\sts7a"
    b_file = "E:\\sts\\sts7b"
  }
  logical_file "sts8" {
    a_file = "D:\\sts\\sts8a"
    b_file = "E:\\sts\\sts8b"
  }
}
