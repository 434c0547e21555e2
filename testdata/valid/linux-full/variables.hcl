variable "hosts" {
  type = map(object({ address = string, port = optional(number, 22) }))
  default = {
    sv1 = { address = "10.0.0.11" }
    sv2 = { address = "10.0.0.12", port = 2222 }
  }
  description = "Management address and SSH port of every node, by node name."
  validation {
    condition     = length(var.hosts) >= 2
    error_message = "A cluster needs at least two nodes."
  }
}

variable "db_password" {
  type      = string
  default   = "secret"
  sensitive = true
}

variable "app" {
  type    = string
  default = "orders"
}

locals {
  vip      = "10.0.0.100"
  app_name = upper(var.app)
  hb_lans  = { for name, h in var.hosts : name => [format("192.168.0.%d", 10 + index(keys(var.hosts), name) + 1)] }
}
