package clusterpro

import (
	"fmt"
	"strings"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/providers/clusterpro/clpconf"
	"github.com/clusterctl/cluster/transport"
)

// Status is what clpstat reports on one server (`cluster status`). The grammar it is read with,
// and the public samples it is tested against, are in docs/vendor-output.md and
// testdata/vendor-output/clusterpro.
type Status struct {
	// State is this server's cluster state as far as clpstat shows it: running (this server
	// Online), stopped (this server Offline), or unknown (anything else: no public source shows
	// how clpstat displays a suspended cluster, so the display alone never says "suspended").
	State    string
	Cluster  string
	Servers  []ServerStatus
	Groups   []GroupStatus
	Monitors []MonitorStatus
}

// ServerStatus is one server of the <server> section.
type ServerStatus struct {
	Name    string
	Local   bool   // the server clpstat ran on ("*")
	Status  string // Online, Offline, ...
	Comment string // the server's comment, "" when none
	// Paths are the lines under the server: heartbeats (lankhb1, lanhb1, witnesshb1, ...) and
	// network partition resolution resources (pingnp1, httpnp1, ...).
	Paths []StatusLine
}

// GroupStatus is one group of the <group> section.
type GroupStatus struct {
	Name      string
	Status    string // Online, Offline, ...
	Comment   string
	Current   string       // the server it runs on; "" when clpstat names none ("None")
	Resources []StatusLine // the group's resources
}

// MonitorStatus is one monitor of the <monitor> section.
type MonitorStatus struct {
	Name    string
	Status  string // Normal, Offline, ...
	Comment string
}

// StatusLine is one "name : state  comment" line below a server or a group.
type StatusLine struct {
	Name, Status, Comment string
}

// StatusOps are the ops `cluster status` runs for cluster c on one node: the same typed reading
// plan uses (statOps: a Stat of the suspension record and of clpstat, then clpstat by its
// absolute path), then the installed clp.conf (bounded as plan bounds it), whose names clpstat's
// cut names are matched against. Every dialect runs them. ParseStatusOf reads their outcomes.
func StatusOps(c *config.Cluster) []transport.Op {
	l := layoutOf(c)
	return append(l.statOps(), transport.ReadTree{Dir: l.install, Entries: []string{confEntry},
		Limits: map[string]int64{confEntry: clpconf.MaxSize}})
}

// confEntry is clp.conf's path below the install directory.
const confEntry = "etc/clp.conf"

// ParseStatus reads clpstat's output; ParseStatusOf also matches the names clpstat cut back to
// the cluster's configuration.
func ParseStatus(r transport.Result) (Status, error) {
	if r.ExitCode == 127 {
		return Status{}, fmt.Errorf("clpstat is not installed")
	}
	if !r.OK() {
		detail := "no output"
		switch {
		case len(strings.TrimSpace(string(r.Stderr))) > 0:
			detail = transport.FirstLine(r.Stderr)
		case len(strings.TrimSpace(string(r.Stdout))) > 0:
			detail = transport.FirstLine(r.Stdout)
		}
		return Status{State: string(stateUnknown)}, fmt.Errorf("clpstat exited with status %d: %s", r.ExitCode, detail)
	}
	st := scanStatus(r.Stdout)
	if st.Cluster == "" && len(st.Servers) == 0 {
		return st, fmt.Errorf("clpstat printed no cluster status: %q", transport.FirstLine(r.Stdout))
	}
	return st, nil
}

// ParseStatusOf reads the outcomes of StatusOps for cluster c: ParseStatus, then every name
// clpstat cut is matched back to a name of the configuration installed on the node, as plan
// matches them (MatchNames): clpstat shows what is installed, and the desired names would make a
// rename ambiguous until it is applied. A node with no readable clp.conf matches against c. The
// state is suspended when the node holds the tool's suspension record (an earlier apply
// suspended the cluster from there).
func ParseStatusOf(out []transport.Outcome, c *config.Cluster) (Status, error) {
	if len(out) != 3 {
		return Status{State: string(stateUnknown)}, fmt.Errorf("reading the cluster status: %d outcomes for 3 ops", len(out))
	}
	reading, err := readClpstat(out[0], out[1])
	if err != nil {
		return Status{State: string(stateUnknown)}, err
	}
	st, err := ParseStatus(reading.res)
	if err != nil {
		return st, err
	}
	if reading.marked {
		st.State = string(stateSuspended)
	}
	return st, st.MatchNames(installedNames(out[2], c))
}

// installedNames are the names of the configuration a node's clp.conf (read by StatusOps)
// holds; those of c when the node has none or it cannot be read.
func installedNames(conf transport.Outcome, c *config.Cluster) StatusNames {
	if raw, ok := conf.Tree[confEntry]; ok && conf.OK() {
		if doc, err := clpconf.Parse(raw); err == nil {
			if n, err := namesOfDocument(doc); err == nil {
				return n
			}
		}
	}
	return NamesOf(c)
}

// scanStatus reads clpstat's output in one pass (docs/vendor-output.md, "clpstat"). Lines are
// "[*]name[ ....]: value"; the value is the state, then, after a run of two or more spaces, a
// comment. In a section, an entry is a line at the section's first indentation; deeper lines
// belong to the entry above: heartbeats and network partition resources under a server,
// "current" and the resources under a group.
func scanStatus(out []byte) Status {
	st := Status{State: string(stateUnknown)}
	section, level := "", -1
	for _, line := range strings.Split(string(out), "\n") {
		line = strings.TrimRight(line, " \t\r")
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "=") {
			continue
		}
		if strings.HasPrefix(t, "<") && strings.HasSuffix(t, ">") {
			section, level = strings.Trim(t, "<>"), -1
			continue
		}
		key, val, ok := strings.Cut(t, ":")
		if !ok {
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " *\t"))
		local := strings.HasPrefix(t, "*")
		name := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(strings.TrimPrefix(key, "*")), "."))
		state, comment := splitValue(val)
		if section == "" {
			if strings.EqualFold(name, "cluster") {
				st.Cluster = strings.TrimSpace(val)
			}
			continue
		}
		if level < 0 {
			level = indent
		}
		if indent > level {
			addSubLine(&st, section, name, state, comment)
			continue
		}
		switch section {
		case "server":
			st.Servers = append(st.Servers, ServerStatus{Name: name, Local: local, Status: state, Comment: comment})
			if local {
				st.State = string(localState(state))
			}
		case "group":
			st.Groups = append(st.Groups, GroupStatus{Name: name, Status: state, Comment: comment})
		case "monitor":
			st.Monitors = append(st.Monitors, MonitorStatus{Name: name, Status: state, Comment: comment})
		}
	}
	return st
}

// addSubLine files a line below an entry: a group's "current" line or resource, a server's
// heartbeat or network partition resource. A group may itself be called "current": only the
// deeper line is its current server.
func addSubLine(st *Status, section, name, state, comment string) {
	switch {
	case section == "group" && len(st.Groups) > 0:
		g := &st.Groups[len(st.Groups)-1]
		if strings.EqualFold(name, "current") {
			if !strings.EqualFold(state, "None") {
				g.Current = state
			}
			return
		}
		g.Resources = append(g.Resources, StatusLine{name, state, comment})
	case section == "server" && len(st.Servers) > 0:
		s := &st.Servers[len(st.Servers)-1]
		s.Paths = append(s.Paths, StatusLine{name, state, comment})
	}
}

// splitValue splits a value into its state (the leading words, which one space separates:
// "Online Pending") and the comment that follows a run of two or more spaces.
func splitValue(val string) (state, comment string) {
	val = strings.TrimSpace(val)
	if i := strings.Index(val, "  "); i >= 0 {
		return val[:i], strings.TrimSpace(val[i:])
	}
	return val, ""
}

// localState is the cluster state the local server's status says: Online is running (every
// public sample of a running cluster), Offline is stopped (EXPRESSCLUSTER/clpaic README, a
// stopped cluster); any other word is unknown, never stopped.
func localState(status string) runState {
	switch strings.ToLower(status) {
	case "online":
		return stateRunning
	case "offline":
		return stateStopped
	}
	return stateUnknown
}
