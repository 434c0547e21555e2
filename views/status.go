package views

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/status"
)

// StatusView renders `cluster status`.
type StatusView interface {
	Status(r *status.Report) error
}

// NewStatusHuman returns the text rendering of the live state, one block per object.
func NewStatusHuman(w io.Writer, colour bool) StatusView {
	return &statusHuman{w: w, pal: ansiPalette{on: colour}}
}

type statusHuman struct {
	w   io.Writer
	pal ansiPalette
}

// Status writes the whole rendering in one Write.
func (v *statusHuman) Status(r *status.Report) error {
	var b bytes.Buffer
	for _, c := range r.Clusters {
		v.cluster(&b, c)
	}
	for _, s := range r.ServerScans {
		v.scan(&b, s)
	}
	for _, f := range r.StatusFiles {
		v.statusFile(&b, f)
	}
	for _, g := range r.ServerGroups {
		v.serverGroup(&b, g)
	}
	if len(r.Unreachable) > 0 {
		fmt.Fprintf(&b, "%s\n", v.pal.boldRed("Nodes that could not be read:"))
		nodes := make([]addrs.Address, 0, len(r.Unreachable))
		for a := range r.Unreachable {
			nodes = append(nodes, a)
		}
		sort.Slice(nodes, func(i, j int) bool { return nodes[i].String() < nodes[j].String() })
		for _, a := range nodes {
			fmt.Fprintf(&b, "  %s: %s\n", a, r.Unreachable[a])
		}
	}
	if _, err := v.w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("writing the status: %w", err)
	}
	return nil
}

func (v *statusHuman) cluster(b *bytes.Buffer, c status.Cluster) {
	head := c.Cluster.String()
	if c.ViewFrom != "" {
		head += fmt.Sprintf(" (groups as %s sees them)", c.ViewFrom)
	}
	fmt.Fprintf(b, "%s\n", v.pal.bold(head))
	for _, n := range c.Nodes {
		text := n.State
		switch {
		case n.Err != "":
			text = v.pal.red("cannot be read: " + n.Err)
		case n.State == "suspended":
			text = v.pal.yellow("suspended")
		case n.State != "running":
			text = v.pal.red(n.State)
		}
		if n.Status != "" && n.Err == "" {
			text = n.Status + ", " + text
		}
		fmt.Fprintf(b, "  server  %-20s %s\n", n.Name, text)
	}
	for _, g := range c.Groups {
		name := g.Name
		if !g.Group.IsZero() {
			name = g.Group.String()
		}
		text := g.Status
		if g.Current != "" {
			text += " on " + g.Current
		}
		if g.Status != "Online" {
			text = v.pal.red(text)
		}
		fmt.Fprintf(b, "  group   %-20s %s\n", name, text)
	}
	for _, m := range c.Monitors {
		fmt.Fprintf(b, "  monitor %-20s %s\n", m.Name, v.pal.red(m.Status+" on "+m.Node))
	}
	b.WriteByte('\n')
}

func (v *statusHuman) scan(b *bytes.Buffer, s status.ServerScan) {
	fmt.Fprintf(b, "%s\n", v.pal.bold(fmt.Sprintf("%s on %s", s.ServerScan, s.Node)))
	if s.Err != "" {
		fmt.Fprintf(b, "  %s\n", v.pal.red("vkhoststat: "+s.Err))
	}
	for _, sv := range s.Servers {
		st := sv.Status
		switch st {
		case "":
			st = v.pal.red("not listed by vkhoststat")
		case "INACT":
			st = v.pal.red(st)
		}
		fmt.Fprintf(b, "  %-8s %-20s %s\n", sv.Role, sv.Name, st)
	}
	for _, p := range s.Problems {
		fmt.Fprintf(b, "  %s\n", v.pal.yellow(p))
	}
	b.WriteByte('\n')
}

func (v *statusHuman) statusFile(b *bytes.Buffer, f status.StatusFile) {
	fmt.Fprintf(b, "%s\n", v.pal.bold(fmt.Sprintf("%s on %s", f.StatusFile, f.Node)))
	if f.Err != "" {
		fmt.Fprintf(b, "  %s\n", v.pal.red(f.Err))
	}
	if f.Seen != nil {
		if f.Seen.Defined {
			fmt.Fprintf(b, "  definition %d bytes, sha256 %s\n", f.Seen.DefinitionSize, f.Seen.DefinitionSHA256)
		} else {
			fmt.Fprintf(b, "  definition %s\n", v.pal.yellow("absent"))
		}
		for _, l := range f.Seen.Logicals {
			fmt.Fprintf(b, "  %-8s state unknown  A %s (%s)  B %s (%s)\n", l.Name, l.A, sizeText(l.ASize), l.B, sizeText(l.BSize))
		}
	}
	b.WriteByte('\n')
}

func (v *statusHuman) serverGroup(b *bytes.Buffer, g status.ServerGroup) {
	fmt.Fprintf(b, "%s\n", v.pal.bold(fmt.Sprintf("%s (management %s)", g.ServerGroup, g.Management)))
	if g.Err != "" {
		fmt.Fprintf(b, "  %s\n", v.pal.red(g.Err))
	}
	for _, m := range g.Members {
		var notes []string
		if m.Disabled {
			notes = append(notes, v.pal.yellow("disabled"))
		}
		switch {
		case m.Sync == "":
		case m.InSync:
			notes = append(notes, m.Sync)
		default:
			sync := m.Sync
			if m.SyncDetail != "" {
				sync += " (" + m.SyncDetail + ")"
			}
			notes = append(notes, v.pal.red(sync))
		}
		switch m.Balancer {
		case "":
		case "in":
			notes = append(notes, "in the balancer")
		case "out":
			notes = append(notes, v.pal.yellow("out of the balancer"))
		default:
			notes = append(notes, v.pal.red("balancer "+m.Balancer))
		}
		if !m.Reachable {
			notes = append(notes, v.pal.red("unreachable"))
		}
		fmt.Fprintf(b, "  member  %-20s %s\n", m.Name, strings.Join(notes, ", "))
	}
	b.WriteByte('\n')
}

// sizeText is a status file's size as seen, or why there is none.
func sizeText(n int64) string {
	switch {
	case n == -1:
		return "missing"
	case n < 0:
		return "not a file"
	}
	return fmt.Sprintf("%d bytes", n)
}
