package format

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/pmezard/go-difflib/difflib"

	"github.com/clusterctl/cluster/internal/atomicfile"
)

// Source returns src in canonical layout. Source with syntax errors is returned unchanged with
// the errors: formatting it would guess at the author's intent.
func Source(src []byte, filename string) ([]byte, hcl.Diagnostics) {
	if _, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos); diags.HasErrors() {
		return src, diags
	}
	return hclwrite.Format(src), nil
}

// Result is the outcome of formatting one file.
type Result struct {
	Path      string
	Changed   bool
	Formatted []byte
	Original  []byte
}

// File formats the file at path without writing it.
func File(path string) (Result, hcl.Diagnostics) {
	src, err := os.ReadFile(path)
	if err != nil {
		return Result{Path: path}, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read file",
			Detail:   fmt.Sprintf("Reading %s failed: %s.", path, err),
		}}
	}
	out, diags := Source(src, path)
	return Result{Path: path, Original: src, Formatted: out, Changed: !bytes.Equal(src, out)}, diags
}

// Diff returns the changes as a unified diff with a/ and b/ file headers, or "" when none.
func (r Result) Diff() (string, error) {
	if !r.Changed {
		return "", nil
	}
	d, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A:        difflib.SplitLines(string(r.Original)),
		B:        difflib.SplitLines(string(r.Formatted)),
		FromFile: "a/" + filepath.ToSlash(r.Path),
		ToFile:   "b/" + filepath.ToSlash(r.Path),
		Context:  3,
	})
	if err != nil {
		return "", fmt.Errorf("diff of %s: %w", r.Path, err)
	}
	return d, nil
}

// Write replaces the file with its formatted content atomically: a temporary file in the same
// directory, synced, then renamed over the original (keeping its permissions).
func (r Result) Write() error {
	info, err := os.Stat(r.Path)
	if err != nil {
		return fmt.Errorf("formatting %s: %w", r.Path, err)
	}
	if err := atomicfile.Write(r.Path, r.Formatted, info.Mode().Perm()); err != nil {
		return fmt.Errorf("formatting %s: %w", r.Path, err)
	}
	return nil
}

// Files lists the *.hcl files (configuration and variable files) that paths name: a file is
// taken as is; a directory contributes its *.hcl files, and its subdirectories' with recursive.
// Hidden directories (.git, .lab) are skipped. The result is sorted and without duplicates.
func Files(paths []string, recursive bool) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, root := range paths {
		info, err := os.Stat(root)
		if err != nil {
			return nil, fmt.Errorf("fmt: %w", err)
		}
		if !info.IsDir() {
			add(root)
			continue
		}
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if p != root && (!recursive || strings.HasPrefix(d.Name(), ".")) {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(d.Name(), ".hcl") && d.Type().IsRegular() {
				add(p)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("fmt: %w", err)
		}
	}
	sort.Strings(out)
	return out, nil
}
