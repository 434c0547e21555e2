package views

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/clusterctl/cluster/status"
)

// NewStatusJSON returns the machine-readable rendering of `cluster status --json`
// (docs/simulate.md): one document, lists always present.
func NewStatusJSON(w io.Writer) StatusView { return &statusJSON{w: w} }

type statusJSON struct{ w io.Writer }

type jsonStatus struct {
	FormatVersion string                `json:"format_version"`
	Clusters      []jsonStatusCluster   `json:"clusters"`
	ServerScans   []jsonStatusScan      `json:"server_scans"`
	StatusFiles   []jsonStatusFile      `json:"status_files"`
	ServerGroups  []jsonStatusGroup     `json:"server_groups"`
	Unreachable   []jsonStatusUnreached `json:"unreachable"`
}

type jsonStatusCluster struct {
	Address  string               `json:"address"`
	ViewFrom string               `json:"view_from"`
	Nodes    []jsonStatusNode     `json:"nodes"`
	Groups   []jsonStatusGroupRun `json:"groups"`
	Monitors []jsonStatusMonitor  `json:"monitors"`
}

type jsonStatusNode struct {
	Name   string `json:"name"`
	State  string `json:"state"`
	Status string `json:"status"`
	Error  string `json:"error"`
}

type jsonStatusGroupRun struct {
	Name    string `json:"name"`
	Address string `json:"address"`
	Status  string `json:"status"`
	Current string `json:"current"`
}

type jsonStatusMonitor struct {
	Name   string `json:"name"`
	Node   string `json:"node"`
	Status string `json:"status"`
}

type jsonStatusScan struct {
	Address  string                 `json:"address"`
	Node     string                 `json:"node"`
	Error    string                 `json:"error"`
	Servers  []jsonStatusScanServer `json:"servers"`
	Problems []string               `json:"problems"`
}

type jsonStatusScanServer struct {
	Name   string `json:"name"`
	Role   string `json:"role"`
	Status string `json:"status"`
}

type jsonStatusFile struct {
	Address string `json:"address"`
	Node    string `json:"node"`
	Error   string `json:"error"`
	Defined bool   `json:"defined"`
	// DefinitionSize and DefinitionSHA256 describe the definition file, which is never parsed
	// (its syntax is unknown); -1 and "" when it is absent.
	DefinitionSize   int64             `json:"definition_size"`
	DefinitionSHA256 string            `json:"definition_sha256"`
	Logicals         []jsonLogicalFile `json:"logical_files"` // declared, state "unknown"
}

type jsonStatusGroup struct {
	Address      string             `json:"address"`
	Management   string             `json:"management"`
	ManagementUp bool               `json:"management_up"`
	Error        string             `json:"error"`
	Members      []jsonStatusMember `json:"members"`
}

type jsonStatusMember struct {
	Name       string `json:"name"`
	Node       string `json:"node"`
	Reachable  bool   `json:"reachable"`
	Disabled   bool   `json:"disabled"`
	Sync       string `json:"sync"`
	SyncDetail string `json:"sync_detail"`
	InSync     bool   `json:"in_sync"`
	Balancer   string `json:"balancer"`
}

type jsonStatusUnreached struct {
	Node  string `json:"node"`
	Error string `json:"error"`
}

func (v *statusJSON) Status(r *status.Report) error {
	doc := jsonStatus{FormatVersion: JSONFormatVersion, Clusters: []jsonStatusCluster{}, ServerScans: []jsonStatusScan{},
		StatusFiles: []jsonStatusFile{}, ServerGroups: []jsonStatusGroup{}, Unreachable: []jsonStatusUnreached{}}
	for _, c := range r.Clusters {
		jc := jsonStatusCluster{Address: c.Cluster.String(), ViewFrom: c.ViewFrom, Nodes: []jsonStatusNode{},
			Groups: []jsonStatusGroupRun{}, Monitors: []jsonStatusMonitor{}}
		for _, n := range c.Nodes {
			jc.Nodes = append(jc.Nodes, jsonStatusNode{Name: n.Name, State: n.State, Status: n.Status, Error: n.Err})
		}
		for _, g := range c.Groups {
			jc.Groups = append(jc.Groups, jsonStatusGroupRun{Name: g.Name, Address: g.Group.String(), Status: g.Status, Current: g.Current})
		}
		for _, m := range c.Monitors {
			jc.Monitors = append(jc.Monitors, jsonStatusMonitor{Name: m.Name, Node: m.Node, Status: m.Status})
		}
		doc.Clusters = append(doc.Clusters, jc)
	}
	for _, s := range r.ServerScans {
		js := jsonStatusScan{Address: s.ServerScan.String(), Node: s.Node, Error: s.Err, Servers: []jsonStatusScanServer{}, Problems: nonNil(s.Problems)}
		for _, sv := range s.Servers {
			js.Servers = append(js.Servers, jsonStatusScanServer{Name: sv.Name, Role: sv.Role, Status: sv.Status})
		}
		doc.ServerScans = append(doc.ServerScans, js)
	}
	for _, f := range r.StatusFiles {
		js := jsonStatusFile{Address: f.StatusFile.String(), Node: f.Node, Error: f.Err,
			Logicals: []jsonLogicalFile{}, DefinitionSize: -1}
		if f.Seen != nil {
			js.Defined = f.Seen.Defined
			if f.Seen.Defined {
				js.DefinitionSize, js.DefinitionSHA256 = f.Seen.DefinitionSize, f.Seen.DefinitionSHA256
			}
			js.Logicals = jsonLogicals(f.Seen.Logicals)
		}
		doc.StatusFiles = append(doc.StatusFiles, js)
	}
	for _, g := range r.ServerGroups {
		jg := jsonStatusGroup{Address: g.ServerGroup.String(), Management: g.Management, ManagementUp: g.ManagementUp,
			Error: g.Err, Members: []jsonStatusMember{}}
		for _, m := range g.Members {
			jg.Members = append(jg.Members, jsonStatusMember{Name: m.Name, Node: m.Node, Reachable: m.Reachable, Disabled: m.Disabled,
				Sync: m.Sync, SyncDetail: m.SyncDetail, InSync: m.InSync, Balancer: m.Balancer})
		}
		doc.ServerGroups = append(doc.ServerGroups, jg)
	}
	for a, why := range r.Unreachable {
		doc.Unreachable = append(doc.Unreachable, jsonStatusUnreached{Node: a.String(), Error: why})
	}
	sort.Slice(doc.Unreachable, func(i, j int) bool { return doc.Unreachable[i].Node < doc.Unreachable[j].Node })
	enc := json.NewEncoder(v.w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}
