# A Japanese Windows cluster of four servers, kept in SJIS, reached as Windows ships: Microsoft's
# OpenSSH with cmd.exe (shell = "cmd", from the hosts variable), no POSIX shell. The e2e scenario
# of e2e/windows_scenario_test.go applies, re-plans, drifts, imports, backs up, rolls back and
# unlocks it. Where each part comes from:
#
#   cluster, nodes, heartbeats, pingnp  seed 001, 1.1.1 (figures 1 and 2): SV1..SV4, SV1 the
#                                       highest priority; the layout of
#                                       examples/iis-single-standby-4nodes
#   charset = "SJIS"                    docs/vendor-elements.md row 18 (a Windows WebUI writes
#                                       SJIS) and issue 17's first defect
#   group "iis" (iis.hcl)               seed 001, 1.1.1 and 1.1.5.1: single standby over all four
#                                       servers, START.BAT/STOP.BAT with their Japanese ARMBCAST
#                                       lines
#   group "mail" (mail.hcl)             seed 001, 1.5: ExpressMail, its registry key synchronised
#                                       and its services monitored (ARMLOAD /S /M), on part of
#                                       the servers (1.5.2 (2): "全てのノードまたは 一部のノード")
#   group "securevisor" (securevisor.hcl)  seed 002: SecureVisor DomainManager with osql
#                                       attach/detach lines; its policy is the other way round
#                                       (SV2 first), as a mutual-standby pair of seed 001, 1.1.2
#                                       sets two policies in opposite order
#   managed services (sc.exe qc)        seed 001, 1.1.4 step 3 and 1.5.5: startup type manual

cluster "jpweb" {
  platform = "windows"
  charset  = "SJIS"
  comment  = "IIS, ExpressMail and SecureVisor on four Japanese Windows servers"

  node "sv1" {
    address       = var.hosts["sv1"].address
    port          = var.hosts["sv1"].port
    interconnects = ["192.168.0.11", "192.168.1.11"]
    ssh {
      shell     = var.hosts["sv1"].shell
      code_page = var.hosts["sv1"].code_page
    }
  }
  node "sv2" {
    address       = var.hosts["sv2"].address
    port          = var.hosts["sv2"].port
    interconnects = ["192.168.0.12", "192.168.1.12"]
    ssh {
      shell     = var.hosts["sv2"].shell
      code_page = var.hosts["sv2"].code_page
    }
  }
  node "sv3" {
    address       = var.hosts["sv3"].address
    port          = var.hosts["sv3"].port
    interconnects = ["192.168.0.13", "192.168.1.13"]
    ssh {
      shell     = var.hosts["sv3"].shell
      code_page = var.hosts["sv3"].code_page
    }
  }
  node "sv4" {
    address       = var.hosts["sv4"].address
    port          = var.hosts["sv4"].port
    interconnects = ["192.168.0.14", "192.168.1.14"]
    ssh {
      shell     = var.hosts["sv4"].shell
      code_page = var.hosts["sv4"].code_page
    }
  }

  heartbeat "lankhb1" {
    mode         = "kernel"
    interconnect = 0
  }
  heartbeat "lankhb2" {
    mode         = "kernel"
    interconnect = 1
  }

  network_partition "pingnp1" {
    targets = ["10.0.0.254"]
  }

  monitor "userw" "userw" {}
}
