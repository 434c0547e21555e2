# A WSMGR for Web server group (seed 004): web1 is the management server, web2..web4 are members.
# Settings are made on the management server only, with WSMGR's admin tool; WSMGR itself
# compresses them and sends them to the members (a sync). The tool never copies the config
# directory (seed 004: 「configディレクトリの手動によるコピーは行わないでください」): it only reads
# it, and drives the site's commands around WSMGR's sync. A member being synced is unusable, so
# each is taken out of the load balancer first (detach_command), synced by WSMGR (sync_command),
# confirmed in the sync monitor (sync_check_command), and put back (attach_command).
#
# A sync needs free disk on every server: the size of the settings on the system drive
# (system_dir) and twice that in the install directory.

variable "maintenance" {
  type        = list(string)
  default     = []
  description = "Members under maintenance (seed 004, member server maintenance): kept out of the balancer and out of every sync. Set their 動作種類 to 「無効」 in WSMGR's admin tool as well: the tool cannot."
  validation {
    condition     = !contains(var.maintenance, "web1")
    error_message = "web1 is the management server: to maintain it, first make a member the management server (seed 004)."
  }
}

node "web1" {
  address = var.hosts["web1"].address
  port    = var.hosts["web1"].port
}
node "web2" {
  address = var.hosts["web2"].address
  port    = var.hosts["web2"].port
}
node "web3" {
  address = var.hosts["web3"].address
  port    = var.hosts["web3"].port
}
node "web4" {
  address = var.hosts["web4"].address
  port    = var.hosts["web4"].port
}

server_group "web" {
  management   = node.web1
  settings_dir = "/opt/wsmgr/config" # the config directory under WSMGR for Web's install directory
  system_dir   = "/var/tmp"

  # The site's commands, run on the management server; {node} is the member's node name,
  # {address} its address. WSMGR for Web documents no command line for its sync or its sync
  # monitor (both are in the admin tool), so the site provides these two (docs/servergroup.md).
  sync_command       = ["/usr/local/sbin/wsmgr-sync", "{node}"]       # have WSMGR sync one member
  sync_check_command = ["/usr/local/sbin/wsmgr-sync-state", "{node}"] # exit 0 finished, 1 syncing, 2 error, 3 disabled
  sync_timeout       = "30m"

  # The site's load balancer: all three or none.
  detach_command      = ["/usr/local/bin/lbctl", "detach", "{node}"]
  attach_command      = ["/usr/local/bin/lbctl", "attach", "{node}"]
  in_balancer_command = ["/usr/local/bin/lbctl", "status", "{node}"] # exit 0 in, 1 out

  member "web2" {
    node     = node.web2
    disabled = contains(var.maintenance, "web2")
  }
  member "web3" {
    node     = node.web3
    disabled = contains(var.maintenance, "web3")
  }
  member "web4" {
    node     = node.web4
    disabled = contains(var.maintenance, "web4")
  }
}
