package simulate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/clusterctl/cluster/hcl/config"
)

// scanState is who carries a Server-Scan host's load (seed 000, 4.8 (3)-(5)): the connected
// normal servers share it; the standby servers wait while any normal server is connected and
// share the load only when every normal server is INACT; with none left, or with the host
// itself down, the Server-Scan service stops. A single-server configuration is the case of one
// normal server and no standby.
func scanState(s *state, h *config.ServerScan) ScanState {
	st := ScanState{ServerScan: h.Addr, HostDown: h.Node != nil && s.down[h.Node.Addr]}
	var normal, standby []string
	for _, sv := range h.Servers {
		if s.down[sv.Addr] {
			st.Inact = append(st.Inact, sv.Name)
			continue
		}
		if sv.Role == "standby" {
			standby = append(standby, sv.Name)
		} else {
			normal = append(normal, sv.Name)
		}
	}
	switch {
	case st.HostDown:
		st.Mode = ScanStopped
	case len(normal) > 0:
		st.Mode, st.Serving, st.Idle = ScanNormal, normal, standby
	case len(standby) > 0:
		st.Mode, st.Serving = ScanStandby, standby
	default:
		st.Mode = ScanStopped
	}
	st.Available = st.Mode != ScanStopped
	return st
}

// scanChanges says how the load moved between two states of one Server-Scan host.
func scanChanges(before, after ScanState) []Change {
	if before.Mode == after.Mode && slices.Equal(before.Serving, after.Serving) {
		return nil
	}
	ch := Change{Service: after.ServerScan, Kind: ChangeLoad,
		From: strings.Join(before.Serving, ", "), To: strings.Join(after.Serving, ", ")}
	// Servers that stopped serving because they went INACT hand their files over; standby
	// servers going back to waiting finish theirs.
	lost := without(before.Serving, after.Serving)
	lost = slices.DeleteFunc(lost, func(n string) bool { return !slices.Contains(after.Inact, n) })
	switch {
	case after.Mode == ScanStopped && after.HostDown:
		ch.Kind, ch.Summary = ChangeDown, "the Server-Scan host is down: the Server-Scan service stops"
	case after.Mode == ScanStopped:
		ch.Kind, ch.Summary = ChangeDown, "no scan server is connected: the Server-Scan service stops"
	case before.Mode == ScanStopped:
		ch.Kind = ChangeRecover
		ch.Summary = fmt.Sprintf("the Server-Scan service runs again, the load on %s", list(after.Serving))
	case after.Mode == ScanStandby && before.Mode == ScanNormal:
		ch.Summary = fmt.Sprintf("every normal server is INACT: the standby servers %s take the load", list(after.Serving))
	case after.Mode == ScanNormal && before.Mode == ScanStandby:
		ch.Summary = fmt.Sprintf("normal server %s is reattached and takes the load again", list(after.Serving))
		ch.Details = append(ch.Details, fmt.Sprintf("standby servers %s finish the files they are checking, then wait again", list(before.Serving)))
	case len(after.Serving) > len(before.Serving):
		ch.Summary = fmt.Sprintf("%s rejoins the load spreading: load on %s", list(without(after.Serving, before.Serving)), list(after.Serving))
	default:
		ch.Summary = fmt.Sprintf("load spread over %s", list(after.Serving))
	}
	if len(lost) > 0 && after.Mode != ScanStopped {
		ch.Details = append([]string{fmt.Sprintf("files %s was checking move to %s", list(lost), list(after.Serving))}, ch.Details...)
	}
	return []Change{ch}
}

// without is a minus b, in a's order.
func without(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func list(names []string) string {
	if len(names) == 0 {
		return "(none)"
	}
	return strings.Join(names, ", ")
}
