# A two-server Windows cluster running IIS single standby (seed 001, 1.1): the group with a
# virtual IP, the switchable partition that holds the content, and an exec resource whose
# declarative script starts and stops the IIS web service.

locals {
  servers = sort(keys(var.servers)) # failover order: the first is active
}

cluster "branch" {
  name     = var.name
  platform = "windows"
  comment  = "IIS single standby of branch ${var.name}"

  # One node block per server; the label is the server's name, so it comes from the input.
  dynamic "node" {
    for_each = var.servers
    labels   = [node.key]
    content {
      address       = node.value.address
      port          = node.value.port
      interconnects = ["${var.interconnect}.${11 + index(local.servers, node.key)}"]
      ssh {
        shell     = node.value.shell
        code_page = node.value.code_page
      }
    }
  }

  heartbeat "lankhb1" {
    mode         = "kernel"
    interconnect = 0
  }

  monitor "userw" "userw" {}
}

group "iis" {
  cluster = cluster.branch
  comment = "IIS of branch ${var.name}"
  policy  = [cluster.branch.node[local.servers[0]], cluster.branch.node[local.servers[1]]]

  resource "vip" "vip1" {
    ip      = var.vip
    netmask = "255.255.255.0"
  }
  resource "disk" "disk1" {
    device = "F:" # the switchable partition with the site's content (1.1.4)
  }
  resource "exec" "iis" {
    script     = script.iis
    depends_on = [vip.vip1, disk.disk1]
  }
}

# START.BAT / STOP.BAT of seed 001, 1.1.5.1: ARMLOAD WWWService /S W3SVC on start, ARMKILL
# WWWService on stop (the branches serve the web only, so the sample's FTP service is left out).
script "iis" {
  description = "IIS single standby (seed 001, 1.1.5.1)"
  env_prefix  = "ARMS" # the sample predates CLP_*

  service "WWWService" {
    name = "W3SVC"
  }
}
