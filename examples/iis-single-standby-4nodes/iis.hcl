# IIS (Web and FTP) as one failover group whose policy is every server, SV1 -> SV2 -> SV3 -> SV4
# (seed 001, 1.1.1, figure 1; figure 2 shows it running on SV4 after SV1..SV3 failed).
# IIS is installed on each server's local disk; the home directories (wwwroot, ftproot) live on
# the switchable partition (1.1.4).

locals {
  # Clients connect to this address only (seed 001, 1.1.1); it is none of the servers' own.
  vip = "10.0.0.100"
}

group "iis" {
  cluster = cluster.web
  comment = "IIS Web/FTP, single standby over all four servers"
  policy = [
    cluster.web.node.sv1,
    cluster.web.node.sv2,
    cluster.web.node.sv3,
    cluster.web.node.sv4,
  ]

  resource "vip" "vip1" {
    ip      = local.vip
    netmask = "255.255.255.0"
  }
  # Switchable partition holding wwwroot and ftproot.
  resource "disk" "disk1" {
    device = "F:"
  }
  resource "exec" "iis" {
    script     = script.iis
    depends_on = [vip.vip1, disk.disk1]
  }

  monitor "sdw" "sdw1" {
    target = disk.disk1
  }
}

# START.BAT / STOP.BAT of seed 001, 1.1.5.1 (single standby). The services' startup type must be
# manual on every server (1.1.4 step 3): the cluster, not Windows, starts them.
script "iis" {
  description = "IIS single standby (seed 001, 1.1.5.1)"
  env_prefix  = "ARMS" # the sample predates CLP_*: ARMS_EVENT, ARMS_DISK, ARMS_SERVER

  # ARMLOAD WWWService /S W3SVC, ARMLOAD FTPService /S MSFTPSVC; stopped in reverse order
  # (ARMKILL FTPService, ARMKILL WWWService).
  service "WWWService" {
    name = "W3SVC"
  }
  service "FTPService" {
    name = "MSFTPSVC"
  }

  # The sample broadcasts where the group started, before it starts the services (position =
  # "before"). Its messages are Japanese ("最高プライオリティサーバで起動中です" ...); they are
  # given in English here because the generated .bat is written in the cluster's charset (ASCII
  # on Windows; a charset = "SJIS" cluster or script could carry the Japanese text).
  hook "START" {
    on       = "home"
    position = "before"
    commands = ["ARMBCAST /MSG \"Starting on the highest-priority server\" /A"]
  }
  hook "START" {
    on       = "other"
    position = "before"
    commands = ["ARMBCAST /MSG \"Starting on a server other than the highest-priority one\" /A"]
  }
  hook "FAILOVER" {
    on       = "home"
    position = "before"
    commands = ["ARMBCAST /MSG \"Starting on the highest-priority server (after failover)\" /A"]
  }
  hook "FAILOVER" {
    on       = "other"
    position = "before"
    commands = ["ARMBCAST /MSG \"Starting on a server other than the highest-priority one (after failover)\" /A"]
  }

  # ERROR_DISK: the switchable partition could not be connected; the sample broadcasts and
  # starts nothing, without failing the resource.
  on_disk_failure = "broadcast"
}
