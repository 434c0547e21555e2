package main

import (
	"github.com/spf13/cobra"

	"github.com/clusterctl/cluster/planner"
)

func newShowCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show PLANFILE",
		Short: "Show a saved plan",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := planner.ReadPlanFile(args[0])
			if err != nil {
				return err
			}
			return planView(cmd, g, asJSON).Plan(p)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the plan as JSON (docs/json-format.md)")
	return cmd
}
