# WEBharmo/OLTP on the IIS single-standby group (seed 001, 1.4): the clean-up of 1.4.5 before IIS
# starts, and the OLTP registry key compared across the policy (1.4.6 (3)).
cluster "web" {
  platform = "windows"
  node "sv1" {
    address       = "10.0.0.11"
    interconnects = ["192.168.0.11"]
  }
  node "sv2" {
    address       = "10.0.0.12"
    interconnects = ["192.168.0.12"]
  }
  heartbeat "hb1" {
    interconnect = 0
  }
}

group "iis" {
  cluster                 = cluster.web
  policy                  = [cluster.web.node.sv1, cluster.web.node.sv2]
  identical_registry_keys = ["HKLM\\SOFTWARE\\NEC\\WEBharmo\\OLTP"]

  resource "vip" "vip1" {
    ip = "10.0.0.100"
  }
  resource "exec" "iis" {
    script     = script.iis
    depends_on = [vip.vip1]
  }
}

script "iis" {
  env_prefix = "ARMS"
  service "WWWService" {
    name = "W3SVC"
  }
  service "FTPService" {
    name = "MSFTPSVC"
  }
  webharmo_oltp {
    install_dir    = "C:\\Program Files\\WEBharmo"
    partial_send   = true
    web_form_print = true
  }
}
