cluster "web" {
  vendor_parameters = { "server[sv2]" = null }
  node "sv1" {
    address        = "10.0.0.11"
    interconnects  = ["192.168.0.11"]
    mirror_connect = "192.168.1.11"
  }
  node "sv2" {
    address           = "10.0.0.12"
    interconnects     = ["192.168.0.12"]
    vendor_parameters = { "parameters/volumeguid" = "abc" }
    mirror_connect    = "192.168.1.12"
  }
  heartbeat "hb1" {
    interconnect = 0
  }
}
