package serverscan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/transport"
)

// Observe commands, in the order their results come back.
const (
	obsSettings = iota
	obsStat
	obsListeners
	obsProbe // only when check_connector is set
)

// exitAbsent is the status the settings command exits with when there is no settings file,
// so that a missing file and an empty one stay distinct.
const exitAbsent = 3

// ObserveCommands reads, in the host's single session: the settings file, vkhoststat, the
// listening TCP ports, and, when check_connector is set, whether each Scan-Connector answers
// on its port from this host.
func (u *unit) ObserveCommands(addrs.Address) []transport.Command {
	const settings = `[ -f "$1" ] || exit 3
exec cat "$1"`
	cmds := []transport.Command{
		transport.Shell(settings, u.l.settings()),
		StatusCommand(u.s),
		listenersCommand(),
	}
	if u.s.CheckConnector {
		cmds = append(cmds, probeCommand(u.connectorEndpoints()))
	}
	return cmds
}

// connectorEndpoints are the distinct Scan-Connector host:port pairs of the declared servers.
func (u *unit) connectorEndpoints() []endpoint {
	var out []endpoint
	for _, s := range u.s.Servers {
		e := endpoint{host: s.Connector, port: s.Port}
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}

// hostState is what the Server-Scan host reported.
type hostState struct {
	settingsExist bool
	settingsRaw   []byte
	entries       []Entry // file order

	statRan     bool     // vkhoststat exited 0
	statMissing bool     // vkhoststat is not an executable on the host
	statOut     []byte   // its stdout and stderr, for quoting
	stat        HostStat // parsed when statRan
	statErr     string   // why vkhoststat gave nothing usable, when it is installed

	listeners      []Listener
	listenersKnown bool

	probed map[endpoint]string // nil when check_connector is off
}

// decodeHost turns the observe results into the host's state. Only an unreadable settings
// file is an error: every other gap is reported by the plan as a diagnostic.
func decodeHost(res []transport.Result, probing bool) (*hostState, error) {
	want := 3
	if probing {
		want = 4
	}
	if len(res) != want {
		return nil, fmt.Errorf("expected %d observe results, got %d", want, len(res))
	}
	h := &hostState{}
	switch r := res[obsSettings]; {
	case r.ExitCode == exitAbsent:
	case !r.OK():
		return nil, fmt.Errorf("reading the settings file: exit status %d: %s", r.ExitCode, transport.FirstLine(r.Stderr))
	default:
		entries, err := ParseSettings(r.Stdout)
		if err != nil {
			return nil, fmt.Errorf("parsing the settings file: %w", err)
		}
		h.settingsExist, h.settingsRaw, h.entries = true, r.Stdout, entries
	}

	r := res[obsStat]
	h.statOut = combined(r)
	stat, err := ReadStatus(r)
	switch {
	case err == nil:
		h.statRan, h.stat = true, stat
	case r.ExitCode == 127:
		h.statMissing = true // the plan names the path it looked for
	default:
		// Without stderr's first line: the plan quotes the whole output after it.
		h.statErr = fmt.Sprintf("vkhoststat exited with status %d", r.ExitCode)
	}

	h.listeners, h.listenersKnown = ParseListeners(res[obsListeners].Stdout)
	if probing {
		h.probed = parseProbe(res[obsProbe].Stdout)
	}
	return h, nil
}

// fingerprint identifies what the host holds that the plan depends on: the settings file and
// the servers' statuses. Listening ports and probes are not part of it: they are checks, and a
// port opening elsewhere on the host must not make a saved plan stale.
func (h *hostState) fingerprint() string {
	sum := sha256.New()
	fmt.Fprintf(sum, "settings\x00%t\x00%d\x00", h.settingsExist, len(h.settingsRaw))
	sum.Write(h.settingsRaw)
	fmt.Fprintf(sum, "\x00stat\x00%t\x00", h.statRan)
	for _, r := range h.stat.Rows {
		fmt.Fprintf(sum, "%s\x00%s\x00", r.Name, r.Status)
	}
	return "sha256:" + hex.EncodeToString(sum.Sum(nil))
}

// combined is a command's output as a person would see it in a terminal, trimmed.
func combined(r transport.Result) []byte {
	out := strings.TrimSpace(string(r.Stdout))
	if e := strings.TrimSpace(string(r.Stderr)); e != "" {
		out = strings.TrimSpace(out + "\n" + e)
	}
	return []byte(out)
}
