cluster "web" {
  node "sv1" {
    address       = "10.0.0.11"
    interconnects = ["192.168.0.11"]
  }
  heartbeat "hb1" {
    interconnect = 0
  }
}

cluster "site" {
  for_each = toset(["east"])
  node "sv2" {
    address       = "10.0.0.12"
    interconnects = ["192.168.0.12"]
  }
  heartbeat "hb1" {
    interconnect = 0
  }
}

group "app" {
  cluster = cluster.site["west"]
  policy  = [cluster.web.node.sv1]
}
