# SURFNAVI intranet/DMZ server 2.0 (intranet placement only, 1.6.1) with its IIS Web/FTP server and
# ExpressMail mail server, single standby over all four servers, SV1 -> SV2 -> SV3 -> SV4 (seed 001,
# 1.6.2, figures 1 and 2). Programs are on each server's local disk; Web/FTP content and mail data
# on the switchable partition (1.6.5).

locals {
  # DNS A and MX records point at this address, PTR records map it and the servers' own
  # addresses (1.6.5 (3)).
  vip = "10.10.9.100"

  # ARMRSP /A /PL 10.10.9.8 /PL 10.10.9.9 in the sample start script (1.6.7).
  ping_targets = ["10.10.9.8", "10.10.9.9"]

  # 1.6.5 step 9: with SURFNAVI's packet filter on, these ports must be allowed for CLUSTERPRO to
  # talk. The tool does not configure the packet filter: the list is kept here, beside the
  # cluster it belongs to, as the reference to check every server's filter rules against.
  clusterpro_packet_filter = {
    # Local ports of incoming traffic.
    inbound = {
      tcp = [20003, 20004, 20005, 20006, 20009, 20020, 20090, 20091]
      udp = [20003, 20006, 20010]
    }
    # Remote ports of outgoing traffic; 389 is for the domain membership.
    outbound = {
      udp = [20008, 389]
    }
  }
}

group "surfnavi" {
  cluster = cluster.intranet
  comment = "SURFNAVI + IIS + ExpressMail, single standby over all four servers"
  policy = [
    cluster.intranet.node.sv1,
    cluster.intranet.node.sv2,
    cluster.intranet.node.sv3,
    cluster.intranet.node.sv4,
  ]

  resource "vip" "vip1" {
    ip      = local.vip
    netmask = "255.255.255.0"
  }
  # wwwroot, ftproot, mailboxes and user data.
  resource "disk" "disk1" {
    device = "F:"
  }
  # Register only after SURFNAVI is installed on every server (1.6.5).
  resource "regsync" "reg1" {
    keys = ["HKLM\\SOFTWARE\\NEC\\ExpressMail"]
  }
  resource "exec" "surfnavi" {
    script     = script.surfnavi
    depends_on = [vip.vip1, disk.disk1, regsync.reg1]
  }

  monitor "ipw" "ipw1" {
    targets = local.ping_targets
    recovery {
      action = "failover"
      target = group.surfnavi
    }
  }
  monitor "sdw" "sdw1" {
    target = disk.disk1
  }
}

# START.BAT / STOP.BAT of seed 001, 1.6.7 ("IIS single standby & ExpressMail & SURFNAVI"). The
# seed's copy of the sample ends after EMCRON; the remaining services are those whose startup type
# 1.6.5 step 5 sets to manual, and their ARMLOAD ids are ours. Services that do not exist or whose
# function is unused are left out (1.6.6).
#
# Never list ICPFSrv (the packet filter service): stopping it drops every packet and the cluster
# stops working (1.6.6).
script "surfnavi" {
  description = "SURFNAVI + IIS + ExpressMail single standby (seed 001, 1.6.7)"
  env_prefix  = "ARMS"

  # ExpressMail (as in 1.5.7): ARMLOAD /S /M, monitored.
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

  # IIS (as in 1.1.5.1): World Wide Web Publishing Service, FTP Publishing Service.
  service "WWWService" {
    name = "W3SVC"
  }
  service "FTPService" {
    name = "MSFTPSVC"
  }

  # SURFNAVI's own services (1.6.5 step 5), by their names in the service controller.
  service "DNSService" {
    name = "DNS" # "DNS Server"
  }
  service "SNProtocolProxy" {
    name = "SURFNAVI Protocol Proxy"
  }
  service "SNProxyServer" {
    name = "SURFNAVI Proxy Server"
  }
  service "SNTunnelProxy" {
    name = "SURFNAVI Tunnel Proxy"
  }
  service "FMSRVC" {
    name = "FMSRVC"
  }
  service "SNSysInt" {
    name = "SURFNAVI SysInt"
  }
  service "SNSysRes" {
    name = "SURFNAVI SysRes"
  }

  # As in ExpressMail's sample: a standby server that cannot reach the partition moves the group on.
  on_disk_failure = "failover"
}
