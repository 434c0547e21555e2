package generate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/config"
)

// A script part whose content is not known is written as unknown_content, with no file: the
// generated configuration loads back with the same unknown parts and never holds invented
// content (issue 18).
func TestUnknownScriptContentIsWrittenAsSuch(t *testing.T) {
	src := t.TempDir()
	hcl := `cluster "web" {
  node "sv1" {
    address       = "10.0.0.11"
    interconnects = ["192.168.0.11"]
  }
  node "sv2" {
    address       = "10.0.0.12"
    interconnects = ["192.168.0.12"]
  }
  heartbeat "hb1" { interconnect = 0 }
}
script "app" {
  start           = "#!/bin/sh\necho start\n"
  unknown_content = ["stop"]
}
group "g1" {
  cluster = cluster.web
  policy  = [cluster.web.node.sv1, cluster.web.node.sv2]
  resource "exec" "exec1" { script = script.app }
}
`
	if err := os.WriteFile(filepath.Join(src, "main.hcl"), []byte(hcl), 0o644); err != nil {
		t.Fatal(err)
	}
	loaded, diags := config.Load(src, config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	files, err := Cluster(loaded.Config.Clusters["web"], Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := files["scripts/g1/exec1/stop.sh"]; ok {
		t.Error("a file was written for the unknown stop content")
	}
	if got := string(files["scripts/g1/exec1/start.sh"]); got != "#!/bin/sh\necho start\n" {
		t.Errorf("start.sh = %q", got)
	}
	if g := string(files["group-g1.hcl"]); !strings.Contains(g, `unknown_content = ["stop"]`) || !strings.Contains(g, "scripts/g1/exec1/stop.sh") {
		t.Errorf("group-g1.hcl does not mark stop unknown, naming its path:\n%s", g)
	}
	out := t.TempDir()
	for p, b := range files {
		path := filepath.Join(out, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	back, diags := config.Load(out, config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	s := back.Config.Clusters["web"].Groups[0].Resources[0].Script
	if diff := cmp.Diff([]string{"stop"}, s.UnknownContent); diff != "" {
		t.Errorf("UnknownContent after the round trip (-want +got):\n%s", diff)
	}
}
