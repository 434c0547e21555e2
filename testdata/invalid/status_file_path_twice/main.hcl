node "mailsv" {
  address = "10.0.1.10"
}
node "web1" {
  address = "10.0.1.21"
}
node "web2" {
  address = "10.0.1.22"
}

status_file "sts1" {
  node    = node.mailsv
  a_files = ["/a/1", "/a/2"]
  b_files = ["/b/1", "/a/1"]
}
