node "objsv" {
  address = "10.0.1.30"
}

# xodstsinit's options are the site's; an empty program runs nothing.
status_file "sts" {
  node         = node.objsv
  init_command = ["", "{file}"]
  logical_file "sts1" {
    a_file = "D:\\sts\\sts1a"
    b_file = "E:\\sts\\sts1b"
  }
}
