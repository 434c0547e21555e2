node "objsv" {
  address = "10.0.1.30"
}

# Without {file} every call would create (or re-initialise) the same file.
status_file "sts" {
  node         = node.objsv
  init_command = ["D:\\HiOBJ\\bin\\xodstsinit.exe", "D:\\sts\\sts1a"]
  logical_file "sts1" {
    a_file = "D:\\sts\\sts1a"
    b_file = "E:\\sts\\sts1b"
  }
}
