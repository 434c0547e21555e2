# SURFNAVI on IIS and ExpressMail (seed 001, 1.6): a Japanese Windows cluster whose packet
# filter opens CLUSTERPRO's ports (1.6.5 step 9), and whose generated scripts are written in
# Shift_JIS, broadcast before starting the services, and only broadcast on a disk failure.
cluster "surfnavi" {
  platform = "windows"
  charset  = "SJIS"

  node "sv1" {
    address       = "10.0.0.11"
    interconnects = ["192.168.0.11"]
  }
  node "sv2" {
    address       = "10.0.0.12"
    interconnects = ["192.168.0.12"]
  }
  heartbeat "lankhb1" {
    interconnect = 0
  }

  ports {
    tcp_in  = ["20003-20006", 20009, 20020, 20090, 20091, 25, 110]
    udp_in  = [20003, 20006, 20010]
    udp_out = [20008, 389]
  }
}

group "surfnavi" {
  cluster = cluster.surfnavi
  policy  = [cluster.surfnavi.node.sv1, cluster.surfnavi.node.sv2]

  resource "vip" "vip1" {
    ip      = "10.0.0.100"
    netmask = "255.255.255.0"
  }
  resource "disk" "disk1" {
    device = "F:"
  }
  resource "regsync" "reg1" {
    keys = ["HKLM\\SOFTWARE\\NEC\\ExpressMail"]
  }
  resource "exec" "surfnavi" {
    script     = script.surfnavi
    depends_on = [vip.vip1, disk.disk1]
  }
}

script "surfnavi" {
  env_prefix      = "ARMS"
  on_disk_failure = "broadcast"

  service "WWWService" {
    name = "W3SVC"
  }
  service "EMSMTP" {
    name    = "ExpressMail Smtp Service"
    monitor = true
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
}

# A mirror disk needs mirror_connect only on the nodes of its group's policy: db3 is a node of
# the cluster outside the policy and has none.
cluster "db" {
  node "db1" {
    address        = "10.0.1.11"
    interconnects  = ["192.168.2.11"]
    mirror_connect = "192.168.3.11"
  }
  node "db2" {
    address        = "10.0.1.12"
    interconnects  = ["192.168.2.12"]
    mirror_connect = "192.168.3.12"
  }
  node "db3" {
    address       = "10.0.1.13"
    interconnects = ["192.168.2.13"]
  }
  heartbeat "lankhb1" {
    interconnect = 0
  }
}

group "db" {
  cluster = cluster.db
  policy  = [cluster.db.node.db1, cluster.db.node.db2]

  resource "md" "md1" {
    data_partition    = "/dev/sdb2"
    cluster_partition = "/dev/sdb1"
    mount_point       = "/mnt/md1"
    fs                = "ext4"
  }
}
