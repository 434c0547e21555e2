node "web1" {
  address = "10.0.1.21"
  ssh {
    shell = "cmd"
  }
}
node "web2" {
  address = "10.0.1.22"
  ssh {
    shell = "cmd"
  }
}

server_group "web" {
  management         = node.web1
  settings_dir       = "C:\\Program Files\\WSMGR\\config"
  system_dir         = "C:\\Windows\\Temp"
  sync_command       = ["C:\\Tools\\wsmgr-sync.exe", "{node}"]
  sync_check_command = ["C:\\Tools\\wsmgr-sync-state.bat", "{node}"]
  member "m1" {
    node = node.web2
  }
}
