package generate

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/config"
)

// A cluster imported through sudo is written with become in its ssh block, and loads back so.
func TestBecomeIsWrittenInTheSSHBlock(t *testing.T) {
	src := t.TempDir()
	hcl := `cluster "web" {
  node "sv1" {
    address       = "10.0.0.11"
    interconnects = ["192.168.0.11"]
  }
  heartbeat "hb1" { interconnect = 0 }
}
`
	if err := os.WriteFile(filepath.Join(src, "main.hcl"), []byte(hcl), 0o644); err != nil {
		t.Fatal(err)
	}
	loaded, diags := config.Load(src, config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	for _, tt := range []struct {
		opts   Options
		become *bool
		asUser string
	}{
		{Options{}, nil, ""},
		{Options{Become: true}, ptr(true), ""},
		{Options{Become: true, BecomeUser: "clpadm"}, ptr(true), "clpadm"},
	} {
		files, err := Cluster(loaded.Config.Clusters["web"], tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		out := t.TempDir()
		for p, b := range files {
			path := filepath.Join(out, filepath.FromSlash(p))
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		back, diags := config.Load(out, config.LoadOptions{})
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		s := back.Config.Clusters["web"].Nodes[0].Endpoint.SSH
		if d := cmp.Diff([]any{tt.become, tt.asUser}, []any{s.Become, s.BecomeUser}); d != "" {
			t.Errorf("%+v: become, become_user (-want +got):\n%s", tt.opts, d)
		}
	}
}

func ptr[T any](v T) *T { return &v }
