package config

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds arbitrary bytes as main.hcl: loading must never panic, and whatever it
// reports must be diagnostics. Run: go test -run '^$' -fuzz FuzzLoad ./hcl/config/
func FuzzLoad(f *testing.F) {
	for _, root := range []string{invalidDir, validDir} {
		seeds, _ := filepath.Glob(filepath.Join(root, "*", "*.hcl"))
		for _, p := range seeds {
			if src, err := os.ReadFile(p); err == nil {
				f.Add(src)
			}
		}
	}
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, src []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.hcl"), src, 0o644); err != nil {
			t.Fatal(err)
		}
		loaded, diags := Load(dir, LoadOptions{Vars: []string{"x=1"}})
		if loaded == nil {
			t.Fatal("Load returned a nil *Loaded")
		}
		for _, d := range diags {
			if d == nil || d.Summary == "" {
				t.Fatalf("empty diagnostic in %v", diags)
			}
		}
		if !diags.HasErrors() && loaded.Config == nil {
			t.Fatal("no errors but no Config")
		}
	})
}
