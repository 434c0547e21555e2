node "web1" {
  address = "10.0.1.21"
}
node "web2" {
  address = "10.0.1.22"
}

# The tool's run lock would be created inside WSMGR's config directory, which only WSMGR writes.
server_group "web" {
  management         = node.web1
  settings_dir       = "C:\\WSMGR\\config"
  system_dir         = "c:/wsmgr/Config/tmp"
  sync_command       = ["C:\\site\\wsmgr-sync.exe", "{node}"]
  sync_check_command = ["C:\\site\\wsmgr-sync-state.exe", "{node}"]
  member "m1" {
    node = node.web2
  }
}
