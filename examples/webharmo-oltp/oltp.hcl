# WEBharmo/OLTP in the IIS single-standby group over every server, SV1 -> SV2 -> SV3 -> SV4
# (seed 001, 1.4.1: an ISAPI extension, so IIS's cluster set-up of 1.1 decides the standby
# type). WEBharmo/OLTP is installed on each server's local disk, with the same OLTP\ENV and
# OLTP\PRINT on every server (1.4.4).

variable "oltp_install_dir" {
  type        = string
  default     = "C:\\WEBharmo"
  description = "WEBharmo/OLTP's installation directory, the same on every server (1.4.4 (2))."
}

variable "oltp_registry_key" {
  type        = string
  default     = "HKLM\\SOFTWARE\\NEC\\WEBharmo\\OLTP"
  description = "The registry key holding WEBharmo/OLTP's settings. The seed does not name it (no public source found): set the key your installation writes."
}

locals {
  vip = "10.0.0.100"
}

group "iis" {
  cluster = cluster.web
  comment = "IIS + WEBharmo/OLTP, single standby over all four servers"
  policy = [
    cluster.web.node.sv1,
    cluster.web.node.sv2,
    cluster.web.node.sv3,
    cluster.web.node.sv4,
  ]

  # 1.4.6 (3): after a failover WEBharmo/OLTP runs with the registry values of the server the
  # group moved to, so they must be the same everywhere: plan warns of a node that differs.
  identical_registry_keys = [var.oltp_registry_key]

  resource "vip" "vip1" {
    ip      = local.vip
    netmask = "255.255.255.0"
  }
  # Switchable partition holding IIS's wwwroot and ftproot (1.1.4).
  resource "disk" "disk1" {
    device = "F:"
  }
  resource "exec" "iis" {
    script     = script.iis_oltp
    depends_on = [vip.vip1, disk.disk1]
  }

  monitor "sdw" "sdw1" {
    target = disk.disk1
  }
}

# The IIS script of 1.1.5.1, which WEBharmo/OLTP requires (1.4.5), with its clean-up before IIS.
script "iis_oltp" {
  description = "IIS single standby with WEBharmo/OLTP (seed 001, 1.1.5.1, 1.4.5)"
  env_prefix  = "ARMS"

  service "WWWService" {
    name = "W3SVC"
  }
  service "FTPService" {
    name = "MSFTPSVC"
  }

  # 1.4.5: before IIS starts, "rmdir /S /Q <dir>\OLTP\TEMP" when the partial-send feature is
  # used and "del /S /Q <dir>\OLTP\PRINT\DOC\*.*" when Web form printing is used. The generated
  # START.BAT writes them right before the ARMLOAD of W3SVC, in every path that starts IIS.
  webharmo_oltp {
    install_dir    = var.oltp_install_dir
    partial_send   = true
    web_form_print = true
  }

  on_disk_failure = "broadcast"
}
