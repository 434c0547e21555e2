package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
