package nodetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/transport"
)

// opTests are the subtests of every op (transport.Do), run by RunConformance.
var opTests = []struct {
	name string
	run  func(t *testing.T, n transport.Node, base transport.NodePath)
}{
	{"OpsWriteReadStat", testOpsWriteReadStat},
	{"OpsReadTree", testOpsReadTree},
	{"OpsReadTreeLimit", testOpsReadTreeLimit},
	{"OpsReadTreeLinks", testOpsReadTreeLinksPosix},
	{"OpsCopyRemoveMakeDir", testOpsCopyRemoveMakeDir},
	{"OpsCreateExclusiveRace", testOpsCreateExclusiveRace},
	{"OpsInOrderStopsAtFailure", testOpsInOrder},
	{"OpsCreateExclusiveExistedStopsNothing", testOpsCreateExistedInOrder},
	{"OpsOneSession", testOpsOneSession},
	{"OpsWriteCutKeepsOldFile", testOpsWriteCut},
	{"OpsListDir", testOpsListDir},
	{"OpsRename", testOpsRename},
	{"OpsFreeSpace", testOpsFreeSpace},
	{"OpsRemoveIfSame", testOpsRemoveIfSame},
	{"OpsCreateAndRemoveAnyData", testOpsCreateAndRemoveAnyData},
	{"OpsStdinAfterEarlyExit", testOpsStdinAfterEarlyExit},
	{"OpsWriteTree", testOpsWriteTree},
	{"OpsWriteTreeCut", testOpsWriteTreeCut},
}

func do(t *testing.T, n transport.Node, ops ...transport.Op) []transport.Outcome {
	t.Helper()
	out, err := transport.Do(ctx(t), n, ops...)
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	if len(out) != len(ops) {
		t.Fatalf("Do returned %d outcomes for %d ops", len(out), len(ops))
	}
	return out
}

func mustOK(t *testing.T, out []transport.Outcome) {
	t.Helper()
	for i, o := range out {
		if err := o.Err(); err != nil {
			t.Fatalf("op %d: %v", i, err)
		}
	}
}

func testOpsWriteReadStat(t *testing.T, n transport.Node, base transport.NodePath) {
	data := allBytes()
	f, odd, dir := base.Join("d", "f.conf"), base.Join(`it's "odd" $(id)`), base.Join("d")
	mustOK(t, do(t, n,
		transport.WriteFile{Path: f, Data: data, Mode: 0o640},
		transport.WriteFile{Path: odd, Data: nil, Mode: 0o600},
	))
	out := do(t, n,
		transport.ReadFiles{Paths: []transport.NodePath{f, base.Join("missing"), odd}},
		transport.Stat{Paths: []transport.NodePath{f, dir, base.Join("missing")}},
		transport.ReadFiles{Paths: []transport.NodePath{dir}},
		transport.Stat{Paths: []transport.NodePath{base.Join("missing"), f, odd, dir}, ExistenceOnly: true},
	)
	mustOK(t, out[:2])
	mustOK(t, out[3:])
	var exist []bool
	for _, s := range out[3].Stats {
		exist = append(exist, s.Exists)
	}
	if diff := cmp.Diff([]bool{false, true, true, true}, exist); diff != "" {
		t.Errorf("Stat, existence only, of missing, file, odd name, directory (-want +got):\n%s", diff)
	}
	wantFiles := []transport.File{
		{Path: f, Exists: true, Data: data, Mode: 0o640},
		{Path: base.Join("missing")},
		{Path: odd, Exists: true, Data: []byte{}, Mode: 0o600},
	}
	if diff := cmp.Diff(wantFiles, out[0].Files, cmp.Comparer(bytes.Equal)); diff != "" {
		t.Errorf("ReadFiles (-want +got):\n%s", diff)
	}
	stats := out[1].Stats
	if len(stats) != 3 {
		t.Fatalf("Stat returned %d infos for 3 paths", len(stats))
	}
	if s := stats[0]; !s.Exists || s.Dir || s.Size != int64(len(data)) || s.Mode != 0o640 {
		t.Errorf("Stat(file) = %+v; want a 0640 file of %d bytes", s, len(data))
	}
	if s := stats[1]; !s.Exists || !s.Dir {
		t.Errorf("Stat(dir) = %+v; want a directory", s)
	}
	if s := stats[2]; s.Exists || s.Path != base.Join("missing") {
		t.Errorf("Stat(missing) = %+v; want it missing", s)
	}
	if out[2].OK() {
		t.Errorf("ReadFiles of a directory succeeded: %+v; want a failure", out[2].Files)
	}
	// A write onto a directory fails as Node.WriteFile does, and names the cause.
	w := do(t, n, transport.WriteFile{Path: dir, Data: []byte("x"), Mode: 0o644})
	if err := w[0].Err(); !errors.Is(err, transport.ErrIsDirectory) {
		t.Errorf("WriteFile onto a directory: %v; want ErrIsDirectory", err)
	}
}

func testOpsReadTree(t *testing.T, n transport.Node, base transport.NodePath) {
	files := map[string][]byte{
		"etc/clp.conf":           []byte("<root/>"),
		"scripts/failover/a.sh":  allBytes(),
		"scripts/monitor.s/b.sh": {},
		"other/x":                []byte("not read"),
	}
	var ops []transport.Op
	for rel, data := range files {
		ops = append(ops, transport.WriteFile{Path: base.Join("inst", rel), Data: data, Mode: 0o644})
	}
	mustOK(t, do(t, n, ops...))
	out := do(t, n,
		transport.ReadTree{Dir: base.Join("inst"), Entries: []string{"etc/clp.conf", "scripts", "absent"}},
		transport.ReadTree{Dir: base.Join("inst", "scripts")},
		transport.ReadTree{Dir: base.Join("nothing-here"), Entries: []string{"etc/clp.conf"}},
	)
	mustOK(t, out)
	want := map[string][]byte{"etc/clp.conf": files["etc/clp.conf"], "scripts/failover/a.sh": files["scripts/failover/a.sh"], "scripts/monitor.s/b.sh": {}}
	if diff := cmp.Diff(want, out[0].Tree, cmp.Comparer(bytes.Equal)); diff != "" {
		t.Errorf("ReadTree with entries (-want +got):\n%s", diff)
	}
	wantAll := map[string][]byte{"failover/a.sh": files["scripts/failover/a.sh"], "monitor.s/b.sh": {}}
	if diff := cmp.Diff(wantAll, out[1].Tree, cmp.Comparer(bytes.Equal)); diff != "" {
		t.Errorf("ReadTree of a whole directory (-want +got):\n%s", diff)
	}
	if out[2].Tree != nil {
		t.Errorf("ReadTree of a missing directory = %v; want a nil tree", out[2].Tree)
	}
	mustOK(t, do(t, n, transport.MakeDir{Path: base.Join("empty")}))
	empty := do(t, n, transport.ReadTree{Dir: base.Join("empty")}, transport.ReadTree{Dir: base.Join("inst"), Entries: []string{"absent"}})
	mustOK(t, empty)
	if empty[0].Tree == nil || len(empty[0].Tree) != 0 || empty[1].Tree == nil || len(empty[1].Tree) != 0 {
		t.Errorf("ReadTree of an existing empty directory = %v, of absent entries = %v; want empty, non-nil trees", empty[0].Tree, empty[1].Tree)
	}
}

func testOpsReadTreeLimit(t *testing.T, n transport.Node, base transport.NodePath) {
	big := bytes.Repeat([]byte("x"), 200<<10)
	mustOK(t, do(t, n,
		transport.WriteFile{Path: base.Join("etc", "clp.conf"), Data: big, Mode: 0o644},
		transport.WriteFile{Path: base.Join("etc", "small"), Data: []byte("ok"), Mode: 0o644},
	))
	out := do(t, n,
		transport.ReadTree{Dir: base, Entries: []string{"etc"}, Limits: map[string]int64{"etc/clp.conf": 100 << 10}},
		transport.ReadTree{Dir: base, Entries: []string{"etc"}, Limits: map[string]int64{"etc/clp.conf": 200 << 10}},
	)
	copies := do(t, n,
		transport.WriteFile{Path: base.Join("copies", "2", "etc", "clp.conf"), Data: big, Mode: 0o644},
		transport.WriteFile{Path: base.Join("copies", ".1", "etc", "clp.conf"), Data: []byte("small"), Mode: 0o644},
		transport.ReadTree{Dir: base.Join("copies"), Limits: map[string]int64{"*/etc/clp.conf": 100 << 10}},
		transport.ReadTree{Dir: base.Join("copies"), Limits: map[string]int64{"*/etc/clp.conf": 200 << 10}},
	)
	mustOK(t, copies[:2])
	if c := copies[2]; c.OK() || !strings.Contains(string(c.Stderr), "2/etc/clp.conf is 204800 bytes, more than the maximum size of 102400 bytes") {
		t.Errorf("a copy over the limit of */etc/clp.conf: exit %d, stderr %q; want a refusal naming it", c.ExitCode, c.Stderr)
	}
	if c := copies[3]; c.Err() != nil || len(c.Tree["2/etc/clp.conf"]) != len(big) || string(c.Tree[".1/etc/clp.conf"]) != "small" {
		t.Errorf("copies at the limit: %v, %d files; want both copies whole", c.Err(), len(c.Tree))
	}
	refused := out[0]
	if refused.OK() || !strings.Contains(string(refused.Stderr), "more than the maximum size of 102400 bytes") {
		t.Errorf("over the limit: exit %d, stderr %q; want a refusal naming the limit", refused.ExitCode, refused.Stderr)
	}
	if got := len(refused.Stdout) + len(refused.Stderr); got > 4096 {
		t.Errorf("over the limit: %d bytes came back; want an error line, not the file", got)
	}
	if err := out[1].Err(); err != nil || len(out[1].Tree["etc/clp.conf"]) != len(big) {
		t.Errorf("at the limit: %v, %d bytes; want the whole file", err, len(out[1].Tree["etc/clp.conf"]))
	}
}

func testOpsCopyRemoveMakeDir(t *testing.T, n transport.Node, base transport.NodePath) {
	src, dst := base.Join("src"), base.Join("backup", "1")
	mustOK(t, do(t, n,
		transport.WriteFile{Path: src.Join("etc", "clp.conf"), Data: []byte("conf"), Mode: 0o600},
		transport.WriteFile{Path: src.Join("scripts", "a.sh"), Data: []byte("#!/bin/sh"), Mode: 0o755},
		transport.MakeDir{Path: base.Join("made", "deep")},
		transport.MakeDir{Path: base.Join("made", "deep")}, // again: fine
	))
	out := do(t, n,
		transport.CopyTree{From: src, To: dst},
		transport.CopyTree{From: src, To: dst},                          // To exists: refused
		transport.CopyTree{From: base.Join("none"), To: base.Join("x")}, // From missing: refused
		transport.ReadTree{Dir: dst},
		transport.Stat{Paths: []transport.NodePath{base.Join("made", "deep"), dst.Join("etc", "clp.conf")}},
	)
	if err := out[0].Err(); err != nil {
		t.Fatalf("CopyTree: %v", err)
	}
	if out[1].OK() || out[2].OK() {
		t.Errorf("CopyTree onto an existing target or from a missing source succeeded")
	}
	want := map[string][]byte{"etc/clp.conf": []byte("conf"), "scripts/a.sh": []byte("#!/bin/sh")}
	if diff := cmp.Diff(want, out[3].Tree, cmp.Comparer(bytes.Equal)); diff != "" {
		t.Errorf("the copy (-want +got):\n%s", diff)
	}
	if s := out[4].Stats; !s[0].Dir || s[1].Mode != 0o600 {
		t.Errorf("after MakeDir and CopyTree: %+v; want a directory and the mode kept", s)
	}
	out = do(t, n,
		transport.Remove{Path: dst, Recursive: true},
		transport.Remove{Path: src.Join("etc", "clp.conf")},
		transport.Remove{Path: base.Join("never-was")},
		transport.Stat{Paths: []transport.NodePath{dst, src.Join("etc", "clp.conf"), src.Join("scripts", "a.sh")}},
	)
	mustOK(t, out)
	if s := out[3].Stats; s[0].Exists || s[1].Exists || !s[2].Exists {
		t.Errorf("after Remove: %+v; want the tree and the file gone, the rest kept", s)
	}
}

func testOpsCreateExclusiveRace(t *testing.T, n transport.Node, base transport.NodePath) {
	const racers = 6
	p := base.Join("locks", "lock")
	var wg sync.WaitGroup
	created := make([]bool, racers)
	errs := make([]error, racers)
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := transport.Do(ctx(t), n, transport.CreateExclusive{Path: p, Data: []byte(fmt.Sprintf("holder %d", i))})
			if err == nil {
				err = out[0].Err()
				created[i] = out[0].Created
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	winner := -1
	for i := range racers {
		if errs[i] != nil {
			t.Errorf("racer %d: %v", i, errs[i])
		}
		if created[i] {
			if winner >= 0 {
				t.Errorf("racers %d and %d both created %s", winner, i, p)
			}
			winner = i
		}
	}
	if winner < 0 {
		t.Fatalf("no racer created %s", p)
	}
	got := do(t, n, transport.ReadFiles{Paths: []transport.NodePath{p}})[0].Files[0]
	if string(got.Data) != fmt.Sprintf("holder %d", winner) {
		t.Errorf("%s holds %q; want the winner's whole record %q", p, got.Data, fmt.Sprintf("holder %d", winner))
	}
}

func testOpsInOrder(t *testing.T, n transport.Node, base transport.NodePath) {
	first, never := base.Join("first"), base.Join("never")
	out, err := transport.DoInOrder(ctx(t), n,
		transport.WriteFile{Path: first, Data: []byte("1"), Mode: 0o644},
		transport.CopyTree{From: base.Join("missing"), To: base.Join("copy")}, // fails
		transport.WriteFile{Path: never, Data: []byte("2"), Mode: 0o644},
		transport.Remove{Path: first},
	)
	if err != nil {
		t.Fatal(err)
	}
	if out[0].Err() != nil || out[1].OK() || !out[2].Skipped() || !out[3].Skipped() {
		t.Errorf("DoInOrder outcomes: %v, %v, %v, %v; want ok, failed, skipped, skipped", out[0].Err(), out[1].Err(), out[2].Err(), out[3].Err())
	}
	st := do(t, n, transport.Stat{Paths: []transport.NodePath{first, never}})[0].Stats
	if !st[0].Exists || st[1].Exists {
		t.Errorf("after DoInOrder stopped: first exists %v, never exists %v; want true, false", st[0].Exists, st[1].Exists)
	}
	// Without the order, a failure stops nothing.
	out = do(t, n,
		transport.CopyTree{From: base.Join("missing"), To: base.Join("copy")},
		transport.WriteFile{Path: never, Data: []byte("2"), Mode: 0o644},
	)
	if out[0].OK() || out[1].Err() != nil {
		t.Errorf("Do outcomes: %v, %v; want failed, ok", out[0].Err(), out[1].Err())
	}
}

// testOpsCreateExistedInOrder: a CreateExclusive that finds its path taken is no failure, on
// every transport alike, so the op after it in a DoInOrder runs, and the file is left as it is.
func testOpsCreateExistedInOrder(t *testing.T, n transport.Node, base transport.NodePath) {
	taken, after := base.Join("taken"), base.Join("after")
	mustOK(t, do(t, n, transport.WriteFile{Path: taken, Data: []byte("first"), Mode: 0o644}))
	out, err := transport.DoInOrder(ctx(t), n,
		transport.CreateExclusive{Path: taken, Data: []byte("second")},
		transport.WriteFile{Path: after, Data: []byte("ran"), Mode: 0o644},
	)
	if err != nil {
		t.Fatal(err)
	}
	if out[0].Err() != nil || out[0].Created || out[1].Err() != nil {
		t.Errorf("DoInOrder(create on a taken path, write) = created %v, %v, %v; want false, ok, ok",
			out[0].Created, out[0].Err(), out[1].Err())
	}
	files := do(t, n, transport.ReadFiles{Paths: []transport.NodePath{taken, after}})[0].Files
	if len(files) != 2 || string(files[0].Data) != "first" || string(files[1].Data) != "ran" {
		t.Errorf("after DoInOrder: %+v; want the taken file unchanged and the next op run", files)
	}
}

func testOpsOneSession(t *testing.T, n transport.Node, base transport.NodePath) {
	sc, ok := n.(sessionCounter)
	if !ok {
		t.Skip("node does not count sessions")
	}
	before := sc.Stats()
	do(t, n,
		transport.Cmd("true"),
		transport.WriteFile{Path: base.Join("a"), Data: []byte("a"), Mode: 0o644},
		transport.ReadFiles{Paths: []transport.NodePath{base.Join("a")}},
		transport.ReadTree{Dir: base},
		transport.Stat{Paths: []transport.NodePath{base}},
		transport.CopyTree{From: base.Join("a"), To: base.Join("b")},
		transport.CreateExclusive{Path: base.Join("c"), Data: []byte("c")},
		transport.MakeDir{Path: base.Join("d")},
		transport.Remove{Path: base.Join("b")},
		transport.ListDir{Dir: base},
		transport.Rename{From: base.Join("c"), To: base.Join("e")},
		transport.WriteTree{Dir: base.Join("t"), Files: []transport.TreeFile{{Path: "x/y", Data: []byte("y"), Mode: 0o644}}},
	)
	if d := sc.Stats() - before; d != 1 {
		t.Errorf("Do of every op used %d sessions, want 1", d)
	}
}

// cutter is a node that can cut its next write after some bytes (fake.Node).
type cutter interface{ CutNextWrite(bytes int) }

// testOpsWriteCut cuts a large WriteFile op: the target holds its old content (or, cut as the
// rename is done, the new one), never a part of either.
// A node that cannot cut on demand is cut by cancelling the call once the temporary file beside
// the target has started to fill.
func testOpsWriteCut(t *testing.T, n transport.Node, base transport.NodePath) {
	target := base.Join("big.conf")
	mustOK(t, do(t, n, transport.WriteFile{Path: target, Data: []byte("old"), Mode: 0o644}))
	big := bytes.Repeat([]byte("0123456789abcdef"), 2<<20) // 32 MiB
	c, cancel := context.WithCancel(ctx(t))
	defer cancel()
	done := make(chan error, 1)
	cn, canCut := n.(cutter)
	if canCut {
		cn.CutNextWrite(1 << 20)
	} else {
		go func() {
			deadline := time.Now().Add(20 * time.Second)
			for time.Now().Before(deadline) && c.Err() == nil {
				r, err := n.Run(ctx(t), transport.Cmd("ls", "-A", base))
				if err == nil && strings.Contains(string(r.Stdout), ".big.conf.") {
					break
				}
				time.Sleep(2 * time.Millisecond)
			}
			cancel()
		}()
	}
	go func() {
		out, err := transport.Do(c, n, transport.WriteFile{Path: target, Data: big, Mode: 0o644})
		if err == nil {
			err = out[0].Err()
		}
		done <- err
	}()
	err := <-done
	got := readAfterCut(t, n, target)
	switch {
	case err == nil && !bytes.Equal(got.Data, big):
		t.Errorf("the write succeeded but the target holds %d bytes, want %d", len(got.Data), len(big))
	case err == nil && canCut:
		t.Errorf("the write succeeded across the cut")
	case err == nil:
		t.Logf("the write finished before the cut; the target holds the new content")
	case canCut && string(got.Data) != "old":
		t.Errorf("after the cut write (%v) the target holds %d bytes; want the old content", err, len(got.Data))
	case string(got.Data) != "old" && !bytes.Equal(got.Data, big):
		// A cut that comes as the rename is done may leave the new content: never a part.
		t.Errorf("after the cut write (%v) the target holds %d bytes; want the old or the new content, whole", err, len(got.Data))
	}
}

func testOpsListDir(t *testing.T, n transport.Node, base transport.NodePath) {
	listDirWith(t, n, base, "it's \"odd\"\n$(id) x")
}

// listDirWith checks ListDir with odd as the name of a file (a name the node's file system
// takes).
func listDirWith(t *testing.T, n transport.Node, base transport.NodePath, odd string) {
	dir := base.Join("backup")
	before := time.Now().Add(-2 * time.Second)
	mustOK(t, do(t, n,
		transport.WriteFile{Path: dir.Join("20260101T000000Z-aa", "etc", "clp.conf"), Data: []byte("a"), Mode: 0o644},
		transport.WriteFile{Path: dir.Join(".partial-x", "etc", "clp.conf"), Data: []byte("b"), Mode: 0o644},
		transport.WriteFile{Path: dir.Join(odd), Data: []byte("12345"), Mode: 0o600},
		transport.MakeDir{Path: dir.Join("empty")},
		transport.MakeDir{Path: base.Join("nothing")},
	))
	out := do(t, n,
		transport.ListDir{Dir: dir},
		transport.ListDir{Dir: base.Join("nothing")},
		transport.ListDir{Dir: base.Join("missing")},
		transport.ListDir{Dir: dir.Join(odd)},
	)
	mustOK(t, out[:3])
	var names []string
	for _, e := range out[0].Entries {
		names = append(names, e.Name)
		if e.Name == odd && (e.Dir || e.Size != 5) {
			t.Errorf("entry %q = %+v; want a file of 5 bytes", e.Name, e)
		}
		if e.Name != odd && !e.Dir {
			t.Errorf("entry %q = %+v; want a directory", e.Name, e)
		}
		if e.Name == odd && (e.ModTime.Before(before) || e.ModTime.After(time.Now().Add(2*time.Second))) {
			t.Errorf("entry %q modified %v; want about now (%v)", e.Name, e.ModTime, time.Now())
		}
	}
	want := []string{".partial-x", "20260101T000000Z-aa", "empty", odd}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("ListDir names, sorted, hidden ones included (-want +got):\n%s", diff)
	}
	if out[1].Entries == nil || len(out[1].Entries) != 0 {
		t.Errorf("ListDir of an empty directory = %#v; want empty, non-nil", out[1].Entries)
	}
	if out[2].Entries != nil {
		t.Errorf("ListDir of a missing directory = %#v; want nil", out[2].Entries)
	}
	if out[3].OK() {
		t.Errorf("ListDir of a file succeeded: %+v; want a failure", out[3].Entries)
	}
}

func testOpsRename(t *testing.T, n transport.Node, base transport.NodePath) {
	staged, tmp, file, newFile, busy := base.Join("staged"), base.Join("staged.tmp"), base.Join("f"), base.Join("f.new"), base.Join("busy")
	mustOK(t, do(t, n,
		transport.WriteFile{Path: tmp.Join("etc", "clp.conf"), Data: []byte("new"), Mode: 0o644},
		transport.WriteFile{Path: file, Data: []byte("old"), Mode: 0o644},
		transport.WriteFile{Path: newFile, Data: []byte("replacement"), Mode: 0o600},
		transport.WriteFile{Path: busy.Join("x"), Data: []byte("x"), Mode: 0o644},
	))
	out := do(t, n,
		transport.Rename{From: tmp, To: staged},                        // directory, target absent: renamed
		transport.Rename{From: newFile, To: file},                      // file onto a file: replaced
		transport.Rename{From: staged, To: busy},                       // directory onto a directory: refused
		transport.Rename{From: file, To: busy},                         // file onto a directory: refused
		transport.Rename{From: base.Join("none"), To: file},            // missing source: refused
		transport.Rename{From: file, To: file},                         // onto itself: refused
		transport.Rename{From: busy.Join("x"), To: staged.Join("etc")}, // file onto a directory
	)
	mustOK(t, out[:2])
	for i, o := range out[2:] {
		if o.OK() {
			t.Errorf("refused rename %d (%s) succeeded", i+2, o.Op.Describe())
		}
	}
	got := do(t, n,
		transport.ReadTree{Dir: base},
		transport.Stat{Paths: []transport.NodePath{tmp, newFile}},
	)
	mustOK(t, got)
	want := map[string][]byte{"staged/etc/clp.conf": []byte("new"), "f": []byte("replacement"), "busy/x": []byte("x")}
	if diff := cmp.Diff(want, got[0].Tree, cmp.Comparer(bytes.Equal)); diff != "" {
		t.Errorf("after the renames (-want +got):\n%s", diff)
	}
	if s := got[1].Stats; s[0].Exists || s[1].Exists {
		t.Errorf("the renamed sources still exist: %+v", s)
	}
}

// readAfterCut reads target once the cut write's remote side has let go of it: a node whose
// cut command still runs for a moment (mv under sudo) can make the first read fail (tar: the
// file changed as it was read). A read that keeps failing fails the test with its error.
func readAfterCut(t *testing.T, n transport.Node, target transport.NodePath) transport.File {
	t.Helper()
	var last error
	for range 20 {
		o := do(t, n, transport.ReadFiles{Paths: []transport.NodePath{target}})[0]
		if last = o.Err(); last == nil && len(o.Files) == 1 {
			return o.Files[0]
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("reading %s after the cut write: %v", target, last)
	return transport.File{}
}

// testOpsRemoveIfSame: RemoveIfSame removes a file holding exactly its data, and leaves a file
// holding anything else (other bytes, the same bytes and more, a trailing newline), a
// directory and a missing path as they are, without failing.
func testOpsRemoveIfSame(t *testing.T, n transport.Node, base transport.NodePath) {
	lock := []byte(`{"id":"0123456789abcdef","holder":"me@here"}`)
	mustOK(t, do(t, n, transport.MakeDir{Path: base.Join("dir")}))
	for _, c := range []struct {
		name   string
		holds  []byte // nil: nothing there
		remove bool
	}{
		{"same", lock, true},
		{"other", []byte(`{"id":"fedcba9876543210","holder":"me@here"}`), false},
		{"longer", append(append([]byte{}, lock...), '\n'), false},
		{"shorter", lock[:len(lock)-1], false},
		{"missing", nil, false},
	} {
		p := base.Join(c.name)
		if c.holds != nil {
			mustOK(t, do(t, n, transport.WriteFile{Path: p, Data: c.holds, Mode: 0o644}))
		}
		out := do(t, n, transport.RemoveIfSame{Path: p, Data: lock})
		if err := out[0].Err(); err != nil || out[0].Removed != c.remove {
			t.Errorf("%s: RemoveIfSame = removed %v, %v; want %v, no error", c.name, out[0].Removed, err, c.remove)
		}
		files := do(t, n, transport.ReadFiles{Paths: []transport.NodePath{p}})[0].Files
		if there := len(files) == 1 && files[0].Exists; there != (c.holds != nil && !c.remove) {
			t.Errorf("%s: file there after RemoveIfSame: %v", c.name, there)
		}
	}
	out := do(t, n, transport.RemoveIfSame{Path: base.Join("dir"), Data: lock})
	if err := out[0].Err(); err != nil || out[0].Removed {
		t.Errorf("directory: RemoveIfSame = removed %v, %v; want false, no error", out[0].Removed, err)
	}
	if st := do(t, n, transport.Stat{Paths: []transport.NodePath{base.Join("dir")}})[0].Stats; len(st) != 1 || !st[0].Exists {
		t.Errorf("directory removed by RemoveIfSame: %+v", st)
	}
}

// testOpsCreateAndRemoveAnyData: CreateExclusive writes exactly its data, whatever the bytes
// (shell syntax, trailing newlines, a leading dash, bytes that are not UTF-8, NUL, more than a
// few KiB: a dialect may carry small data one way and the rest another), and RemoveIfSame
// removes that file only with the same bytes, not with the last one changed.
func testOpsCreateAndRemoveAnyData(t *testing.T, n transport.Node, base transport.NodePath) {
	for i, data := range [][]byte{
		[]byte("it's \"$(id)\" `id` \\ %s %PATH% 日本\n\n"),
		[]byte("-n"),
		[]byte("\xff\xfe\x80 not UTF-8"),
		[]byte("a\x00b"),
		bytes.Repeat([]byte("0123456789abcde\n"), 300),
		{},
	} {
		p := base.Join(fmt.Sprintf("lock%d", i))
		out := do(t, n, transport.CreateExclusive{Path: p, Data: data})
		if err := out[0].Err(); err != nil || !out[0].Created {
			t.Fatalf("data %d: create = created %v, %v", i, out[0].Created, err)
		}
		if got := do(t, n, transport.ReadFiles{Paths: []transport.NodePath{p}})[0].Files[0]; !bytes.Equal(got.Data, data) {
			t.Errorf("data %d: the file holds %q; want %q", i, truncated(got.Data), truncated(data))
		}
		if len(data) > 0 {
			other := append(bytes.Clone(data[:len(data)-1]), data[len(data)-1]^1)
			if out := do(t, n, transport.RemoveIfSame{Path: p, Data: other}); out[0].Err() != nil || out[0].Removed {
				t.Errorf("data %d: removed with the last byte changed (%v)", i, out[0].Err())
			}
		}
		if out := do(t, n, transport.RemoveIfSame{Path: p, Data: data}); out[0].Err() != nil || !out[0].Removed {
			t.Errorf("data %d: not removed with the same bytes (%v)", i, out[0].Err())
		}
	}
}

func truncated(b []byte) []byte { return b[:min(len(b), 60)] }

// testOpsStdinAfterEarlyExit: ops that carry data and stop before reading it (a write onto a
// directory, a create on a taken path, a remove-if-same of a missing file) leave the data of
// the ops after them intact, in one call and in order.
func testOpsStdinAfterEarlyExit(t *testing.T, n transport.Node, base transport.NodePath) {
	dir, taken, a, b, c := base.Join("dir"), base.Join("taken"), base.Join("a"), base.Join("b"), base.Join("c")
	mustOK(t, do(t, n,
		transport.MakeDir{Path: dir},
		transport.WriteFile{Path: taken, Data: []byte("first"), Mode: 0o644},
	))
	big := bytes.Repeat(allBytes(), 300) // ~170 KB: more than a pipe holds
	out := do(t, n,
		transport.WriteFile{Path: dir, Data: []byte("refused: a directory"), Mode: 0o644},
		transport.WriteFile{Path: dir, Data: big, Mode: 0o644},
		transport.WriteFile{Path: a, Data: []byte("data of a"), Mode: 0o644},
		transport.CreateExclusive{Path: taken, Data: []byte("not read: taken")},
		transport.CreateExclusive{Path: b, Data: []byte("data of b")},
		transport.RemoveIfSame{Path: base.Join("missing"), Data: []byte("not read: missing")},
		transport.WriteFile{Path: c, Data: allBytes(), Mode: 0o644},
	)
	if out[0].OK() || out[1].OK() {
		t.Errorf("a write onto a directory succeeded")
	}
	mustOK(t, out[2:])
	got := do(t, n, transport.ReadFiles{Paths: []transport.NodePath{a, taken, b, c}})[0].Files
	want := [][]byte{[]byte("data of a"), []byte("first"), []byte("data of b"), allBytes()}
	for i, f := range got {
		if !bytes.Equal(f.Data, want[i]) {
			t.Errorf("%s holds %q; want %q", f.Path, f.Data, want[i])
		}
	}
	// In order: the ops after a failure are skipped, their data too, and the call answers whole.
	out, err := transport.DoInOrder(ctx(t), n,
		transport.WriteFile{Path: dir, Data: []byte("refused"), Mode: 0o644},
		transport.WriteFile{Path: a, Data: []byte("skipped"), Mode: 0o644},
		transport.CreateExclusive{Path: base.Join("d"), Data: []byte("skipped")},
	)
	if err != nil || len(out) != 3 || out[0].OK() || !out[1].Skipped() || !out[2].Skipped() {
		t.Fatalf("DoInOrder after a failure: %v, %+v; want failed, skipped, skipped", err, out)
	}
	if f := do(t, n, transport.ReadFiles{Paths: []transport.NodePath{a}})[0].Files[0]; string(f.Data) != "data of a" {
		t.Errorf("a skipped write changed %s to %q", a, f.Data)
	}
}
