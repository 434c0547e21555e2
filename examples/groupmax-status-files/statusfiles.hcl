# Status files of a Groupmax High-end Object Server (seed 003): the system status information the
# server needs to restart is written to a logical file made of an A-system and a B-system file,
# A first, then B, so that B still holds the previous state if the server dies while writing A.
#
# Each logical file here has several A/B pairs (up to 7 per side): at a normal start the first
# pair defined becomes current, the other pairs that open become spare. On an I/O error in the
# current pair the server copies the healthy side to the spare A, then the spare B file, and
# makes that pair current (a swap); the failed pair becomes blocked.
#
# A and B files are on different disks (/data/a, /data/b), so one disk failure never takes both
# sides of a pair. The status service definition (sts.def) lists every logical file; the tool
# creates the files with xodstsinit and opens them with xodstsopn, and refuses a plan that would
# delete the current pair (xodstsrm only removes reserved or blocked files).

node "objsv" {
  address = var.hosts["objsv"].address
  port    = var.hosts["objsv"].port
}

locals {
  install_dir     = "/opt/HiOBJ"
  definition_file = "/opt/HiOBJ/conf/sts.def"
}

# The server's main status file: one current pair and two spares, so that two successive
# failures still leave a pair to swap to.
status_file "sts1" {
  node            = node.objsv
  install_dir     = local.install_dir
  definition_file = local.definition_file
  a_files         = ["/data/a/sts1a1", "/data/a/sts1a2", "/data/a/sts1a3"]
  b_files         = ["/data/b/sts1b1", "/data/b/sts1b2", "/data/b/sts1b3"]
  record_size     = 4096
  records         = 1000
  initial_current = 0
}

# A second logical file with one spare pair.
status_file "sts2" {
  node            = node.objsv
  install_dir     = local.install_dir
  definition_file = local.definition_file
  a_files         = ["/data/a/sts2a1", "/data/a/sts2a2"]
  b_files         = ["/data/b/sts2b1", "/data/b/sts2b2"]
  record_size     = 4096
  records         = 500
  initial_current = 0
}
