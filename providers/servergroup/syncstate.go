package servergroup

import (
	"fmt"
	"strings"

	"github.com/clusterctl/cluster/transport"
)

// syncState is a server's state in WSMGR's sync monitor (同期モニタ), as the site's
// sync_check_command reports it by exit status. The manual's sync monitor (WSMGR for Web V7.2
// 使用手引書, 13.2 同期モニタ) describes these server statuses: sync not yet done (a manual
// sync is needed), sync finished (同期完了), syncing or auto-updating, disabled (無効, out of
// the sync), server-group settings being updated, a warning, and an error (a manual sync is
// needed). The exit statuses group them; the mapping is this tool's contract with the site's
// command, not WSMGR's (docs/servergroup.md).
type syncState int

const (
	syncDone     syncState = iota // exit 0: 同期完了
	syncBusy                      // exit 1: syncing, auto-updating or settings being updated: wait
	syncError                     // exit 2: error, or never synced: needs a manual sync (seed 004)
	syncDisabled                  // exit 3: 無効, or not in the server group
	syncUnknown                   // any other exit: the command itself failed
)

func (s syncState) String() string {
	switch s {
	case syncDone:
		return "sync finished"
	case syncBusy:
		return "syncing"
	case syncError:
		return "sync error or never synced"
	case syncDisabled:
		return "disabled or not in the server group"
	}
	return "unknown"
}

// memberSync is what sync_check_command said of one server.
type memberSync struct {
	state  syncState
	detail string // the command's first line of output (an error code, say), or its error output
}

// parseSyncState reads the result of sync_check_command.
func parseSyncState(r transport.Result) memberSync {
	s := memberSync{state: syncUnknown}
	if r.ExitCode >= 0 && r.ExitCode <= 3 {
		s.state = syncState(r.ExitCode)
	}
	s.detail = outputLine(r.Stdout)
	if e := outputLine(r.Stderr); e != "" && (s.detail == "" || s.state == syncUnknown) {
		s.detail = e
	}
	return s
}

// outputLine is the first non-blank line of out, or "".
func outputLine(out []byte) string {
	for _, l := range strings.Split(string(out), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			if len(l) > 300 {
				l = l[:300] + "..."
			}
			return l
		}
	}
	return ""
}

// describe is the state with the command's own words, for diagnostics.
func (s memberSync) describe() string {
	if s.detail == "" {
		return s.state.String()
	}
	return fmt.Sprintf("%s (%s)", s.state, s.detail)
}

// balancerState is what in_balancer_command said: exit 0 in the balancer, 1 out of it.
type balancerState int

const (
	balancerIn balancerState = iota
	balancerOut
	balancerUnknown
)

func parseBalancer(r transport.Result) balancerState {
	switch r.ExitCode {
	case 0:
		return balancerIn
	case 1:
		return balancerOut
	}
	return balancerUnknown
}
