node "web1" {
  address = "10.0.1.21"
}
node "web2" {
  address = "10.0.1.22"
}

server_group "web" {
  management         = node.web1
  settings_dir       = "/opt/wsmgr/config"
  sync_command       = ["/usr/local/sbin/wsmgr-sync", "{node}"]
  sync_check_command = ["/usr/local/sbin/wsmgr-sync-state", "{node}"]
  detach_command     = ["/usr/local/bin/lbctl", "detach", "{node}"]
  attach_command     = ["/usr/local/bin/lbctl", "attach", "{node}"]
  member "m1" {
    node = node.web2
  }
}
