variable "prefix" {
  type = string
}

module "naming" {
  source = "./naming"
  site   = "nine"
}

cluster "c" {
  name = module.naming.name
  node "b1" {
    address       = "${var.prefix}.11"
    interconnects = ["192.168.9.11"]
  }
  heartbeat "hb1" {
    interconnect = 0
  }
}

output "cluster_name" {
  value = module.naming.name
}
