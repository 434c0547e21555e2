package main

import (
	"errors"
	"fmt"
	"sort"

	"github.com/spf13/cobra"

	"github.com/clusterctl/cluster/simulate"
	"github.com/clusterctl/cluster/status"
	"github.com/clusterctl/cluster/views"
)

// exitExpectationFailed is simulate's exit status when an --expect-available service is down
// after a step of a scenario.
const exitExpectationFailed = 2

type simulateFlags struct {
	observe    observeFlags
	events     []simulate.Event
	eachSingle bool
	expect     []string
	offline    bool
	json       bool
}

func newSimulateCmd(g *globals) *cobra.Command {
	f := &simulateFlags{}
	cmd := &cobra.Command{
		Use:   "simulate [DIR] --fail NODE[,NODE] [--fail ...] [--recover NODE] | --each-single-node",
		Short: "Show, step by step, what happens to every service when nodes fail",
		Long: `simulate computes, without changing anything, what happens when the named nodes fail (and
come back): where each failover group runs and which monitors are affected, which scan servers
carry the virus-check load, what a status-file swap does, which server-group members stay in
the load balancer. Each --fail or --recover is one step, in command-line order; failures
accumulate. A name is a node (sv1), a scan server (WinNT01), a status file (sts, sts:B for an
I/O error in the B file of its current logical file) or an address (cluster.web.node.sv1).

The starting point is the live state read from the nodes (clpstat, vkhoststat, the server
groups' site commands); with --offline it is normal operation: every group on the first node of
its policy, every scan server connected. Status files always start as after a normal start
(the first logical file current, the others spare): their state cannot be read.

--each-single-node adds one scenario per node and per scan server. --expect-available makes
the command exit 2 when a scenario leaves that service down, so CI can assert that any single
node may fail: cluster simulate --offline --each-single-node --expect-available iis

Exit status: 0 every expectation met, 1 error, 2 an expected service went down.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSimulate(cmd, g, f, configDir(args))
		},
	}
	fs := cmd.Flags()
	f.observe.register(fs)
	fs.Var(eventFlag{simulate.Fail, &f.events}, "fail", "a step where `NODE[,NODE]` fail at once (repeatable; failures accumulate)")
	fs.Var(eventFlag{simulate.Recover, &f.events}, "recover", "a step where `NODE[,NODE]` come back (repeatable)")
	fs.BoolVar(&f.eachSingle, "each-single-node", false, "also run one scenario per node and scan server failing alone")
	fs.StringArrayVar(&f.expect, "expect-available", nil, "exit 2 when a scenario leaves `SERVICE` down: a group, server_scan, status_file or server_group (repeatable)")
	fs.BoolVar(&f.offline, "offline", false, "do not read the nodes: start from normal operation")
	fs.BoolVar(&f.json, "json", false, "print the simulation as JSON (docs/simulate.md)")
	return cmd
}

func runSimulate(cmd *cobra.Command, g *globals, f *simulateFlags, dir string) error {
	if len(f.events) == 0 && !f.eachSingle {
		return errors.New("nothing to simulate: give --fail NODE (and --recover NODE) steps, or --each-single-node")
	}
	cfg, err := loadConfig(cmd, g, dir, f.observe.load)
	if err != nil {
		return err
	}
	var scenarios []simulate.Scenario
	if len(f.events) > 0 {
		scenarios = append(scenarios, simulate.Scenario{Name: simulate.Describe(f.events), Events: f.events})
	}
	if f.eachSingle {
		scenarios = append(scenarios, simulate.SingleFailures(cfg)...)
	}
	opts := simulate.Options{Scenarios: scenarios, Expect: f.expect}
	if !f.offline {
		rep, err := readStatus(cmd, &f.observe, cfg)
		if err != nil {
			return err
		}
		opts.Observed = rep.Observed()
		warnUnread(cmd, rep)
	}
	rep, err := simulate.Run(cfg, opts)
	if err != nil {
		return err
	}
	var view views.SimulateView
	if f.json {
		view = views.NewSimulateJSON(cmd.OutOrStdout())
	} else {
		view = views.NewSimulateHuman(cmd.OutOrStdout(), colourFor(g, cmd.OutOrStdout()))
	}
	if err := view.Report(rep); err != nil {
		return err
	}
	if !rep.OK() {
		return silentExit(exitExpectationFailed)
	}
	return nil
}

// warnUnread says on stderr which nodes could not be read: the simulation starts with them down.
func warnUnread(cmd *cobra.Command, rep *status.Report) {
	var lines []string
	for a, why := range rep.Unreachable {
		lines = append(lines, fmt.Sprintf("Warning: %s could not be read, so the simulation starts with it down: %s", a, why))
	}
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Fprintln(cmd.ErrOrStderr(), l)
	}
}
