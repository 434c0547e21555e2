package emulate

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/clusterctl/cluster/internal/atomicfile"
	"github.com/clusterctl/cluster/lab/labdir"
)

// Scan server statuses the emulated vkhoststat prints. INACT is the seed's word for a
// disconnected server (seed 000 4.8 (2)). No source shows the word for a connected one: the lab
// prints ACT, a constructed word (testdata/vendor-output/serverscan/SOURCES.md) that the
// provider must not, and does not, rely on.
const (
	scanAct   = "ACT"
	scanInact = "INACT"
)

// Lab-only files, in the node root's .lab directory, which the real product does not have and
// the provider never reads (docs/lab.md, "Server-Scan").
const (
	// ScanServersLabFile stands in for Server-Scan's environment settings, whose file and format
	// no public source gives: the scan server names, one a line, in the order vkhoststat lists
	// them (normal servers first, then standby). Tests and the tour write it, as a site's
	// administrator would set the servers up with Server-Scan's own environment setup.
	ScanServersLabFile = "/.lab/serverscan-servers"
	// scanStateLabFile holds the servers the lab has disconnected: {"inactive": ["WinNT02"]}.
	scanStateLabFile = "/.lab/serverscan-state.json"
)

// WriteScanServers writes the lab-only server list of the node whose root is root.
func WriteScanServers(root string, names ...string) error {
	return atomicfile.Write(hostIn(root, ScanServersLabFile), []byte(strings.Join(names, "\n")+"\n"), 0o644)
}

// readScanServers reads the lab-only server list: '#' comment lines and blank lines are
// ignored, every other line is one name without blanks, each name once.
func readScanServers(e *env) ([]string, error) {
	data, err := os.ReadFile(e.host(ScanServersLabFile))
	if err != nil {
		return nil, fmt.Errorf("lab: no scan servers are set up (%s, a lab-only file; docs/lab.md): %w", ScanServersLabFile, err)
	}
	var names []string
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.ContainsAny(line, " \t") || slices.Contains(names, line) {
			return nil, fmt.Errorf("lab: %s:%d: %q is not one new server name", ScanServersLabFile, i+1, line)
		}
		names = append(names, line)
	}
	return names, nil
}

// scanState is the lab's connection state: the servers it has disconnected. A server set up
// and not disconnected is connected, as after the Server-Scan service started.
type scanState struct {
	Inactive []string `json:"inactive"`
}

// loadScan reads the server list and the state, and applies the scan-inact events: a server
// with that fault is disconnected and the fault consumed, as a dropped connection would be.
func loadScan(e *env) ([]string, scanState, error) {
	names, err := readScanServers(e)
	if err != nil {
		return nil, scanState{}, err
	}
	var st scanState
	raw, err := os.ReadFile(e.host(scanStateLabFile))
	switch {
	case err == nil:
		if err := json.Unmarshal(raw, &st); err != nil {
			return nil, st, fmt.Errorf("lab: %s: %w", scanStateLabFile, err)
		}
	case !isNotExist(err):
		return nil, st, err
	}
	changed := false
	for _, n := range names {
		if labdir.HasFault(e.root, labdir.ScanInact, n) {
			if !slices.Contains(st.Inactive, n) {
				st.Inactive = append(st.Inactive, n)
			}
			changed = true
			if err := labdir.ClearFault(e.root, labdir.ScanInact, n); err != nil {
				return nil, st, err
			}
		}
	}
	if changed {
		if err := saveScan(e, st); err != nil {
			return nil, st, err
		}
	}
	return names, st, nil
}

func saveScan(e *env, st scanState) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return e.write(scanStateLabFile, append(data, '\n'), 0o644)
}

// runVkhoststat prints the Host and Status of every server set up, in their order (seed 000
// 4.8 (1)): the only two columns the seed names. Their widths are the lab's own.
func runVkhoststat(e *env, args []string) int {
	if len(args) > 0 {
		return e.failf("usage: vkhoststat")
	}
	names, st, err := loadScan(e)
	if err != nil {
		return e.failf("%v", err)
	}
	fmt.Fprintf(e.stdout, "%-16s %s\n", "Host", "Status")
	for _, n := range names {
		status := scanAct
		if slices.Contains(st.Inactive, n) {
			status = scanInact
		}
		fmt.Fprintf(e.stdout, "%-16s %s\n", n, status)
	}
	return 0
}

// runVkattach reconnects a server: vkattach -nNAME, the one form the seed shows
// (「# /usr/SrvScan/bin/vkattach -nWinNT02」). It prints nothing on success: the seed shows no
// output, and the way to see the result is vkhoststat (4.8 (2)).
func runVkattach(e *env, args []string) int {
	if len(args) != 1 || !strings.HasPrefix(args[0], "-n") || len(args[0]) == 2 {
		return e.failf("usage: vkattach -n<server name>")
	}
	name := args[0][2:]
	names, st, err := loadScan(e)
	if err != nil {
		return e.failf("%v", err)
	}
	if !slices.Contains(names, name) {
		return e.failf("%s: no such scan server", name)
	}
	if labdir.HasFault(e.root, labdir.ScanDown, name) {
		return e.failf("%s: cannot connect to the Scan-Connector", name)
	}
	st.Inactive = slices.DeleteFunc(st.Inactive, func(n string) bool { return n == name })
	if err := saveScan(e, st); err != nil {
		return e.failf("%v", err)
	}
	return 0
}
