package emulate

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// runClpcl emulates clpcl: start (-s), stop (-t) and restart (-r), on this server or on every
// server of the cluster with -a; --suspend and --resume, which act on the entire cluster
// whatever -a says (EXPRESSCLUSTER/clpaic's tool definitions: "Suspend the entire cluster"; the
// vendor's procedures run `clpcl --suspend` once, without -a). --ib, --web and --alert (restart the
// information base, WebManager and alert services) are accepted and have no effect.
func runClpcl(e *env, args []string) int {
	flags := flag.NewFlagSet(e.name, flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	start := flags.Bool("s", false, "start")
	stop := flags.Bool("t", false, "stop")
	restart := flags.Bool("r", false, "restart")
	suspend := flags.Bool("suspend", false, "suspend")
	resume := flags.Bool("resume", false, "resume")
	all := flags.Bool("a", false, "every server")
	flags.Bool("ib", false, "")
	flags.Bool("web", false, "")
	flags.Bool("alert", false, "")
	if err := flags.Parse(args); err != nil || flags.NArg() > 0 {
		return e.failf("invalid option. Usage: clpcl -s|-t|-r|--suspend|--resume [-a]")
	}
	ops := 0
	for _, b := range []bool{*start, *stop, *restart, *suspend, *resume} {
		if b {
			ops++
		}
	}
	if ops != 1 {
		return e.failf("exactly one of -s, -t, -r, --suspend, --resume is required")
	}

	c, link, err := loadCluster(e)
	if err != nil {
		return e.failf("%v", err)
	}
	defer link.Close()
	targets, err := c.targets(*all || *suspend || *resume)
	if err != nil {
		return e.failf("%v", err)
	}
	switch {
	case *start:
		err = clpStart(c, targets)
	case *stop:
		clpStop(c, targets)
	case *restart:
		clpStop(c, targets)
		err = clpStart(c, targets)
	case *suspend:
		err = clpTransition(c, targets, clusterRunning, clusterSuspended, "the cluster is not running", "suspend")
	case *resume:
		err = clpResume(c, targets)
	}
	// After a partial failure the servers before the failing one did change: save that too, as
	// the product keeps it.
	var partial *partialError
	if err != nil && !errors.As(err, &partial) {
		return e.failf("%v", err)
	}
	if serr := c.save(); serr != nil {
		return e.failf("%v", serr)
	}
	if err != nil {
		return e.failf("%v", err)
	}
	if *start && *all {
		// As the public sample shows it (EXPRESSCLUSTER/clpaic README): one line per server.
		for _, t := range targets {
			fmt.Fprintf(e.stdout, "Start %s : Command succeeded.\n", t.name)
		}
		return 0
	}
	fmt.Fprintln(e.stdout, "Command succeeded.")
	return 0
}

// clpStart starts the cluster service on targets, then every offline group on the first
// active server of its policy. A suspended server must be resumed, not started.
func clpStart(c *cluster, targets []*server) error {
	for _, s := range targets {
		if s.state.Cluster == clusterSuspended {
			return fmt.Errorf("server %s is suspended; resume the cluster (clpcl --resume)", s.name)
		}
	}
	for _, s := range targets {
		s.state.Cluster = clusterRunning
	}
	c.place(true)
	return nil
}

// clpStop stops the cluster service on targets; their groups fail over or go offline.
func clpStop(c *cluster, targets []*server) {
	for _, s := range targets {
		s.state.Cluster = clusterStopped
	}
	c.place(false)
}

// clpTransition moves every target from one state to another, refusing unless all are in from.
// A server with the vendor-fail fault for op fails there, after the servers before it changed.
func clpTransition(c *cluster, targets []*server, from, to, refusal, op string) error {
	for _, s := range targets {
		if s.state.Cluster != from {
			return fmt.Errorf("%s (server %s is %s)", refusal, s.name, s.state.Cluster)
		}
	}
	for _, s := range targets {
		failing, err := c.peers.failing(s.name, op)
		if err != nil {
			return &partialError{fmt.Sprintf("failed to %s server %s: %v", op, s.name, err)}
		}
		if failing {
			return &partialError{fmt.Sprintf("failed to %s server %s: %v", op, s.name, errDiskFull)}
		}
		s.state.Cluster = to
	}
	return nil
}

// clpResume resumes every suspended target (a suspend that failed on some servers leaves the
// others suspended); it is refused when none is suspended. A server with the vendor-fail fault
// for resume fails there, after the servers before it resumed.
func clpResume(c *cluster, targets []*server) error {
	var suspended []*server
	for _, s := range targets {
		if s.state.Cluster == clusterSuspended {
			suspended = append(suspended, s)
		}
	}
	if len(suspended) == 0 {
		return fmt.Errorf("the cluster is not suspended")
	}
	return clpTransition(c, suspended, clusterSuspended, clusterRunning, "the cluster is not suspended", "resume")
}

// partialError is a transition that changed some servers before failing.
type partialError struct{ msg string }

func (e *partialError) Error() string { return e.msg }
