# SecureVisor 3.4 DomainManager with its database on a mirror disk (seed 002, "機能概要"):
# administrators and SiteManagers connect to the floating IP; after a failover the DomainManager
# service comes up on server 2 under the same address (figure 2). Sessions logged in to the
# central management are cut by the failover and must log in again.
#
# Resource dependencies follow the DomainManager installation manual, 6.1 "CLUSTERPRO 対応"
# (seed 002, 注意事項); the DomainManager service itself is set up there and is not named here.

locals {
  fip = "10.0.0.100"
}

group "securevisor" {
  cluster = cluster.securevisor
  comment = "SecureVisor DomainManager and its database"
  policy  = [cluster.securevisor.node.sv1, cluster.securevisor.node.sv2]

  resource "fip" "fip1" {
    ip = local.fip
  }
  # P: holds SecureVisorData (SecureVisor.mdf, SecureVisor_log.LDF); R: is the mirror's
  # cluster partition.
  resource "md" "md1" {
    data_partition    = "P:"
    cluster_partition = "R:"
  }
  resource "exec" "securevisor" {
    script     = script.securevisor
    depends_on = [fip.fip1, md.md1]
  }

  monitor "fipw" "fipw1" {
    target = fip.fip1
  }
  monitor "mdw" "mdw1" {
    target = md.md1
  }
}

# start.bat / stop.bat of seed 002 ("スクリプトサンプル"): the lines the seed adds (in bold) attach
# the SecureVisor database to SQL Server when the group starts and detach it when it stops.
# The seed shows them in the normal-start branch only; they are also run after a failover here,
# since figure 2 has DomainManager serving from server 2, which needs the database attached there.
script "securevisor" {
  description = "SecureVisor DomainManager (seed 002)"
  env_prefix  = "CLP"

  hook "START" {
    phase    = "start"
    commands = [local.attach_db]
  }
  hook "FAILOVER" {
    phase    = "start"
    commands = [local.attach_db]
  }
  hook "START" {
    phase    = "stop"
    commands = [local.detach_db]
  }
  hook "FAILOVER" {
    phase    = "stop"
    commands = [local.detach_db]
  }

  # ERROR_DISK: "切替パーティションの接続に失敗しました" and nothing is started.
  on_disk_failure = "abort"
}

locals {
  # One line each, as the seed asks ("追加行は、実際には改行せず、1行で記述してください").
  attach_db = "osql -E -Q \"EXEC sp_attach_db @dbname = 'securevisor', @filename1 = 'P:\\SecureVisorData\\SecureVisor.mdf', @filename2 = 'P:\\SecureVisorData\\SecureVisor_log.LDF'\""
  detach_db = "osql -E -Q \"EXEC sp_detach_db @dbname = 'securevisor'\""
}
