cluster "app" {
  platform = "linux"
  node "n1" {
    address       = "10.0.0.11"
    interconnects = ["192.168.0.11"]
  }
  heartbeat "hb1" {
    interconnect = 0
  }
}

group "g" {
  cluster                 = cluster.app
  policy                  = [cluster.app.node.n1]
  identical_registry_keys = ["HKLM\\SOFTWARE\\NEC\\WEBharmo"]
}
