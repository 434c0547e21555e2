variable "connectors" {
  type    = list(string)
  default = ["192.168.10.21", "192.168.10.22", "192.168.10.23"]
}

node "mailsv" {
  address = "10.0.1.10"
  port    = 2201
}
node "objsv" {
  address  = "10.0.1.11"
  host_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7oXPOHL1kVFyx4A8wJ6DL4BUbM4J1xKqeZ6qMW6nxn"
}
node "web1" {
  address = "10.0.1.21"
}
node "web2" {
  address = "10.0.1.22"
}
node "web3" {
  address = "10.0.1.23"
}

server_scan "mail" {
  node            = node.mailsv
  install_dir     = "/usr/SrvScan"
  port            = 20000
  check_connector = true
}

scan_server "standby1" {
  server_scan = server_scan.mail
  connector   = var.connectors[2]
  service     = "vkscan"
  port        = 20001
  role        = "standby"
}
scan_server "WinNT02" {
  server_scan = server_scan.mail
  connector   = var.connectors[1]
  service     = "vkscan"
  port        = 20001
  order       = 1
}
scan_server "WinNT01" {
  server_scan = server_scan.mail
  connector   = var.connectors[0]
  service     = "vkscan"
  port        = 20001
  order       = 2
}

status_file "sts" {
  node        = node.objsv
  install_dir = "/opt/HiOBJ"
  # The lab's xodstsinit form and definition format (docs/lab.md): the product's are unknown.
  init_command       = ["/opt/HiOBJ/bin/xodstsinit", "-f", "{file}"]
  definition_content = <<-EOT
    logical sts1 D:\HiOBJ\sts\sts1a e:\hiobj\sts\STS1B
    logical sts2 D:\HiOBJ\sts\sts2a E:\HiOBJ\sts\sts2b
  EOT

  logical_file "sts1" {
    a_file = "D:\\HiOBJ\\sts\\sts1a"
    b_file = "E:\\HiOBJ\\sts\\sts1b"
  }

  logical_file "sts2" {
    a_file = "D:\\HiOBJ\\sts\\sts2a"
    b_file = "E:\\HiOBJ\\sts\\sts2b"
  }
}

server_group "web" {
  management          = node.web1
  settings_dir        = "/opt/wsmgr/config"
  system_dir          = "/var/tmp"
  detach_command      = ["/usr/local/bin/lbctl", "detach", "{node}"]
  attach_command      = ["/usr/local/bin/lbctl", "attach", "{node}"]
  in_balancer_command = ["/usr/local/bin/lbctl", "status", "{node}"]
  sync_command        = ["/usr/local/sbin/wsmgr-sync", "{node}"]
  sync_check_command  = ["/usr/local/sbin/wsmgr-sync-state", "{node}"]
  sync_timeout        = "5m"

  member "web2" {
    node = node.web2
  }
  member "web3" {
    node     = node.web3
    disabled = true
  }
}

# The nodes of this configuration are POSIX test nodes (a Windows path is reached in its MSYS form
# under the node root): said here, since a status file's and a server group's nodes default to
# shell = "cmd" (docs/language.md).
ssh {
  shell = "posix"
}
