package lab

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// clusterBinary is the cluster binary built once for the tests: node roots link the vendor
// commands to it.
var clusterBinary string

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "lab-test-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	clusterBinary = filepath.Join(dir, "cluster")
	build := exec.Command("go", "build", "-o", clusterBinary, "../cmd/cluster")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "build the cluster binary: %v\n", err)
		return 1
	}
	return m.Run()
}
