package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/clusterctl/cluster/planner"
)

type applyFlags struct {
	run         runFlags
	autoApprove bool
	json        bool
	lockTimeout time.Duration
}

func newApplyCmd(g *globals) *cobra.Command {
	f := &applyFlags{}
	cmd := &cobra.Command{
		Use:   "apply [DIR | PLANFILE]",
		Short: "Make the changes a plan shows, on the nodes",
		Long: `apply plans (or reads the plan saved in PLANFILE), asks for approval, takes the run-wide lock on
every node it changes, checks under the lock that the nodes still are as planned, and applies.

A saved plan is refused when the configuration or the nodes changed since it was made.
Without a terminal on stdin, apply needs --auto-approve (or a saved plan).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runApply(cmd, g, f, args)
		},
	}
	f.run.register(cmd.Flags())
	cmd.Flags().BoolVar(&f.autoApprove, "auto-approve", false, "apply without asking for approval")
	cmd.Flags().BoolVar(&f.json, "json", false, "print the plan and the outcome as JSON; no progress lines")
	cmd.Flags().DurationVar(&f.lockTimeout, "lock-timeout", 0, "wait up to `DURATION` for another run's lock (default: fail at once)")
	return cmd
}

func runApply(cmd *cobra.Command, g *globals, f *applyFlags, args []string) error {
	saved, dir, err := savedPlanArg(args)
	if err != nil {
		return err
	}
	// Without anyone to ask, fail before reaching any node rather than after planning.
	if saved == nil && !f.autoApprove && !isTerminal(cmd.InOrStdin()) {
		return errNoApprover
	}
	load := f.run.load
	if saved != nil {
		dir = saved.ConfigDir
		cleanup, err := withSavedVariables(&load, saved)
		if err != nil {
			return err
		}
		defer cleanup()
		f.run.targets = saved.Targets
	}
	cfg, err := loadConfig(cmd, g, dir, load)
	if err != nil {
		return err
	}
	if saved != nil && saved.ConfigFingerprint != cfg.Fingerprint {
		return errors.New("the configuration changed since this plan was made (files or variable values differ): run cluster plan again")
	}
	eng, run, closeConns, err := startRun(cmd, &f.run, cfg)
	if err != nil {
		return err
	}
	defer closeConns()
	approved := run.Plan
	if saved != nil {
		approved = saved
	}
	if err := planView(cmd, g, f.json).Plan(run.Plan); err != nil {
		return err
	}
	if run.Plan.Errored {
		return silentExit(1)
	}
	if !run.Plan.HasChanges() {
		return nil
	}
	if saved == nil && !f.autoApprove {
		if err := askApproval(cmd); err != nil {
			return err
		}
	}
	// From here the nodes change: a first interrupt lets the step in progress finish and the
	// run recover before it stops.
	stopGracefully(cmd.Context())
	out := eng.Apply(cmd.Context(), run, planner.ApplyOptions{
		Approved:    approved,
		LockTimeout: f.lockTimeout,
		Progress:    progressView(cmd, g, f.json),
		Operation:   strings.TrimSpace("apply " + strings.Join(f.run.targets, " ")),
	})
	if err := applyView(cmd, g, f.json).Result(run.Plan, out); err != nil {
		return err
	}
	if out.Err != nil {
		return silentExit(1)
	}
	return nil
}

// savedPlanArg tells a plan file from a configuration directory.
func savedPlanArg(args []string) (*planner.Plan, string, error) {
	dir := configDir(args)
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, "", err
	}
	if fi.IsDir() {
		return nil, dir, nil
	}
	p, err := planner.ReadPlanFile(dir)
	if err != nil {
		return nil, "", fmt.Errorf("%s is neither a configuration directory nor a plan file: %w", dir, err)
	}
	return p, "", nil
}

// errNoApprover is the error of an apply that needs approval when stdin is not a terminal.
var errNoApprover = errors.New("apply needs approval, and stdin is not a terminal: pass --auto-approve, " +
	"or save a plan with 'cluster plan --out FILE' and apply that file")

// askApproval asks on the terminal; without one it refuses rather than guess.
func askApproval(cmd *cobra.Command) error {
	if !isTerminal(cmd.InOrStdin()) {
		return errNoApprover
	}
	fmt.Fprint(cmd.OutOrStdout(), "\nDo you want to perform these actions?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ")
	line, _ := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
	if strings.TrimSpace(line) != "yes" {
		return &exitError{code: 1, err: errors.New("apply cancelled")}
	}
	return nil
}
