node "mailsv" {
  address = "10.0.1.10"
}

server_scan "mail" {
  node = node.mailsv
}

scan_server "WinNT01" {
  server_scan = server_scan.mail
  connector   = "192.168.10.21"
  service     = "vk scan"
  port        = 20001
}
