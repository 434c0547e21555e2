package nodetest

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/transport"
)

// testOpsWriteTree: WriteTree creates its directory with every file whole, with its mode, the
// directories between, and missing parents; it refuses a directory or a file already at its
// path (changing nothing there) and a tree whose paths leave it (before anything of the call
// runs).
func testOpsWriteTree(t *testing.T, n transport.Node, base transport.NodePath) {
	writeTreeWith(t, n, base, `it's "odd" $(id)`, true)
}

// writeTreeWith checks WriteTree with odd as the name of one file (a name the node's file
// system takes); modes are checked when withModes.
func writeTreeWith(t *testing.T, n transport.Node, base transport.NodePath, odd string, withModes bool) {
	dir := base.Join("missing-parent", "staged.tmp")
	files := []transport.TreeFile{
		{Path: "etc/clp.conf", Data: allBytes(), Mode: 0o644},
		{Path: "scripts/failover/grp1/start.sh", Data: []byte("#!/bin/sh\nexit 0\n"), Mode: 0o755},
		{Path: "scripts/failover/grp1/stop.sh", Data: []byte{}, Mode: 0o700},
		{Path: odd, Data: []byte("odd"), Mode: 0o640},
	}
	out := do(t, n,
		transport.WriteTree{Dir: dir, Files: files},
		transport.WriteTree{Dir: base.Join("empty"), Files: nil},
	)
	mustOK(t, out)
	got := do(t, n,
		transport.ReadTree{Dir: dir},
		transport.ReadFiles{Paths: []transport.NodePath{dir.Join("etc", "clp.conf"), dir.Join("scripts", "failover", "grp1", "start.sh"), dir.Join("scripts", "failover", "grp1", "stop.sh"), dir.Join(odd)}},
		transport.ListDir{Dir: base.Join("empty")},
	)
	mustOK(t, got)
	want := map[string][]byte{}
	for _, f := range files {
		want[f.Path] = f.Data
	}
	if diff := cmp.Diff(want, got[0].Tree, cmp.Comparer(bytes.Equal)); diff != "" {
		t.Errorf("the written tree (-want +got):\n%s", diff)
	}
	if withModes {
		for i, f := range got[1].Files {
			if f.Mode != files[i].Mode {
				t.Errorf("%s: mode %v, want %v", f.Path, f.Mode, files[i].Mode)
			}
		}
	}
	if e := got[2].Entries; e == nil || len(e) != 0 {
		t.Errorf("a tree of no files: ListDir = %#v; want an existing, empty directory", e)
	}

	// Something at the directory's path: refused, and left as it was.
	file := base.Join("a-file")
	mustOK(t, do(t, n, transport.WriteFile{Path: file, Data: []byte("keep"), Mode: 0o644}))
	refused := do(t, n,
		transport.WriteTree{Dir: dir, Files: []transport.TreeFile{{Path: "etc/clp.conf", Data: []byte("new"), Mode: 0o644}, {Path: "new", Data: []byte("x"), Mode: 0o644}}},
		transport.WriteTree{Dir: file, Files: []transport.TreeFile{{Path: "x", Data: []byte("x"), Mode: 0o644}}},
		transport.ReadTree{Dir: dir},
		transport.ReadFiles{Paths: []transport.NodePath{file}},
	)
	if refused[0].OK() || refused[1].OK() {
		t.Errorf("WriteTree onto an existing directory or file succeeded: %v, %v", refused[0].Err(), refused[1].Err())
	}
	if diff := cmp.Diff(want, refused[2].Tree, cmp.Comparer(bytes.Equal)); diff != "" {
		t.Errorf("the existing tree after a refused WriteTree (-want +got):\n%s", diff)
	}
	if f := refused[3].Files; len(f) != 1 || string(f[0].Data) != "keep" {
		t.Errorf("the file after a refused WriteTree: %+v; want it kept", f)
	}

	// Paths that leave the directory, or cannot be written: the call fails before anything runs.
	marker := base.Join("marker")
	for _, bad := range [][]transport.TreeFile{
		{{Path: "../escaped", Data: []byte("x")}},
		{{Path: "/abs", Data: []byte("x")}},
		{{Path: "a//b", Data: []byte("x")}},
		{{Path: "a/./b", Data: []byte("x")}},
		{{Path: "", Data: []byte("x")}},
		{{Path: "twice", Data: []byte("1")}, {Path: "twice", Data: []byte("2")}},
		{{Path: "a", Data: []byte("file")}, {Path: "a/b", Data: []byte("below the file")}},
	} {
		_, err := transport.Do(ctx(t), n,
			transport.WriteFile{Path: marker, Data: []byte("ran"), Mode: 0o644},
			transport.WriteTree{Dir: base.Join("bad"), Files: bad},
		)
		if err == nil {
			t.Errorf("WriteTree of %+v: the call succeeded; want it refused", bad)
		}
	}
	st := do(t, n, transport.Stat{Paths: []transport.NodePath{marker, base.Join("bad"), base.Join("escaped")}})[0].Stats
	if st[0].Exists || st[1].Exists || st[2].Exists {
		t.Errorf("after refused trees: %+v; want nothing of the calls run", st)
	}
}

// testOpsWriteTreeCut cuts the stage as clusterpro runs it (write the new tree beside the
// published one, remove the published one, rename the new one into place, in order) at several
// moments, most of them while the tree's bytes are in transit: the published directory is then
// the tree before or the new one, whole, never a part; and the next run, which removes the
// leftover first, publishes the new tree whole.
func testOpsWriteTreeCut(t *testing.T, n transport.Node, base transport.NodePath) {
	staged, tmp := base.Join("staged"), base.Join("staged.tmp")
	published := []transport.TreeFile{{Path: "etc/clp.conf", Data: []byte("old"), Mode: 0o644}}
	mustOK(t, do(t, n, transport.WriteTree{Dir: staged, Files: published}))
	stage := func(files []transport.TreeFile) []transport.Op {
		return []transport.Op{
			transport.Remove{Path: tmp, Recursive: true},
			transport.WriteTree{Dir: tmp, Files: files},
			transport.Remove{Path: staged, Recursive: true},
			transport.Rename{From: tmp, To: staged},
		}
	}
	var fresh []transport.TreeFile
	for attempt, after := range []time.Duration{20 * time.Millisecond, 80 * time.Millisecond, 200 * time.Millisecond, 500 * time.Millisecond} {
		chunk := bytes.Repeat([]byte{byte('a' + attempt)}, 8<<20) // 8 MiB a file, 32 MiB a tree
		fresh = nil
		for _, name := range []string{"etc/clp.conf", "scripts/a.sh", "scripts/b.sh", "scripts/c.sh"} {
			fresh = append(fresh, transport.TreeFile{Path: name, Data: chunk, Mode: 0o644})
		}
		c, cancel := context.WithCancel(ctx(t))
		if cn, ok := n.(cutter); ok {
			cn.CutNextWrite((attempt*8 + 3) << 20)
		} else {
			time.AfterFunc(after, cancel)
		}
		out, err := transport.DoInOrder(c, n, stage(fresh)...)
		cancel()
		for _, o := range out {
			if err == nil {
				err = o.Err()
			}
		}
		got := readTreeAfterCut(t, n, staged)
		switch {
		case treesEqual(got, whole(fresh)):
			published = fresh
			t.Logf("attempt %d, cut after %v: %v; the new tree is published", attempt, after, err)
		case err == nil:
			t.Errorf("attempt %d: the stage succeeded but the published tree holds %s", attempt, describeTree(got))
		case treesEqual(got, whole(published)):
			t.Logf("attempt %d, cut after %v: %v; the tree before is published, whole", attempt, after, err)
		case len(got) == 0:
			// Cut between the stage's removal of the old tree and its rename of the new one
			// (or while the removal still ran): nothing is published, never a partial tree
			// (clusterpro's stage says so); the vendor sequence does not start, and the next
			// run publishes the new tree (checked below).
			published = nil
			t.Logf("attempt %d, cut after %v: %v; no tree is published", attempt, after, err)
		default:
			t.Errorf("attempt %d: after the cut stage (%v) the published tree holds %s; want the tree before or the new one, whole", attempt, err, describeTree(got))
		}
	}
	// The next run finds the leftover and publishes the new tree whole.
	mustOK(t, do(t, n, stage(fresh)...))
	if got := readTreeAfterCut(t, n, staged); !treesEqual(got, whole(fresh)) {
		t.Errorf("after the stage ran again the published tree holds %s; want the new tree", describeTree(got))
	}
}

func whole(files []transport.TreeFile) map[string][]byte {
	m := map[string][]byte{}
	for _, f := range files {
		m[f.Path] = f.Data
	}
	return m
}

// readTreeAfterCut reads dir once the cut call's remote side has let go of it: a removal or
// rename still running for a moment can make a read fail, or show the old tree half removed, so
// it reads until two reads in a row succeed and agree.
func readTreeAfterCut(t *testing.T, n transport.Node, dir transport.NodePath) map[string][]byte {
	t.Helper()
	var last error
	var prev map[string][]byte
	read := false
	for range 40 {
		o := do(t, n, transport.ReadTree{Dir: dir})[0]
		if last = o.Err(); last == nil {
			if read && treesEqual(prev, o.Tree) {
				return o.Tree
			}
			prev, read = o.Tree, true
		} else {
			read = false
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("reading %s after the cut: no two reads in a row agreed (last error: %v)", dir, last)
	return nil
}

func treesEqual(a, b map[string][]byte) bool {
	return cmp.Equal(a, b, cmp.Comparer(bytes.Equal))
}

func describeTree(tree map[string][]byte) string {
	var parts []string
	for _, name := range slices.Sorted(maps.Keys(tree)) {
		parts = append(parts, fmt.Sprintf("%s (%d bytes)", name, len(tree[name])))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
