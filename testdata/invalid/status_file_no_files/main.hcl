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
  a_files = []
  b_files = []
}
