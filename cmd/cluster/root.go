package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

// globals are the flags every command shares.
type globals struct {
	noColor bool
	chdir   string
}

func newRootCmd() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "cluster",
		Short: "Plan and apply high-availability cluster configuration over SSH",
		Long: `cluster reads the HCL description of your clusters, reads the live state of every node
over SSH, shows exactly what would change (plan) and makes those changes (apply).`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			// no-color.org: only a non-empty NO_COLOR disables colour.
			if os.Getenv("NO_COLOR") != "" {
				g.noColor = true
			}
			if g.chdir != "" {
				if err := os.Chdir(g.chdir); err != nil {
					return fmt.Errorf("--chdir: %w", err)
				}
			}
			return nil
		},
	}
	root.PersistentFlags().BoolVar(&g.noColor, "no-color", false, "disable colour in output (also NO_COLOR)")
	root.PersistentFlags().StringVar(&g.chdir, "chdir", "", "switch to `DIR` before doing anything else")

	root.AddCommand(
		newVersionCmd(),
		newValidateCmd(g),
		newFmtCmd(g),
		newPlanCmd(g),
		newApplyCmd(g),
		newShowCmd(g),
		newForceUnlockCmd(g),
		newImportCmd(g),
		newBackupsCmd(g),
		newRollbackCmd(g),
		newLabCmd(g),
		newSimulateCmd(g),
		newStatusCmd(g),
		newOutputCmd(g),
		newConsoleCmd(g),
		newGraphCmd(g),
	)
	addExamples(root)
	registerTargetCompletion(root)
	withSuggestions(root)
	return root
}
