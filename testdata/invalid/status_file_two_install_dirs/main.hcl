node "objsv" {
  address = "10.0.1.10"
}

status_file "sts1" {
  node            = node.objsv
  definition_file = "/etc/sts.def"
  a_files         = ["/data/a/sts1a1"]
  b_files         = ["/data/b/sts1b1"]
}

status_file "sts2" {
  node            = node.objsv
  definition_file = "/etc/sts.def"
  install_dir     = "/opt/HiOBJ2"
  a_files         = ["/data/a/sts2a1"]
  b_files         = ["/data/b/sts2b1"]
}
