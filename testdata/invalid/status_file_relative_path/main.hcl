node "mailsv" {
  address = "10.0.1.10"
}
node "objsv" {
  address = "10.0.1.30"
}

# Status files are on NTFS and named from the drive letter; a POSIX path is refused.
status_file "sts" {
  node = node.objsv
  logical_file "sts1" {
    a_file = "/data/a/sts1a"
    b_file = "E:\\sts\\sts1b"
  }
}
