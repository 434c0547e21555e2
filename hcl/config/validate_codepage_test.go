package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// codePageWarning is the summary of the warning about a Windows top-level node without code_page.
const codePageWarning = "Windows node without code_page"

// stsNode is a status file on node objsv (line 1), whose ssh block holds nodeSSH; top is the
// top-level ssh block's body (line 19 on).
func stsNode(nodeSSH, top string) string {
	return fmt.Sprintf(`node "objsv" {
  address = "10.0.0.30"
  ssh {
    %s
  }
}
status_file "sts" {
  node        = node.objsv
  install_dir = "D:\\HiOBJ"
  logical_file "sts1" {
    a_file = "D:\\HiOBJ\\sts\\sts1a"
    b_file = "E:\\HiOBJ\\sts\\sts1b"
  }
}
variable "cp" {
  type    = number
  default = 932
}
ssh {
  %s
}
`, nodeSSH, top)
}

// serverGroup has a management node (web1, line 1) and two members (web2, line 2; web3, line 3);
// web1 also carries a status file, so it is used three times over.
const serverGroup = `node "web1" { address = "10.0.1.21" }
node "web2" { address = "10.0.1.22" }
node "web3" { address = "10.0.1.23" }
server_group "web" {
  management         = node.web1
  settings_dir       = "C:\\WSMGR\\config"
  system_dir         = "C:\\Windows\\Temp"
  sync_command       = ["C:\\Site\\wsmgr-sync.exe", "{node}"]
  sync_check_command = ["C:\\Site\\wsmgr-sync-state.exe", "{node}"]
  member "m2" { node = node.web2 }
  member "m3" { node = node.web3 }
}
status_file "sts" {
  node        = node.web1
  install_dir = "D:\\HiOBJ"
  logical_file "sts1" {
    a_file = "D:\\HiOBJ\\sts\\sts1a"
    b_file = "E:\\HiOBJ\\sts\\sts1b"
  }
}
`

// A top-level node reached with cmd or powershell, written or defaulted, whose code page no ssh
// block sets is warned about once, at its declaration; a code page from any ssh block, a POSIX
// shell or a cluster's charset leaves nothing to warn about, and nothing else changes.
func TestTopLevelNodeCodePageWarning(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		unknown bool     // load as validate does, without every variable's value
		want    []string // "line:column node shell" of each warning
	}{
		{"status file node, cmd by default", stsNode(``, ``), false, []string{`1:1 objsv cmd`}},
		{"cmd written on the node", stsNode(`shell = "cmd"`, ``), false, []string{`1:1 objsv cmd`}},
		{"powershell written at the top", stsNode(``, `shell = "powershell"`), false, []string{`1:1 objsv powershell`}},
		{"code_page on the node", stsNode(`code_page = 932`, ``), false, nil},
		{"code_page in the top-level ssh block", stsNode(``, `code_page = 932`), false, nil},
		{"code_page from a variable", stsNode(`code_page = var.cp`, ``), false, nil},
		{"code_page from a variable without a value", strings.Replace(stsNode(`code_page = var.cp`, ``), "default = 932", "", 1), true, nil},
		{"a posix node", stsNode(`shell = "posix"`, ``), false, nil},
		{"a Server-Scan host (posix by default)", `node "scan" { address = "10.0.0.40" }
server_scan "scan" {
  node        = node.scan
  install_dir = "/usr/SrvScan"
}
`, false, nil},
		{"a Windows cluster's node (code page from charset)", `cluster "c" {
  platform = "windows"
  charset  = "SJIS"
  node "n1" { address = "192.0.2.1" }
  node "n2" { address = "192.0.2.2" }
}
`, false, nil},
		{"a server group: one warning per node, not per use", serverGroup, false, []string{`1:1 web1 cmd`, `2:1 web2 cmd`, `3:1 web3 cmd`}},
		{"a server group with code_page at the top", serverGroup + "ssh { code_page = 932 }\n", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Load(writeDir(t, map[string]string{"main.hcl": tt.src}), LoadOptions{UnknownVariables: tt.unknown})
			if diags.HasErrors() {
				t.Fatalf("errors:\n%s", describe(diags))
			}
			var got []string
			for _, d := range diags {
				if d.Summary != codePageWarning {
					continue
				}
				node, shell := "?", "?"
				fmt.Sscanf(d.Detail, "Node %q is reached with shell = %q", &node, &shell)
				got = append(got, fmt.Sprintf("%d:%d %s %s", d.Subject.Start.Line, d.Subject.Start.Column, node, shell))
				for _, want := range []string{"code_page", "UTF-8 (65001)", "932", "437", "ssh block", "docs/windows.md"} {
					if !strings.Contains(d.Detail, want) {
						t.Errorf("detail lacks %q: %s", want, d.Detail)
					}
				}
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("code page warnings (-want +got):\n%s\nall diagnostics:\n%s", d, describe(diags))
			}
		})
	}
}

// The warning changes nothing: the node is still read as UTF-8 (no source says which language
// its Windows is), and a cluster's node still takes its code page from the charset.
func TestTopLevelNodeCodePageUnchanged(t *testing.T) {
	cfg := mustLoad(t, writeDir(t, map[string]string{"main.hcl": stsNode(``, ``)}), LoadOptions{})
	if got := cfg.Nodes["objsv"].Endpoint.SSH.CodePage; got != 0 {
		t.Errorf("code page of objsv = %d, want 0 (UTF-8)", got)
	}
}
