package main

import (
	"github.com/spf13/cobra"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/views"
)

func newGraphCmd(g *globals) *cobra.Command {
	var (
		opts config.LoadOptions
		dir  string
	)
	cmd := &cobra.Command{
		Use:   "graph",
		Short: "Print the objects of the configuration and their dependencies as a DOT graph",
		Long: `graph prints the configuration's failover objects in Graphviz DOT: clusters and their
nodes, groups, resources, monitors and scripts, with an edge from each object to what it
depends on (its cluster or group, depends_on, a group's policy, a monitor's target and recovery
target, a script). It contacts no node. Render it with e.g.  cluster graph | dot -Tsvg > graph.svg`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadQuiet(g, cmd, dir, opts)
			if err != nil {
				return err
			}
			return views.WriteDOT(cmd.OutOrStdout(), configGraph(cfg))
		},
	}
	cmd.Flags().StringVar(&dir, "dir", ".", "the configuration `DIR`")
	AddVarFlags(cmd.Flags(), &opts)
	return cmd
}

// configGraph lists the failover objects of cfg and their dependencies.
func configGraph(cfg *config.Config) views.Graph {
	var gr views.Graph
	node := func(a interface{ String() string }, kind string) {
		gr.Nodes = append(gr.Nodes, views.GraphNode{Addr: a.String(), Kind: kind})
	}
	edge := func(from, to interface{ String() string }, label string) {
		gr.Edges = append(gr.Edges, views.GraphEdge{From: from.String(), To: to.String(), Label: label})
	}
	monitor := func(m *config.Monitor, owner interface{ String() string }) {
		node(m.Addr, "monitor")
		edge(m.Addr, owner, "in")
		if m.Target != nil {
			edge(m.Addr, m.Target.Addr, "target")
		}
		if m.Script != nil {
			edge(m.Addr, m.Script.Addr, "script")
		}
		switch {
		case m.Recovery.Group != nil:
			edge(m.Addr, m.Recovery.Group.Addr, "recovery")
		case m.Recovery.Resource != nil:
			edge(m.Addr, m.Recovery.Resource.Addr, "recovery")
		}
	}
	for _, c := range cfg.SortedClusters() {
		node(c.Addr, "cluster")
		for _, n := range c.Nodes {
			node(n.Addr, "cluster_node")
			edge(n.Addr, c.Addr, "in")
		}
		for _, m := range c.Monitors {
			monitor(m, c.Addr)
		}
		for _, g := range c.Groups {
			node(g.Addr, "group")
			edge(g.Addr, c.Addr, "in")
			for _, n := range g.Policy {
				edge(g.Addr, n.Addr, "policy")
			}
			for _, r := range g.Resources {
				node(r.Addr, "resource")
				edge(r.Addr, g.Addr, "in")
				for _, d := range r.DependsOn {
					edge(r.Addr, d.Addr, "depends_on")
				}
				if r.Script != nil {
					edge(r.Addr, r.Script.Addr, "script")
				}
			}
			for _, m := range g.Monitors {
				monitor(m, g.Addr)
			}
		}
	}
	for _, s := range cfg.Scripts {
		node(s.Addr, "script")
	}
	return gr
}
