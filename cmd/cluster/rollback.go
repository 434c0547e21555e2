package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/clusterctl/cluster/providers/clusterpro"
	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/sshnode"
)

func newRollbackCmd(g *globals) *cobra.Command {
	f := &applyFlags{}
	to := "latest"
	cmd := &cobra.Command{
		Use:   "rollback [DIR] [--to ID]",
		Short: "Return every cluster to a backup its nodes keep, as a planned, locked apply",
		Long: `rollback is apply with a different goal: instead of the configuration in DIR, every cluster
returns to a configuration directory apply backed up earlier (the newest by default, or the
backup named with --to; 'cluster backups' lists them). The backup is read from the master node.
It is planned and shown like any apply, asks for approval, takes the same locks, follows the
vendor's sequence, backs up the configuration it replaces, and verifies every node.

The configuration in DIR still says how to reach the nodes. Afterwards, 'cluster plan DIR'
shows how the configuration differs from what the nodes hold.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if to == "" {
				return fmt.Errorf("--to needs a backup ID (see 'cluster backups')")
			}
			f.run.rollbackTo = to
			return runApplyCmd(cmd, g, f, args)
		},
	}
	f.run.register(cmd.Flags())
	cmd.Flags().StringVar(&to, "to", "latest", "the backup `ID` to return to")
	cmd.Flags().BoolVar(&f.autoApprove, "auto-approve", false, "roll back without asking for approval")
	cmd.Flags().BoolVar(&f.json, "json", false, "stream the run as JSON lines on stdout: plan, progress, outcome (docs/json-format.md)")
	cmd.Flags().DurationVar(&f.lockTimeout, "lock-timeout", 0, "wait up to `DURATION` for another run's lock (default: fail at once)")
	return cmd
}

func newBackupsCmd(g *globals) *cobra.Command {
	f := &runFlags{}
	cmd := &cobra.Command{
		Use:   "backups [DIR]",
		Short: "List the configuration backups apply keeps on each cluster's nodes",
		Long: `backups lists, for every cluster of the configuration in DIR, the backups apply made of the
installed configuration directory before changing it (the newest 10 per node), with the nodes
that keep each. 'cluster rollback --to ID' returns a cluster to one.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd, g, configDir(args), f.load)
			if err != nil {
				return err
			}
			pool := sshnode.NewPool(sshnode.Options{Parallelism: f.parallelism, AcceptNewHostKeys: f.acceptNewHostKeys})
			defer pool.Close()
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			failed := false
			for _, name := range slices.Sorted(maps.Keys(cfg.Clusters)) {
				c := cfg.Clusters[name]
				kept := map[string][]string{} // backup ID -> nodes
				var order []string
				for _, n := range c.Nodes {
					node, err := pool.Connect(cmd.Context(), n.Addr.String(), n.Endpoint)
					var res transport.Result
					if err == nil {
						res, err = node.Run(cmd.Context(), clusterpro.BackupsCommand(transport.NodePath(c.InstallDir)))
					}
					if err == nil && !res.OK() {
						err = fmt.Errorf("listing backups: %s", transport.FirstLine(res.Stderr))
					}
					if err != nil {
						fmt.Fprintf(cmd.ErrOrStderr(), "Error: %s: %v\n", n.Addr, err)
						failed = true
						continue
					}
					for _, id := range strings.Fields(string(res.Stdout)) {
						if _, seen := kept[id]; !seen {
							order = append(order, id)
						}
						kept[id] = append(kept[id], n.Name)
					}
				}
				fmt.Fprintf(w, "%s\n", c.Addr)
				if len(order) == 0 {
					fmt.Fprintf(w, "  (no backups)\n")
				}
				for _, id := range order {
					fmt.Fprintf(w, "  %s\t%s\n", id, strings.Join(kept[id], ", "))
				}
			}
			if err := w.Flush(); err != nil {
				return err
			}
			if failed {
				return silentExit(1)
			}
			return nil
		},
	}
	AddVarFlags(cmd.Flags(), &f.load)
	cmd.Flags().IntVar(&f.parallelism, "parallelism", 50, "connect to at most `N` nodes at once")
	cmd.Flags().BoolVar(&f.acceptNewHostKeys, "accept-new-host-keys", false,
		"record the host key of a node never seen before in known_hosts (first contact only; a changed key still stops the run)")
	return cmd
}
