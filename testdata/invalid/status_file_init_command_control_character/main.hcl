node "objsv" {
  address = "10.0.1.30"
}

status_file "sts" {
  node         = node.objsv
  init_command = ["D:\\HiOBJ\\bin\\xodstsinit.exe", "{file}\u001b"]
  logical_file "sts1" {
    a_file = "D:\\sts\\sts1a"
    b_file = "E:\\sts\\sts1b"
  }
}
