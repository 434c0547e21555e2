# failover1: mirror disk md1 and the application started by exec1, watched by genw.

group "failover1" {
  cluster = cluster.cluster
  policy  = [cluster.cluster.node.sv1, cluster.cluster.node.sv2]

  resource "md" "md1" {
    data_partition    = "/dev/md1/dp"
    cluster_partition = "/dev/md1/cp"
    mount_point       = local.app.mount_point
    fs                = "ext4"
    nmp_path          = "/dev/NMP1"
  }
  resource "exec" "exec1" {
    script     = script.exec1
    depends_on = [md.md1]
  }

  monitor "mdw" "mdw1" {
    target = md.md1
  }
  # genw of the reference: genw.sh every 10 seconds; on failure no restart, the group fails over.
  monitor "genw" "genw" {
    script   = script.genw
    interval = 10
    recovery {
      action       = "failover"
      target       = group.failover1
      max_restarts = 0
    }
  }
}

locals {
  # The application exec1 runs; its data directory is on md1.
  app = {
    unit        = "app.service"
    mount_point = "/mnt/md1"
  }
}

# start.sh / stop.sh of exec1, given literally: rendered from the templates in scripts/.
script "exec1" {
  start = templatefile("scripts/start.sh.tftpl", local.app)
  stop  = templatefile("scripts/stop.sh.tftpl", local.app)
}

# The generic monitor's genw.sh: the start content of its script is what the monitor runs.
script "genw" {
  start = templatefile("scripts/genw.sh.tftpl", local.app)
}
