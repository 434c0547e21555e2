# The four-server Windows cluster of seed 001, 1.6.2 (figures 1 and 2): SV1 is the server with the
# highest priority, SV2..SV4 stand by in that order.

cluster "intranet" {
  platform = "windows"
  comment  = "SURFNAVI (IIS + ExpressMail), single standby on four servers (CLUSTERPRO system construction guide, 1.6)"

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

  # Two dedicated interconnect LANs. SURFNAVI's PacketFilter must be unbound from them (1.6.5
  # steps 6-8) and the public LAN must let the cluster's ports through (step 9, surfnavi.hcl).
  heartbeat "lankhb1" {
    mode         = "kernel"
    interconnect = 0
  }
  heartbeat "lankhb2" {
    mode         = "kernel"
    interconnect = 1
  }

  # The packet filter SURFNAVI installs on every server (1.6.5 step 9, surfnavi.hcl): validate
  # checks that it lets CLUSTERPRO through; the tool does not apply it.
  ports {
    tcp_in  = local.clusterpro_packet_filter.inbound.tcp
    udp_in  = local.clusterpro_packet_filter.inbound.udp
    udp_out = local.clusterpro_packet_filter.outbound.udp
  }

  # Ping the public LAN's gateway to tell a network partition from a dead server.
  network_partition "pingnp1" {
    targets = ["10.10.9.254"]
  }

  monitor "userw" "userw" {}
}
