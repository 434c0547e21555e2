# IIS (Web and FTP), single standby over all four servers, SV1 -> SV2 -> SV3 -> SV4 (seed 001,
# 1.1.1, figure 1), content on the switchable partition (1.1.4).

group "iis" {
  cluster = cluster.jpweb
  comment = "IIS Web/FTP, single standby over all four servers"
  policy = [
    cluster.jpweb.node.sv1,
    cluster.jpweb.node.sv2,
    cluster.jpweb.node.sv3,
    cluster.jpweb.node.sv4,
  ]

  resource "vip" "vip1" {
    ip      = "10.0.0.100"
    netmask = "255.255.255.0"
  }
  resource "disk" "disk1" {
    device = "F:"
  }
  resource "exec" "iis" {
    script     = script.iis
    depends_on = [vip.vip1, disk.disk1]
  }

  monitor "sdw" "sdw1" {
    target = disk.disk1
  }
}

# START.BAT / STOP.BAT of seed 001, 1.1.5.1, with the sample's own Japanese messages: the
# cluster's charset (SJIS) makes the generated .bat Shift_JIS, as cmd.exe on a Japanese Windows
# reads it.
script "iis" {
  description = "IIS 片方向スタンバイ (seed 001, 1.1.5.1)"
  env_prefix  = "ARMS"

  service "WWWService" {
    name = "W3SVC"
  }
  service "FTPService" {
    name = "MSFTPSVC"
  }

  hook "START" {
    on       = "home"
    position = "before"
    commands = ["ARMBCAST /MSG \"最高プライオリティサーバで起動中です\" /A"]
  }
  hook "START" {
    on       = "other"
    position = "before"
    commands = ["ARMBCAST /MSG \"プライオリティサーバ以外で起動中です\" /A"]
  }
  hook "FAILOVER" {
    on       = "home"
    position = "before"
    commands = ["ARMBCAST /MSG \"最高プライオリティサーバで起動中です(フェイルオーバ後)\" /A"]
  }
  hook "FAILOVER" {
    on       = "other"
    position = "before"
    commands = ["ARMBCAST /MSG \"プライオリティサーバ以外で起動中です(フェイルオーバ後)\" /A"]
  }
  hook "START" {
    on       = "home"
    phase    = "stop"
    commands = ["ARMBCAST /MSG \"最高プライオリティサーバで終了中です\" /A"]
  }

  # ERROR_DISK: "切替パーティションの接続に失敗しました" is broadcast and nothing is started.
  on_disk_failure = "broadcast"
}
