# One IIS cluster per branch, written once: the module in modules/iis-branch is called once per
# entry of local.branches (for_each), so a fix to the module reaches every branch. Each branch
# runs on its own two servers; the cluster is named after the branch in clp.conf.

locals {
  branches = {
    osaka   = { servers = ["osaka1", "osaka2"], vip = "10.1.0.100", interconnect = "192.168.10" }
    nagoya  = { servers = ["nagoya1", "nagoya2"], vip = "10.2.0.100", interconnect = "192.168.20" }
    fukuoka = { servers = ["fukuoka1", "fukuoka2"], vip = "10.3.0.100", interconnect = "192.168.30" }
  }
}

module "branch" {
  source   = "./modules/iis-branch"
  for_each = local.branches

  name         = each.key
  servers      = { for s in each.value.servers : s => var.hosts[s] }
  vip          = each.value.vip
  interconnect = each.value.interconnect
}

# `cluster output virtual_ips` prints each branch's client address.
output "virtual_ips" {
  description = "The virtual IP clients of each branch use, by branch."
  value       = { for name, b in module.branch : name => b.vip }
}

output "clusters" {
  description = "The clp.conf name and servers (in failover order) of each branch's cluster."
  value       = { for name, b in module.branch : name => { cluster = b.cluster_name, servers = b.servers } }
}
