package config

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

// becomeCluster is a two-node cluster of the given platform with ssh blocks at every level.
func becomeCluster(platform, top, cluster, node string) string {
	return fmt.Sprintf(`
variable "sudo_password" {
  type      = string
  sensitive = true
  default   = "s3cret-sudo"
}
variable "plain" {
  default = "not-secret"
}
ssh {
%s
}
cluster "c" {
  platform = %q
  ssh {
%s
  }
  node "n1" {
    address = "192.0.2.1"
    ssh {
%s
    }
  }
  node "n2" {
    address = "192.0.2.2"
  }
}
`, top, platform, cluster, node)
}

// The become settings merge like the other ssh settings (innermost wins, false overrides true)
// and the password is recorded as a secret of the configuration.
func TestBecomeSettingsMerge(t *testing.T) {
	yes, no := true, false
	type eff struct {
		Become   *bool
		User     string
		Password string
	}
	tests := []struct {
		name               string
		top, cluster, node string
		wantN1, wantN2     eff
	}{
		{"top level applies to every node", `become = true`, ``, ``,
			eff{&yes, "", ""}, eff{&yes, "", ""}},
		{"node overrides with false", `become = true`, ``, `become = false`,
			eff{&no, "", ""}, eff{&yes, "", ""}},
		{"user and password from the cluster", ``, "become = true\nbecome_user = \"clpadm\"\nbecome_password = var.sudo_password", ``,
			eff{&yes, "clpadm", "s3cret-sudo"}, eff{&yes, "clpadm", "s3cret-sudo"}},
		{"derived from a sensitive variable", ``, ``, "become = true\nbecome_password = \"x${var.sudo_password}\"",
			eff{&yes, "", "xs3cret-sudo"}, eff{}},
		{"unset", ``, ``, ``, eff{}, eff{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := mustLoad(t, writeDir(t, map[string]string{"main.hcl": becomeCluster("linux", tt.top, tt.cluster, tt.node)}), LoadOptions{})
			got := map[string]eff{}
			for _, n := range cfg.Clusters["c"].Nodes {
				s := n.Endpoint.SSH
				got[n.Name] = eff{s.Become, s.BecomeUser, s.BecomePassword}
			}
			if d := cmp.Diff(map[string]eff{"n1": tt.wantN1, "n2": tt.wantN2}, got); d != "" {
				t.Errorf("effective settings (-want +got):\n%s", d)
			}
			for _, e := range []eff{tt.wantN1, tt.wantN2} {
				if e.Password != "" && !slices.Contains(cfg.Secrets, e.Password) {
					t.Errorf("the password %q is not among the secrets %q", e.Password, cfg.Secrets)
				}
			}
		})
	}
}

// Refused settings get an error located at the argument that is wrong.
func TestBecomeInvalid(t *testing.T) {
	tests := []struct {
		name               string
		platform           string
		top, cluster, node string
		summary            string
		line               int
	}{
		{"literal password", "linux", ``, ``, "become = true\nbecome_password = \"hunter2\"", "Password not sensitive", 22},
		{"plain variable", "linux", "become_password = var.plain", ``, ``, "Password not sensitive", 11},
		{"windows node, set on the node", "windows", ``, ``, `become = true`, "become on a Windows node", 21},
		{"windows node, set at the top", "windows", `become = true`, ``, ``, "become on a Windows node", 11},
		{"windows node, set on the cluster", "windows", ``, `become = true`, ``, "become on a Windows node", 16},
		{"bad user name", "linux", `become_user = "root; rm -rf /"`, ``, ``, "Invalid become_user", 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Load(writeDir(t, map[string]string{"main.hcl": becomeCluster(tt.platform, tt.top, tt.cluster, tt.node)}), LoadOptions{})
			var found []*hcl.Diagnostic
			for _, d := range diags {
				if d.Summary == tt.summary {
					found = append(found, d)
				}
			}
			if len(found) != 1 {
				t.Fatalf("want one %q diagnostic, got:\n%s", tt.summary, describe(diags))
			}
			if found[0].Subject == nil || found[0].Subject.Start.Line != tt.line {
				t.Errorf("%q at %v, want line %d", tt.summary, found[0].Subject, tt.line)
			}
		})
	}
}

// A Windows cluster may turn off a top-level become, which Linux clusters keep.
func TestBecomeOffOnWindows(t *testing.T) {
	mustLoad(t, writeDir(t, map[string]string{"main.hcl": becomeCluster("windows", `become = true`, `become = false`, ``)}), LoadOptions{})
}

// A password without become is unused: a warning says so.
func TestBecomePasswordWithoutBecome(t *testing.T) {
	_, diags := Load(writeDir(t, map[string]string{"main.hcl": becomeCluster("linux", "become_password = var.sudo_password", ``, ``)}), LoadOptions{})
	if diags.HasErrors() {
		t.Fatalf("errors:\n%s", describe(diags))
	}
	d := findDiag(diags, hcl.DiagWarning, "become_password without become")
	if d == nil || d.Subject.Start.Line != 11 {
		t.Fatalf("want one warning at line 11, got:\n%s", describe(diags))
	}
}
