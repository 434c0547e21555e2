package status

import (
	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/providers/serverscan"
	"github.com/clusterctl/cluster/providers/statusfile"
	"github.com/clusterctl/cluster/simulate"
)

// Observed is the report as the starting point of a simulation: down are the cluster servers
// that cannot be read or that the view shows Offline, the machines that cannot be reached and
// the INACT scan servers; groups are where the view says they run; status files have their
// listed pairs. What could not be read is left out, so it starts as in normal operation.
func (r *Report) Observed(cfg *config.Config) *simulate.Observed {
	obs := &simulate.Observed{
		Down:   map[addrs.Address]bool{},
		Groups: map[addrs.Address]string{},
		Pairs:  map[addrs.Address][]statusfile.PairState{},
	}
	for _, c := range r.Clusters {
		for _, n := range c.Nodes {
			if n.Err != "" || n.Status == "Offline" || (n.Status == "" && n.State == "stopped") {
				obs.Down[n.Addr] = true
			}
		}
		for _, g := range c.Groups {
			if g.Group.IsZero() {
				continue
			}
			if g.Status == "Online" {
				obs.Groups[g.Group] = g.Current
			} else {
				obs.Groups[g.Group] = ""
			}
		}
	}
	for _, s := range r.ServerScans {
		h := cfg.ServerScans[s.ServerScan.Parts()[1]]
		if h != nil && h.Node != nil && r.Unreachable[h.Node.Addr] != "" {
			obs.Down[h.Node.Addr] = true
		}
		for _, sv := range s.Servers {
			if sv.Status == serverscan.StatusInact {
				obs.Down[addrs.ScanServer(sv.Name)] = true
			}
		}
	}
	for _, f := range r.StatusFiles {
		if f.Pairs != nil {
			obs.Pairs[f.StatusFile] = f.Pairs
		}
	}
	for _, g := range r.ServerGroups {
		sg := cfg.ServerGroups[g.ServerGroup.Parts()[1]]
		if sg == nil {
			continue
		}
		if sg.Management != nil && !g.ManagementUp {
			obs.Down[sg.Management.Addr] = true
		}
		for i, m := range g.Members {
			if !m.Reachable && i < len(sg.Members) && sg.Members[i].Node != nil {
				obs.Down[sg.Members[i].Node.Addr] = true
			}
		}
	}
	return obs
}
