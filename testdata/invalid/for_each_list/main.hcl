cluster "web" {
  node "sv1" {
    address       = "10.0.0.11"
    interconnects = ["192.168.0.11"]
  }
  heartbeat "hb1" {
    interconnect = 0
  }
}

group "app" {
  for_each = ["a", "b"]
  cluster  = cluster.web
  policy   = [cluster.web.node.sv1]
}
