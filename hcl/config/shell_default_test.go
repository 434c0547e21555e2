package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

// The default shell of a cluster's node follows the cluster's platform; any ssh block that sets
// shell wins over it, posix included (a Windows node whose DefaultShell is an MSYS bash).
func TestShellDefaultByPlatform(t *testing.T) {
	tests := []struct {
		name               string
		platform           string
		top, cluster, node string
		wantN1, wantN2     string
	}{
		{"linux: posix", "linux", ``, ``, ``, "posix", "posix"},
		{"windows: cmd", "windows", ``, ``, ``, "cmd", "cmd"},
		{"windows, posix at the top", "windows", `shell = "posix"`, ``, ``, "posix", "posix"},
		{"windows, posix on the cluster", "windows", ``, `shell = "posix"`, ``, "posix", "posix"},
		{"windows, posix on one node", "windows", ``, ``, `shell = "posix"`, "posix", "cmd"},
		{"linux, cmd on one node", "linux", ``, ``, `shell = "cmd"`, "cmd", "posix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := mustLoad(t, writeDir(t, map[string]string{"main.hcl": becomeCluster(tt.platform, tt.top, tt.cluster, tt.node)}), LoadOptions{})
			got := map[string]string{}
			for _, n := range cfg.Clusters["c"].Nodes {
				got[n.Name] = n.Endpoint.SSH.Shell
			}
			if d := cmp.Diff(map[string]string{"n1": tt.wantN1, "n2": tt.wantN2}, got); d != "" {
				t.Errorf("effective shells (-want +got):\n%s", d)
			}
		})
	}
}

// topNodes declares a top-level node for each kind of object and one for none: sts on a status
// file's node (seed 003, Windows), mgmt and member on a server group's (seed 004, Windows), scan
// on a Server-Scan host (seed 000, HI-UX), idle unused. both carries a status file and a
// Server-Scan host when withBoth. top goes in the top-level ssh block, bothSSH in both's own.
func topNodes(top, bothSSH string, withBoth bool) string {
	both := ""
	if withBoth {
		both = fmt.Sprintf(`
node "both" {
  address = "192.0.2.16"
  ssh {
%s
  }
}
status_file "sts2" {
  node        = node.both
  install_dir = "C:\\HiOBJ"
  logical_file "l1" {
    a_file = "D:\\HiOBJ\\sts\\l1a"
    b_file = "E:\\HiOBJ\\sts\\l1b"
  }
}
server_scan "scan2" {
  node        = node.both
  install_dir = "/usr/SrvScan"
}
`, bothSSH)
	}
	return fmt.Sprintf(`
ssh {
%s
}
node "sts" { address = "192.0.2.10" }
node "mgmt" { address = "192.0.2.11" }
node "member" { address = "192.0.2.12" }
node "scan" { address = "192.0.2.13" }
node "idle" { address = "192.0.2.14" }
status_file "sts" {
  node        = node.sts
  install_dir = "C:\\HiOBJ"
  logical_file "l1" {
    a_file = "D:\\HiOBJ\\sts\\l1a"
    b_file = "E:\\HiOBJ\\sts\\l1b"
  }
}
server_group "web" {
  management         = node.mgmt
  settings_dir       = "C:\\WSMGR\\config"
  system_dir         = "C:\\WSMGR\\system"
  sync_command       = ["C:\\site\\wsmgr-sync.exe", "{node}"]
  sync_check_command = ["C:\\site\\wsmgr-sync-state.exe", "{node}"]
  member "m1" { node = node.member }
}
server_scan "scan" {
  node        = node.scan
  install_dir = "/usr/SrvScan"
}
%s`, top, both)
}

// A top-level node takes the shell of what runs on it; an explicit shell always wins.
func TestShellDefaultByObject(t *testing.T) {
	tests := []struct {
		name     string
		top      string
		bothSSH  string
		withBoth bool
		want     map[string]string
	}{
		{"by object", ``, ``, false, map[string]string{"sts": "cmd", "mgmt": "cmd", "member": "cmd", "scan": "posix", "idle": "posix"}},
		{"top-level shell wins", `shell = "posix"`, ``, true, map[string]string{"sts": "posix", "mgmt": "posix", "member": "posix", "scan": "posix", "idle": "posix", "both": "posix"}},
		{"mixed node says", ``, `shell = "cmd"`, true, map[string]string{"sts": "cmd", "mgmt": "cmd", "member": "cmd", "scan": "posix", "idle": "posix", "both": "cmd"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := mustLoad(t, writeDir(t, map[string]string{"main.hcl": topNodes(tt.top, tt.bothSSH, tt.withBoth)}), LoadOptions{})
			got := map[string]string{}
			for name, n := range cfg.Nodes {
				got[name] = n.Endpoint.SSH.Shell
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("effective shells (-want +got):\n%s", d)
			}
		})
	}
}

// A node used by objects of different platforms, with no shell set, is refused at the node,
// naming every object and asking for shell.
func TestShellDefaultAmbiguous(t *testing.T) {
	_, diags := Load(writeDir(t, map[string]string{"main.hcl": topNodes(``, ``, true)}), LoadOptions{})
	var found []*hcl.Diagnostic
	for _, d := range diags {
		if d.Summary == "Node shell ambiguous" {
			found = append(found, d)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want one ambiguity error, got:\n%s", describe(diags))
	}
	d := found[0]
	for _, want := range []string{`Node "both"`, `status_file.sts2 (default shell "cmd")`, `server_scan.scan2 (default shell "posix")`, "Set shell"} {
		if !strings.Contains(d.Detail, want) {
			t.Errorf("detail %q does not contain %q", d.Detail, want)
		}
	}
	if d.Severity != hcl.DiagError || d.Subject == nil || d.Subject.Start.Line != 31 {
		t.Errorf("want an error at node \"both\" (line 31), got %v at %v", d.Severity, d.Subject)
	}
}
