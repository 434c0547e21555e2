# ExpressMail, single standby over all four servers, SV1 -> SV2 -> SV3 -> SV4 (seed 001, 1.5.2,
# figures 1 and 2). Programs are on each server's local disk, mailboxes and user data on the
# switchable partition (1.5.5). Every server must be set up identically (1.5.8 (2)); after that,
# settings are changed on the active server only (1.5.8 (3)).

locals {
  # The address of the mail host: DNS A and MX records point at it, PTR records map it and the
  # servers' own addresses back (1.5.8 (1)); clients use nothing else (1.5.8 (4)).
  vip = "10.10.9.100"

  # ARMRSP /A /PL 10.10.9.8 /PL 10.10.9.9 in the sample start script (1.5.7).
  ping_targets = ["10.10.9.8", "10.10.9.9"]
}

group "expressmail" {
  cluster = cluster.mail
  comment = "ExpressMail, single standby over all four servers"
  policy = [
    cluster.mail.node.sv1,
    cluster.mail.node.sv2,
    cluster.mail.node.sv3,
    cluster.mail.node.sv4,
  ]

  resource "vip" "vip1" {
    ip      = local.vip
    netmask = "255.255.255.0"
  }
  # Mail storage and user data (the "data directory" chosen at setup).
  resource "disk" "disk1" {
    device = "F:"
  }
  # Register this only after ExpressMail is installed on every server: registered earlier, it
  # fails the group over (1.5.5).
  resource "regsync" "reg1" {
    keys = ["HKLM\\SOFTWARE\\NEC\\ExpressMail"]
  }
  resource "exec" "expressmail" {
    script     = script.expressmail
    depends_on = [vip.vip1, disk.disk1, regsync.reg1]
  }

  # ARMRSP: when neither address answers, the public LAN of this server is lost; fail the group
  # over to the next server of the policy.
  monitor "ipw" "ipw1" {
    targets = local.ping_targets
    recovery {
      action = "failover"
      target = group.expressmail
    }
  }
  monitor "sdw" "sdw1" {
    target = disk.disk1
  }
}

# START.BAT / STOP.BAT of seed 001, 1.5.7. ExpressMail's services are started with ARMLOAD /S /M:
# each is monitored and a failure fails the group over. They are stopped in reverse order.
script "expressmail" {
  description = "ExpressMail single standby (seed 001, 1.5.7)"
  env_prefix  = "ARMS"

  service "EMSMTP" {
    name    = "ExpressMail Smtp Service"
    monitor = true
  }
  service "EMPASS" {
    name    = "ExpressMail Password Service"
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
  service "EMHTTP" {
    name    = "ExpressMail Http Service"
    monitor = true
  }
  service "EMCRON" {
    name    = "ExpressMail Cron Service"
    monitor = true
  }
  service "EMLDAP" {
    name    = "ExpressMail Ldap Service"
    monitor = true
  }

  # ERROR_DISK: IF "%ARMS_SERVER%" == "OTHER" START ARMFOVER %ARMS_GROUPNAME%: when the data
  # partition cannot be reached on a standby server, move the group on.
  on_disk_failure = "failover"
}
