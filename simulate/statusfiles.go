package simulate

import (
	"fmt"
	"slices"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/providers/statusfile"
)

// statusFileEvent carries out an event naming status file f on s: an I/O error in side of
// its current pair, or the recovery of its blocked pairs.
func statusFileEvent(f *config.StatusFile, s *state, action Action, side string) []Change {
	switch {
	case action == Fail && statusFileState(s, f).NodeDown:
		return []Change{{Service: f.Addr, Kind: ChangeDown,
			Summary: "its object server's node is down: nothing writes to the file, so an I/O error swaps nothing"}}
	case action == Fail:
		var ch Change
		s.pairs[f.Addr], ch = ioError(f, s.pairs[f.Addr], side)
		return []Change{ch}
	}
	var chs []Change
	s.pairs[f.Addr], chs = unblock(f, s.pairs[f.Addr])
	return chs
}

// ioError is what the object server does on an I/O error in side ("A" or "B") of a logical
// file's current pair (seed 003, figure 5-3): it copies the healthy side into the first spare
// pair's A file, then its B file, makes that pair current and blocks the failed pair. With no
// spare the failed pair is blocked all the same and the logical file is left without a current
// pair: it is lost.
func ioError(f *config.StatusFile, pairs []statusfile.PairState, side string) ([]statusfile.PairState, Change) {
	out := slices.Clone(pairs)
	ch := Change{Service: f.Addr}
	cur := slices.IndexFunc(out, func(p statusfile.PairState) bool { return p.State == statusfile.Current })
	if cur < 0 {
		ch.Kind, ch.Summary = ChangeDown, "has no current pair: an I/O error changes nothing, the logical file is already lost"
		return out, ch
	}
	failed, healthy := out[cur].A, out[cur].B
	healthySide := "B"
	if side == "B" {
		failed, healthy, healthySide = out[cur].B, out[cur].A, "A"
	}
	ch.From = pairName(cur, out[cur])
	ch.Details = append(ch.Details, fmt.Sprintf("I/O error on the %s file %s of the current pair %d", side, failed, cur+1))
	out[cur].State = statusfile.Blocked
	spare := slices.IndexFunc(out, func(p statusfile.PairState) bool { return p.State == statusfile.Spare })
	if spare < 0 {
		ch.Kind = ChangeDown
		ch.Summary = fmt.Sprintf("I/O error in the current pair %d and no spare pair: pair %d is blocked and the logical file is lost", cur+1, cur+1)
		ch.Details = append(ch.Details, fmt.Sprintf("pair %d becomes blocked; no spare to swap to: no current pair is left", cur+1))
		return out, ch
	}
	to := out[spare]
	ch.Kind, ch.To = ChangeSwap, pairName(spare, to)
	ch.Summary = fmt.Sprintf("swaps from pair %d to spare pair %d; pair %d is blocked", cur+1, spare+1, cur+1)
	ch.Details = append(ch.Details,
		fmt.Sprintf("copy the healthy %s file %s into the spare A file %s", healthySide, healthy, to.A),
		fmt.Sprintf("then into the spare B file %s", to.B),
		fmt.Sprintf("pair %d becomes current, pair %d blocked", spare+1, cur+1),
	)
	out[spare].State = statusfile.Current
	return out, ch
}

// unblock is the documented way back for blocked pairs (seed 003): re-initialise them
// (xodstsinit), then open them (xodstsopn): they become spare, or current when the logical
// file has no current pair (its system status information is then lost and the object server
// needs a full recovery).
func unblock(f *config.StatusFile, pairs []statusfile.PairState) ([]statusfile.PairState, []Change) {
	out := slices.Clone(pairs)
	hasCurrent := slices.ContainsFunc(out, func(p statusfile.PairState) bool { return p.State == statusfile.Current })
	var chs []Change
	for i := range out {
		if out[i].State != statusfile.Blocked {
			continue
		}
		ch := Change{Service: f.Addr, Kind: ChangeBlocked, From: pairName(i, out[i]),
			Details: []string{fmt.Sprintf("xodstsinit pair %d (A, then B), then xodstsopn", i+1)}}
		if hasCurrent {
			out[i].State = statusfile.Spare
			ch.Summary = fmt.Sprintf("blocked pair %d is re-initialised and opened: spare", i+1)
		} else {
			out[i].State = statusfile.Current
			hasCurrent = true
			ch.Kind = ChangeRecover
			ch.Summary = fmt.Sprintf("blocked pair %d is re-initialised and opened: current (its previous status information is lost)", i+1)
		}
		chs = append(chs, ch)
	}
	return out, chs
}

func pairName(i int, p statusfile.PairState) string {
	return fmt.Sprintf("pair %d (%s, %s)", i+1, p.A, p.B)
}

// statusFileState is a status file's row of a snapshot: available while its node is up and
// it has a current pair.
func statusFileState(s *state, f *config.StatusFile) StatusFileState {
	st := StatusFileState{StatusFile: f.Addr, Pairs: slices.Clone(s.pairs[f.Addr]),
		NodeDown: f.Node != nil && s.down[f.Node.Addr]}
	st.Current = slices.IndexFunc(st.Pairs, func(p statusfile.PairState) bool { return p.State == statusfile.Current })
	st.Available = !st.NodeDown && st.Current >= 0
	return st
}

// statusFileNodeChanges reports a status file whose object server went down or came back.
func statusFileNodeChanges(before, after StatusFileState) []Change {
	switch {
	case !before.NodeDown && after.NodeDown:
		return []Change{{Service: after.StatusFile, Kind: ChangeDown,
			Summary: "its object server's node is down: the logical file is unavailable until it returns"}}
	case before.NodeDown && !after.NodeDown:
		ch := Change{Service: after.StatusFile, Kind: ChangeRecover,
			Summary: "its object server's node is back: the object server restarts from the previous current pair"}
		if after.Current < 0 {
			ch.Kind, ch.Summary = ChangeDown, "its object server's node is back, but the logical file has no current pair"
		}
		return []Change{ch}
	}
	return nil
}
