node "web1" {
  address = "10.0.1.21"
}
node "web2" {
  address = "10.0.1.22"
}

# The sync is WSMGR's: without sync_command the tool has no way to have WSMGR sync a member.
server_group "web" {
  management         = node.web1
  settings_dir       = "/opt/wsmgr/config"
  sync_check_command = ["/usr/local/sbin/wsmgr-sync-state", "{node}"]
  member "m1" {
    node = node.web2
  }
}
