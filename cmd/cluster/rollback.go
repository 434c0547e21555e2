package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/providers/clusterpro"
	"github.com/clusterctl/cluster/transport"
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
	// No rollout flags (--resync, ...): a rollback pushes a backup as it is.
	f.run.registerSelection(cmd.Flags())
	cmd.Flags().StringVar(&to, "to", "latest", "the backup `ID` to return to")
	cmd.Flags().BoolVar(&f.autoApprove, "auto-approve", false, "roll back without asking for approval")
	cmd.Flags().BoolVar(&f.json, "json", false, "stream the run as JSON lines on stdout: plan, progress, outcome (docs/json-format.md)")
	cmd.Flags().DurationVar(&f.lockTimeout, "lock-timeout", 0, "wait up to `DURATION` for another run's lock (default: fail at once)")
	return cmd
}

func newBackupsCmd(g *globals) *cobra.Command {
	f := &observeFlags{}
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
			return listBackups(cmd, f, cfg)
		},
	}
	f.register(cmd.Flags())
	return cmd
}

// listBackups reads the backups every cluster node keeps, all nodes at once (bounded by
// --parallelism), and lists them cluster by cluster in node order.
func listBackups(cmd *cobra.Command, f *observeFlags, cfg *config.Config) error {
	conn, closeConns := newConnector(cmd, f, nil)
	defer closeConns()
	clusters := cfg.SortedClusters()
	type site struct {
		cluster *config.Cluster
		node    *config.ClusterNode
	}
	var sites []site
	var refs []planner.NodeRef
	for _, c := range clusters {
		for _, n := range c.Nodes {
			sites = append(sites, site{c, n})
			refs = append(refs, planner.NodeRef{Addr: n.Addr, Endpoint: n.Endpoint})
		}
	}
	conns, connErrs := conn.Connect(cmd.Context(), refs)
	ids := make([][]string, len(sites))
	errs := make([]error, len(sites))
	var g errgroup.Group
	g.SetLimit(max(f.parallelism, 1))
	for k, s := range sites {
		if err := connErrs[s.node.Addr]; err != nil {
			errs[k] = err
			continue
		}
		g.Go(func() error {
			out, err := transport.Do(cmd.Context(), conns[s.node.Addr], clusterpro.ListBackups(transport.NodePath(s.cluster.InstallDir)))
			if err == nil {
				ids[k], err = clusterpro.BackupIDs(out[0])
			}
			errs[k] = err
			return nil
		})
	}
	_ = g.Wait()

	w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
	failed := false
	k := 0 // sites[k] is node n
	for _, c := range clusters {
		kept := map[string][]string{} // backup ID -> nodes
		var order []string
		for _, n := range c.Nodes {
			if errs[k] != nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "Error: %s: %v\n", n.Addr, errs[k])
				failed = true
			}
			for _, id := range ids[k] {
				if _, seen := kept[id]; !seen {
					order = append(order, id)
				}
				kept[id] = append(kept[id], n.Name)
			}
			k++
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
}
