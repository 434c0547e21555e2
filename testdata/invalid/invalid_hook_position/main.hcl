cluster "web" {
  node "sv1" {
    address        = "10.0.0.11"
    interconnects  = ["192.168.0.11"]
    mirror_connect = "192.168.1.11"
  }
  node "sv2" {
    address        = "10.0.0.12"
    interconnects  = ["192.168.0.12"]
    mirror_connect = "192.168.1.12"
  }
  heartbeat "hb1" {
    interconnect = 0
  }
}

group "app" {
  cluster = cluster.web
  policy  = [cluster.web.node.sv1, cluster.web.node.sv2]

  resource "exec" "exec1" {
    script = script.app
  }
}

script "app" {
  service "web" {
    name = "httpd"
  }
  hook "START" {
    position = "first"
    commands = ["logger started"]
  }
}
