package views

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/clusterctl/cluster/providers/statusfile"
	"github.com/clusterctl/cluster/simulate"
)

// SimulateView renders the outcome of `cluster simulate`.
type SimulateView interface {
	Report(r *simulate.Report) error
}

// NewSimulateHuman returns the text rendering: per scenario the starting point, then each
// step with what it changed, then whether every --expect-available service survived.
func NewSimulateHuman(w io.Writer, colour bool) SimulateView {
	return &simulateHuman{w: w, pal: ansiPalette{on: colour}}
}

type simulateHuman struct {
	w   io.Writer
	pal ansiPalette
}

// simColumn is the width of the address column.
const simColumn = 22

// Report writes the whole rendering in one Write.
func (v *simulateHuman) Report(r *simulate.Report) error {
	var b bytes.Buffer
	for i, sc := range r.Scenarios {
		if i > 0 {
			b.WriteByte('\n')
		}
		v.scenario(&b, sc)
	}
	v.expectations(&b, r)
	if _, err := v.w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("writing the simulation: %w", err)
	}
	return nil
}

func (v *simulateHuman) scenario(b *bytes.Buffer, sc simulate.ScenarioReport) {
	fmt.Fprintf(b, "%s %s\n\n", v.pal.bold("Scenario:"), sc.Name)
	fmt.Fprintf(b, "  %s\n", v.pal.bold("Start"))
	v.snapshot(b, sc.Start)
	if len(sc.Settle) > 0 {
		fmt.Fprintf(b, "\n  %s\n", v.pal.bold("Pending from the observed state (before any step)"))
		for _, c := range sc.Settle {
			v.change(b, c)
		}
	}
	for i, st := range sc.Steps {
		fmt.Fprintf(b, "\n  %s\n", v.pal.bold(fmt.Sprintf("Step %d: %s", i+1, st.Event)))
		if len(st.Changes) == 0 {
			fmt.Fprintf(b, "    no service is affected\n")
		}
		for _, c := range st.Changes {
			v.change(b, c)
		}
	}
	b.WriteByte('\n')
	if len(sc.Down) == 0 {
		fmt.Fprintf(b, "  %s every service is available\n", v.pal.boldGreen("Result:"))
		return
	}
	names := make([]string, len(sc.Down))
	for i, a := range sc.Down {
		names[i] = a.String()
	}
	fmt.Fprintf(b, "  %s down at the end: %s\n", v.pal.boldRed("Result:"), strings.Join(names, ", "))
}

func (v *simulateHuman) row(b *bytes.Buffer, addr, text string) {
	fmt.Fprintf(b, "    %-*s %s\n", simColumn, addr, text)
}

func (v *simulateHuman) snapshot(b *bytes.Buffer, s simulate.Snapshot) {
	if len(s.Down) > 0 {
		v.row(b, "down", v.pal.red(strings.Join(simAddrs(s.Down), ", ")))
	}
	for _, g := range s.Groups {
		text := "on " + g.Node
		if !g.Available {
			text = v.pal.red("DOWN")
		}
		v.row(b, g.Group.String(), fmt.Sprintf("%s (policy %s)", text, strings.Join(g.Policy, ", ")))
	}
	for _, h := range s.ScanHosts {
		var text string
		switch h.Mode {
		case simulate.ScanNormal:
			text = "load on " + strings.Join(h.Serving, ", ")
			if len(h.Idle) > 0 {
				text += "; standby " + strings.Join(h.Idle, ", ") + " waiting"
			}
		case simulate.ScanStandby:
			text = "load on the standby servers " + strings.Join(h.Serving, ", ")
		default:
			text = v.pal.red("STOPPED")
		}
		if len(h.Inact) > 0 {
			text += "; INACT " + strings.Join(h.Inact, ", ")
		}
		v.row(b, h.ServerScan.String(), text)
	}
	for _, f := range s.StatusFiles {
		v.row(b, f.StatusFile.String(), simPairsText(v.pal, f))
	}
	for _, g := range s.ServerGroups {
		text := "in the balancer: " + simNames(g.InBalancer)
		if !g.Available {
			text = v.pal.red("DOWN") + ": no server in the balancer"
		}
		if len(g.Detached) > 0 {
			text += "; detached " + strings.Join(g.Detached, ", ")
		}
		if len(g.Disabled) > 0 {
			text += "; disabled " + strings.Join(g.Disabled, ", ")
		}
		v.row(b, g.ServerGroup.String(), text)
	}
}

// simPairsText: "current sts1 (A, B); spare sts2, sts3; blocked sts4".
func simPairsText(pal ansiPalette, f simulate.StatusFileState) string {
	by := map[statusfile.State][]string{}
	for _, l := range f.Logicals {
		by[l.State] = append(by[l.State], l.Name)
	}
	var parts []string
	if f.Current >= 0 {
		l := f.Logicals[f.Current]
		parts = append(parts, fmt.Sprintf("current %s (%s, %s)", l.Name, l.A, l.B))
	} else {
		parts = append(parts, pal.red("NO CURRENT FILE"))
	}
	for _, st := range []statusfile.State{statusfile.Spare, statusfile.Reserved, statusfile.Blocked} {
		if len(by[st]) > 0 {
			parts = append(parts, fmt.Sprintf("%s %s", st, strings.Join(by[st], ", ")))
		}
	}
	text := strings.Join(parts, "; ")
	if f.NodeDown {
		text = pal.red("NODE DOWN") + "; " + text
	}
	return text
}

func (v *simulateHuman) change(b *bytes.Buffer, c simulate.Change) {
	summary := c.Summary
	switch c.Kind {
	case simulate.ChangeDown:
		summary = v.pal.red(summary)
	case simulate.ChangeFailover, simulate.ChangeFailback, simulate.ChangeSwap, simulate.ChangeLoad, simulate.ChangeDetach:
		summary = v.pal.yellow(summary)
	case simulate.ChangeRecover, simulate.ChangeRestart, simulate.ChangeAttach:
		summary = v.pal.green(summary)
	}
	v.row(b, c.Service.String(), summary)
	indent := strings.Repeat(" ", simColumn+5)
	for _, d := range c.Details {
		fmt.Fprintf(b, "%s%s\n", indent, d)
	}
	for _, m := range c.Monitors {
		fmt.Fprintf(b, "%smonitor %s %s\n", indent, m.Monitor, m.Effect)
	}
}

func (v *simulateHuman) expectations(b *bytes.Buffer, r *simulate.Report) {
	if len(r.Expected) == 0 {
		return
	}
	b.WriteByte('\n')
	for _, a := range r.Expected {
		failed := 0
		seen := map[string]bool{}
		for _, vi := range r.Violations {
			if vi.Service == a && !seen[vi.Scenario] {
				seen[vi.Scenario] = true
				failed++
			}
		}
		if failed == 0 {
			fmt.Fprintf(b, "%s %s stays available in every scenario (%d)\n", v.pal.boldGreen("Expectation met:"), a, len(r.Scenarios))
			continue
		}
		fmt.Fprintf(b, "%s %s is down in %d of %d scenarios:\n", v.pal.boldRed("Expectation failed:"), a, failed, len(r.Scenarios))
		for _, vi := range r.Violations {
			if vi.Service == a {
				fmt.Fprintf(b, "  - %s, step %d: %s\n", vi.Scenario, vi.Step, vi.Reason)
			}
		}
	}
}

func simNames(names []string) string {
	if len(names) == 0 {
		return "(none)"
	}
	return strings.Join(names, ", ")
}
