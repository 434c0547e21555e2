package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/status"
	"github.com/clusterctl/cluster/views"
)

type statusFlags struct {
	observe observeFlags
	json    bool
}

func newStatusCmd(g *globals) *cobra.Command {
	f := &statusFlags{}
	cmd := &cobra.Command{
		Use:   "status [DIR]",
		Short: "Show the live state of every cluster, scan server, status file and server group",
		Long: `status reads, over SSH and in one session per node, the live state of every object of the
configuration in DIR (default: the current directory): for clusters, clpstat on each server
(where each group runs, suspended servers, monitors in error); for Server-Scan hosts,
vkhoststat (INACT or the word it prints); for status files, the definition file and each A and B
file (their state is unknown: no public command prints it); for server groups, each member's sync
state and balancer state as the site's sync_check_command and in_balancer_command report them on
the management node, and which members answer. It changes
nothing.

Exit status: 0 when every node could be read, 1 on an error or when a node could not be read.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd, g, configDir(args), f.observe.load)
			if err != nil {
				return err
			}
			rep, err := readStatus(cmd, &f.observe, cfg)
			if err != nil {
				return err
			}
			var view views.StatusView
			if f.json {
				view = views.NewStatusJSON(cmd.OutOrStdout())
			} else {
				view = views.NewStatusHuman(cmd.OutOrStdout(), colourFor(g, cmd.OutOrStdout()))
			}
			if err := view.Status(rep); err != nil {
				return err
			}
			if len(rep.Unreachable) > 0 {
				return silentExit(1)
			}
			return nil
		},
	}
	f.observe.register(cmd.Flags())
	cmd.Flags().BoolVar(&f.json, "json", false, "print the state as JSON (docs/simulate.md)")
	return cmd
}

// readStatus connects to every node of cfg through one SSH pool and reads its live state.
func readStatus(cmd *cobra.Command, f *observeFlags, cfg *config.Config) (*status.Report, error) {
	conn, closeConns := newConnector(cmd, f, nil)
	defer closeConns()
	rep, err := status.Read(cmd.Context(), cfg, conn, f.parallelism)
	if err != nil {
		return nil, fmt.Errorf("reading the nodes: %w", err)
	}
	return rep, nil
}
