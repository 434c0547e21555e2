# WEBharmo/OLTP in multi standby (seed 001, 1.4.1): an ISAPI extension inside IIS, so it follows
# IIS's mutual standby (1.1.1, figures 5 and 6): two failover groups on SV1 and SV2 with
# reversed policies. SV1 is active for iis1 and standby for iis2, SV2 the opposite. Each server
# serves its own group's content as the default site and the other group's virtual IP as a virtual
# site (1.1.4 steps 7-10), so after a failure one server carries both groups (figure 6).

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
  # One client address per group (figure 5: xx.xx.xx.1 and xx.xx.xx.2); sites bind to these
  # explicitly, never to "all unassigned" (1.1.6 (2)).
  vip1 = "10.0.0.101"
  vip2 = "10.0.0.102"
}

group "iis1" {
  cluster = cluster.web
  comment = "IIS site 1: active on SV1, standby on SV2"
  policy  = [cluster.web.node.sv1, cluster.web.node.sv2]

  # 1.4.6 (3): after a failover WEBharmo/OLTP runs with the moved-to server's registry values.
  identical_registry_keys = [var.oltp_registry_key]

  resource "vip" "vip1" {
    ip      = local.vip1
    netmask = "255.255.255.0"
  }
  resource "disk" "disk1" {
    device = "F:"
  }
  resource "exec" "iis1" {
    script     = script.iis_mutual
    depends_on = [vip.vip1, disk.disk1]
  }
}

group "iis2" {
  cluster = cluster.web
  comment = "IIS site 2: active on SV2, standby on SV1"
  policy  = [cluster.web.node.sv2, cluster.web.node.sv1]

  # 1.4.6 (3): after a failover WEBharmo/OLTP runs with the moved-to server's registry values.
  identical_registry_keys = [var.oltp_registry_key]

  resource "vip" "vip2" {
    ip      = local.vip2
    netmask = "255.255.255.0"
  }
  resource "disk" "disk2" {
    device = "G:"
  }
  resource "exec" "iis2" {
    script     = script.iis_mutual
    depends_on = [vip.vip2, disk.disk2]
  }
}

# START.BAT of seed 001, 1.1.5.2; STOP.BAT is the single-standby one. Both groups use the same
# script: a group arriving on a server where IIS already runs must stop IIS and start it again so
# that IIS picks up the arriving group's content and address (1.1.6 (4): the server's other site
# pauses meanwhile).
script "iis_mutual" {
  description = "IIS mutual standby with WEBharmo/OLTP (seed 001, 1.1.5.2, 1.4.5)"
  env_prefix  = "ARMS"

  # ARMLOAD WWWService /S W3SVC, ARMLOAD FTPService /S MSFTPSVC; stopped in reverse.
  service "WWWService" {
    name = "W3SVC"
  }
  service "FTPService" {
    name = "MSFTPSVC"
  }

  # ARMKILL FTPService, ARMKILL WWWService before the ARMLOADs in every start branch. IIS, and
  # with it WEBharmo/OLTP, stops a moment on the server a group moves to (1.4.6 (2)).
  restart_services = true

  # 1.4.5: the clean-up goes after the ARMKILLs, right before IIS starts again.
  webharmo_oltp {
    install_dir    = var.oltp_install_dir
    partial_send   = true
    web_form_print = false # Web form printing not used here: nothing under OLTP\PRINT\DOC is removed
  }

  on_disk_failure = "abort"
}
