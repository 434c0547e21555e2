# IIS (Web and FTP) as one failover group whose policy is two of the four servers, SV1 -> SV2
# (seed 001, 1.1.1, figure 3; figure 4 shows it on SV2 after SV1 failed). SV3 and SV4 are cluster
# members but never run this group: a failure of both SV1 and SV2 stops IIS.

locals {
  # Clients connect to this address only (seed 001, 1.1.1); it is none of the servers' own.
  vip = "10.0.0.100"
}

group "iis" {
  cluster = cluster.web
  comment = "IIS Web/FTP, single standby on SV1 and SV2"
  policy  = [cluster.web.node.sv1, cluster.web.node.sv2]

  resource "vip" "vip1" {
    ip      = local.vip
    netmask = "255.255.255.0"
  }
  # Switchable partition holding wwwroot and ftproot (1.1.4); only SV1 and SV2 need a path to it.
  resource "disk" "disk1" {
    device = "F:"
  }
  resource "exec" "iis" {
    script     = script.iis
    depends_on = [vip.vip1, disk.disk1]
  }
}

# START.BAT / STOP.BAT of seed 001, 1.1.5.1 (single standby), without the sample's broadcasts.
script "iis" {
  description = "IIS single standby (seed 001, 1.1.5.1)"
  env_prefix  = "ARMS"

  # Started in this order, stopped in reverse (ARMKILL FTPService, then WWWService).
  service "WWWService" {
    name = "W3SVC"
  }
  service "FTPService" {
    name = "MSFTPSVC"
  }

  on_disk_failure = "abort"
}
