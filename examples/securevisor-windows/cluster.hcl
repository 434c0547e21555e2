# The two-server Windows cluster of seed 002 (figures 1 and 2): server 1 is active, server 2 stands
# by. There is no shared disk: the database is on a mirror disk, so each server has a mirror
# connect LAN besides its heartbeat LANs, like the vendor's two-server Windows mirror sample
# (windows-2nodes-mirror.clp.conf).

cluster "securevisor" {
  platform = "windows"
  comment  = "WebSAM SecureVisor DomainManager (CLUSTERPRO X PP guide, WebSAM SecureVisor)"

  node "sv1" {
    address        = var.hosts["sv1"].address
    port           = var.hosts["sv1"].port
    interconnects  = ["192.168.0.11", "192.168.1.11"]
    mirror_connect = "192.168.1.11"
    ssh {
      shell     = var.hosts["sv1"].shell
      code_page = var.hosts["sv1"].code_page
    }
  }
  node "sv2" {
    address        = var.hosts["sv2"].address
    port           = var.hosts["sv2"].port
    interconnects  = ["192.168.0.12", "192.168.1.12"]
    mirror_connect = "192.168.1.12"
    ssh {
      shell     = var.hosts["sv2"].shell
      code_page = var.hosts["sv2"].code_page
    }
  }

  heartbeat "lankhb1" {
    mode         = "kernel"
    interconnect = 0
  }
  heartbeat "lankhb2" {
    mode         = "kernel"
    interconnect = 1
  }

  # Two servers and a mirror: without a tie-breaker both would go active after a LAN split and
  # the mirror would diverge.
  network_partition "pingnp1" {
    targets = ["10.0.0.254"]
  }

  monitor "userw" "userw" {}
}
