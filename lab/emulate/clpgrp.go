package emulate

import (
	"flag"
	"fmt"
	"io"
	"slices"
)

// runClpgrp emulates clpgrp: -s GROUP [-h SERVER] starts a group (on this server by default),
// -t GROUP stops it, -m GROUP [-a SERVER] moves it (to the next active server of its policy by
// default). Group operations are refused while the cluster is suspended.
func runClpgrp(e *env, args []string) int {
	flags := flag.NewFlagSet(e.name, flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	start := flags.String("s", "", "start GROUP")
	stop := flags.String("t", "", "stop GROUP")
	move := flags.String("m", "", "move GROUP")
	host := flags.String("h", "", "server to start on")
	dest := flags.String("a", "", "server to move to")
	if err := flags.Parse(args); err != nil || flags.NArg() > 0 {
		return e.failf("invalid option. Usage: clpgrp -s GROUP [-h SERVER] | -t GROUP | -m GROUP [-a SERVER]")
	}
	c, link, err := loadCluster(e)
	if err != nil {
		return e.failf("%v", err)
	}
	defer link.Close()
	if st := c.servers[c.self].state.Cluster; st != clusterRunning {
		return e.failf("the cluster is %s on this server", st)
	}
	switch {
	case *start != "" && *stop == "" && *move == "":
		err = groupStart(c, *start, *host)
	case *stop != "" && *start == "" && *move == "":
		err = groupStop(c, *stop)
	case *move != "" && *start == "" && *stop == "":
		err = groupMove(c, *move, *dest)
	default:
		return e.failf("exactly one of -s, -t, -m is required")
	}
	if err != nil {
		return e.failf("%v", err)
	}
	if err := c.save(); err != nil {
		return e.failf("%v", err)
	}
	fmt.Fprintln(e.stdout, "Command succeeded.")
	return 0
}

func lookupGroup(c *cluster, name string) (clpGroup, groupState, error) {
	g, ok := c.conf.group(name)
	if !ok {
		return clpGroup{}, groupState{}, fmt.Errorf("group %s is not found", name)
	}
	return g, c.groups()[name], nil
}

// usable checks that a group may run on server: in its policy and active.
func usable(c *cluster, g clpGroup, name string) error {
	if !slices.Contains(g.Policy, name) {
		return fmt.Errorf("server %s is not in the failover policy of group %s", name, g.Name)
	}
	if s := c.servers[name]; s == nil || !s.active() {
		return fmt.Errorf("server %s is not running", name)
	}
	return nil
}

func groupStart(c *cluster, name, on string) error {
	g, st, err := lookupGroup(c, name)
	if err != nil {
		return err
	}
	if st.Status == groupOnline {
		return fmt.Errorf("group %s is already started (current: %s)", name, st.Current)
	}
	if on == "" {
		on = c.self
	}
	if err := usable(c, g, on); err != nil {
		return err
	}
	c.groups()[name] = groupState{Status: groupOnline, Current: on}
	return nil
}

func groupStop(c *cluster, name string) error {
	_, st, err := lookupGroup(c, name)
	if err != nil {
		return err
	}
	if st.Status != groupOnline {
		return fmt.Errorf("group %s is already stopped", name)
	}
	c.groups()[name] = groupState{Status: groupOffline}
	return nil
}

func groupMove(c *cluster, name, to string) error {
	g, st, err := lookupGroup(c, name)
	if err != nil {
		return err
	}
	if st.Status != groupOnline {
		return fmt.Errorf("group %s is not started", name)
	}
	if to == "" {
		next, ok := c.nextActive(g, st.Current)
		if !ok {
			return fmt.Errorf("group %s has no other running server to move to", name)
		}
		to = next
	}
	if to == st.Current {
		return fmt.Errorf("group %s is already on server %s", name, to)
	}
	if err := usable(c, g, to); err != nil {
		return err
	}
	c.groups()[name] = groupState{Status: groupOnline, Current: to}
	return nil
}
