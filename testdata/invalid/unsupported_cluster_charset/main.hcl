cluster "web" {
  charset = "UTF-16"
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
