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
#
# The servers are Windows Server machines reached through Microsoft's OpenSSH with its default
# shell, cmd.exe (shell = "cmd", set on every node below): the tool reads the settings and
# measures free space over SFTP, and runs each site command as one .exe named by its full path.

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
  ssh {
    shell     = coalesce(var.hosts["web1"].shell, "cmd")
    code_page = var.hosts["web1"].code_page
  }
}
node "web2" {
  address = var.hosts["web2"].address
  port    = var.hosts["web2"].port
  ssh {
    shell     = coalesce(var.hosts["web2"].shell, "cmd")
    code_page = var.hosts["web2"].code_page
  }
}
node "web3" {
  address = var.hosts["web3"].address
  port    = var.hosts["web3"].port
  ssh {
    shell     = coalesce(var.hosts["web3"].shell, "cmd")
    code_page = var.hosts["web3"].code_page
  }
}
node "web4" {
  address = var.hosts["web4"].address
  port    = var.hosts["web4"].port
  ssh {
    shell     = coalesce(var.hosts["web4"].shell, "cmd")
    code_page = var.hosts["web4"].code_page
  }
}

server_group "web" {
  management = node.web1
  # Seed 004 names the config directory under WSMGR for Web's install directory and the system
  # drive; the directory names below are example values (no public source gives WSMGR's
  # default install directory).
  settings_dir = "C:\\Program Files\\WSMGR\\config"
  system_dir   = "C:\\Windows\\Temp" # on the system drive; the tool's run lock goes here

  # The site's commands, run on the management server; {node} is the member's node name,
  # {address} its address. WSMGR for Web documents no command line for its sync or its sync
  # monitor (both are in the admin tool), so the site provides these two (docs/servergroup.md).
  # On a cmd node each is an .exe named by its full path. The paths below are where the lab
  # keeps its LAB-ONLY stand-ins (cluster lab up --windows); put your site's programs there.
  sync_command       = ["C:\\LabSiteTools\\wsmgr-sync.exe", "{node}"]       # have WSMGR sync one member
  sync_check_command = ["C:\\LabSiteTools\\wsmgr-sync-state.exe", "{node}"] # exit 0 finished, 1 syncing, 2 error, 3 disabled
  sync_timeout       = "30m"

  # The site's load balancer: all three or none.
  detach_command      = ["C:\\LabSiteTools\\lbctl.exe", "detach", "{node}"]
  attach_command      = ["C:\\LabSiteTools\\lbctl.exe", "attach", "{node}"]
  in_balancer_command = ["C:\\LabSiteTools\\lbctl.exe", "status", "{node}"] # exit 0 in, 1 out

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
