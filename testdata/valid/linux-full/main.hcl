ssh {
  user             = "admin"
  identity_files   = ["~/.ssh/id_ed25519"]
  known_hosts_file = "~/.ssh/known_hosts"
  connect_timeout  = "10s"
}

cluster "db" {
  comment = "orders database, mirror disk"

  ssh {
    user            = "root"
    command_timeout = "5m"
  }

  node "sv2" {
    address        = var.hosts.sv2.address
    port           = var.hosts.sv2.port
    priority       = 1
    interconnects  = local.hb_lans.sv2
    mirror_connect = "192.168.1.12"
  }

  node "sv1" {
    address        = var.hosts.sv1.address
    port           = var.hosts.sv1.port
    priority       = 0
    interconnects  = local.hb_lans.sv1
    mirror_connect = "192.168.1.11"
    user           = "ops"
    ssh {
      agent = true
    }
  }

  heartbeat "lanhb1" {
    mode         = "user"
    interconnect = 0
  }

  network_partition "pingnp1" {
    targets  = ["192.168.0.254"]
    interval = 5
    timeout  = 3
  }

  options {
    heartbeat_interval = 3
    heartbeat_timeout  = 90
  }

  monitor "userw" "userw" {}
}

group "orders" {
  cluster  = cluster.db
  comment  = "${local.app_name} service"
  policy   = [cluster.db.node.sv1, cluster.db.node.sv2]
  failback = true

  resource "fip" "fip1" {
    ip = local.vip
  }
  resource "md" "md1" {
    data_partition    = "/dev/sdb2"
    cluster_partition = "/dev/sdb1"
    mount_point       = "/mnt/md1"
    fs                = "ext4"
  }
  resource "exec" "app" {
    script     = script.orders
    depends_on = [fip.fip1, md.md1]
    timeout    = 1800
  }

  monitor "fipw" "fipw1" { target = fip.fip1 }
  monitor "mdw" "mdw1" { target = md.md1 }
  monitor "genw" "genw1" {
    script   = script.check
    interval = 10
    recovery {
      action       = "restart"
      target       = exec.app
      max_restarts = 3
    }
  }
}

script "orders" {
  start = templatefile("scripts/start.sh.tftpl", { app = var.app, vip = local.vip })
  stop  = file("scripts/stop.sh")
}

script "check" {
  start = "#!/bin/sh\npgrep -x ${var.app}\n"
}
