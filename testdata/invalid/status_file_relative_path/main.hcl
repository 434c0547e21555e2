node "objsv" {
  address = "10.0.1.10"
}

status_file "sts1" {
  node    = node.objsv
  a_files = ["/data/a/sts1a1"]
  b_files = ["data/b/sts1b1"]
}
