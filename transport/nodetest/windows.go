package nodetest

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/transport"
)

// Windows describes a Windows-dialect node under test (shell cmd or powershell): no POSIX
// shell, Windows paths, programs by absolute path.
type Windows struct {
	// Base is a writable directory for the tests (C:\nodetest); each subtest works below
	// Base\<subtest>.
	Base transport.NodePath
	// Echo returns a command that prints arg and the output it prints, decoded (UTF-8, LF):
	// how the suite sees that an argument reached the program exactly.
	Echo func(arg string) (transport.Command, string)
	// Missing is a program path that does not exist, and NotFoundExit the status the node
	// answers for it (cmd.exe: 9009).
	Missing      transport.NodePath
	NotFoundExit int
	// MakeLink makes a symbolic link on the node (required: ReadTree must refuse links on
	// every transport).
	MakeLink MakeLink
}

// RunWindowsConformance checks the ops a Windows dialect supports (every op of transport.Do
// but POSIX-only commands), programs with hostile arguments, and the refusal of anything
// POSIX. Mode bits are not checked: Windows has ACLs, not modes.
func RunWindowsConformance(t *testing.T, newNode func(t *testing.T) transport.Node, w Windows) {
	for _, c := range []struct {
		name string
		run  func(t *testing.T, n transport.Node, base transport.NodePath, w Windows)
	}{
		{"ProgramsGetHostileArgumentsExactly", testWinHostileArgs},
		{"MissingProgram", testWinMissingProgram},
		{"PosixOnlyRefused", testWinPosixRefused},
		{"UnpassableArgumentRefused", testWinUnpassable},
		{"NodeMethods", testWinNodeMethods},
		{"OpsWriteReadStat", testWinWriteReadStat},
		{"OpsReadTree", wrap(testOpsReadTree)},
		{"OpsReadTreeLimit", wrap(testOpsReadTreeLimit)},
		{"OpsReadTreeLinks", func(t *testing.T, n transport.Node, base transport.NodePath, w Windows) {
			if w.MakeLink == nil {
				t.Fatal("nodetest.Windows.MakeLink is not set: the harness must make links")
			}
			testOpsReadTreeLinks(t, n, base, w.MakeLink)
		}},
		{"OpsCopyRemoveMakeDir", testWinCopyRemove},
		{"OpsCreateExclusiveRace", wrap(testOpsCreateExclusiveRace)},
		{"OpsInOrderStopsAtFailure", wrap(testOpsInOrder)},
		{"PosixPathRefused", testWinPosixPath},
		{"OneChannelPerProgram", testWinChannels},
		{"OpsWriteCutKeepsOldFile", testWinWriteCut},
		{"OpsListDir", testWinListDir},
		{"OpsRename", wrap(testOpsRename)},
		{"OpsRemoveIfSame", wrap(testOpsRemoveIfSame)},
		{"OpsCreateAndRemoveAnyData", wrap(testOpsCreateAndRemoveAnyData)},
		{"OpsRenameOntoItselfIgnoringCase", testWinRenameCase},
		{"OpsStatModTime", testWinStatModTime},
		{"OpsFreeSpace", wrap(testOpsFreeSpace)},
		{"OpsWriteTree", func(t *testing.T, n transport.Node, base transport.NodePath, _ Windows) {
			writeTreeWith(t, n, base, `it's odd $(id) %PATH% 日本`, false)
		}},
		{"OpsWriteTreeCut", wrap(testOpsWriteTreeCut)},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.run(t, newNode(t), w.Base.Join(c.name), w)
		})
	}
}

func wrap(f func(*testing.T, transport.Node, transport.NodePath)) func(*testing.T, transport.Node, transport.NodePath, Windows) {
	return func(t *testing.T, n transport.Node, base transport.NodePath, _ Windows) { f(t, n, base) }
}

// hostileArgs are what a shell would take apart: cmd.exe's specials, variables of both
// shells, the C runtime's quote and backslash rules, blanks, and Japanese text.
var hostileArgs = []string{
	`a b`, `"quoted"`, `a"b`, `C:\dir\`, `C:\Program Files\x\`, `\\server\share`, `a\\"b`,
	`%PATH%`, `%PATH:a=b%`, `%=C:%`, `100%`, `!x!`, `^`, `a&b|c<d>e(f)g^h!i`, `$env:PATH`,
	"`whoami`", `$(id)`, `'single'`, `it's`, `a;b`, `--%`, `/c`, `-x`, "tab\there",
	` lead and trail `, `最高プライオリティサーバで起動中です`, `ARMBCAST /MSG "起動中" /A`,
}

func testWinHostileArgs(t *testing.T, n transport.Node, _ transport.NodePath, w Windows) {
	var cmds []transport.Command
	var want []string
	for _, a := range hostileArgs {
		c, out := w.Echo(a)
		cmds = append(cmds, c)
		want = append(want, out)
	}
	res, err := n.Batch(ctx(t), cmds)
	if err != nil {
		t.Fatalf("Batch: %v", err)
	}
	var got []string
	for i, r := range res {
		if r.ExitCode != 0 {
			t.Errorf("%q: exit %d: %s", hostileArgs[i], r.ExitCode, r.Stderr)
		}
		got = append(got, string(r.Stdout))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("what the program printed (-want +got):\n%s", diff)
	}
	// The same through Do, as an op.
	c, out := w.Echo(hostileArgs[len(hostileArgs)-1])
	o := do(t, n, c)[0]
	if o.Err() != nil || string(o.Stdout) != out {
		t.Errorf("Do(%s) = %q, %v; want %q", c.Display(), o.Stdout, o.Err(), out)
	}
}

func testWinMissingProgram(t *testing.T, n transport.Node, _ transport.NodePath, w Windows) {
	r, err := n.Run(ctx(t), transport.Cmd(w.Missing, "x"))
	if err != nil {
		t.Fatal(err)
	}
	if r.ExitCode != w.NotFoundExit {
		t.Errorf("%s: exit %d (%s); want %d", w.Missing, r.ExitCode, r.Stderr, w.NotFoundExit)
	}
	if bytes.Contains(r.Stderr, []byte("\r\n")) {
		t.Errorf("stderr %q still has CRLF line ends", r.Stderr)
	}
}

func testWinPosixRefused(t *testing.T, n transport.Node, base transport.NodePath, _ Windows) {
	marker := base.Join("written")
	for _, c := range []transport.Command{
		transport.Shell("exit 0"),
		transport.Cmd("cat", base.Join("x")),
		transport.Cmd("sh", "-c", "true"),
	} {
		_, err := transport.Do(ctx(t), n, transport.WriteFile{Path: marker, Data: []byte("x")}, c)
		var u *transport.UnsupportedError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), n.Name()) || !strings.Contains(err.Error(), "POSIX-only") {
			t.Errorf("Do with %s: %v; want an UnsupportedError naming the node", c.Display(), err)
		}
		if _, err := n.Run(ctx(t), c); !errors.As(err, &u) {
			t.Errorf("Run(%s): %v; want an UnsupportedError", c.Display(), err)
		}
	}
	st := do(t, n, transport.Stat{Paths: []transport.NodePath{marker}})[0].Stats[0]
	if st.Exists {
		t.Errorf("%s was written by a call that was refused", marker)
	}
}

func testWinUnpassable(t *testing.T, n transport.Node, base transport.NodePath, w Windows) {
	c, _ := w.Echo("line\nbreak")
	marker := base.Join("written")
	_, err := transport.Do(ctx(t), n, transport.WriteFile{Path: marker, Data: []byte("x")}, c)
	if err == nil || !strings.Contains(err.Error(), "line break") || !strings.Contains(err.Error(), n.Name()) {
		t.Errorf("an argument with LF: %v; want a refusal naming the node and the line break", err)
	}
	if do(t, n, transport.Stat{Paths: []transport.NodePath{marker}})[0].Stats[0].Exists {
		t.Errorf("%s was written by a call that was refused", marker)
	}
}

func testWinNodeMethods(t *testing.T, n transport.Node, base transport.NodePath, _ Windows) {
	data := allBytes()
	p := base.Join("a", "b.conf")
	if err := n.WriteFile(ctx(t), p, data, 0o644); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}
	if err := n.WriteFile(ctx(t), p, []byte("v2\r\n"), 0o644); err != nil {
		t.Fatalf("WriteFile again: %v", err)
	}
	got, err := n.ReadFiles(ctx(t), []transport.NodePath{p, base.Join("missing")})
	if err != nil {
		t.Fatal(err)
	}
	want := []transport.File{{Path: p, Exists: true, Data: []byte("v2\r\n")}, {Path: base.Join("missing")}}
	if diff := cmp.Diff(want, got, cmp.Comparer(bytes.Equal)); diff != "" {
		t.Errorf("ReadFiles (-want +got), bytes exact:\n%s", diff)
	}
	err = n.WriteFile(ctx(t), base.Join("a"), []byte("x"), 0o644)
	if !errors.Is(err, transport.ErrIsDirectory) || !strings.Contains(err.Error(), n.Name()) {
		t.Errorf("WriteFile onto a directory: %v; want ErrIsDirectory naming the node", err)
	}
}

func testWinWriteReadStat(t *testing.T, n transport.Node, base transport.NodePath, _ Windows) {
	data := allBytes()
	f, odd, dir := base.Join("d", "f.conf"), base.Join(`it's odd $(id) %PATH% 日本`), base.Join("d")
	mustOK(t, do(t, n,
		transport.WriteFile{Path: f, Data: data, Mode: 0o640},
		transport.WriteFile{Path: odd, Data: nil, Mode: 0o600},
	))
	out := do(t, n,
		transport.ReadFiles{Paths: []transport.NodePath{f, base.Join("missing"), odd}},
		transport.Stat{Paths: []transport.NodePath{f, dir, base.Join("missing")}},
		transport.ReadFiles{Paths: []transport.NodePath{dir}},
	)
	mustOK(t, out[:2])
	wantFiles := []transport.File{
		{Path: f, Exists: true, Data: data},
		{Path: base.Join("missing")},
		{Path: odd, Exists: true, Data: []byte{}},
	}
	if diff := cmp.Diff(wantFiles, out[0].Files, cmp.Comparer(bytes.Equal)); diff != "" {
		t.Errorf("ReadFiles (-want +got):\n%s", diff)
	}
	st := out[1].Stats
	if len(st) != 3 || !st[0].Exists || st[0].Dir || st[0].Size != int64(len(data)) || !st[1].Dir || st[2].Exists {
		t.Errorf("Stat = %+v; want the file (%d bytes), the directory, a missing path", st, len(data))
	}
	if out[2].OK() {
		t.Errorf("ReadFiles of a directory succeeded")
	}
	wr := do(t, n, transport.WriteFile{Path: dir, Data: []byte("x")})
	if err := wr[0].Err(); !errors.Is(err, transport.ErrIsDirectory) {
		t.Errorf("WriteFile onto a directory: %v; want ErrIsDirectory", err)
	}
}

func testWinCopyRemove(t *testing.T, n transport.Node, base transport.NodePath, _ Windows) {
	src, dst := base.Join("src"), base.Join("backup", "1")
	mustOK(t, do(t, n,
		transport.WriteFile{Path: src.Join("etc", "clp.conf"), Data: []byte("conf")},
		transport.WriteFile{Path: src.Join("scripts", "start.bat"), Data: []byte("@echo off\r\n")},
		transport.MakeDir{Path: base.Join("made", "deep")},
		transport.MakeDir{Path: base.Join("made", "deep")},
	))
	out := do(t, n,
		transport.CopyTree{From: src, To: dst},
		transport.CopyTree{From: src, To: dst},
		transport.CopyTree{From: base.Join("none"), To: base.Join("x")},
		transport.CopyTree{From: src.Join("etc", "clp.conf"), To: base.Join("one", "clp.conf")},
		transport.ReadTree{Dir: dst},
		transport.ReadFiles{Paths: []transport.NodePath{base.Join("one", "clp.conf")}},
	)
	if out[0].Err() != nil || out[3].Err() != nil {
		t.Fatalf("CopyTree: %v; of a file: %v", out[0].Err(), out[3].Err())
	}
	if out[1].OK() || out[2].OK() {
		t.Errorf("CopyTree onto an existing target or from a missing source succeeded")
	}
	want := map[string][]byte{"etc/clp.conf": []byte("conf"), "scripts/start.bat": []byte("@echo off\r\n")}
	if diff := cmp.Diff(want, out[4].Tree, cmp.Comparer(bytes.Equal)); diff != "" {
		t.Errorf("the copy (-want +got):\n%s", diff)
	}
	if string(out[5].Files[0].Data) != "conf" {
		t.Errorf("the copied file holds %q", out[5].Files[0].Data)
	}
	out = do(t, n,
		transport.Remove{Path: dst, Recursive: true},
		transport.Remove{Path: src.Join("etc", "clp.conf")},
		transport.Remove{Path: base.Join("never-was")},
		transport.Stat{Paths: []transport.NodePath{dst, src.Join("etc", "clp.conf"), src.Join("scripts", "start.bat"), base.Join("made", "deep")}},
	)
	mustOK(t, out)
	if s := out[3].Stats; s[0].Exists || s[1].Exists || !s[2].Exists || !s[3].Dir {
		t.Errorf("after Remove: %+v; want the tree and the file gone, the rest kept", s)
	}
}

func testWinPosixPath(t *testing.T, n transport.Node, _ transport.NodePath, _ Windows) {
	_, err := transport.Do(ctx(t), n, transport.ReadFiles{Paths: []transport.NodePath{"/opt/nec/clusterpro/etc/clp.conf"}})
	if err == nil || !strings.Contains(err.Error(), n.Name()) || !strings.Contains(err.Error(), "/opt/nec/clusterpro") {
		t.Errorf("a POSIX path on a Windows node: %v; want an error naming the node and the path", err)
	}
}

// testWinChannels: file ops reuse the node's one SFTP session; each program is one exec
// channel of its own.
func testWinChannels(t *testing.T, n transport.Node, base transport.NodePath, w Windows) {
	sc, ok := n.(sessionCounter)
	if !ok {
		t.Skip("node does not count sessions")
	}
	do(t, n, transport.MakeDir{Path: base}) // the SFTP session is open from here on
	echo, _ := w.Echo("x")
	before := sc.Stats()
	do(t, n,
		transport.WriteFile{Path: base.Join("a"), Data: []byte("a")},
		echo,
		transport.ReadTree{Dir: base},
		transport.Stat{Paths: []transport.NodePath{base}},
		echo,
		transport.CreateExclusive{Path: base.Join("c"), Data: []byte("c")},
	)
	if d := sc.Stats() - before; d != 2 {
		t.Errorf("Do with two programs and four file ops opened %d channels, want 2", d)
	}
}

// testWinWriteCut cancels a large write mid-way: the call fails at once, the target holds its
// old content (or, cut as the rename is done, the new one), never a part, and the node works
// on.
func testWinWriteCut(t *testing.T, n transport.Node, base transport.NodePath, _ Windows) {
	target := base.Join("big.conf")
	mustOK(t, do(t, n, transport.WriteFile{Path: target, Data: []byte("old")}))
	big := bytes.Repeat([]byte("0123456789abcdef"), 2<<20) // 32 MiB
	c, cancel := context.WithCancel(ctx(t))
	defer cancel()
	time.AfterFunc(20*time.Millisecond, cancel)
	start := time.Now()
	out, err := transport.Do(c, n, transport.WriteFile{Path: target, Data: big})
	if err == nil {
		err = out[0].Err()
	}
	took := time.Since(start)
	got := do(t, n, transport.ReadFiles{Paths: []transport.NodePath{target}})[0].Files[0]
	switch {
	case err == nil && !bytes.Equal(got.Data, big):
		t.Errorf("the write succeeded but the target holds %d bytes, want %d", len(got.Data), len(big))
	case err == nil:
		t.Logf("the write finished (%v) before the cut; the target holds the new content", took)
	case took > 5*time.Second:
		t.Errorf("the cancelled write returned after %v (%v); want at once", took, err)
	case string(got.Data) != "old" && !bytes.Equal(got.Data, big):
		t.Errorf("after the cut write (%v) the target holds %d bytes; want the old or the new content, whole", err, len(got.Data))
	default:
		t.Logf("cut after %v: %v; the target holds %d bytes", took, err, len(got.Data))
	}
}

// testWinListDir: a Windows name cannot hold '"' or a line break, so the odd name is one a
// Windows file system takes.
func testWinListDir(t *testing.T, n transport.Node, base transport.NodePath, _ Windows) {
	listDirWith(t, n, base, `it's odd $(id) %PATH% 日本`)
}

// testWinRenameCase: Windows names ignore case, and Win32-OpenSSH deletes a file renamed
// onto its own name (PowerShell/Win32-OpenSSH#1849): such a rename is refused and the file
// is kept, for a file and for a directory.
func testWinRenameCase(t *testing.T, n transport.Node, base transport.NodePath, _ Windows) {
	file, dir := base.Join("clp.conf"), base.Join("scripts")
	mustOK(t, do(t, n,
		transport.WriteFile{Path: file, Data: []byte("keep")},
		transport.WriteFile{Path: dir.Join("start.bat"), Data: []byte("@echo off\r\n")},
	))
	out := do(t, n,
		transport.Rename{From: file, To: base.Join("CLP.CONF")},
		transport.Rename{From: file, To: base.Join("clp.conf.")},
		transport.Rename{From: dir, To: base.Join("Scripts")},
	)
	for i, o := range out {
		if o.OK() || !strings.Contains(string(o.Stderr), "onto itself") {
			t.Errorf("rename %d (%s): exit %d, %q; want a refusal: onto itself", i, o.Op.Describe(), o.ExitCode, o.Stderr)
		}
	}
	got := do(t, n, transport.ReadTree{Dir: base})[0]
	want := map[string][]byte{"clp.conf": []byte("keep"), "scripts/start.bat": []byte("@echo off\r\n")}
	if diff := cmp.Diff(want, got.Tree, cmp.Comparer(bytes.Equal)); diff != "" {
		t.Errorf("after the refused renames (-want +got):\n%s", diff)
	}
}

// testWinStatModTime: Stat reports the modification time, and CopyTree keeps it.
func testWinStatModTime(t *testing.T, n transport.Node, base transport.NodePath, _ Windows) {
	before := time.Now().Add(-2 * time.Second).Truncate(time.Second)
	f := base.Join("src", "clp.conf")
	mustOK(t, do(t, n, transport.WriteFile{Path: f, Data: []byte("conf")}))
	time.Sleep(1100 * time.Millisecond) // the copy's own write time would differ by a second
	out := do(t, n,
		transport.CopyTree{From: base.Join("src"), To: base.Join("copy")},
		transport.CopyTree{From: f, To: base.Join("one.conf")},
		transport.Stat{Paths: []transport.NodePath{f, base.Join("copy", "clp.conf"), base.Join("one.conf")}},
	)
	mustOK(t, out)
	st := out[2].Stats
	if m := st[0].ModTime; m.Before(before) || m.After(time.Now().Add(2*time.Second)) {
		t.Errorf("Stat: %s modified %v; want about now (%v)", f, m, time.Now())
	}
	for _, s := range st[1:] {
		if !s.ModTime.Equal(st[0].ModTime) {
			t.Errorf("the copy %s modified %v; want the original's %v", s.Path, s.ModTime, st[0].ModTime)
		}
	}
}
