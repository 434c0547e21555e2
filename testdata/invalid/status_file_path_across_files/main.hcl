node "mailsv" {
  address = "10.0.1.10"
}
node "objsv" {
  address = "10.0.1.30"
}

status_file "one" {
  node            = node.objsv
  definition_file = "/opt/HiOBJ/conf/sts.one"
  logical_file "sts1" {
    a_file = "D:\\sts\\sts1a"
    b_file = "E:\\sts\\sts1b"
  }
}

status_file "two" {
  node            = node.objsv
  definition_file = "/opt/HiOBJ/conf/sts.two"
  logical_file "sts1" {
    a_file = "D:\\sts\\sts1a"
    b_file = "E:\\sts\\other"
  }
}
