package generate

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/config"
)

// A cluster imported from a Windows node reached with shell = "cmd" is written with that shell
// and code page in its own ssh block, standalone and beside another configuration (where no
// top-level ssh block is written), and loads back so: the configuration reaches its nodes the
// way the import did.
func TestShellIsWrittenInTheClusterSSHBlock(t *testing.T) {
	src := t.TempDir()
	hcl := `cluster "web" {
  platform = "windows"
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
	type got struct {
		Shell    string
		CodePage int
	}
	// Without a shell the written cluster says nothing, and its nodes keep the defaults.
	def := loaded.Config.Clusters["web"].Nodes[0].Endpoint.SSH
	for _, tt := range []struct {
		opts Options
		want got
	}{
		{Options{}, got{def.Shell, def.CodePage}},
		{Options{Shell: "cmd", CodePage: 932}, got{"cmd", 932}},
		{Options{Shell: "powershell"}, got{"powershell", 437}}, // code_page unset: from the charset (ASCII)
		{Options{Shell: "cmd", CodePage: 437, Prefix: "jp"}, got{"cmd", 437}},
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
			t.Fatalf("%+v: %s", tt.opts, diags.Error())
		}
		label := "web"
		if tt.opts.Prefix != "" {
			label = tt.opts.Prefix
		}
		s := back.Config.Clusters[label].Nodes[0].Endpoint.SSH
		if d := cmp.Diff(tt.want, got{s.Shell, s.CodePage}); d != "" {
			t.Errorf("%+v: shell, code_page (-want +got):\n%s", tt.opts, d)
		}
	}
}
