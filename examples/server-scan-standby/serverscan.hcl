# Server-Scan on the mail server's system (HI-UX/WE2 in seed 000, 4.8) with two normal and two
# standby Scan-Connector servers: the configuration of 4.8 (5).
#  - Normally only WinNT01 and WinNT02 check files, sharing the load; WinNT03 and WinNT04 wait.
#  - While one normal server is connected, it carries the load alone (as in 4.8 (4)).
#  - Only when both normal servers are lost do WinNT03 and WinNT04 take the load, shared.
#  - A normal server reattached with vkattach takes over again; the standby servers finish the
#    files they hold and go back to waiting. With no server left the Server-Scan service stops.
# The scan_server blocks declare the servers set up in Server-Scan's environment settings (the
# tool does not write those): vkhoststat must list them normal first, then standby, each by
# `order` (4.8 (1)); the plan reports any difference as something to change there or here.

variable "check_connector" {
  type        = bool
  default     = false
  description = "Check from the mail server that each Scan-Connector port answers before applying. Off by default because a lab has no Scan-Connector hosts; turn it on in production."
}

locals {
  # The Windows NT servers running Scan-Connector; they are not managed over SSH.
  connectors = {
    WinNT01 = "10.0.0.41"
    WinNT02 = "10.0.0.42"
    WinNT03 = "10.0.0.43"
    WinNT04 = "10.0.0.44"
  }
  connector_service = "vkscan"
  connector_port    = 20001 # must differ from server_scan.mail's port (4.8 (2))
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
  node            = node.mailsv
  install_dir     = "/usr/SrvScan"
  port            = 20000
  check_connector = var.check_connector
}

scan_server "WinNT01" {
  server_scan = server_scan.mail
  connector   = local.connectors.WinNT01
  service     = local.connector_service
  port        = local.connector_port
  role        = "normal"
  order       = 1
}

scan_server "WinNT02" {
  server_scan = server_scan.mail
  connector   = local.connectors.WinNT02
  service     = local.connector_service
  port        = local.connector_port
  role        = "normal"
  order       = 2
}

scan_server "WinNT03" {
  server_scan = server_scan.mail
  connector   = local.connectors.WinNT03
  service     = local.connector_service
  port        = local.connector_port
  role        = "standby"
  order       = 1
}

scan_server "WinNT04" {
  server_scan = server_scan.mail
  connector   = local.connectors.WinNT04
  service     = local.connector_service
  port        = local.connector_port
  role        = "standby"
  order       = 2
}
