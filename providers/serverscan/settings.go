package serverscan

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/clusterctl/cluster/hcl/config"
)

// Roles of a scan server, as the settings file spells them.
const (
	RoleNormal  = "normal"
	RoleStandby = "standby"
)

// Entry is one scan server of the Server-Scan settings file (vkhost.conf): one line of five
// whitespace-separated fields, "name service port role connector". docs/serverscan.md
// documents the format.
type Entry struct {
	Name      string
	Service   string
	Port      int
	Role      string // RoleNormal | RoleStandby
	Connector string // the Scan-Connector host
}

// settingsHeader opens every file the tool writes: who wrote it, and the column names.
const settingsHeader = "# Server-Scan scan servers, written by cluster: change the configuration, not this file.\n" +
	"# Normal servers first, then standby servers, each in configuration order.\n"

// ParseSettings reads a settings file. '#' starts a comment line and blank lines are ignored;
// every other line must hold exactly five fields with a port in 1..65535, a role of normal or
// standby, and a name not used before. Entries are returned in file order, not vkhoststat
// order, so that a file whose lines are out of order reads as such. Any malformed line is an
// error naming its line number: a settings file is never half understood.
func ParseSettings(data []byte) ([]Entry, error) {
	var entries []Entry
	seen := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Fields(text)
		if len(f) != 5 {
			return nil, fmt.Errorf("line %d: want 5 fields (name service port role connector), got %d", line, len(f))
		}
		port, err := strconv.Atoi(f[2])
		if err != nil || port < 1 || port > 65535 {
			return nil, fmt.Errorf("line %d: port %q is not a number in 1..65535", line, f[2])
		}
		if f[3] != RoleNormal && f[3] != RoleStandby {
			return nil, fmt.Errorf("line %d: role %q is neither %s nor %s", line, f[3], RoleNormal, RoleStandby)
		}
		if first, dup := seen[f[0]]; dup {
			return nil, fmt.Errorf("line %d: scan server %s is already defined on line %d", line, f[0], first)
		}
		seen[f[0]] = line
		entries = append(entries, Entry{Name: f[0], Service: f[1], Port: port, Role: f[3], Connector: f[4]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading the settings: %w", err)
	}
	return entries, nil
}

// RenderSettings writes entries, in the order given, as a settings file with aligned columns.
// It refuses a value the format cannot carry (empty, holding whitespace, a control character
// or '#'), so that what is written always reads back as the same entries.
func RenderSettings(entries []Entry) ([]byte, error) {
	rows := [][]string{{"# name", "service", "port", "role", "connector"}}
	for _, e := range entries {
		for _, v := range []struct{ field, value string }{{"name", e.Name}, {"service", e.Service}, {"connector", e.Connector}} {
			if err := config.SettingsField(v.value); err != nil {
				return nil, fmt.Errorf("scan server %q: %s %q %w", e.Name, v.field, v.value, err)
			}
		}
		if e.Port < 1 || e.Port > 65535 {
			return nil, fmt.Errorf("scan server %s: port %d is not in 1..65535", e.Name, e.Port)
		}
		if e.Role != RoleNormal && e.Role != RoleStandby {
			return nil, fmt.Errorf("scan server %s: role %q is neither %s nor %s", e.Name, e.Role, RoleNormal, RoleStandby)
		}
		rows = append(rows, []string{e.Name, e.Service, strconv.Itoa(e.Port), e.Role, e.Connector})
	}
	widths := make([]int, 5)
	for _, r := range rows {
		for i, v := range r {
			widths[i] = max(widths[i], len(v))
		}
	}
	var b bytes.Buffer
	b.WriteString(settingsHeader)
	for _, r := range rows {
		for i, v := range r {
			if i == len(r)-1 {
				b.WriteString(v)
				break
			}
			fmt.Fprintf(&b, "%-*s  ", widths[i], v)
		}
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// inStatOrder returns entries as vkhoststat lists them: normal servers first, then standby
// servers, each in file order.
func inStatOrder(entries []Entry) []Entry {
	out := make([]Entry, 0, len(entries))
	for _, role := range []string{RoleNormal, RoleStandby} {
		for _, e := range entries {
			if e.Role == role {
				out = append(out, e)
			}
		}
	}
	return out
}

// positions returns each entry's order among the entries of its role, counting from 1 in the
// order vkhoststat lists them: the `order` attribute of the language.
func positions(entries []Entry) map[string]int {
	next := map[string]int{}
	pos := make(map[string]int, len(entries))
	for _, e := range inStatOrder(entries) {
		next[e.Role]++
		pos[e.Name] = next[e.Role]
	}
	return pos
}
