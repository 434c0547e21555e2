locals {
  nodes = ["sv1", "sv2", "sv3", "sv4"]
}

cluster "web" {
  platform = "windows"
  comment  = "IIS single standby, 4 nodes"

  node "sv1" {
    address       = "10.0.0.11"
    interconnects = ["192.168.0.11", "192.168.1.11"]
  }
  node "sv2" {
    address       = "10.0.0.12"
    interconnects = ["192.168.0.12", "192.168.1.12"]
  }
  node "sv3" {
    address       = "10.0.0.13"
    interconnects = ["192.168.0.13", "192.168.1.13"]
  }
  node "sv4" {
    address       = "10.0.0.14"
    interconnects = ["192.168.0.14", "192.168.1.14"]
  }

  heartbeat "lankhb1" {
    interconnect = 0
  }
  heartbeat "lankhb2" {
    interconnect = 1
  }
}

group "iis" {
  cluster = cluster.web
  comment = "IIS"
  policy  = [cluster.web.node.sv1, cluster.web.node.sv2, cluster.web.node.sv3, cluster.web.node.sv4]

  resource "vip" "vip1" {
    ip      = "10.0.0.100"
    netmask = "255.255.255.0"
  }
  resource "disk" "disk1" {
    device = "F:"
  }
  resource "regsync" "reg1" {
    keys = ["HKLM\\SOFTWARE\\NEC\\ExpressMail"]
  }
  resource "service" "w3svc" {
    service_name = "W3SVC"
  }
  resource "exec" "iis" {
    script     = script.iis
    depends_on = [vip.vip1, disk.disk1]
  }

  monitor "ipw" "ipw1" {
    targets  = ["10.0.0.254"]
    interval = 30
    timeout  = 60
    recovery {
      action = "failover"
    }
  }
  monitor "sdw" "sdw1" { target = disk.disk1 }
  monitor "servicew" "w3" { target = service.w3svc }
}

script "iis" {
  description = "IIS single standby"
  env_prefix  = "ARMS"

  service "WWWService" {
    name    = "W3SVC"
    monitor = true
  }
  service "FTPService" {
    name = "MSFTPSVC"
  }

  hook "START" {
    on       = "home"
    commands = ["ARMBCAST /MSG \"started on the primary\" /A"]
  }
  hook "FAILOVER" {
    phase    = "stop"
    commands = ["echo failing over"]
  }

  on_disk_failure = "failover"
}
