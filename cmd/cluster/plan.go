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
	markdown         bool
	detailedExitCode bool
}

func newPlanCmd(g *globals) *cobra.Command {
	f := &planFlags{}
	cmd := &cobra.Command{
		Use:   "plan [DIR]",
		Short: "Show what apply would change on the nodes",
		Long: `plan reads the configuration in DIR (default: the current directory), reads the live state of
every node over SSH (one session per node) and shows what apply would change.

Progress ("Observing 4 nodes...", then one line per node) goes to stderr. With --json, stdout is
a stream of JSON lines instead (docs/json-format.md); with --markdown, stdout is the plan as a
pull-request comment.

Exit status: 0 success, 1 error; with --detailed-exitcode, 0 no changes, 1 error, 2 changes.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format := formatHuman
			switch {
			case f.json:
				format = formatJSON
			case f.markdown:
				format = formatMarkdown
			}
			out := newRunOutput(cmd, g, format)
			defer out.close()
			return out.finish(runPlan(cmd, f, configDir(args), out), "plan")
		},
	}
	f.run.register(cmd.Flags())
	cmd.Flags().StringVar(&f.out, "out", "", "save the plan to `FILE` for 'cluster apply FILE'")
	cmd.Flags().BoolVar(&f.json, "json", false, "stream the run as JSON lines on stdout (docs/json-format.md)")
	cmd.Flags().BoolVar(&f.markdown, "markdown", false, "print the plan as Markdown, for a pull-request comment")
	cmd.Flags().BoolVar(&f.detailedExitCode, "detailed-exitcode", false, "exit 2 when there are changes, 0 when none")
	cmd.MarkFlagsMutuallyExclusive("json", "markdown")
	return cmd
}

func runPlan(cmd *cobra.Command, f *planFlags, dir string, out *runOutput) error {
	cfg, err := out.loadConfig(dir, f.run.load)
	if err != nil {
		return err
	}
	_, run, closeConns, err := startRun(cmd, &f.run, cfg, out.progress, nil)
	if err != nil {
		return err
	}
	defer closeConns()
	// The plan file is written before the plan is shown, so that the summary line stays the last
	// line of a JSON stream and a plan that could not be saved is not presented as saved.
	if f.out != "" && !run.Plan.Errored {
		if err := recordPlanSource(run.Plan, dir); err != nil {
			return fmt.Errorf("saving plan to %s: %w", f.out, err)
		}
		run.Plan.Flags = recordPlanFlags(cmd.Flags())
		if err := planner.WritePlanFile(f.out, run.Plan); err != nil {
			return err
		}
	}
	if err := out.plan().Plan(run.Plan); err != nil {
		return err
	}
	if f.out != "" && !run.Plan.Errored {
		switch out.format {
		case formatHuman:
			fmt.Fprintf(cmd.OutOrStdout(), "\nSaved the plan to %s. To apply exactly this plan, run: cluster apply %s\n", f.out, f.out)
		case formatMarkdown: // stdout is the comment
			fmt.Fprintf(cmd.ErrOrStderr(), "Saved the plan to %s.\n", f.out)
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
