output "vip" {
  description = "The branch's virtual IP."
  value       = var.vip
}

output "cluster_name" {
  description = "The cluster's name in clp.conf."
  value       = var.name
}

output "servers" {
  description = "The servers in failover order."
  value       = local.servers
}
