# Server-Scan on the mail server's system (HI-UX/WE2 in seed 000, 4.8) sending virus checks over
# the LAN to one Scan-Connector on a Windows NT server: the single-server configuration of
# 4.8 (3). That server does every check; if it is lost, the Server-Scan service stops.

variable "check_connector" {
  type        = bool
  default     = false
  description = "Check from the mail server that each Scan-Connector port answers before applying. Off by default because a lab has no Scan-Connector hosts; turn it on in production."
}

node "mailsv" {
  address = var.hosts["mailsv"].address
  port    = var.hosts["mailsv"].port
  ssh {
    shell     = var.hosts["mailsv"].shell
    code_page = var.hosts["mailsv"].code_page
  }
}

server_scan "mail" {
  node        = node.mailsv
  install_dir = "/usr/SrvScan" # vkhoststat and vkattach are in /usr/SrvScan/bin (4.8 (2))
  # Server-Scan's own port: it must differ from the Scan-Connector side's port and from every
  # other program's port (4.8 (2)).
  port            = 20000
  check_connector = var.check_connector
}

scan_server "WinNT01" {
  server_scan = server_scan.mail
  connector   = "10.0.0.41"
  service     = "vkscan"
  port        = 20001
}
