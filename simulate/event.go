package simulate

import "strings"

// Action is what happens to the objects an Event names.
type Action string

const (
	// Fail takes the named objects down: a machine stops, a scan server disconnects (INACT),
	// a status file's current pair has an I/O error.
	Fail Action = "fail"
	// Recover brings them back: a machine rejoins, a scan server is reattached (vkattach), a
	// status file's blocked pairs are re-initialised and opened as spares.
	Recover Action = "recover"
)

// Event is one step of a scenario: every name fails (or recovers) at the same moment.
// A name is a bare object name (sv1, WinNT01, sts1), an address (cluster.web.node.sv1,
// scan_server.WinNT01, status_file.sts1) and, for a status file, the failing side
// (sts1:B; default A).
type Event struct {
	Action Action
	Names  []string
}

func (e Event) String() string {
	list := strings.Join(e.Names, ", ")
	if e.Action == Recover {
		return list + " recover"
	}
	return list + " fail"
}

// Scenario is a named sequence of events; failures accumulate from one event to the next.
type Scenario struct {
	Name   string
	Events []Event
}

// Describe names a scenario after its events ("sv1 fail, then sv2 fail").
func Describe(events []Event) string {
	parts := make([]string, len(events))
	for i, e := range events {
		parts[i] = e.String()
	}
	return strings.Join(parts, ", then ")
}
