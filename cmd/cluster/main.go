// Command cluster manages high-availability clusters as code: it reads HCL, observes every node
// over SSH, shows what would change and applies it.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/clusterctl/cluster/lab/emulate"
)

func main() {
	// The binary is multi-call: installed on a lab or test node under a vendor command's name
	// (clpcl, vkhoststat, xodstsinit, ...) it runs that command's emulation.
	if run, ok := emulate.Lookup(filepath.Base(os.Args[0])); ok {
		os.Exit(run(os.Args[0], os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}

	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	ctx, in := newInterrupts(context.Background())
	done := make(chan struct{})
	go in.watch(sig, done, os.Stderr)

	root := newRootCmd()
	root.SetArgs(singleDashArgs(root, os.Args[1:]))
	err := root.ExecuteContext(ctx)
	close(done)
	signal.Stop(sig)
	os.Exit(exitCode(err, root))
}

// exitError carries a specific exit status (e.g. 2 for "plan has changes").
type exitError struct {
	code int
	err  error // nil: nothing more to print
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// silentExit ends the command with code without printing anything more.
func silentExit(code int) error { return &exitError{code: code} }

func exitCode(err error, root interface{ PrintErrln(...any) }) int {
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			root.PrintErrln("Error:", ee.err)
		}
		return ee.code
	}
	root.PrintErrln("Error:", err)
	return 1
}
