package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/clusterctl/cluster/planner"
)

type planFlags struct {
	run              runFlags
	out              string
	json             bool
	detailedExitCode bool
}

func newPlanCmd(g *globals) *cobra.Command {
	f := &planFlags{}
	cmd := &cobra.Command{
		Use:   "plan [DIR]",
		Short: "Show what apply would change on the nodes",
		Long: `plan reads the configuration in DIR (default: the current directory), reads the live state of
every node over SSH (one session per node) and shows what apply would change.

Exit status: 0 success, 1 error; with --detailed-exitcode, 0 no changes, 1 error, 2 changes.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPlan(cmd, g, f, configDir(args))
		},
	}
	f.run.register(cmd.Flags())
	cmd.Flags().StringVar(&f.out, "out", "", "save the plan to `FILE` for 'cluster apply FILE'")
	cmd.Flags().BoolVar(&f.json, "json", false, "print the plan as JSON (docs/json-format.md)")
	cmd.Flags().BoolVar(&f.detailedExitCode, "detailed-exitcode", false, "exit 2 when there are changes, 0 when none")
	return cmd
}

func runPlan(cmd *cobra.Command, g *globals, f *planFlags, dir string) error {
	cfg, err := loadConfig(cmd, g, dir, f.run.load)
	if err != nil {
		return err
	}
	_, run, closeConns, err := startRun(cmd, &f.run, cfg)
	if err != nil {
		return err
	}
	defer closeConns()
	if err := planView(cmd, g, f.json).Plan(run.Plan); err != nil {
		return err
	}
	if f.out != "" && !run.Plan.Errored {
		if err := planner.WritePlanFile(f.out, run.Plan); err != nil {
			return err
		}
		if !f.json {
			fmt.Fprintf(cmd.OutOrStdout(), "\nSaved the plan to %s. To apply exactly this plan, run: cluster apply %s\n", f.out, f.out)
		}
	}
	switch {
	case run.Plan.Errored:
		return silentExit(1)
	case f.detailedExitCode && run.Plan.HasChanges():
		return silentExit(2)
	}
	return nil
}
