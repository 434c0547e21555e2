cluster "web" {
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

group "app" {
  cluster = cluster.web
  policy  = [cluster.web.node.sv1, cluster.web.node.sv2]

  resource "fip" "fip1" {
    ip = "10.0.0.100"
  }
  resource "exec" "exec1" {
    script     = script.app
    depends_on = [exec.exec1]
  }
}

script "app" {
  start = "echo start"
  stop  = "echo stop"
}
