package emulate

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/clusterctl/cluster/lab/labdir"
)

// runDf reports a full disk while the disk-full fault is on, and otherwise runs the real df
// with the same arguments.
func runDf(argv0 string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := os.Getenv(RootEnv)
	if root != "" && labdir.HasFault(root, labdir.DiskFull, "") {
		var targets []string
		for _, a := range args {
			if !strings.HasPrefix(a, "-") {
				targets = append(targets, a)
			}
		}
		if len(targets) == 0 {
			targets = []string{"/"}
		}
		fmt.Fprintln(stdout, "Filesystem     1K-blocks    Used Available Use% Mounted on")
		for range targets {
			fmt.Fprintln(stdout, "labdisk          1048576 1048576         0 100% /")
		}
		return 0
	}
	// The emulation is <root>/bin/df, first on a lab node's PATH: look for the system df by
	// its own paths, never through PATH.
	self, _ := os.Executable()
	for _, p := range []string{"/usr/bin/df", "/bin/df"} {
		if resolved, err := filepath.EvalSymlinks(p); err != nil || resolved == self {
			continue
		}
		cmd := exec.Command(p, args...)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode()
		}
		if err != nil {
			fmt.Fprintf(stderr, "df: %v\n", err)
			return 1
		}
		return 0
	}
	fmt.Fprintln(stderr, "df: the system df is not found")
	return 127
}
