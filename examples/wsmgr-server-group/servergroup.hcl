# A WSMGR for Web server group (seed 004): web1 is the management server, web2..web4 are members.
# Settings are made on the management server only; it compresses them and sends them to the
# members (a sync). A member being synced is unusable, so each is taken out of the load balancer
# first (detach_command), synced, confirmed, and put back (attach_command).
#
# A sync needs free disk on every server: the size of the settings on the system drive
# (system_dir) and twice that in the install directory. Never copy the config directory by hand.

variable "maintenance" {
  type        = list(string)
  default     = []
  description = "Members under maintenance: set disabled, so they are out of the balancer and out of every sync until removed from this list (seed 004, member server maintenance)."
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

  # Run on the management server; {node} is the member's name, {address} its address.
  detach_command = ["/usr/local/bin/lbctl", "detach", "{node}"]
  attach_command = ["/usr/local/bin/lbctl", "attach", "{node}"]

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
