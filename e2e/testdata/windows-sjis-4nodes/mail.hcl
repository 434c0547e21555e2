# ExpressMail (seed 001, 1.5), single standby on SV3 and SV4 only (1.5.2 (2): a policy over all
# or part of the servers). Programs on each server's local disk, mail data on the switchable
# partition (1.5.5); its settings follow the group through registry synchronisation, registered
# once ExpressMail is installed on both servers (1.5.5).

group "mail" {
  cluster = cluster.jpweb
  comment = "ExpressMail, single standby on SV3 and SV4"
  policy  = [cluster.jpweb.node.sv3, cluster.jpweb.node.sv4]

  resource "vip" "vip2" {
    ip      = "10.10.9.100"
    netmask = "255.255.255.0"
  }
  resource "disk" "disk2" {
    device = "G:"
  }
  resource "regsync" "reg1" {
    keys = ["HKLM\\SOFTWARE\\NEC\\ExpressMail"]
  }
  resource "exec" "expressmail" {
    script     = script.expressmail
    depends_on = [vip.vip2, disk.disk2, regsync.reg1]
  }

  # ARMRSP /A /PL 10.10.9.8 /PL 10.10.9.9 of the sample (1.5.7).
  monitor "ipw" "ipw1" {
    targets = ["10.10.9.8", "10.10.9.9"]
    recovery {
      action = "failover"
      target = group.mail
    }
  }
  monitor "sdw" "sdw2" {
    target = disk.disk2
  }
}

# START.BAT / STOP.BAT of seed 001, 1.5.7: ARMLOAD /S /M for each service, stopped in reverse.
script "expressmail" {
  description = "ExpressMail シングルスタンバイ (seed 001, 1.5.7)"
  env_prefix  = "ARMS"

  service "EMSMTP" {
    name    = "ExpressMail Smtp Service"
    monitor = true
  }
  service "EMPOP" {
    name    = "ExpressMail Pop Service"
    monitor = true
  }
  service "EMIMAP" {
    name    = "ExpressMail Imap Service"
    monitor = true
  }

  # ERROR_DISK of 1.5.7: on a standby server, move the group on (START ARMFOVER).
  on_disk_failure = "failover"
}
