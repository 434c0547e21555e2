cluster "web" {
  platform = "windows"
  ports {
    tcp_in  = ["20003-20006", 20009, 20020, 20090]
    udp_in  = [20003, 20006, 20010]
    udp_out = [20008, 389]
  }
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
