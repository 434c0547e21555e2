# SecureVisor DomainManager (seed 002): its database attached to SQL Server when the group starts
# and detached when it stops. Its policy runs SV2 first and SV1 second, the opposite order of the
# IIS group on the same two servers (the mutual-standby pattern of seed 001, 1.1.2).

group "securevisor" {
  cluster = cluster.jpweb
  comment = "SecureVisor DomainManager, SV2 then SV1"
  policy  = [cluster.jpweb.node.sv2, cluster.jpweb.node.sv1]

  resource "fip" "fip1" {
    ip = "10.0.0.110"
  }
  resource "disk" "disk3" {
    device = "P:"
  }
  resource "exec" "securevisor" {
    script     = script.securevisor
    depends_on = [fip.fip1, disk.disk3]
  }

  monitor "fipw" "fipw1" {
    target = fip.fip1
  }
}

# start.bat / stop.bat of seed 002 ("スクリプトサンプル"): one line each, as the seed asks
# ("追加行は、実際には改行せず、1行で記述してください").
script "securevisor" {
  description = "SecureVisor DomainManager (seed 002)"
  env_prefix  = "CLP"

  hook "START" {
    phase    = "start"
    commands = ["osql -E -Q \"EXEC sp_attach_db @dbname = 'securevisor', @filename1 = 'P:\\SecureVisorData\\SecureVisor.mdf', @filename2 = 'P:\\SecureVisorData\\SecureVisor_log.LDF'\""]
  }
  hook "START" {
    phase    = "stop"
    commands = ["osql -E -Q \"EXEC sp_detach_db @dbname = 'securevisor'\""]
  }

  # ERROR_DISK: "切替パーティションの接続に失敗しました" (seed 002) and nothing is started.
  on_disk_failure = "abort"
}
