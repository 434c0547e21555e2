package config_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/clusterctl/cluster/hcl/config"
)

// poisons are values that stress what rendering accepts: a control character, text outside
// ASCII, a blank, comment and cmd.exe metacharacters, a Windows device name, an empty string,
// a relative path.
var poisons = []string{`a\u0001b`, "起動中", "a b", "a#%b", "CON", "", "rel/path"}

// stringLiteral matches a one-line HCL string literal without escapes or interpolation.
var stringLiteral = regexp.MustCompile(`"[^"\\$%\n]*"`)

// Every string literal of every example and valid configuration is replaced, one at a time, by
// each poison value: whenever validate then accepts the configuration, plan's configuration
// checks must accept it too; whenever it refuses it, every diagnostic has a file and line.
func TestMutatedConfigurations(t *testing.T) {
	if testing.Short() {
		t.Skip("thousands of loads")
	}
	var dirs []string
	for _, pattern := range []string{"../../testdata/valid/*", "../../examples/*"} {
		m, _ := filepath.Glob(pattern)
		dirs = append(dirs, m...)
	}
	var loads atomic.Int64
	t.Cleanup(func() {
		t.Logf("%d mutated loads", loads.Load())
		if loads.Load() < 1000 {
			t.Errorf("only %d mutated loads", loads.Load())
		}
	})
	for _, src := range dirs {
		if fi, err := os.Stat(src); err != nil || !fi.IsDir() {
			continue
		}
		t.Run(filepath.Base(src), func(t *testing.T) {
			t.Parallel()
			mutateDir(t, src, &loads)
		})
	}
}

// mutateDir runs the poisons over every string literal of src's files, outside comments.
func mutateDir(t *testing.T, src string, loads *atomic.Int64) {
	{
		dir := copyDir(t, src)
		files, _ := filepath.Glob(filepath.Join(src, "*.hcl"))
		for _, file := range files {
			target := filepath.Join(dir, filepath.Base(file))
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			text := string(data)
			for _, loc := range stringLiteral.FindAllStringIndex(text, -1) {
				lineStart := strings.LastIndexByte(text[:loc[0]], '\n') + 1
				if trimmed := strings.TrimSpace(text[lineStart:loc[0]]); strings.HasPrefix(trimmed, "#") || strings.HasPrefix(trimmed, "//") {
					continue
				}
				for _, p := range poisons {
					mutated := text[:loc[0]] + `"` + p + `"` + text[loc[1]:]
					if err := os.WriteFile(target, []byte(mutated), 0o644); err != nil {
						t.Fatal(err)
					}
					loads.Add(1)
					loaded, diags := config.Load(dir, config.LoadOptions{})
					if diags.HasErrors() {
						for _, d := range diags {
							if d.Subject == nil || d.Subject.Filename == "" || d.Subject.Start.Line == 0 {
								line := 1 + strings.Count(text[:loc[0]], "\n")
								t.Errorf("%s:%d: %s replaced by %q: %s %q has no location", file, line, text[loc[0]:loc[1]], p, severity(d), d.Summary)
							}
						}
						continue
					}
					if reason, panicked := planRejects(loaded.Config); reason != "" {
						line := 1 + strings.Count(text[:loc[0]], "\n")
						t.Errorf("%s:%d: %s replaced by %q: validate accepts it, plan refuses it (panic: %v): %s",
							file, line, text[loc[0]:loc[1]], p, panicked, reason)
					}
				}
			}
			if err := os.WriteFile(target, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func severity(d *hcl.Diagnostic) string {
	if d.Severity == hcl.DiagError {
		return "error"
	}
	return "warning"
}

// copyDir copies the regular files of src (and its subdirectories) into a new temporary directory.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}
