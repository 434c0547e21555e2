package emulate

import (
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/clusterctl/cluster/lab/labdir"
)

// LAB-ONLY stand-ins for a site's own commands around a WSMGR for Web server group
// (docs/servergroup.md, "The lab"). They emulate no product: WSMGR for Web documents no
// command line for its sync or its sync monitor, so a site writes such commands against its
// admin tool, and the tool runs whatever the site declares (sync_command, sync_check_command,
// detach_command, attach_command, in_balancer_command). A Windows lab node offers these as
// .exe programs in SiteToolsDir so that examples/wsmgr-server-group runs on cmd nodes, where a
// site command must be an .exe; POSIX lab nodes get shell-script stand-ins from the e2e tests
// and scripts/tour.sh instead. Nothing in the tool's path depends on them.
//
//	wsmgr-sync.exe MEMBER        copies this node's WSMGR settings to MEMBER, as WSMGR's own sync
//	                             would (the tool never copies them); a failure (MEMBER down or
//	                             its disk full) is recorded as the line "E1203 distribution to
//	                             MEMBER failed": the lab's own text, no WSMGR error code (no
//	                             public source lists them; docs/servergroup.md). It
//	                             reaches MEMBER as the vendor emulations reach a peer (peers.go):
//	                             through its root, or over the peer link from a chrooted node
//	wsmgr-sync-state.exe MEMBER  exit 0 synced (同期完了), 2 error (the recorded line),
//	                             3 disabled (無効: a file wsmgr-state\MEMBER.disabled)
//	lbctl.exe detach|attach|status MEMBER
//	                             a balancer that logs its calls and remembers who is out
//
// Their state lives beside the node's drives in its root (wsmgr-state/, sync.log, lb-out/,
// lb.log): no Windows path reaches it.

// SiteToolsDir is where a Windows lab node keeps the stand-ins (a lab path, named as such).
const SiteToolsDir = `C:\LabSiteTools`

// siteStandIns are the stand-ins by program name.
var siteStandIns = map[string]func(root string, args []string, stdout, stderr io.Writer) int{
	"wsmgr-sync.exe": runWsmgrSync, "wsmgr-sync-state.exe": runWsmgrSyncState, "lbctl.exe": runLbctl,
}

// SiteStandIns are the stand-ins' program names, sorted.
var SiteStandIns = slices.Sorted(maps.Keys(siteStandIns))

// wsmgrSettings is the settings directory the stand-ins sync: the example's settings_dir
// (C:\Program Files\WSMGR\config) as a node path.
const wsmgrSettings = "/c/Program Files/WSMGR/config"

func siteStandIn(run func(root string, args []string, stdout, stderr io.Writer) int) Main {
	return func(_ string, args []string, _ io.Reader, stdout, stderr io.Writer) int {
		root := os.Getenv(RootEnv)
		if root == "" {
			fmt.Fprintln(stderr, "lab site stand-in: only a lab node runs it")
			return 64
		}
		return run(root, args, stdout, stderr)
	}
}

func runWsmgrSync(root string, args []string, _, stderr io.Writer) int {
	if len(args) != 1 || !memberName(args[0]) {
		fmt.Fprintln(stderr, "usage: wsmgr-sync.exe MEMBER")
		return 64
	}
	member := args[0]
	appendLine(filepath.Join(root, "sync.log"), member)
	self, servers, link, err := nodePeers(root)
	if err != nil {
		fmt.Fprintf(stderr, "wsmgr-sync: %v\n", err)
		return 1
	}
	defer link.Close()
	st, err := servers.status(member)
	if err != nil {
		fmt.Fprintf(stderr, "wsmgr-sync: %v\n", err)
		return 1
	}
	if !st.Known || member == self {
		fmt.Fprintf(stderr, "wsmgr-sync: %s is no member\n", member)
		return 1
	}
	state := filepath.Join(root, "wsmgr-state", member)
	// A member that cannot be reached receives nothing (clpcfctrl --push refuses it too).
	if st.Down || syncSettings(root, member, servers) != nil {
		os.MkdirAll(filepath.Dir(state), 0o755)
		os.WriteFile(state, []byte(fmt.Sprintf("E1203 distribution to %s failed\n", member)), 0o644)
		return 0 // the sync was requested; the sync monitor shows how it went
	}
	os.Remove(state)
	return 0
}

// syncSettings sends the settings directory of the node at root to member, which replaces its
// own with them: read here, delivered through the peers as every emulation reaches a server
// (directly through its root, or over the peer link from a chrooted node).
func syncSettings(root, member string, servers peers) error {
	files, err := readTree(hostIn(root, wsmgrSettings))
	if err != nil {
		return err
	}
	return servers.installSettings(member, files)
}

// installSettings replaces the settings directory of the node at root with files, unless its
// disk is full.
func installSettings(root string, files []treeFile) error {
	if labdir.HasFault(root, labdir.DiskFull, "") {
		return fmt.Errorf("install settings on %s: %w", root, errDiskFull)
	}
	return replaceTree(hostIn(root, wsmgrSettings), files)
}

func runWsmgrSyncState(root string, args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 || !memberName(args[0]) {
		fmt.Fprintln(stderr, "usage: wsmgr-sync-state.exe MEMBER")
		return 64
	}
	s := filepath.Join(root, "wsmgr-state", args[0])
	if _, err := os.Stat(s + ".disabled"); err == nil {
		fmt.Fprintln(stdout, "無効")
		return 3
	}
	if b, err := os.ReadFile(s); err == nil {
		stdout.Write(b)
		return 2
	}
	fmt.Fprintln(stdout, "同期完了")
	return 0
}

func runLbctl(root string, args []string, _, stderr io.Writer) int {
	if len(args) != 2 || !memberName(args[1]) {
		fmt.Fprintln(stderr, "usage: lbctl.exe detach|attach|status MEMBER")
		return 64
	}
	out := filepath.Join(root, "lb-out", args[1])
	switch args[0] {
	case "detach":
		appendLine(filepath.Join(root, "lb.log"), strings.Join(args, " "))
		os.MkdirAll(filepath.Dir(out), 0o755)
		os.WriteFile(out, nil, 0o644)
	case "attach":
		appendLine(filepath.Join(root, "lb.log"), strings.Join(args, " "))
		os.Remove(out)
	case "status":
		if _, err := os.Stat(out); err == nil {
			return 1
		}
	default:
		fmt.Fprintln(stderr, "usage: lbctl.exe detach|attach|status MEMBER")
		return 64
	}
	return 0
}

// memberName accepts a name that stays one file name in the stand-ins' state directories.
func memberName(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.ContainsAny(s, `/\`)
}

func appendLine(file, line string) {
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintln(f, line)
}
