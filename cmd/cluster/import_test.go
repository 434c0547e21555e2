package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/hcl/config"
)

// import --from-file of a bare clp.conf exits 1 naming every script it did not find, and writes
// none of them; with --placeholder-scripts it writes no-op scripts and exits 0 (issue 18: the
// no-ops were written silently and the import called exact).
func TestImportFromBareConfExitsNonZero(t *testing.T) {
	conf := "../../providers/clusterpro/clpconf/testdata/reference/linux-md-exec-current.clp.conf"
	missing := []string{"scripts/failover1/exec1/start.sh", "scripts/failover1/exec1/stop.sh", "scripts/monitor.s/genw/genw.sh"}

	out := filepath.Join(t.TempDir(), "imported")
	stdout, stderr, code := runRoot(t, nil, "import", "--from-file", conf, "--out", out)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, stdout, stderr)
	}
	for _, p := range missing {
		if !strings.Contains(stderr, p) {
			t.Errorf("stderr does not name %s:\n%s", p, stderr)
		}
		if _, err := os.Stat(filepath.Join(out, p)); err == nil {
			t.Errorf("%s was written", p)
		}
	}
	if strings.Contains(stdout, "renders the same") {
		t.Errorf("an import without its scripts is called exact:\n%s", stdout)
	}

	out = filepath.Join(t.TempDir(), "placeholders")
	stdout, stderr, code = runRoot(t, nil, "import", "--from-file", conf, "--placeholder-scripts", "--out", out)
	if code != 0 {
		t.Fatalf("--placeholder-scripts: exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, p := range missing {
		if _, err := os.Stat(filepath.Join(out, p)); err != nil {
			t.Errorf("--placeholder-scripts did not write %s: %v", p, err)
		}
	}
}

// A local clp.conf beyond the 16 MiB limit is refused by its size, before it is read.
func TestImportFromFileRefusesOversizedConf(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "clp.conf")
	f, err := os.Create(conf)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(50 << 20); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	_, stderr, code := runRoot(t, nil, "import", "--from-file", conf, "--out", filepath.Join(t.TempDir(), "out"))
	if code != 1 || !strings.Contains(stderr, "larger than the maximum size of 16777216 bytes") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}

// The vendor's layout beside a clp.conf file (clp.conf and scripts/ in one directory) is read
// whole: the import is exact and exits 0.
func TestImportFromFileReadsTheScriptsBesideIt(t *testing.T) {
	raw, err := os.ReadFile("../../providers/clusterpro/clpconf/testdata/reference/linux-md-exec-current.clp.conf")
	if err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	files := map[string]string{
		"clp.conf":                         string(raw),
		"scripts/failover1/exec1/start.sh": "#!/bin/sh\necho start\n",
		"scripts/failover1/exec1/stop.sh":  "#!/bin/sh\necho stop\n",
		"scripts/monitor.s/genw/genw.sh":   "#!/bin/sh\nexit 0\n",
	}
	for p, b := range files {
		path := filepath.Join(src, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(b), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "imported")
	stdout, stderr, code := runRoot(t, nil, "import", "--from-file", filepath.Join(src, "clp.conf"), "--out", out)
	if code != 0 || !strings.Contains(stdout, "renders the same clp.conf and scripts") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	for p, want := range files {
		if p == "clp.conf" {
			continue
		}
		if got, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(p))); err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want the file beside clp.conf", p, got, err)
		}
	}
}

// A second cluster imported into a directory that already holds one is written beside it:
// both have a group failover1 in clp.conf, the directory validates, and the second import is
// exact. Importing it again under a label the directory already uses is refused before
// anything is written.
func TestImportSecondClusterBesideTheFirst(t *testing.T) {
	raw, err := os.ReadFile("../../providers/clusterpro/clpconf/testdata/reference/linux-md-exec-current.clp.conf")
	if err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	for p, b := range map[string]string{
		"clp.conf":                         string(raw),
		"scripts/failover1/exec1/start.sh": "#!/bin/sh\necho start\n",
		"scripts/failover1/exec1/stop.sh":  "#!/bin/sh\necho stop\n",
		"scripts/monitor.s/genw/genw.sh":   "#!/bin/sh\nexit 0\n",
	} {
		path := filepath.Join(src, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, path, b)
	}
	out := filepath.Join(t.TempDir(), "imported")
	conf := filepath.Join(src, "clp.conf")
	if stdout, stderr, code := runRoot(t, nil, "import", "--from-file", conf, "--out", out); code != 0 {
		t.Fatalf("first import: exit %d\n%s\n%s", code, stdout, stderr)
	}
	stdout, stderr, code := runRoot(t, nil, "import", "--from-file", conf, "--out", out, "--name", "osaka",
		"--host", "alma9-21=10.9.0.21", "--host", "alma9-22=10.9.0.22")
	if code != 0 || !strings.Contains(stdout, "renders the same clp.conf and scripts") || !strings.Contains(stdout, "var.osaka_hosts") {
		t.Fatalf("second import: exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, p := range []string{"osaka-cluster.hcl", "osaka-group-failover1.hcl", "osaka-variables.hcl", "osaka/scripts/failover1/exec1/start.sh"} {
		if _, err := os.Stat(filepath.Join(out, p)); err != nil {
			t.Errorf("second import did not write %s: %v", p, err)
		}
	}
	loaded, diags := config.Load(out, config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatalf("the directory does not load: %s", diags.Error())
	}
	first, second := loaded.Config.Clusters["cluster"], loaded.Config.Clusters["osaka"]
	if first == nil || second == nil || first.Name != "cluster" || second.Name != "cluster" {
		t.Fatalf("clusters: %v", sortedClusterKeys(loaded.Config))
	}
	if g := loaded.Config.Groups["osaka_failover1"]; g == nil || g.Name != "failover1" || g.Cluster != second {
		t.Errorf("the second cluster's group failover1: %+v", g)
	}
	before, _ := os.ReadDir(out)
	_, stderr, code = runRoot(t, nil, "import", "--from-file", conf, "--out", out, "--name", "osaka")
	if code != 1 || !strings.Contains(stderr, "already declares cluster.osaka") {
		t.Errorf("same label again: exit %d\n%s", code, stderr)
	}
	if after, _ := os.ReadDir(out); len(after) != len(before) {
		t.Error("a refused import wrote files")
	}
}

func sortedClusterKeys(cfg *config.Config) []string {
	var out []string
	for k := range cfg.Clusters {
		out = append(out, k)
	}
	return out
}
