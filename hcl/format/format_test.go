package format

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const messy = "cluster \"web\" {\nplatform=\"linux\"\n  comment = \"x\"\n}\n"
const tidy = "cluster \"web\" {\n  platform = \"linux\"\n  comment  = \"x\"\n}\n"

func TestSource(t *testing.T) {
	tests := map[string]struct {
		in, want string
		errors   bool
	}{
		"messy":        {in: messy, want: tidy},
		"already tidy": {in: tidy, want: tidy},
		"syntax error": {in: "cluster \"web\" {\n  platform = \n", want: "cluster \"web\" {\n  platform = \n", errors: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, diags := Source([]byte(tc.in), "main.hcl")
			if diags.HasErrors() != tc.errors {
				t.Fatalf("errors = %v, want %v: %s", diags.HasErrors(), tc.errors, diags)
			}
			if diff := cmp.Diff(tc.want, string(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestFileDiffWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "main.hcl")
	if err := os.WriteFile(path, []byte(messy), 0o640); err != nil {
		t.Fatal(err)
	}
	r, diags := File(path)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if !r.Changed {
		t.Fatal("Changed = false for a messy file")
	}
	d, err := r.Diff()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"--- a/", "+++ b/", "-platform=\"linux\"", "+  platform = \"linux\""} {
		if !strings.Contains(d, want) {
			t.Errorf("diff lacks %q:\n%s", want, d)
		}
	}
	if err := r.Write(); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != tidy {
		t.Errorf("written %q, want %q", got, tidy)
	}
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640 kept", info.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	again, _ := File(path)
	if again.Changed {
		t.Error("formatting is not idempotent")
	}
}

func TestFiles(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"a.hcl", "b.vars.hcl", "notes.txt", "sub/c.hcl", ".git/d.hcl"} {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rel := func(ps []string) []string {
		for i, p := range ps {
			ps[i], _ = filepath.Rel(dir, p)
		}
		return ps
	}
	flat, err := Files([]string{dir}, false)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a.hcl", "b.vars.hcl"}, rel(flat)); diff != "" {
		t.Errorf("non-recursive (-want +got):\n%s", diff)
	}
	deep, err := Files([]string{dir, filepath.Join(dir, "a.hcl")}, true)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a.hcl", "b.vars.hcl", "sub/c.hcl"}, rel(deep)); diff != "" {
		t.Errorf("recursive (-want +got):\n%s", diff)
	}
	if _, err := Files([]string{filepath.Join(dir, "missing")}, false); err == nil {
		t.Error("no error for a missing path")
	}
}
