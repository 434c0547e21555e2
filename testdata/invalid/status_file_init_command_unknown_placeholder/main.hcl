node "objsv" {
  address = "10.0.1.30"
}

# {path} is not a placeholder: it would reach xodstsinit as it is.
status_file "sts" {
  node         = node.objsv
  init_command = ["D:\\HiOBJ\\bin\\xodstsinit.exe", "{path}", "{file}"]
  logical_file "sts1" {
    a_file = "D:\\sts\\sts1a"
    b_file = "E:\\sts\\sts1b"
  }
}
