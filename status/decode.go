package status

import (
	"fmt"
	"maps"
	"slices"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/providers/clusterpro"
	"github.com/clusterctl/cluster/providers/servergroup"
	"github.com/clusterctl/cluster/providers/serverscan"
	"github.com/clusterctl/cluster/providers/statusfile"
	"github.com/clusterctl/cluster/transport"
)

// results finds a command's result among what the nodes returned.
type results struct {
	jobs   map[addrs.Address]job
	byNode map[addrs.Address]nodeResult
}

// of is the result of node's one-command probe (kind, key), or the error that kept the node
// from running it.
func (r results) of(node addrs.Address, kind probeKind, key string) (transport.Result, error) {
	out, err := r.outcomes(node, kind, key)
	if err != nil {
		return transport.Result{}, err
	}
	return out[0].Result, nil
}

// outcomes are the outcomes of node's probe (kind, key), one per op, or the error that kept
// the node from running it.
func (r results) outcomes(node addrs.Address, kind probeKind, key string) ([]transport.Outcome, error) {
	nr, ok := r.byNode[node]
	if !ok {
		return nil, fmt.Errorf("not read")
	}
	if nr.err != nil {
		return nil, nr.err
	}
	for i, p := range r.jobs[node].probes {
		if p.kind == kind && p.key == key {
			return nr.results[i], nil
		}
	}
	return nil, fmt.Errorf("not read")
}

// decode assembles the report from the nodes' results. It is pure.
func decode(cfg *config.Config, js []job, byNode map[addrs.Address]nodeResult) *Report {
	r := results{jobs: map[addrs.Address]job{}, byNode: byNode}
	for _, j := range js {
		r.jobs[j.node.Addr] = j
	}
	rep := &Report{Unreachable: map[addrs.Address]string{}}
	for a, nr := range byNode {
		if nr.err != nil {
			rep.Unreachable[a] = nr.err.Error()
		}
	}
	for _, c := range cfg.SortedClusters() {
		rep.Clusters = append(rep.Clusters, decodeCluster(cfg, c, r))
	}
	for _, name := range slices.Sorted(maps.Keys(cfg.ServerScans)) {
		rep.ServerScans = append(rep.ServerScans, decodeScan(cfg.ServerScans[name], r))
	}
	for _, name := range slices.Sorted(maps.Keys(cfg.StatusFiles)) {
		rep.StatusFiles = append(rep.StatusFiles, decodeStatusFile(cfg.StatusFiles[name], r))
	}
	for _, name := range slices.Sorted(maps.Keys(cfg.ServerGroups)) {
		rep.ServerGroups = append(rep.ServerGroups, decodeServerGroup(cfg.ServerGroups[name], r))
	}
	return rep
}

func decodeCluster(cfg *config.Config, c *config.Cluster, r results) Cluster {
	out := Cluster{Cluster: c.Addr}
	stats := map[string]clusterpro.Status{}
	var view *clusterpro.Status
	for _, n := range c.Nodes {
		node := Node{Name: n.Name, Addr: n.Addr}
		res, err := r.outcomes(n.Addr, probeClpstat, c.Name)
		if err == nil {
			var st clusterpro.Status
			if st, err = clusterpro.ParseStatusOf(res, c); err == nil {
				node.State = st.State
				stats[n.Name] = st
				if view == nil && st.State == "running" {
					view, out.ViewFrom = &st, n.Name
				}
			}
		}
		if err != nil {
			node.Err, node.State = err.Error(), "unknown"
		}
		out.Nodes = append(out.Nodes, node)
	}
	if view == nil { // no server runs the cluster: any server's view still says where groups are
		for _, n := range c.Nodes {
			if st, ok := stats[n.Name]; ok {
				view, out.ViewFrom = &st, n.Name
				break
			}
		}
	}
	if view == nil {
		return out
	}
	for i := range out.Nodes {
		for _, s := range view.Servers {
			if s.Name == out.Nodes[i].Name {
				out.Nodes[i].Status = s.Status
			}
		}
	}
	for _, g := range view.Groups {
		gr := Group{Name: g.Name, Status: g.Status, Current: g.Current}
		for _, cg := range c.Groups { // clp.conf names, which a module's groups share
			if cg.Name == g.Name {
				gr.Group = cg.Addr
			}
		}
		out.Groups = append(out.Groups, gr)
	}
	for _, n := range c.Nodes {
		for _, m := range stats[n.Name].Monitors {
			if m.Status != "Normal" && m.Status != "Offline" {
				out.Monitors = append(out.Monitors, Monitor{Name: m.Name, Node: n.Name, Status: m.Status})
			}
		}
	}
	return out
}

func decodeScan(s *config.ServerScan, r results) ServerScan {
	out := ServerScan{ServerScan: s.Addr}
	if s.Node == nil {
		out.Err = "no node"
		return out
	}
	out.Node = s.Node.Name
	res, err := r.of(s.Node.Addr, probeHostStat, s.Name)
	var hs serverscan.HostStat
	if err == nil {
		hs, err = serverscan.ReadStatus(res)
	}
	if err != nil {
		out.Err = err.Error()
	}
	for _, sv := range s.Servers {
		st, _ := hs.Status(sv.Name)
		out.Servers = append(out.Servers, ScanServer{Name: sv.Name, Role: sv.Role, Status: st})
	}
	if err == nil && hs.ExitCode != 0 {
		out.Problems = append(out.Problems, fmt.Sprintf("vkhoststat exited with status %d; its listing was read all the same", hs.ExitCode))
	}
	out.Problems = append(out.Problems, hs.Problems...)
	for _, row := range hs.Rows {
		if !slices.ContainsFunc(s.Servers, func(sv *config.ScanServer) bool { return sv.Name == row.Name }) {
			out.Problems = append(out.Problems, fmt.Sprintf("vkhoststat lists %s, which the configuration does not declare", row.Name))
		}
	}
	return out
}

func decodeStatusFile(sf *config.StatusFile, r results) StatusFile {
	out := StatusFile{StatusFile: sf.Addr}
	if sf.Node == nil {
		out.Err = "no node"
		return out
	}
	out.Node = sf.Node.Name
	res, err := r.outcomes(sf.Node.Addr, probeStatusFile, sf.Name)
	if err != nil {
		out.Err = err.Error()
		return out
	}
	seen, err := statusfile.DecodeStatus(sf, res)
	if err != nil {
		out.Err = err.Error()
		return out
	}
	out.Seen = &seen
	if !seen.Defined {
		out.Err = "the status service definition file is not on the node"
	}
	return out
}

func decodeServerGroup(g *config.ServerGroup, r results) ServerGroup {
	out := ServerGroup{ServerGroup: g.Addr}
	if g.Management != nil {
		out.Management = g.Management.Name
	}
	for _, m := range g.Members {
		mem := Member{Name: m.Name, Disabled: m.Disabled}
		if m.Node != nil {
			mem.Node = m.Node.Name
			_, err := r.of(m.Node.Addr, probeReach, "")
			mem.Reachable = err == nil
		}
		if g.Management != nil {
			res, err := r.of(g.Management.Addr, probeSyncState, memberKey(g, m))
			if err != nil {
				out.Err = "management " + g.Management.Name + ": " + err.Error()
			} else {
				out.ManagementUp = true
				mem.Sync, mem.SyncDetail = servergroup.ReadSyncState(res)
				mem.InSync = servergroup.SyncFinished(mem.Sync)
			}
			if res, err := r.of(g.Management.Addr, probeBalancer, memberKey(g, m)); err == nil {
				mem.Balancer = servergroup.ReadBalancer(res)
			}
		}
		out.Members = append(out.Members, mem)
	}
	return out
}
