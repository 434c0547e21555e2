# WEB harmo/rdbeuf Ver2.0 as one failover group whose policy is every server, SV1 -> SV2 -> SV3 ->
# SV4 (seed 001, 1.3.1, figure 1; figure 2 shows it on SV4 after SV1..SV3 failed). Single standby
# over all or some nodes (1.3.1 (2)): drop servers from the end of `policy` to use only some.
# WEBharmo/RDBEUF runs on IIS 4.0 or 5.0 (1.3.3), installed on each server as in 1.1.

variable "rdbeuf_data_source" {
  type        = string
  default     = "RDBEUF"
  description = "The ODBC system data source WEBharmo/RDBEUF Ver2.0 uses (1.3.4 step (4))."
}

locals {
  # Clients (browsers) connect to this address only (seed 001, 1.3.1).
  vip = "10.0.0.100"
}

group "webharmo" {
  cluster = cluster.web
  comment = "IIS + WEB harmo/rdbeuf Ver2.0, single standby over all four servers"
  policy = [
    cluster.web.node.sv1,
    cluster.web.node.sv2,
    cluster.web.node.sv3,
    cluster.web.node.sv4,
  ]

  # 1.3.7 (1): the data source WEBharmo/RDBEUF uses must be set up the same on every node (data
  # sources it does not use need not be). A system data source lives in the registry under
  # HKLM\SOFTWARE\ODBC\ODBC.INI\<name> (Microsoft, ODBC "Registry Entries for Data Sources"):
  # plan compares its values on every node of the policy and warns of a node that differs.
  # The WEBharmo/RDBEUF URL set in IIS (1.3.4 step (3)) is not in the registry: see README.md.
  identical_registry_keys = ["HKLM\\SOFTWARE\\ODBC\\ODBC.INI\\${var.rdbeuf_data_source}"]

  # The two resources of 1.3.4: a virtual IP and a switchable partition, large enough for the
  # content; WEBharmo/RDBEUF itself is installed on the switchable partition (1.3.1 (1)).
  resource "vip" "vip1" {
    ip      = local.vip
    netmask = "255.255.255.0"
  }
  resource "disk" "disk1" {
    device = "F:"
  }
  # The IIS script of 1.1.5.1: "スクリプトを作成する上で WEBharmo/RDBEUF VER2.0 に関する記述は
  # ありません" (1.3.5), so WEBharmo/RDBEUF adds nothing to it.
  resource "exec" "iis" {
    script     = script.iis
    depends_on = [vip.vip1, disk.disk1]
  }

  monitor "sdw" "sdw1" {
    target = disk.disk1
  }
}

# START.BAT / STOP.BAT of seed 001, 1.1.5.1 (single standby); W3SVC and MSFTPSVC have startup
# type manual on every server (1.1.4 step (3)).
script "iis" {
  description = "IIS single standby for WEB harmo/rdbeuf Ver2.0 (seed 001, 1.1.5.1, 1.3.5)"
  env_prefix  = "ARMS"

  service "WWWService" {
    name = "W3SVC"
  }
  service "FTPService" {
    name = "MSFTPSVC"
  }

  on_disk_failure = "broadcast"
}
