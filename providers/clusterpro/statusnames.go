package clusterpro

import (
	"fmt"
	"slices"
	"strings"

	"github.com/clusterctl/cluster/hcl/config"
)

// clpstatNameWidth is how many characters of a name clpstat shows: longer names are cut
// (the group "container-recovery" shows as "container-recove", EXPRESSCLUSTER/kubernetes
// doc/HowToDeploySSS_jp.md). `clpstat --long` shows them whole (EXPRESSCLUSTER/WSL2).
const clpstatNameWidth = 16

// StatusNames are the names of a cluster's objects, to match clpstat's cut names against.
type StatusNames struct {
	Servers, Groups, Monitors []string
}

// NamesOf lists the names of c's nodes, groups and monitors.
func NamesOf(c *config.Cluster) StatusNames {
	var n StatusNames
	for _, x := range c.Nodes {
		n.Servers = append(n.Servers, x.Name)
	}
	for _, g := range c.Groups {
		n.Groups = append(n.Groups, g.Name)
	}
	for _, m := range c.AllMonitors() {
		n.Monitors = append(n.Monitors, m.Name)
	}
	return n
}

// merge adds the names of o that n lacks.
func (n StatusNames) merge(o StatusNames) StatusNames {
	add := func(a, b []string) []string {
		out := slices.Clone(a)
		for _, x := range b {
			if !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
		return out
	}
	return StatusNames{add(n.Servers, o.Servers), add(n.Groups, o.Groups), add(n.Monitors, o.Monitors)}
}

// MatchNames replaces every name clpstat cut with the configured name it is the prefix of. A
// shown name that is a configured name stays; one that is the prefix of exactly one configured
// name longer than the cut becomes that name; one that is the prefix of several is an error
// (which object clpstat means cannot be told); one that matches nothing stays as shown.
func (st *Status) MatchNames(n StatusNames) error {
	for i := range st.Servers {
		s := &st.Servers[i]
		name, err := matchName("server", s.Name, n.Servers)
		if err != nil {
			return err
		}
		s.Name = name
	}
	for i := range st.Groups {
		g := &st.Groups[i]
		name, err := matchName("group", g.Name, n.Groups)
		if err != nil {
			return err
		}
		g.Name = name
		if g.Current != "" {
			if g.Current, err = matchName("server", g.Current, n.Servers); err != nil {
				return err
			}
		}
	}
	for i := range st.Monitors {
		m := &st.Monitors[i]
		name, err := matchName("monitor", m.Name, n.Monitors)
		if err != nil {
			return err
		}
		m.Name = name
	}
	return nil
}

func matchName(kind, shown string, names []string) (string, error) {
	if len(shown) < clpstatNameWidth || slices.Contains(names, shown) {
		return shown, nil
	}
	var candidates []string
	for _, n := range names {
		if len(n) > len(shown) && strings.HasPrefix(n, shown) {
			candidates = append(candidates, n)
		}
	}
	switch len(candidates) {
	case 0:
		return shown, nil
	case 1:
		return candidates[0], nil
	}
	return "", &AmbiguousNameError{Kind: kind, Shown: shown, Candidates: candidates}
}

// AmbiguousNameError is a name clpstat cut that could be several of the configuration's names.
type AmbiguousNameError struct {
	Kind, Shown string
	Candidates  []string
}

func (e *AmbiguousNameError) Error() string {
	return fmt.Sprintf("clpstat shows the %s %q, cut to %d characters, which could be any of %s: rename them so that their first %d characters differ",
		e.Kind, e.Shown, clpstatNameWidth, strings.Join(e.Candidates, ", "), clpstatNameWidth)
}
