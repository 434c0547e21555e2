package simulate

import (
	"fmt"

	"github.com/clusterctl/cluster/hcl/config"
)

// serverGroupState is who is in a server group's load balancer (seed 004): the management
// server and every enabled member that is up. A failed server is detached; a disabled member
// (maintenance) is out by configuration.
func serverGroupState(s *state, g *config.ServerGroup) ServerGroupState {
	st := ServerGroupState{ServerGroup: g.Addr}
	if g.Management != nil {
		st.Management = g.Management.Name
		st.ManagementUp = !s.down[g.Management.Addr]
		if st.ManagementUp {
			st.InBalancer = append(st.InBalancer, g.Management.Name)
		} else {
			st.Detached = append(st.Detached, g.Management.Name)
		}
	}
	for _, m := range g.Members {
		switch {
		case m.Disabled:
			st.Disabled = append(st.Disabled, m.Name)
		case m.Node != nil && s.down[m.Node.Addr]:
			st.Detached = append(st.Detached, m.Name)
		default:
			st.InBalancer = append(st.InBalancer, m.Name)
		}
	}
	st.Available = len(st.InBalancer) > 0
	return st
}

// serverGroupChanges says who left and who rejoined the balancer between two states.
func serverGroupChanges(before, after ServerGroupState) []Change {
	var out []Change
	for _, n := range without(after.Detached, before.Detached) {
		ch := Change{Service: after.ServerGroup, Kind: ChangeDetach, From: n,
			Summary: fmt.Sprintf("%s fails: detached from the load balancer (detach_command)", n)}
		if n == after.Management {
			ch.Details = append(ch.Details, "the management server is lost: settings cannot be changed until a member is made the new management server (which syncs every member)")
		}
		out = append(out, ch)
	}
	for _, n := range without(before.Detached, after.Detached) {
		ch := Change{Service: after.ServerGroup, Kind: ChangeAttach, To: n,
			Summary: fmt.Sprintf("%s is back: synced from the management server, then attached to the load balancer (attach_command)", n)}
		if n == after.Management {
			ch.Summary = fmt.Sprintf("%s, the management server, is back and attached to the load balancer", n)
		} else if !after.ManagementUp {
			ch.Details = append(ch.Details, "no management server is up to sync it: it rejoins with the settings it had")
		}
		out = append(out, ch)
	}
	switch {
	case before.Available && !after.Available:
		out = append(out, Change{Service: after.ServerGroup, Kind: ChangeDown, Summary: "no server is left in the load balancer"})
	case !before.Available && after.Available:
		out = append(out, Change{Service: after.ServerGroup, Kind: ChangeRecover,
			Summary: fmt.Sprintf("in the load balancer again: %s", list(after.InBalancer))})
	}
	return out
}
