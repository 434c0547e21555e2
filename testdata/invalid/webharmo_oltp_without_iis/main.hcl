cluster "web" {
  platform = "windows"
  node "sv1" {
    address       = "10.0.0.11"
    interconnects = ["192.168.0.11"]
  }
  heartbeat "hb1" {
    interconnect = 0
  }
}

group "iis" {
  cluster = cluster.web
  policy  = [cluster.web.node.sv1]
  resource "exec" "iis" {
    script = script.iis
  }
}

script "iis" {
  service "DBMSVC" {
    name = "dbmail Service"
  }
  webharmo_oltp {
    install_dir  = "C:\\WEBharmo"
    partial_send = true
  }
}
