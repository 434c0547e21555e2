package views

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/providers/statusfile"
	"github.com/clusterctl/cluster/simulate"
)

// NewSimulateJSON returns the machine-readable rendering of `cluster simulate --json`
// (docs/simulate.md): one document, lists always present.
func NewSimulateJSON(w io.Writer) SimulateView { return &simulateJSON{w: w} }

type simulateJSON struct{ w io.Writer }

type jsonSimulation struct {
	FormatVersion string               `json:"format_version"`
	Scenarios     []jsonSimScenario    `json:"scenarios"`
	Expectations  []jsonSimExpectation `json:"expectations"`
	Violations    []jsonSimViolation   `json:"violations"`
	OK            bool                 `json:"ok"`
}

type jsonSimScenario struct {
	Name   string          `json:"name"`
	Start  jsonSimSnapshot `json:"start"`
	Settle []jsonSimChange `json:"settle"`
	Steps  []jsonSimStep   `json:"steps"`
	Down   []string        `json:"down"`
}

type jsonSimStep struct {
	Action  string          `json:"action"`
	Names   []string        `json:"names"`
	Targets []string        `json:"targets"`
	Changes []jsonSimChange `json:"changes"`
	State   jsonSimSnapshot `json:"state"`
}

type jsonSimChange struct {
	Service  string           `json:"service"`
	Kind     string           `json:"kind"`
	From     string           `json:"from"`
	To       string           `json:"to"`
	Summary  string           `json:"summary"`
	Details  []string         `json:"details"`
	Monitors []jsonSimMonitor `json:"monitors"`
}

type jsonSimMonitor struct {
	Monitor string `json:"monitor"`
	Effect  string `json:"effect"`
}

type jsonSimSnapshot struct {
	Down         []string             `json:"down"`
	Groups       []jsonSimGroup       `json:"groups"`
	ServerScans  []jsonSimScan        `json:"server_scans"`
	StatusFiles  []jsonSimStatusFile  `json:"status_files"`
	ServerGroups []jsonSimServerGroup `json:"server_groups"`
}

type jsonSimGroup struct {
	Address   string   `json:"address"`
	Node      string   `json:"node"`
	Available bool     `json:"available"`
	Policy    []string `json:"policy"`
	Up        []string `json:"up"`
}

type jsonSimScan struct {
	Address   string   `json:"address"`
	Mode      string   `json:"mode"`
	Serving   []string `json:"serving"`
	Idle      []string `json:"idle"`
	Inact     []string `json:"inact"`
	HostDown  bool     `json:"host_down"`
	Available bool     `json:"available"`
}

type jsonSimStatusFile struct {
	Address   string            `json:"address"`
	Current   string            `json:"current"` // the current logical file; "" when none
	Logicals  []jsonLogicalFile `json:"logical_files"`
	NodeDown  bool              `json:"node_down"`
	Available bool              `json:"available"`
}

// jsonLogicalFile is a logical file; sizes are -1 when the file does not exist or was not read.
type jsonLogicalFile struct {
	Name  string `json:"name"`
	A     string `json:"a"`
	B     string `json:"b"`
	State string `json:"state"`
	ASize int64  `json:"a_size"`
	BSize int64  `json:"b_size"`
}

type jsonSimServerGroup struct {
	Address      string   `json:"address"`
	Management   string   `json:"management"`
	ManagementUp bool     `json:"management_up"`
	InBalancer   []string `json:"in_balancer"`
	Detached     []string `json:"detached"`
	Disabled     []string `json:"disabled"`
	Available    bool     `json:"available"`
}

type jsonSimExpectation struct {
	Service string `json:"service"`
	Met     bool   `json:"met"`
}

type jsonSimViolation struct {
	Scenario string `json:"scenario"`
	Step     int    `json:"step"`
	Service  string `json:"service"`
	Reason   string `json:"reason"`
}

func (v *simulateJSON) Report(r *simulate.Report) error {
	doc := jsonSimulation{FormatVersion: JSONFormatVersion, Scenarios: []jsonSimScenario{},
		Expectations: []jsonSimExpectation{}, Violations: []jsonSimViolation{}, OK: r.OK()}
	for _, sc := range r.Scenarios {
		js := jsonSimScenario{Name: sc.Name, Start: simSnapshotJSON(sc.Start), Settle: simChangesJSON(sc.Settle),
			Steps: []jsonSimStep{}, Down: simAddrs(sc.Down)}
		for _, st := range sc.Steps {
			step := jsonSimStep{Action: string(st.Event.Action), Names: nonNil(st.Event.Names),
				Targets: simAddrs(st.Targets), Changes: []jsonSimChange{}, State: simSnapshotJSON(st.Snapshot)}
			step.Changes = simChangesJSON(st.Changes)
			js.Steps = append(js.Steps, step)
		}
		doc.Scenarios = append(doc.Scenarios, js)
	}
	for _, a := range r.Expected {
		met := true
		for _, vi := range r.Violations {
			if vi.Service == a {
				met = false
			}
		}
		doc.Expectations = append(doc.Expectations, jsonSimExpectation{Service: a.String(), Met: met})
	}
	for _, vi := range r.Violations {
		doc.Violations = append(doc.Violations, jsonSimViolation{Scenario: vi.Scenario, Step: vi.Step, Service: vi.Service.String(), Reason: vi.Reason})
	}
	enc := json.NewEncoder(v.w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}

func simChangesJSON(chs []simulate.Change) []jsonSimChange {
	out := []jsonSimChange{}
	for _, c := range chs {
		jc := jsonSimChange{Service: c.Service.String(), Kind: string(c.Kind), From: c.From, To: c.To,
			Summary: c.Summary, Details: nonNil(c.Details), Monitors: []jsonSimMonitor{}}
		for _, m := range c.Monitors {
			jc.Monitors = append(jc.Monitors, jsonSimMonitor{Monitor: m.Monitor.String(), Effect: m.Effect})
		}
		out = append(out, jc)
	}
	return out
}

func simSnapshotJSON(s simulate.Snapshot) jsonSimSnapshot {
	out := jsonSimSnapshot{Down: simAddrs(s.Down), Groups: []jsonSimGroup{}, ServerScans: []jsonSimScan{}, StatusFiles: []jsonSimStatusFile{}, ServerGroups: []jsonSimServerGroup{}}
	for _, g := range s.Groups {
		out.Groups = append(out.Groups, jsonSimGroup{Address: g.Group.String(), Node: g.Node, Available: g.Available,
			Policy: nonNil(g.Policy), Up: nonNil(g.Up)})
	}
	for _, h := range s.ScanHosts {
		out.ServerScans = append(out.ServerScans, jsonSimScan{Address: h.ServerScan.String(), Mode: h.Mode,
			Serving: nonNil(h.Serving), Idle: nonNil(h.Idle), Inact: nonNil(h.Inact), HostDown: h.HostDown, Available: h.Available})
	}
	for _, f := range s.StatusFiles {
		cur := ""
		if f.Current >= 0 {
			cur = f.Logicals[f.Current].Name
		}
		out.StatusFiles = append(out.StatusFiles, jsonSimStatusFile{Address: f.StatusFile.String(), Current: cur,
			Logicals: jsonLogicals(f.Logicals), NodeDown: f.NodeDown, Available: f.Available})
	}
	for _, g := range s.ServerGroups {
		out.ServerGroups = append(out.ServerGroups, jsonSimServerGroup{Address: g.ServerGroup.String(), Management: g.Management,
			ManagementUp: g.ManagementUp, InBalancer: nonNil(g.InBalancer), Detached: nonNil(g.Detached), Disabled: nonNil(g.Disabled),
			Available: g.Available})
	}
	return out
}

// jsonLogicals is logical files as JSON, an empty list when there are none.
func jsonLogicals(ls []statusfile.LogicalState) []jsonLogicalFile {
	out := make([]jsonLogicalFile, 0, len(ls))
	for _, l := range ls {
		out = append(out, jsonLogicalFile{Name: l.Name, A: l.A, B: l.B, State: string(l.State), ASize: l.ASize, BSize: l.BSize})
	}
	return out
}

func simAddrs(as []addrs.Address) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.String()
	}
	return out
}
