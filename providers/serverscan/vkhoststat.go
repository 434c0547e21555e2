package serverscan

import (
	"fmt"
	"strconv"
	"strings"
)

// Connection statuses vkhoststat prints. Any other word is reported as unknown, never mapped
// to one of these.
const (
	StatusAct   = "ACT"   // connected
	StatusInact = "INACT" // disconnected: vkattach reconnects it
)

// StatRow is one scan server as vkhoststat lists it.
type StatRow struct {
	Name    string
	Service string // "" when the output has no Service column
	Port    int    // 0 when the output has no Port column or it is not a number
	Status  string // as printed: StatusAct, StatusInact or an unknown word
	Line    int    // 1-based line of the output
}

// Known reports whether the row's status is one the tool understands.
func (r StatRow) Known() bool { return r.Status == StatusAct || r.Status == StatusInact }

// HostStat is vkhoststat's output, parsed.
type HostStat struct {
	Rows []StatRow // in output order: normal servers, then standby servers
	// Problems are lines that could not be read as a server row, with their line numbers;
	// they are reported to the user rather than guessed at.
	Problems []string
}

// Status returns the status vkhoststat printed for name, and whether it listed it.
func (h HostStat) Status(name string) (string, bool) {
	for _, r := range h.Rows {
		if r.Name == name {
			return r.Status, true
		}
	}
	return "", false
}

// columns says where each field sits in a row, by field index.
type columns struct {
	name, service, port, status int // -1: absent
	width                       int // fields a row needs at least
}

// ParseHostStat reads vkhoststat's output tolerantly: a header line ("Host Service Port
// Status", in any order, with extra columns) gives the columns; without one the documented
// order is assumed. Runs of spaces and tabs separate fields, blank lines and lines of dashes are
// skipped, and extra columns are ignored. A row too short to reach the status column, a
// server listed twice or a status word other than ACT/INACT is reported (in Problems, or as a
// row whose Known is false), never guessed.
func ParseHostStat(out []byte) HostStat {
	var h HostStat
	cols := columns{name: 0, service: 1, port: 2, status: 3, width: 4} // the documented layout
	seen := map[string]int{}
	for i, raw := range strings.Split(string(out), "\n") {
		line := i + 1
		f := strings.Fields(raw)
		if len(f) == 0 || strings.Trim(raw, "-=+ \t\r") == "" {
			continue
		}
		if c, ok := headerColumns(f); ok {
			cols = c
			continue
		}
		if len(f) < cols.width {
			h.Problems = append(h.Problems, fmt.Sprintf("line %d: %q has %d fields, a server row needs %d", line, strings.TrimSpace(raw), len(f), cols.width))
			continue
		}
		r := StatRow{Name: f[cols.name], Status: f[cols.status], Line: line}
		if cols.service >= 0 {
			r.Service = f[cols.service]
		}
		if cols.port >= 0 {
			if p, err := strconv.Atoi(f[cols.port]); err == nil {
				r.Port = p
			} else {
				h.Problems = append(h.Problems, fmt.Sprintf("line %d: port %q of %s is not a number", line, f[cols.port], r.Name))
			}
		}
		if first, dup := seen[r.Name]; dup {
			h.Problems = append(h.Problems, fmt.Sprintf("line %d: %s is already listed on line %d", line, r.Name, first))
			continue
		}
		seen[r.Name] = line
		h.Rows = append(h.Rows, r)
	}
	return h
}

// headerColumns recognises a header line: it names a Host and a Status column (any case).
func headerColumns(f []string) (columns, bool) {
	c := columns{name: -1, service: -1, port: -1, status: -1}
	for i, w := range f {
		switch strings.ToLower(w) {
		case "host", "server", "name":
			c.name = i
		case "service":
			c.service = i
		case "port":
			c.port = i
		case "status", "state":
			c.status = i
		}
	}
	if c.name < 0 || c.status < 0 {
		return columns{}, false
	}
	c.width = max(c.name, c.service, c.port, c.status) + 1
	return c, true
}
