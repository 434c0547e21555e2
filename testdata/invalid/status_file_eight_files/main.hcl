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
  a_files = ["/a/1", "/a/2", "/a/3", "/a/4", "/a/5", "/a/6", "/a/7", "/a/8"]
  b_files = ["/b/1", "/b/2", "/b/3", "/b/4", "/b/5", "/b/6", "/b/7", "/b/8"]
}
