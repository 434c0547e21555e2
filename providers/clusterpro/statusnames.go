package clusterpro

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/providers/clusterpro/clpconf"
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

// namesOfDocument lists the names of the servers, groups and monitors of an installed clp.conf.
func namesOfDocument(doc *clpconf.Document) (StatusNames, error) {
	var n StatusNames
	servers, err := doc.Servers()
	if err != nil {
		return n, err
	}
	groups, err := doc.Groups()
	if err != nil {
		return n, err
	}
	for _, s := range servers {
		n.Servers = append(n.Servers, s.Name)
	}
	for _, g := range groups {
		n.Groups = append(n.Groups, g.Name)
	}
	for _, m := range doc.Monitors() {
		n.Monitors = append(n.Monitors, m.Name)
	}
	return n, nil
}

// MatchNames replaces every name clpstat cut with the configured name it is the prefix of. A
// shown name shorter than the cut is itself; a 16-character one that is the prefix of exactly
// one configured name (itself, or a longer one clpstat cut) becomes that name; one that is the
// prefix of several stays as shown and is reported (which object clpstat means cannot be told),
// after every other name is matched; one that matches nothing stays as shown.
func (st *Status) MatchNames(n StatusNames) error {
	var first error
	match := func(kind string, name *string, names []string) {
		m, err := matchName(kind, *name, names)
		if err != nil {
			first = cmp.Or(first, err)
			return
		}
		*name = m
	}
	for i := range st.Servers {
		match("server", &st.Servers[i].Name, n.Servers)
	}
	for i := range st.Groups {
		g := &st.Groups[i]
		match("group", &g.Name, n.Groups)
		if g.Current != "" {
			match("server", &g.Current, n.Servers)
		}
	}
	for i := range st.Monitors {
		match("monitor", &st.Monitors[i].Name, n.Monitors)
	}
	return first
}

func matchName(kind, shown string, names []string) (string, error) {
	if len(shown) < clpstatNameWidth {
		return shown, nil
	}
	var candidates []string
	for _, n := range names {
		if strings.HasPrefix(n, shown) { // the name itself, or a longer one clpstat cut to it
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
