package config

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// FileHashes returns the SHA-256 ("sha256:<hex>") of each configuration file Load reads in dir,
// by file name, and of the configuration files in its subdirectories (where local modules live),
// by slash path relative to dir. Variable files are left out: they may hold secret values, and
// their values count in the fingerprint instead. Hidden files and directories are skipped. A
// saved plan records these hashes to find its configuration again and to name the file that
// changed. (A module outside dir is covered by the fingerprint only.)
func FileHashes(dir string) (map[string]string, error) {
	configFiles, _, err := listFiles(dir)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(configFiles))
	add := func(path, name string) error {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		out[name] = "sha256:" + hex.EncodeToString(sum[:])
		return nil
	}
	for _, path := range configFiles {
		if err := add(path, filepath.Base(path)); err != nil {
			return nil, err
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		err := filepath.WalkDir(filepath.Join(dir, e.Name()), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if strings.HasPrefix(name, ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() || !d.Type().IsRegular() || !strings.HasSuffix(name, configSuffix) || strings.HasSuffix(name, varsSuffix) {
				return nil
			}
			rel, err := filepath.Rel(dir, path)
			if err != nil {
				return err
			}
			return add(path, filepath.ToSlash(rel))
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
