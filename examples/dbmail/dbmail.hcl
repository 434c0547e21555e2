# dbmail on IIS 5.0 (Windows 2000), single standby over all four servers, SV1 -> SV2 -> SV3 -> SV4
# (seed 001, 1.2.1, figures 1 and 2). dbmail itself is installed on the switchable partition, into
# the same directory from every server, so that each server registers the "dbmail Service"
# (1.2.4).

locals {
  vip = "10.0.0.100"
}

group "dbmail" {
  cluster = cluster.web
  comment = "IIS + dbmail, single standby over all four servers"
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
  # dbmail's program and data files.
  resource "disk" "disk1" {
    device = "F:"
  }
  # dbmail's settings follow the group (1.2.4: HKEY_LOCAL_MACHINE\software\nec\dbMail).
  resource "regsync" "reg1" {
    keys = ["HKLM\\SOFTWARE\\NEC\\dbMail"]
  }
  resource "exec" "dbmail" {
    script     = script.dbmail
    depends_on = [vip.vip1, disk.disk1, regsync.reg1]
  }
}

# START.BAT / STOP.BAT of seed 001, 1.2.6 (IIS 5.0). Start order (1.2.5): IIS, then the mail
# server, then the RDB, then dbmail; stop order is the reverse: dbmail first, then the RDB, the
# mail server, and IIS last. A mail server (Exchange Server) or RDB (Oracle, SQL Server) run in
# the same group would be declared between FTPService and DBMSVC.
script "dbmail" {
  description = "IIS + dbmail single standby (seed 001, 1.2.6)"
  env_prefix  = "ARMS"

  service "WWWService" {
    name = "W3SVC"
  }
  service "FTPService" {
    name = "MSFTPSVC"
  }
  service "DBMSVC" {
    name = "dbmail Service"
    # 1.2.8 (7): never start dbmail with ARMLOAD's monitor option.
    monitor = false
  }

  on_disk_failure = "abort"
}
