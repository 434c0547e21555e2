package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/views"
)

func newShowCmd(g *globals) *cobra.Command {
	var (
		asJSON bool
		format string
	)
	cmd := &cobra.Command{
		Use:   "show PLANFILE",
		Short: "Show a saved plan",
		Long: `show renders the plan saved in PLANFILE: as text (the default), as one JSON document
(--json or --format json, docs/json-format.md), or as Markdown for a pull-request comment
(--format markdown).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f := outputFormat(format)
			if asJSON {
				if cmd.Flags().Changed("format") && f != formatJSON {
					return fmt.Errorf("--json and --format %s contradict each other", format)
				}
				f = formatJSON
			}
			var view views.PlanView
			switch f {
			case formatHuman:
				view = planView(cmd, g, false)
			case formatJSON:
				view = planView(cmd, g, true)
			case formatMarkdown:
				view = views.NewPlanMarkdown(cmd.OutOrStdout())
			default:
				return fmt.Errorf("--format %q: want human, json or markdown", format)
			}
			p, err := planner.ReadPlanFile(args[0])
			if err != nil {
				return err
			}
			return view.Plan(p)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the plan as one JSON document (docs/json-format.md); same as --format json")
	cmd.Flags().StringVar(&format, "format", string(formatHuman), "`FORMAT` of the output: human, json or markdown (a pull-request comment)")
	return cmd
}
