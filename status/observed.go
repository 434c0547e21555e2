package status

import (
	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/providers/serverscan"
	"github.com/clusterctl/cluster/simulate"
)

// Observed is the report as the starting point of a simulation: down are the cluster servers
// that cannot be read or that the view shows Offline, the machines that cannot be reached and
// the INACT scan servers; groups are where the view says they run. Status files start as after
// a normal start (simulate): their state cannot be read. What could not be read is left out, so
// it starts as in normal operation.
func (r *Report) Observed() *simulate.Observed {
	obs := &simulate.Observed{
		Down:   map[addrs.Address]bool{},
		Groups: map[addrs.Address]string{},
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
	// A node whose session could not run is down whatever it serves; cluster servers are
	// handled above, since their Err also covers a clpstat that could not be parsed.
	for a := range r.Unreachable {
		obs.Down[a] = true
	}
	for _, s := range r.ServerScans {
		for _, sv := range s.Servers {
			if sv.Status == serverscan.StatusInact {
				obs.Down[addrs.ScanServer(sv.Name)] = true
			}
		}
	}
	return obs
}
