# IIS mutual standby (seed 001, 1.1.1, figures 5 and 6): two failover groups on SV1 and SV2 with
# reversed policies. SV1 is active for iis1 and standby for iis2, SV2 the opposite. Each server
# serves its own group's content as the default site and the other group's virtual IP as a virtual
# site (1.1.4 steps 7-10), so after a failure one server carries both groups (figure 6).

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
  description = "IIS mutual standby (seed 001, 1.1.5.2)"
  env_prefix  = "ARMS"

  # ARMLOAD WWWService /S W3SVC, ARMLOAD FTPService /S MSFTPSVC; stopped in reverse.
  service "WWWService" {
    name = "W3SVC"
  }
  service "FTPService" {
    name = "MSFTPSVC"
  }

  # ARMKILL FTPService, ARMKILL WWWService before the ARMLOADs in every start branch.
  restart_services = true

  on_disk_failure = "abort"
}
