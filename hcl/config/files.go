package config

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
)

// FileHashes returns the SHA-256 ("sha256:<hex>") of each configuration file Load reads in dir,
// by file name. Variable files are left out: they may hold secret values, and their values
// count in the fingerprint instead. A saved plan records these hashes to find its
// configuration again and to name the file that changed.
func FileHashes(dir string) (map[string]string, error) {
	configFiles, _, err := listFiles(dir)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(configFiles))
	for _, path := range configFiles {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(data)
		out[filepath.Base(path)] = "sha256:" + hex.EncodeToString(sum[:])
	}
	return out, nil
}
