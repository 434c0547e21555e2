package main

import (
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

A saved plan is refused as stale when the configuration or the nodes changed since it was made,
and when it was applied already.
Without a terminal on stdin, apply needs --auto-approve (or a saved plan).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runApplyCmd(cmd, g, f, args)
		},
	}
	f.run.register(cmd.Flags())
	cmd.Flags().BoolVar(&f.autoApprove, "auto-approve", false, "apply without asking for approval")
	cmd.Flags().BoolVar(&f.json, "json", false, "stream the run as JSON lines on stdout: plan, progress, outcome (docs/json-format.md)")
	cmd.Flags().DurationVar(&f.lockTimeout, "lock-timeout", 0, "wait up to `DURATION` for another run's lock (default: fail at once)")
	return cmd
}

// runApplyCmd runs apply (or rollback) with its output: text, or the JSON stream with --json.
func runApplyCmd(cmd *cobra.Command, g *globals, f *applyFlags, args []string) error {
	format := formatHuman
	if f.json {
		format = formatJSON
	}
	out := newRunOutput(cmd, g, format)
	defer out.close()
	return out.finish(runApply(cmd, f, args, out), "apply")
}

func runApply(cmd *cobra.Command, f *applyFlags, args []string, out *runOutput) error {
	saved, dir, err := savedPlanArg(args)
	if err != nil {
		return err
	}
	rollback := f.run.rollbackTo != ""
	if rollback && saved != nil {
		return fmt.Errorf("%s is a plan file: rollback takes a configuration directory (apply a saved plan with 'cluster apply %s')", args[0], args[0])
	}
	// Without anyone to ask, fail before reaching any node rather than after planning. With
	// --json the prompt would break the stream, so there is no one to ask either.
	if saved == nil && !f.autoApprove {
		switch {
		case f.json && rollback:
			return errors.New("rollback --json needs --auto-approve: a prompt cannot be part of the JSON stream")
		case f.json:
			return errors.New("apply --json needs --auto-approve or a saved plan: a prompt cannot be part of the JSON stream")
		case !isTerminal(cmd.InOrStdin()) && rollback:
			return errRollbackNoApprover
		case !isTerminal(cmd.InOrStdin()):
			return errNoApprover
		}
	}
	load := f.run.load
	if saved != nil {
		if err := useSavedPlanFlags(cmd.Flags(), load, saved); err != nil {
			return err
		}
		if dir, err = savedConfigDir(saved, chdirGiven(cmd)); err != nil {
			return err
		}
		cleanup, err := withSavedVariables(&load, saved)
		if err != nil {
			return err
		}
		defer cleanup()
		f.run.targets = saved.Targets
	}
	cfg, err := out.loadConfig(dir, load)
	if err != nil {
		return err
	}
	if saved != nil && saved.ConfigFingerprint != cfg.Fingerprint {
		why := "the configuration changed since this plan was made (files or variable values differ)"
		if len(saved.ConfigFiles) > 0 { // the files are the recorded ones: a value differs
			why = "the configuration changed since this plan was made: its files are the same, but variable values differ " +
				"(sensitive values, which a plan file never holds, come from CLUSTER_VAR_<name>, *.auto.vars.hcl or --var)"
		}
		return &stalePlanError{why: why}
	}
	// The plan is made under the lock, so that what apply changes is what was observed.
	operation := strings.TrimSpace("apply " + strings.Join(f.run.targets, " "))
	lock := &planner.LockRequest{Operation: operation, Timeout: f.lockTimeout, Progress: out.progress}
	eng, run, closeConns, err := startRun(cmd, &f.run, cfg, out.progress, lock)
	if err != nil {
		return err
	}
	defer closeConns()
	approved := run.Plan
	if saved != nil {
		if err := checkSavedPlan(saved, run.Plan); err != nil {
			return err
		}
		approved = saved
	}
	view := out.plan()
	if saved != nil {
		view = out.savedPlan(args[0])
	}
	if err := view.Plan(run.Plan); err != nil {
		return err
	}
	if run.Plan.Errored {
		return silentExit(1)
	}
	if !run.Plan.HasChanges() {
		if out.stream != nil { // the stream ends with the apply's outcome, even when it did nothing
			return out.applied(run.Plan, planner.Outcome{})
		}
		return nil
	}
	if saved == nil && !f.autoApprove { // stdin is a terminal: checked before planning
		question := "\nDo you want to perform these actions?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: "
		if err := askYes(cmd, question, "apply cancelled"); err != nil {
			return err
		}
	}
	// From here the nodes change: a first interrupt lets the step in progress finish and the
	// run recover before it stops.
	stopGracefully(cmd.Context())
	outcome := eng.Apply(cmd.Context(), run, planner.ApplyOptions{
		Approved: approved,
		Progress: out.progress,
		// The nodes were observed under the lock; after a prompt, which may have lasted
		// minutes, they are observed again.
		Reobserve: saved == nil && !f.autoApprove,
	})
	if err := out.applied(run.Plan, outcome); err != nil {
		return err
	}
	if outcome.Err != nil {
		return silentExit(1)
	}
	return nil
}

// stalePlanError refuses a saved plan that no longer describes what apply would do.
type stalePlanError struct{ why string }

func (e *stalePlanError) Error() string {
	return fmt.Sprintf("Saved plan is stale: %s. It can no longer be applied: run \"cluster plan\" again", e.why)
}

func (e *stalePlanError) Unwrap() error { return planner.ErrStalePlan }

// checkSavedPlan refuses a saved plan whose changes are not what a fresh plan would make now:
// above all one that was applied already, whose fresh plan has nothing left to do. Apply
// checks again under the lock; this check is what keeps an already-applied plan from passing
// as "No changes".
func checkSavedPlan(saved, fresh *planner.Plan) error {
	if fresh.Errored {
		return nil // the fresh plan's errors are shown and stop the apply
	}
	if saved.HasChanges() && !fresh.HasChanges() {
		return &stalePlanError{why: "the nodes already hold what it would change (was it applied already?)"}
	}
	if same, why := planner.Equivalent(saved, fresh); !same {
		return &stalePlanError{why: "the nodes changed since this plan was made: " + why}
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

// errRollbackNoApprover is errNoApprover for rollback, which has no saved plans.
var errRollbackNoApprover = errors.New("rollback needs approval, and stdin is not a terminal: pass --auto-approve " +
	"(run 'cluster rollback' from a terminal first to see what it would change)")
