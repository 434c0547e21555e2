cluster "web" {
  node "sv1" {
    address       = "10.0.0.11"
    interconnects = ["192.168.0.11"]
  }
  heartbeat "hb1" {
    interconnect = 0
  }
}

# Both instances are named "app" in clp.conf, in the same cluster.
group "app" {
  for_each = toset(["a", "b"])
  name     = "app"
  cluster  = cluster.web
  policy   = [cluster.web.node.sv1]
}
