node "mailsv" {
  address = "10.0.1.10"
}
node "web1" {
  address = "10.0.1.21"
}
node "web2" {
  address = "10.0.1.22"
}

server_scan "mail" {
  node = node.mailsv
  port = 20000
}

scan_server "WinNT01" {
  server_scan = server_scan.mail
  connector   = "192.168.10.21"
  service     = "vkscan"
  port        = 20001
  role        = "standby"
}

scan_server "WinNT02" {
  server_scan = server_scan.mail
  connector   = "192.168.10.22"
  service     = "vkscan"
  port        = 20001
  role        = "standby"
}
