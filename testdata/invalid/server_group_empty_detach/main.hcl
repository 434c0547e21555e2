node "mailsv" {
  address = "10.0.1.10"
}
node "web1" {
  address = "10.0.1.21"
}
node "web2" {
  address = "10.0.1.22"
}

server_group "web" {
  management   = node.web1
  settings_dir = "/opt/wsmgr/config"
  detach_command = []
  member "m1" {
    node = node.web2
  }
}
