package simulate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
)

// Options are the scenarios to run and what must survive them.
type Options struct {
	Scenarios []Scenario
	// Expect names services that must stay available after every step of every scenario: a
	// failover group, a Server-Scan host, a status file or a server group, by bare name or
	// address.
	Expect []string
	// Observed is the live starting point; nil starts from normal operation.
	Observed *Observed
}

// Run plays every scenario from the same starting point. It fails only on names that do not
// resolve; a service going down is a result, not an error.
func Run(cfg *config.Config, opts Options) (*Report, error) {
	rep := &Report{}
	for _, e := range opts.Expect {
		a, err := resolveService(cfg, e)
		if err != nil {
			return nil, fmt.Errorf("--expect-available: %w", err)
		}
		rep.Expected = append(rep.Expected, a)
	}
	m := newModel(cfg)
	for _, sc := range opts.Scenarios {
		steps := make([][]target, len(sc.Events))
		for i, ev := range sc.Events {
			for _, name := range ev.Names {
				ts, err := resolve(cfg, name)
				if err != nil {
					return nil, fmt.Errorf("--%s: %w", ev.Action, err)
				}
				steps[i] = append(steps[i], ts...)
			}
		}
		rep.Scenarios = append(rep.Scenarios, play(m, sc, steps, opts.Observed, rep))
	}
	return rep, nil
}

// play runs one scenario, recording the violations of rep's expectations.
func play(m *model, sc Scenario, steps [][]target, obs *Observed, rep *Report) ScenarioReport {
	cur := start(m, obs)
	out := ScenarioReport{Name: sc.Name, Start: snapshot(m, cur)}
	out.Settle = placeGroups(m, cur)
	for i, ev := range sc.Events {
		next := cur.clone()
		st := Step{Event: ev}
		for _, t := range steps[i] {
			st.Targets = append(st.Targets, t.addr)
		}
		st.Changes = apply(m, cur, next, ev.Action, steps[i])
		st.Snapshot = snapshot(m, next)
		out.Steps = append(out.Steps, st)
		for _, a := range rep.Expected {
			if ok, why := available(st.Snapshot, a); !ok {
				rep.Violations = append(rep.Violations, Violation{Scenario: sc.Name, Step: i + 1, Service: a, Reason: why})
			}
		}
		cur = next
	}
	last := out.Start
	if n := len(out.Steps); n > 0 {
		last = out.Steps[n-1].Snapshot
	}
	out.Down = downServices(last)
	return out
}

// apply carries out one event on next (a copy of prev) and returns what it changed, in a
// fixed order: cluster servers, failover groups, scan servers, status files, server groups.
func apply(m *model, prev, next *state, action Action, targets []target) []Change {
	var changes []Change
	var files []target
	for _, t := range targets {
		if t.addr.Kind == addrs.KindStatusFile {
			files = append(files, t)
			continue
		}
		if action == Fail {
			next.down[t.addr] = true
		} else {
			delete(next.down, t.addr)
		}
	}
	changes = append(changes, clusterNodes(m, prev, next)...)
	changes = append(changes, placeGroups(m, next)...)
	for _, h := range m.scans {
		changes = append(changes, scanChanges(scanState(prev, h), scanState(next, h))...)
	}
	for _, f := range m.statusFiles {
		changes = append(changes, statusFileNodeChanges(statusFileState(prev, f), statusFileState(next, f))...)
		for _, t := range files {
			if t.addr == f.Addr {
				changes = append(changes, statusFileEvent(f, next, action, t.side)...)
			}
		}
	}
	for _, g := range m.serverGroups {
		changes = append(changes, serverGroupChanges(serverGroupState(prev, g), serverGroupState(next, g))...)
	}
	return changes
}

// snapshot is every service's state, each kind in name order.
func snapshot(m *model, s *state) Snapshot {
	var snap Snapshot
	for a, down := range s.down {
		if down {
			snap.Down = append(snap.Down, a)
		}
	}
	slices.SortFunc(snap.Down, func(a, b addrs.Address) int { return strings.Compare(a.String(), b.String()) })
	for _, g := range m.groups {
		snap.Groups = append(snap.Groups, groupState(s, g))
	}
	for _, h := range m.scans {
		snap.ScanHosts = append(snap.ScanHosts, scanState(s, h))
	}
	for _, f := range m.statusFiles {
		snap.StatusFiles = append(snap.StatusFiles, statusFileState(s, f))
	}
	for _, g := range m.serverGroups {
		snap.ServerGroups = append(snap.ServerGroups, serverGroupState(s, g))
	}
	return snap
}
