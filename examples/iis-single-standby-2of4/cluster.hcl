# The four-server Windows cluster of seed 001, 1.1.1 (figures 3 and 4): four servers,
# of which only SV1 and SV2 carry the IIS group; SV3 and SV4 are left for other groups.

cluster "web" {
  platform = "windows"
  comment  = "IIS single standby on two of four servers (CLUSTERPRO system construction guide, 1.1)"

  node "sv1" {
    address       = var.hosts["sv1"].address
    port          = var.hosts["sv1"].port
    interconnects = ["192.168.0.11", "192.168.1.11"]
    ssh {
      shell     = var.hosts["sv1"].shell
      code_page = var.hosts["sv1"].code_page
    }
  }
  node "sv2" {
    address       = var.hosts["sv2"].address
    port          = var.hosts["sv2"].port
    interconnects = ["192.168.0.12", "192.168.1.12"]
    ssh {
      shell     = var.hosts["sv2"].shell
      code_page = var.hosts["sv2"].code_page
    }
  }
  node "sv3" {
    address       = var.hosts["sv3"].address
    port          = var.hosts["sv3"].port
    interconnects = ["192.168.0.13", "192.168.1.13"]
    ssh {
      shell     = var.hosts["sv3"].shell
      code_page = var.hosts["sv3"].code_page
    }
  }
  node "sv4" {
    address       = var.hosts["sv4"].address
    port          = var.hosts["sv4"].port
    interconnects = ["192.168.0.14", "192.168.1.14"]
    ssh {
      shell     = var.hosts["sv4"].shell
      code_page = var.hosts["sv4"].code_page
    }
  }

  # Two dedicated interconnect LANs; the public LAN is never a heartbeat path here.
  heartbeat "lankhb1" {
    mode         = "kernel"
    interconnect = 0
  }
  heartbeat "lankhb2" {
    mode         = "kernel"
    interconnect = 1
  }

  # Ping the public LAN's gateway to tell a network partition from a dead server.
  network_partition "pingnp1" {
    targets = ["10.0.0.254"]
  }

  monitor "userw" "userw" {}
}
