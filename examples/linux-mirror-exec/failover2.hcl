# failover2: mirror disk md2 alone, as in the reference (its md2 also sets the mirror driver
# ports 29032/29052/29072, which the language does not model).

group "failover2" {
  cluster = cluster.cluster
  policy  = [cluster.cluster.node.sv1, cluster.cluster.node.sv2]

  resource "md" "md2" {
    data_partition    = "/dev/md2/dp"
    cluster_partition = "/dev/md2/cp"
    mount_point       = "/mnt/md2"
    fs                = "ext4"
    nmp_path          = "/dev/NMP2"
  }

  monitor "mdw" "mdw2" {
    target = md.md2
  }
}
