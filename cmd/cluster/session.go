package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/views"
)

// runFlags are the flags of the commands that plan (plan, apply, rollback): the variables and
// how to connect (observeFlags), what to select, and how changes roll out.
type runFlags struct {
	observeFlags
	targets []string
	// Server groups (issue 7).
	resync             []string
	maxParallelMembers int
	// rollbackTo makes the run a rollback to that backup (cluster rollback).
	rollbackTo      string
	allowGroupMoves bool
	assumeRunning   bool
}

// register adds every run flag (plan, apply).
func (f *runFlags) register(fs *pflag.FlagSet) {
	f.registerSelection(fs)
	f.registerRollout(fs)
}

// registerSelection adds the variables, connection flags and --target: all a rollback uses.
func (f *runFlags) registerSelection(fs *pflag.FlagSet) {
	f.observeFlags.register(fs)
	fs.StringArrayVar(&f.targets, "target", nil, "limit the run to `ADDR` and what it contains (repeatable)")
	fs.BoolVar(&f.assumeRunning, "assume-running", false,
		"treat a cluster whose run state clpstat does not show readably as running: suspend it before the push and resume it after (docs/vendor-output.md)")
}

// registerRollout adds the flags that shape how configuration changes roll out (server groups,
// failover-group moves); a rollback returns clusters to a backup and has none of them.
func (f *runFlags) registerRollout(fs *pflag.FlagSet) {
	fs.StringArrayVar(&f.resync, "resync", nil, "have WSMGR sync server-group member `NODE` by hand, also when its sync monitor shows an error (repeatable)")
	fs.IntVar(&f.maxParallelMembers, "max-parallel-members", 1, "roll a server group out to at most `N` members at once")
	fs.BoolVar(&f.allowGroupMoves, "allow-group-moves", false,
		"move an online failover group off a node its new policy leaves out, before pushing (otherwise such a plan is refused)")
}

func (f *runFlags) parseTargets() ([]addrs.Address, error) {
	var out []addrs.Address
	for _, t := range f.targets {
		a, err := addrs.Parse(t)
		if err != nil {
			return nil, fmt.Errorf("--target: %w", err)
		}
		out = append(out, a)
	}
	return out, nil
}

// loadConfig loads and validates the configuration in dir, printing diagnostics (warnings too)
// to stderr. It fails with exit status 1 when the configuration has errors.
func loadConfig(cmd *cobra.Command, g *globals, dir string, opts config.LoadOptions) (*config.Config, error) {
	opts.Environ = os.Environ()
	loaded, diags := config.Load(dir, opts)
	if len(diags) > 0 {
		if err := views.WriteDiagnostics(cmd.ErrOrStderr(), loadedFiles(loaded), diags, colourFor(g, cmd.ErrOrStderr()), 100); err != nil {
			return nil, err
		}
	}
	if diags.HasErrors() {
		return nil, silentExit(1)
	}
	return loaded.Config, nil
}

func configDir(args []string) string {
	if len(args) > 0 {
		return args[0]
	}
	return "."
}

// isTerminal reports whether the file behind r or w is a terminal. A character device is not
// enough: /dev/null is one, and "apply </dev/null" is how CI runs.
func isTerminal(f any) bool {
	fd, ok := f.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(fd.Fd()))
}

// askYes asks question on stdout and accepts only the answer "yes" on stdin; any other answer
// ends the command with cancelled (exit status 1). The caller makes sure someone can answer.
// An interrupt while waiting ends it at once, so that the caller releases its node locks: a
// read of stdin cannot be cancelled, so it runs on its own and is left behind, blocked, until
// the process exits.
func askYes(cmd *cobra.Command, question, cancelled string) error {
	fmt.Fprint(cmd.OutOrStdout(), question)
	answer := make(chan string, 1)
	in := cmd.InOrStdin()
	go func() {
		line, _ := bufio.NewReader(in).ReadString('\n')
		answer <- line
	}()
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	select {
	case <-ctx.Done():
		return &exitError{code: 1, err: fmt.Errorf("%s: interrupted (%w)", cancelled, ctx.Err())}
	case line := <-answer:
		if strings.TrimSpace(line) != "yes" {
			return &exitError{code: 1, err: errors.New(cancelled)}
		}
	}
	return nil
}

// loadedFiles returns the parsed files for diagnostic snippets; a failed load may return none.
func loadedFiles(l *config.Loaded) map[string]*hcl.File {
	if l == nil {
		return nil
	}
	return l.Files
}

// startRun connects to the nodes of cfg that the run flags select and plans, reporting each
// node to observe as it is read (nil: silently), under the lock when lock is set (apply). The
// returned function closes the connections (apply keeps them open from plan to apply) and
// releases the lock, if Apply has not.
func startRun(cmd *cobra.Command, f *runFlags, cfg *config.Config, observe views.ObserveProgress, lock *planner.LockRequest) (*planner.Engine, *planner.Run, func(), error) {
	targets, err := f.parseTargets()
	if err != nil {
		return nil, nil, nil, err
	}
	check := newTargetChecker(cfg)
	if err := check.beforePlan(targets); err != nil {
		return nil, nil, nil, err
	}
	var warn func(string)
	if observe != nil {
		warn = observe.Warn
	}
	eng, closeConns, err := newEngine(cmd, f, warn)
	if err != nil {
		return nil, nil, nil, err
	}
	if observe != nil {
		oc := newObservingConnector(eng.Connector, observe)
		eng.Connector = oc
		defer oc.stop()
	}
	run, err := eng.Plan(cmd.Context(), cfg, planner.Options{Targets: targets, Lock: lock})
	if err != nil {
		closeConns()
		return nil, nil, nil, err
	}
	closeRun := func() {
		run.Unlock()
		closeConns()
	}
	if err := check.afterPlan(targets, run.Plan); err != nil {
		closeRun()
		return nil, nil, nil, err
	}
	return eng, run, closeRun, nil
}
