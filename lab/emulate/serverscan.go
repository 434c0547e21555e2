package emulate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/clusterctl/cluster/lab/labdir"
)

// Server-Scan files, relative to the install directory.
const (
	vkhostConf  = "etc/vkhost.conf"
	vkstateFile = "var/vkstate.json"
)

// Scan server statuses as vkhoststat prints them.
const (
	scanAct   = "ACT"
	scanInact = "INACT"
)

// scanServer is one line of vkhost.conf: "name service port role connector".
type scanServer struct {
	Name      string
	Service   string
	Port      int
	Standby   bool
	Connector string
}

// parseVkhost reads vkhost.conf. It is written apart from providers/serverscan on purpose: the
// emulation plays Server-Scan's side, so the two parsers check each other in the end-to-end
// tests instead of agreeing by construction.
//
// The format: '#' comments and blank lines are ignored; every other line
// holds five whitespace-separated fields. The result is in vkhoststat order: normal servers
// first, then standby servers, each in file order.
func parseVkhost(data []byte) ([]scanServer, error) {
	var servers []scanServer
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Fields(text)
		if len(f) != 5 {
			return nil, fmt.Errorf("%s:%d: want 5 fields (name service port role connector), got %d", vkhostConf, line, len(f))
		}
		port, err := strconv.Atoi(f[2])
		if err != nil || port < 1 || port > 65535 {
			return nil, fmt.Errorf("%s:%d: invalid port %q", vkhostConf, line, f[2])
		}
		if f[3] != "normal" && f[3] != "standby" {
			return nil, fmt.Errorf("%s:%d: role must be normal or standby, got %q", vkhostConf, line, f[3])
		}
		if seen[f[0]] {
			return nil, fmt.Errorf("%s:%d: server %s is defined twice", vkhostConf, line, f[0])
		}
		seen[f[0]] = true
		servers = append(servers, scanServer{Name: f[0], Service: f[1], Port: port, Standby: f[3] == "standby", Connector: f[4]})
	}
	slices.SortStableFunc(servers, func(a, b scanServer) int {
		switch {
		case a.Standby == b.Standby:
			return 0
		case b.Standby:
			return -1
		}
		return 1
	})
	return servers, sc.Err()
}

// scanState is var/vkstate.json: the status of every server that was ever attached.
type scanState struct {
	Servers map[string]string `json:"servers"`
}

// loadScan reads the settings and the state, and applies the scan-inact events: a server with
// that fault is disconnected and the fault consumed, as a dropped connection would be.
func loadScan(e *env) ([]scanServer, scanState, error) {
	data, err := os.ReadFile(e.host(path.Join(e.install, vkhostConf)))
	if err != nil {
		return nil, scanState{}, fmt.Errorf("cannot read the settings: %w", err)
	}
	servers, err := parseVkhost(data)
	if err != nil {
		return nil, scanState{}, err
	}
	st := scanState{Servers: map[string]string{}}
	raw, err := os.ReadFile(e.host(path.Join(e.install, vkstateFile)))
	switch {
	case err == nil:
		if err := json.Unmarshal(raw, &st); err != nil {
			return nil, st, fmt.Errorf("%s: %w", vkstateFile, err)
		}
		if st.Servers == nil {
			st.Servers = map[string]string{}
		}
	case !isNotExist(err):
		return nil, st, err
	}
	changed := false
	for _, s := range servers {
		if labdir.HasFault(e.root, labdir.ScanInact, s.Name) {
			st.Servers[s.Name] = scanInact
			changed = true
			if err := labdir.ClearFault(e.root, labdir.ScanInact, s.Name); err != nil {
				return nil, st, err
			}
		}
	}
	if changed {
		if err := saveScan(e, st); err != nil {
			return nil, st, err
		}
	}
	return servers, st, nil
}

func saveScan(e *env, st scanState) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return e.write(path.Join(e.install, vkstateFile), append(data, '\n'), 0o644)
}

// runVkhoststat prints every configured scan server with its status (docs/lab.md).
func runVkhoststat(e *env, args []string) int {
	if len(args) > 0 {
		return e.failf("usage: vkhoststat")
	}
	servers, st, err := loadScan(e)
	if err != nil {
		return e.failf("%v", err)
	}
	fmt.Fprintf(e.stdout, "%-17s%-17s%-7s%s\n", "Host", "Service", "Port", "Status")
	for _, s := range servers {
		status := st.Servers[s.Name]
		if status != scanAct {
			status = scanInact
		}
		fmt.Fprintf(e.stdout, "%-16s %-16s %-6d %s\n", s.Name, s.Service, s.Port, status)
	}
	return 0
}

// runVkattach connects (or reconnects) a scan server: vkattach -nNAME or -n NAME.
func runVkattach(e *env, args []string) int {
	var name string
	switch {
	case len(args) == 1 && strings.HasPrefix(args[0], "-n") && len(args[0]) > 2:
		name = args[0][2:]
	case len(args) == 2 && args[0] == "-n":
		name = args[1]
	default:
		return e.failf("usage: vkattach -n<server name>")
	}
	servers, st, err := loadScan(e)
	if err != nil {
		return e.failf("%v", err)
	}
	i := slices.IndexFunc(servers, func(s scanServer) bool { return s.Name == name })
	if i < 0 {
		return e.failf("%s: no such scan server", name)
	}
	s := servers[i]
	if labdir.HasFault(e.root, labdir.ScanDown, name) {
		return e.failf("%s: cannot connect to Scan-Connector %s port %d", name, s.Connector, s.Port)
	}
	st.Servers[name] = scanAct
	if err := saveScan(e, st); err != nil {
		return e.failf("%v", err)
	}
	fmt.Fprintf(e.stdout, "%s: attached.\n", name)
	return 0
}
