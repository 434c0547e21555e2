# A two-server Linux mirror-disk cluster shaped like linux-md-exec-current.clp.conf, saved by the
# CLUSTERPRO X 5.3 WebUI (vendor's public repositories, see README.md): one kernel-mode
# heartbeat, the mirror connect on the same interconnect LAN, two failover groups with a mirror
# disk each, an exec resource and a generic monitor in the first group.

cluster "cluster" {
  comment = "Linux mirror disk + exec (reference: linux-md-exec-current.clp.conf)"
  # platform = "linux", install_dir = "/opt/nec/clusterpro" and charset = "EUC-JP" by default.

  node "sv1" {
    address        = var.hosts["sv1"].address
    port           = var.hosts["sv1"].port
    priority       = 0
    interconnects  = ["192.168.122.21"]
    mirror_connect = "192.168.122.21"
    ssh {
      shell     = var.hosts["sv1"].shell
      code_page = var.hosts["sv1"].code_page
    }
  }
  node "sv2" {
    address        = var.hosts["sv2"].address
    port           = var.hosts["sv2"].port
    priority       = 1
    interconnects  = ["192.168.122.22"]
    mirror_connect = "192.168.122.22"
    ssh {
      shell     = var.hosts["sv2"].shell
      code_page = var.hosts["sv2"].code_page
    }
  }

  heartbeat "lankhb1" {
    mode         = "kernel"
    interconnect = 0
    priority     = 0
  }

  monitor "userw" "userw" {}
}
