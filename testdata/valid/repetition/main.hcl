# for_each, count, dynamic blocks, name arguments and a module with nested modules, all in one
# configuration: the golden model shows every instance's address and clp.conf name.

variable "departments" {
  type    = map(string)
  default = { hr = "10.0.0.101", sales = "10.0.0.102" }
}

locals {
  clusters = toset(["east", "west"])
}

cluster "site" {
  for_each = local.clusters
  name     = "cl-${each.key}"
  platform = "linux"

  dynamic "node" {
    for_each = ["1", "2"]
    labels   = ["${each.key}${node.value}"]
    content {
      address       = "10.${each.key == "east" ? 1 : 2}.0.1${node.value}"
      interconnects = ["192.168.${each.key == "east" ? 1 : 2}.1${node.value}"]
    }
  }
  heartbeat "hb1" {
    interconnect = 0
  }
  monitor "ipw" "ping" {
    count   = 2
    name    = "ipw${count.index + 1}"
    targets = ["10.0.0.${254 - count.index}"]
  }
}

# Two groups in cluster.site["east"], one per department, each named after it in clp.conf.
group "dept" {
  for_each = var.departments
  name     = each.key
  cluster  = cluster.site["east"]
  policy   = [cluster.site["east"].node.east1, cluster.site["east"].node.east2]

  resource "fip" "fip" {
    name = "fip-${each.key}"
    ip   = each.value
  }
  resource "exec" "app" {
    name       = "exec-${each.key}"
    script     = script.app[each.key]
    depends_on = [fip.fip]
  }
}

# Both clusters have a group "web" in clp.conf.
group "web" {
  count   = 2
  name    = "web"
  cluster = cluster.site[count.index == 0 ? "east" : "west"]
  policy  = [cluster.site[count.index == 0 ? "east" : "west"].node[count.index == 0 ? "east1" : "west1"]]
}

script "app" {
  for_each = var.departments
  dynamic "service" {
    for_each = { WWW = "W3SVC" }
    labels   = [service.key]
    content {
      name = service.value
    }
  }
  start = "echo start ${each.key}"
  stop  = "echo stop ${each.key}"
}

module "branch" {
  source = "./modules/site"
  count  = 1
  prefix = "10.9.0"
}

output "branch_cluster" {
  value = module.branch[0].cluster_name
}

node "objsv" {
  address = "10.0.5.10"
}
node "web1" {
  address = "10.0.6.11"
}
node "web2" {
  address = "10.0.6.12"
}

# One status service definition per object server instance, each with its logical files.
status_file "sts" {
  for_each        = { a = "D", b = "E" }
  node            = node.objsv
  install_dir     = "/opt/HiOBJ"
  definition_file = "/opt/HiOBJ/conf/sts_${each.key}.def"

  dynamic "logical_file" {
    for_each = ["1", "2"]
    labels   = ["${each.key}${logical_file.value}"]
    content {
      a_file = "${each.value}:\\HiOBJ\\sts\\${each.key}${logical_file.value}a"
      b_file = "${each.value}:\\HiOBJ\\sts\\${each.key}${logical_file.value}b"
    }
  }
}

server_group "web" {
  count              = 1
  management         = node.web1
  settings_dir       = "/opt/wsmgr/config"
  sync_command       = ["/usr/local/sbin/wsmgr-sync", "{node}"]
  sync_check_command = ["/usr/local/sbin/wsmgr-sync-state", "{node}"]
  member "web2" {
    node = node.web2
  }
}

# The nodes of this configuration are POSIX test nodes (a Windows path is reached in its MSYS form
# under the node root): said here, since a status file's and a server group's nodes default to
# shell = "cmd" (docs/language.md).
ssh {
  shell = "posix"
}
