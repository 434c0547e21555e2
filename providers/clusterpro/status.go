package clusterpro

import (
	"fmt"
	"strings"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/transport"
)

// Status is what clpstat reports on one server (`cluster status`).
type Status struct {
	// State is this server's cluster state: running, suspended, stopped or unknown (as plan
	// reads it).
	State    string
	Cluster  string
	Servers  []ServerStatus
	Groups   []GroupStatus
	Monitors []MonitorStatus
}

// ServerStatus is one server of the <server> section.
type ServerStatus struct {
	Name   string
	Local  bool   // the server clpstat ran on ("*")
	Status string // Online, Offline, ...
}

// GroupStatus is one group of the <group> section.
type GroupStatus struct {
	Name    string
	Status  string // Online, Offline, Online Pending, Error, ...
	Current string // the server it runs on; "" when clpstat names none
}

// MonitorStatus is one monitor of the <monitor> section.
type MonitorStatus struct {
	Name   string
	Status string // Normal, Error, Offline, Caution, ...
}

// StatusCommand runs clpstat from the cluster's install directory; it exits 127 when clpstat
// is not installed there.
func StatusCommand(c *config.Cluster) transport.Command {
	return layoutOf(c).stat()
}

// ParseStatus reads clpstat's output (docs/lab.md, "clpstat"): the Cluster and Status header,
// then the <server>, <group> and <monitor> sections. In a section, an entry is a line at the
// section's first indentation ("name ....: Status", a leading "*" marking the local server);
// deeper lines belong to the entry above ("current : sv2" for a group; heartbeats and
// resources on a real server, which are skipped).
func ParseStatus(r transport.Result) (Status, error) {
	if r.ExitCode == 127 {
		return Status{}, fmt.Errorf("clpstat is not installed")
	}
	if !r.OK() {
		return Status{}, fmt.Errorf("clpstat exited with status %d: %s", r.ExitCode, transport.FirstLine(r.Stderr))
	}
	st := scanStatus(r.Stdout)
	if st.Cluster == "" && len(st.Servers) == 0 {
		return st, fmt.Errorf("clpstat printed no cluster status: %s", transport.FirstLine(r.Stdout))
	}
	return st, nil
}

// scanStatus reads clpstat's output in one pass. The state is the "Status : ..." line of the
// header when there is one, else the line of the local server (marked "*") in the <server>
// section: names of groups and monitors are never looked at, so they cannot be mistaken for a
// state.
func scanStatus(out []byte) Status {
	var st Status
	section, level := "", -1
	for _, line := range strings.Split(string(out), "\n") {
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
		if st.State == "" {
			st.State = string(stateOf(section, t, key, val))
		}
		indent := len(line) - len(strings.TrimLeft(line, " *\t"))
		local := strings.HasPrefix(t, "*")
		name := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(strings.TrimPrefix(key, "*")), "."))
		val = strings.TrimSpace(val)
		if section == "" {
			if strings.EqualFold(name, "cluster") {
				st.Cluster = val
			}
			continue
		}
		if level < 0 {
			level = indent
		}
		if indent > level {
			if section == "group" && len(st.Groups) > 0 && strings.EqualFold(name, "current") {
				st.Groups[len(st.Groups)-1].Current = val
			}
			continue
		}
		switch section {
		case "server":
			st.Servers = append(st.Servers, ServerStatus{Name: name, Local: local, Status: val})
		case "group":
			st.Groups = append(st.Groups, GroupStatus{Name: name, Status: val})
		case "monitor":
			st.Monitors = append(st.Monitors, MonitorStatus{Name: name, Status: val})
		}
	}
	if st.State == "" {
		st.State = string(stateUnknown)
	}
	return st
}

// stateOf is the cluster state line t (key:val) of section says, or "" when it says none.
func stateOf(section, t, key, val string) runState {
	val = strings.ToLower(strings.TrimSpace(val))
	switch {
	case section == "" && strings.EqualFold(strings.TrimSpace(key), "status"):
		switch {
		case strings.HasPrefix(val, "suspend"):
			return stateSuspended
		case strings.HasPrefix(val, "running"), strings.HasPrefix(val, "online"):
			return stateRunning
		case strings.HasPrefix(val, "stop"), strings.HasPrefix(val, "offline"):
			return stateStopped
		}
	case section == "server" && strings.HasPrefix(t, "*"):
		if val == "online" {
			return stateRunning
		}
		return stateStopped
	}
	return ""
}
