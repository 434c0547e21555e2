package clusterpro

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// keepBackups is how many previous configuration directories each node keeps.
const keepBackups = 10

// Apply carries out the plan's decision: back up, stage, run the vendor sequence on the master
// node, then read every node again. The report says, node by node, what changed.
func (u *unit) Apply(ctx context.Context, up planner.UnitPlan, conns map[addrs.Address]transport.Node, p planner.Progress) planner.ApplyReport {
	st, ok := up.State.(*unitState)
	if !ok || st == nil {
		return planner.ApplyReport{}
	}
	err := u.run(ctx, st, conns, p)
	if err != nil && ctx.Err() == nil && st.seq != seqCreate {
		// Whatever step failed, a node the sequence left suspended is resumed, so the cluster
		// keeps running (its previous configuration when the push did not happen).
		u.resumeSuspended(ctx, conns, p)
	}
	rep := u.verify(ctx, st, conns, p)
	if err != nil {
		rep.Err = err
	} else if len(rep.Failed) > 0 {
		rep.Err = fmt.Errorf("after apply, %s do not hold the new configuration", strings.Join(rep.Failed, ", "))
	}
	return rep
}

// stepError marks a failed vendor step, so Apply knows how far the sequence got.
type stepError struct {
	step string
	err  error
}

func (e *stepError) Error() string { return e.step + ": " + e.err.Error() }
func (e *stepError) Unwrap() error { return e.err }

// resumeSuspended reads the run state of every connected node and resumes each one that is
// suspended. It is the recovery after a failed or interrupted sequence: a failed suspend may
// leave some nodes suspended and others running, which the vendor then refuses to change.
func (u *unit) resumeSuspended(ctx context.Context, conns map[addrs.Address]transport.Node, p planner.Progress) {
	stat := transport.Cmd("sh", "-c", `[ -x "$1" ] || exit 127
exec "$1"`, "sh", u.l.bin("clpstat"))
	for _, n := range u.c.Nodes {
		node, ok := conns[n.Addr]
		if !ok {
			continue
		}
		res, err := node.Run(ctx, stat)
		if err != nil || parseStat(res) != stateSuspended {
			continue
		}
		// Best effort: a resume that fails is reported by its progress line and by the
		// plan that follows, which shows the node still suspended.
		_ = u.do(ctx, node, n.Addr, step{"resume the cluster on this node after the failure", n.Addr, transport.Cmd(u.l.bin("clpcl"), "--resume")}, p)
	}
}

func (u *unit) run(ctx context.Context, st *unitState, conns map[addrs.Address]transport.Node, p planner.Progress) error {
	master := conns[st.master]
	if master == nil {
		return fmt.Errorf("%s is not connected", st.master)
	}
	if st.seq != seqResume { // a resume changes no file
		stamp := time.Now().UTC().Format("20060102T150405Z")
		for _, n := range st.backup {
			if err := u.backup(ctx, conns[n], n, stamp, p); err != nil {
				return &stepError{"back up", err}
			}
		}
		if err := u.stage(ctx, master, st, p); err != nil {
			return &stepError{"stage", err}
		}
	}
	for _, s := range st.steps {
		node := conns[s.node]
		if node == nil {
			return &stepError{s.name, fmt.Errorf("%s is not connected", s.node)}
		}
		if err := u.do(ctx, node, s.node, s, p); err != nil {
			return &stepError{s.name, err}
		}
	}
	return nil
}

// backup copies the installed configuration aside and prunes old copies.
func (u *unit) backup(ctx context.Context, node transport.Node, n addrs.Address, stamp string, p planner.Progress) error {
	const script = `set -e
[ -f "$1/etc/clp.conf" ] || exit 0
b="$2/$3"
mkdir -p "$b/etc"
cp -p "$1/etc/clp.conf" "$b/etc/clp.conf"
if [ -d "$1/scripts" ]; then cp -Rp "$1/scripts" "$b/scripts"; fi
ls -1 "$2" | sort -r | tail -n +$(($4 + 1)) | while IFS= read -r old; do rm -rf "$2/$old"; done`
	return u.do(ctx, node, n, step{"back up the installed configuration", n,
		transport.Cmd("sh", "-c", script, "sh", u.l.install, u.l.backups(), stamp, fmt.Sprint(keepBackups))}, p)
}

// stage writes the configuration directory on the master node. It is unpacked beside its final
// place and renamed in, so the directory clpcfctrl reads is always whole.
func (u *unit) stage(ctx context.Context, node transport.Node, st *unitState, p planner.Progress) error {
	data, err := tarDir(st.files, u.l.windows)
	if err != nil {
		return err
	}
	const script = `set -e
d="$1"
rm -rf "$d.tmp"
mkdir -p "$d.tmp"
tar -xf - -C "$d.tmp"
rm -rf "$d"
mv "$d.tmp" "$d"`
	return u.do(ctx, node, st.master, step{"write the configuration directory", st.master,
		transport.Cmd("sh", "-c", script, "sh", u.l.staged()).WithStdin(data)}, p)
}

// do runs one step on a node and reports it; a non-zero exit is an error quoting the output.
func (u *unit) do(ctx context.Context, node transport.Node, n addrs.Address, s step, p planner.Progress) error {
	if p != nil {
		p.Step(n.String(), s.name)
	}
	res, err := node.Run(ctx, s.cmd)
	if err == nil && !res.OK() {
		out := strings.TrimSpace(string(res.Stderr) + "\n" + string(res.Stdout))
		err = fmt.Errorf("%s exited with status %d: %s", s.cmd.Display(), res.ExitCode, out)
	}
	if p != nil {
		p.Done(n.String(), s.name, err)
	}
	return err
}

// verify reads every node again and sorts them by outcome.
func (u *unit) verify(ctx context.Context, st *unitState, conns map[addrs.Address]transport.Node, p planner.Progress) planner.ApplyReport {
	var rep planner.ApplyReport
	if p != nil {
		p.Step(u.c.Addr.String(), "verify every node")
	}
	for _, n := range u.c.Nodes {
		node, ok := conns[n.Addr]
		if !ok {
			rep.Failed = append(rep.Failed, n.Addr.String())
			continue
		}
		res, err := node.Batch(ctx, u.ObserveCommands(n.Addr))
		var now *nodeState
		if err == nil {
			now, err = decodeNode(u.c.Name, res)
		}
		switch {
		case err != nil || now.fp != st.desired:
			rep.Failed = append(rep.Failed, n.Addr.String())
		case st.before[n.Addr]:
			rep.Unchanged = append(rep.Unchanged, n.Addr.String())
		default:
			rep.Changed = append(rep.Changed, n.Addr.String())
		}
	}
	if p != nil {
		var err error
		if len(rep.Failed) > 0 {
			err = fmt.Errorf("%d node(s) do not hold the new configuration", len(rep.Failed))
		}
		p.Done(u.c.Addr.String(), "verify every node", err)
	}
	return rep
}

// tarDir packs the configuration directory; scripts are executable.
func tarDir(files map[string][]byte, windows bool) ([]byte, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	dirs := map[string]bool{}
	for _, n := range names {
		for d := parentDir(n); d != "" && !dirs[d]; d = parentDir(d) {
			dirs[d] = true
		}
	}
	dirNames := make([]string, 0, len(dirs))
	for d := range dirs {
		dirNames = append(dirNames, d)
	}
	sort.Strings(dirNames)
	for _, d := range dirNames {
		if err := tw.WriteHeader(&tar.Header{Name: d + "/", Typeflag: tar.TypeDir, Mode: 0o755}); err != nil {
			return nil, err
		}
	}
	for _, n := range names {
		mode := int64(0o644)
		if strings.HasPrefix(n, "scripts/") && !windows {
			mode = 0o755
		}
		if err := tw.WriteHeader(&tar.Header{Name: n, Typeflag: tar.TypeReg, Mode: mode, Size: int64(len(files[n]))}); err != nil {
			return nil, err
		}
		if _, err := tw.Write(files[n]); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func parentDir(p string) string {
	if i := strings.LastIndexByte(p, '/'); i > 0 {
		return p[:i]
	}
	return ""
}
