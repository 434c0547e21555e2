package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/agext/levenshtein"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
)

// configObjects lists the address of every object cfg declares that --target may name.
// Variables are not objects of a run: they are left out.
func configObjects(cfg *config.Config) []addrs.Address {
	var out []addrs.Address
	add := func(a addrs.Address) {
		if !a.IsZero() {
			out = append(out, a)
		}
	}
	for _, c := range cfg.Clusters {
		add(c.Addr)
		for _, n := range c.Nodes {
			add(n.Addr)
		}
		for _, h := range c.Heartbeats {
			add(h.Addr)
		}
		for _, np := range c.NetworkPartitions {
			add(np.Addr)
		}
		for _, m := range c.Monitors {
			add(m.Addr)
		}
	}
	for _, n := range cfg.Nodes {
		add(n.Addr)
	}
	for _, g := range cfg.Groups {
		add(g.Addr)
		for _, r := range g.Resources {
			add(r.Addr)
		}
		for _, m := range g.Monitors {
			add(m.Addr)
		}
	}
	for _, s := range cfg.Scripts {
		add(s.Addr)
	}
	for _, s := range cfg.ServerScans {
		add(s.Addr)
		for _, sv := range s.Servers {
			add(sv.Addr)
		}
	}
	for _, s := range cfg.ScanServers {
		add(s.Addr)
	}
	for _, s := range cfg.StatusFiles {
		add(s.Addr)
	}
	for _, g := range cfg.ServerGroups {
		add(g.Addr)
		for _, m := range g.Members {
			add(m.Addr)
		}
	}
	return out
}

// targetChecker tells a --target that names something from one that names nothing: a typo must
// fail the run, not plan "No changes".
type targetChecker struct {
	objects []addrs.Address
}

func newTargetChecker(cfg *config.Config) targetChecker {
	return targetChecker{objects: configObjects(cfg)}
}

// matches reports whether t is one of addrs or contains one of them.
func matches(t addrs.Address, in []addrs.Address) bool {
	for _, a := range in {
		if t.Contains(a) {
			return true
		}
	}
	return false
}

// beforePlan fails for a target that cannot name anything: neither an object of the
// configuration nor inside a top-level object of it. A target inside a declared object that is
// not declared itself may still be an object removed from the configuration and planned for
// deletion: afterPlan decides those.
func (c targetChecker) beforePlan(targets []addrs.Address) error {
	for _, t := range targets {
		if matches(t, c.objects) {
			continue
		}
		if addressedElsewhere(t, c.objects) != "" {
			return c.unknown(t, nil) // e.g. a monitor named under its group, not its cluster
		}
		parts := t.Parts()
		if len(parts) > 2 {
			top, err := addrs.Parse(strings.Join(parts[:2], "."))
			if err == nil && matches(top, c.objects) {
				continue
			}
		}
		return c.unknown(t, nil)
	}
	return nil
}

// afterPlan fails for a target that names neither an object of the configuration nor one the
// plan changes (an object being deleted is only in the plan). An errored plan may lack the
// change a target names, so it is not judged: its own errors fail the run.
func (c targetChecker) afterPlan(targets []addrs.Address, p *planner.Plan) error {
	if p == nil || p.Errored {
		return nil
	}
	var planned []addrs.Address
	for _, ch := range p.Changes {
		planned = append(planned, ch.Addr)
	}
	for _, t := range targets {
		if !matches(t, c.objects) && !matches(t, planned) {
			return c.unknown(t, planned)
		}
	}
	return nil
}

func (c targetChecker) unknown(t addrs.Address, more []addrs.Address) error {
	msg := fmt.Sprintf("--target %s: no such object in the configuration", t)
	if s := addressedElsewhere(t, c.objects); s != "" {
		msg += fmt.Sprintf("; did you mean %s? (a monitor is addressed under its cluster, also one declared in a group)", s)
	} else if s := closestAddress(t, append(append([]addrs.Address(nil), c.objects...), more...)); s != "" {
		msg += fmt.Sprintf("; did you mean %s?", s)
	}
	return fmt.Errorf("%s", msg)
}

// addressedElsewhere returns the address of the monitor t names by another path
// (group.iis.monitor.sdw1 for cluster.web.monitor.sdw1), or "".
func addressedElsewhere(t addrs.Address, objects []addrs.Address) string {
	parts := t.Parts()
	if len(parts) != 4 || parts[2] != "monitor" || t.Kind == addrs.KindMonitor {
		return ""
	}
	for _, o := range objects {
		op := o.Parts()
		if o.Kind == addrs.KindMonitor && op[len(op)-1] == parts[3] {
			return o.String()
		}
	}
	return ""
}

// closestAddress returns the candidate nearest to t when it is near enough to be a typo, else "".
func closestAddress(t addrs.Address, candidates []addrs.Address) string {
	name := t.String()
	seen := map[string]bool{}
	var names []string
	for _, a := range candidates {
		if s := a.String(); !seen[s] {
			seen[s] = true
			names = append(names, s)
		}
	}
	sort.Strings(names) // ties resolve the same way every run
	best, bestDist := "", 0
	for _, s := range names {
		d := levenshtein.Distance(name, s, nil)
		if d <= 3 && d*3 <= len(name) && (best == "" || d < bestDist) {
			best, bestDist = s, d
		}
	}
	return best
}
