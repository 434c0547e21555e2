package clusterpro

import (
	"errors"
	"fmt"
	"slices"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// strandedGroups finds the groups online on a node their new policy leaves out. With moves
// allowed it returns the clpgrp steps that move each to the first node of its new policy that
// the old policy also allows and where the cluster runs; otherwise (or when there is no such
// node) an error diagnostic per group.
func (u *unit) strandedGroups(master addrs.Address, ms *nodeState, desired *nodeState, rs runStates) ([]step, []planner.Diagnostic) {
	if desired.model == nil || ms.model == nil || len(rs.running) == 0 {
		return nil, nil
	}
	running := map[string]bool{}
	for _, n := range rs.running {
		running[n.Parts()[len(n.Parts())-1]] = true
	}
	var steps []step
	var diags []planner.Diagnostic
	var ambiguous *AmbiguousNameError
	errors.As(ms.statErr, &ambiguous)
	for _, g := range desired.model.Groups {
		newPolicy := nodeNames(g.Policy)
		var oldPolicy []string
		if i := slices.IndexFunc(ms.model.Groups, func(x *config.Group) bool { return x.Name == g.Name }); i >= 0 {
			oldPolicy = nodeNames(ms.model.Groups[i].Policy)
		}
		if ambiguous != nil {
			// clpstat's names cannot all be told apart: where the group runs is needed only
			// when its new policy leaves out a node it may run on now.
			if slices.ContainsFunc(oldPolicy, func(n string) bool { return !slices.Contains(newPolicy, n) }) {
				diags = append(diags, planner.Diagnostic{Severity: planner.SeverityError, Summary: "Ambiguous clpstat name", Addr: g.Addr.String(),
					Detail: fmt.Sprintf("%s: its new policy %v leaves out a node of its old policy %v, so where it runs is needed, but on %s %v.", g.Addr, newPolicy, oldPolicy, master, ambiguous)})
			}
			continue
		}
		on, online := ms.online[g.Name]
		if !online || slices.Contains(newPolicy, on) {
			continue
		}
		target := ""
		for _, n := range newPolicy {
			if slices.Contains(oldPolicy, n) && running[n] {
				target = n
				break
			}
		}
		switch {
		case u.allowMoves && target != "":
			steps = append(steps, step{name: fmt.Sprintf("move group %s from %s to %s", g.Name, on, target), node: master,
				ops: []transport.Op{transport.Cmd(u.l.bin("clpgrp"), "-m", g.Name, "-a", target)}})
		case target == "":
			diags = append(diags, planner.Diagnostic{Severity: planner.SeverityError, Summary: "Group would be stranded", Addr: g.Addr.String(),
				Detail: fmt.Sprintf("%s runs on %s, which its new policy %v leaves out, and no node of the new policy is allowed by the old one and running. Stop the group (clpgrp -t %s) or move it by hand first, then plan again.", g.Addr, on, newPolicy, g.Name)})
		default:
			diags = append(diags, planner.Diagnostic{Severity: planner.SeverityError, Summary: "Group would be stranded", Addr: g.Addr.String(),
				Detail: fmt.Sprintf("%s runs on %s, which its new policy %v leaves out. Pass --allow-group-moves to let apply move it to %s before pushing (clpgrp -m %s -a %s), or move it by hand first.", g.Addr, on, newPolicy, target, g.Name, target)})
		}
	}
	return steps, diags
}

func nodeNames(nodes []*config.ClusterNode) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.Name
	}
	return out
}
