package simulate

import (
	"fmt"
	"slices"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/providers/statusfile"
)

// statusFileEvent carries out an event naming status service f on s: an I/O error in side of
// its current logical file, or the recovery of its blocked logical files.
func statusFileEvent(f *config.StatusFile, s *state, action Action, side string) []Change {
	switch {
	case action == Fail && statusFileState(s, f).NodeDown:
		return []Change{{Service: f.Addr, Kind: ChangeDown,
			Summary: "its object server's node is down: nothing writes to the files, so an I/O error swaps nothing"}}
	case action == Fail:
		var ch Change
		s.logicals[f.Addr], ch = ioError(f, s.logicals[f.Addr], side)
		return []Change{ch}
	}
	var chs []Change
	s.logicals[f.Addr], chs = unblock(f, s.logicals[f.Addr])
	return chs
}

// ioError is what the object server does on an I/O error in side ("A" or "B") of the current
// logical file (seed 003, figure 5-3): it copies the healthy side into the spare logical file's
// A file, then its B file, makes that one current and blocks the failed one (「障害が発生して
// スワップしたステータスファイルは,閉塞の状態になります」). With no spare the failed file is blocked
// all the same and no current file is left.
func ioError(f *config.StatusFile, logicals []statusfile.LogicalState, side string) ([]statusfile.LogicalState, Change) {
	out := slices.Clone(logicals)
	ch := Change{Service: f.Addr}
	cur := slices.IndexFunc(out, func(l statusfile.LogicalState) bool { return l.State == statusfile.Current })
	if cur < 0 {
		ch.Kind, ch.Summary = ChangeDown, "has no current logical file: an I/O error changes nothing, the status information is already lost"
		return out, ch
	}
	failed, healthy := out[cur].A, out[cur].B
	healthySide := "B"
	if side == "B" {
		failed, healthy, healthySide = out[cur].B, out[cur].A, "A"
	}
	ch.From = logicalName(out[cur])
	ch.Details = append(ch.Details, fmt.Sprintf("I/O error on the %s file %s of the current logical file %s", side, failed, out[cur].Name))
	out[cur].State = statusfile.Blocked
	spare := slices.IndexFunc(out, func(l statusfile.LogicalState) bool { return l.State == statusfile.Spare })
	if spare < 0 {
		ch.Kind = ChangeDown
		ch.Summary = fmt.Sprintf("I/O error in the current logical file %s and no spare: %s is blocked and no current file is left", out[cur].Name, out[cur].Name)
		ch.Details = append(ch.Details, fmt.Sprintf("%s becomes blocked; no spare to swap to: no current logical file is left", out[cur].Name))
		return out, ch
	}
	to := out[spare]
	ch.Kind, ch.To = ChangeSwap, logicalName(to)
	ch.Summary = fmt.Sprintf("swaps from %s to the spare %s; %s is blocked", out[cur].Name, to.Name, out[cur].Name)
	ch.Details = append(ch.Details,
		fmt.Sprintf("copy the healthy %s file %s into the spare A file %s", healthySide, healthy, to.A),
		fmt.Sprintf("then into the spare B file %s", to.B),
		fmt.Sprintf("%s becomes current, %s blocked", to.Name, out[cur].Name),
	)
	out[spare].State = statusfile.Current
	return out, ch
}

// unblock is the way back for blocked logical files (seed 003: 「閉塞したステータスファイルは,次の
// 手順で予備の状態にできます」): re-initialise, then open; they become spare. Opening never makes a
// file current (「予約のステータスファイルをxodstsopnコマンドでオープンすると,予備になります」): when no
// current file is left, only a server start or a swap makes one current, so the service stays
// unavailable.
func unblock(f *config.StatusFile, logicals []statusfile.LogicalState) ([]statusfile.LogicalState, []Change) {
	out := slices.Clone(logicals)
	hasCurrent := slices.ContainsFunc(out, func(l statusfile.LogicalState) bool { return l.State == statusfile.Current })
	var chs []Change
	for i := range out {
		if out[i].State != statusfile.Blocked {
			continue
		}
		out[i].State = statusfile.Spare
		ch := Change{Service: f.Addr, Kind: ChangeBlocked, From: logicalName(out[i]),
			Summary: fmt.Sprintf("blocked logical file %s is re-initialised and opened: spare", out[i].Name),
			Details: []string{fmt.Sprintf("xodstsinit the A and B files of %s, then xodstsopn", out[i].Name)}}
		if !hasCurrent {
			ch.Summary += "; there is still no current file: only a server start or a swap makes one current"
		}
		chs = append(chs, ch)
	}
	return out, chs
}

func logicalName(l statusfile.LogicalState) string {
	return fmt.Sprintf("%s (%s, %s)", l.Name, l.A, l.B)
}

// statusFileState is a status service's row of a snapshot: available while its node is up and
// it has a current logical file.
func statusFileState(s *state, f *config.StatusFile) StatusFileState {
	st := StatusFileState{StatusFile: f.Addr, Logicals: slices.Clone(s.logicals[f.Addr]),
		NodeDown: f.Node != nil && s.down[f.Node.Addr]}
	st.Current = slices.IndexFunc(st.Logicals, func(l statusfile.LogicalState) bool { return l.State == statusfile.Current })
	st.Available = !st.NodeDown && st.Current >= 0
	return st
}

// statusFileNodeChanges reports a status service whose object server went down or came back.
func statusFileNodeChanges(before, after StatusFileState) []Change {
	switch {
	case !before.NodeDown && after.NodeDown:
		return []Change{{Service: after.StatusFile, Kind: ChangeDown,
			Summary: "its object server's node is down: the status files are unavailable until it returns"}}
	case before.NodeDown && !after.NodeDown:
		ch := Change{Service: after.StatusFile, Kind: ChangeRecover,
			Summary: "its object server's node is back: the object server restarts from the previous current file (「再開始すると,前回の現用ファイルが引き継がれます」)"}
		if after.Current < 0 {
			ch.Kind, ch.Summary = ChangeDown, "its object server's node is back, but no logical file is current"
		}
		return []Change{ch}
	}
	return nil
}
