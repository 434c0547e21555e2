package transport

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os/exec"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// A Windows dialect refuses what only a POSIX shell runs: scripts and utilities looked up by
// name. A vendor command named by its node path runs everywhere.
func TestPosixOnly(t *testing.T) {
	for _, c := range []struct {
		cmd  Command
		want bool
	}{
		{Shell(`exit 0`), true},
		{Cmd("rm", "-f", NodePath("/x")), true},
		{Cmd(NodePath("/opt/nec/clusterpro/bin/clpcl"), "--resume"), false},
		{Cmd(NodePath(`C:\Program Files\EXPRESSCLUSTER\bin\clpcl.exe`), "--suspend"), false},
	} {
		if got := c.cmd.PosixOnly(); got != c.want {
			t.Errorf("%s: PosixOnly = %v, want %v", c.cmd.Display(), got, c.want)
		}
	}
}

func TestRefusePosixOnly(t *testing.T) {
	ops := []Op{ReadFiles{Paths: []NodePath{"/a"}}, Cmd(NodePath("/bin/clpstat")), Shell(`exit 0`), Remove{Path: "/x"}}
	err := RefusePosixOnly("sv1", "cmd", ops)
	var u *UnsupportedError
	if !errors.As(err, &u) || u.Op.Describe() != ops[2].Describe() {
		t.Fatalf("RefusePosixOnly = %v; want the script refused", err)
	}
	if want := `sv1: "sh -c 'exit 0'" is a POSIX-only step; the node's dialect cmd cannot run it`; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if err := RefusePosixOnly("sv1", "cmd", ops[:2]); err != nil {
		t.Errorf("typed ops and a vendor command refused: %v", err)
	}
}

// Probes read their own outcome, whatever else the observation holds, and say when it is
// missing instead of reading a neighbour's.
func TestProbesReadTheirOwnOutcome(t *testing.T) {
	var set ProbeSet
	size := AddProbe(&set, ReadFiles{Paths: []NodePath{"/a"}}, func(o Outcome) (int, error) { return len(o.Files[0].Data), nil })
	code := AddProbe(&set, Cmd("true"), func(o Outcome) (int, error) { return o.ExitCode, nil })
	var unused Probe[int]
	if len(set.Ops()) != 2 || unused.Added() || !size.Added() {
		t.Fatalf("set holds %d ops; Added: %v %v", len(set.Ops()), unused.Added(), size.Added())
	}
	res := []Outcome{{Files: []File{{Data: []byte("four")}}}, {Result: Result{ExitCode: 3}}}
	n, err1 := size.Read(res)
	c, err2 := code.Read(res)
	if err1 != nil || err2 != nil || n != 4 || c != 3 {
		t.Errorf("probes read %d (%v), %d (%v); want 4, 3", n, err1, c, err2)
	}
	if _, err := code.Read(res[:1]); err == nil {
		t.Error("a probe whose outcome is missing read something")
	}
	if _, err := unused.Read(res); err == nil {
		t.Error("a probe not added read something")
	}
}

func TestOutcomeErr(t *testing.T) {
	write := WriteFile{Path: "/etc/x", Mode: 0o644}
	for name, c := range map[string]struct {
		o    Outcome
		want string
		is   error
	}{
		"ok":           {Outcome{Op: write}, "", nil},
		"skipped":      {Outcome{Op: write, Result: Result{ExitCode: ExitSkipped}}, "write /etc/x: not run: an earlier step failed", nil},
		"directory":    {Outcome{Op: write, Result: Result{ExitCode: exitIsDirectory}}, "", ErrIsDirectory},
		"program's 75": {Outcome{Op: Cmd("x"), Result: Result{ExitCode: 75, Stderr: []byte("busy\n")}}, "x: exit 75: busy", nil},
		"failed op":    {Outcome{Op: Remove{Path: "/d"}, Result: Result{ExitCode: 1, Stderr: []byte("rm: denied\n")}}, "remove /d: exit 1: rm: denied", nil},
		"no output":    {Outcome{Op: Cmd("x"), Result: Result{ExitCode: 2}}, "x: exit 2: no error output", nil},
	} {
		err := c.o.Err()
		switch {
		case c.is != nil:
			if !errors.Is(err, c.is) {
				t.Errorf("%s: Err() = %v, want %v", name, err, c.is)
			}
		case c.want == "" && err != nil, c.want != "" && (err == nil || err.Error() != c.want):
			t.Errorf("%s: Err() = %v, want %q", name, err, c.want)
		}
	}
}

// The POSIX decoders read what the scripts print: Stat's y/n lines then stat's size and hex
// mode, ReadFiles' tar stream named by path below the node root.
func TestPosixDecoders(t *testing.T) {
	st := Stat{Paths: []NodePath{"/f", "/missing", "/d"}}
	got := posixDecode(st, Result{Stdout: []byte("y\nn\ny\n12 81a4 1700000000\n4096 41ed 1700000005\n")})
	want := []FileInfo{
		{Path: "/f", Exists: true, Size: 12, Mode: 0o644, ModTime: time.Unix(1700000000, 0)},
		{Path: "/missing"},
		{Path: "/d", Exists: true, Dir: true, Size: 4096, Mode: 0o755, ModTime: time.Unix(1700000005, 0)},
	}
	if diff := cmp.Diff(want, got.Stats); diff != "" || !got.OK() {
		t.Errorf("Stat decoded (-want +got):\n%s (exit %d)", diff, got.ExitCode)
	}
	if cut := posixDecode(st, Result{Stdout: []byte("y\nn\ny\n12 81a4 1700000000\n")}); cut.OK() {
		t.Error("a cut stat answer decoded as a success")
	}
	list := posixDecode(ListDir{Dir: "/b"}, Result{Stdout: []byte("dd 4096 1700000009.123 z\x00f 3 1700000001.9 a b\nc\x00")})
	wantList := []DirEntry{
		{Name: "a b\nc", Size: 3, ModTime: time.Unix(1700000001, 0)},
		{Name: "z", Dir: true, Size: 4096, ModTime: time.Unix(1700000009, 0)},
	}
	if diff := cmp.Diff(wantList, list.Entries); diff != "" || !list.OK() {
		t.Errorf("ListDir decoded (-want +got):\n%s (exit %d)", diff, list.ExitCode)
	}
	missing := posixDecode(ListDir{Dir: "/b"}, Result{})
	empty := posixDecode(ListDir{Dir: "/b"}, Result{Stdout: []byte("d")})
	if missing.Entries != nil || empty.Entries == nil || len(empty.Entries) != 0 {
		t.Errorf("ListDir of a missing directory = %#v, of an empty one %#v; want nil, empty", missing.Entries, empty.Entries)
	}
	if cut := posixDecode(ListDir{Dir: "/b"}, Result{Stdout: []byte("df 3 1 a\x00f 3 1 b")}); cut.OK() {
		t.Error("a cut listing decoded as a success")
	}
	created := posixDecode(CreateExclusive{Path: "/l"}, Result{})
	existed := posixDecode(CreateExclusive{Path: "/l"}, Result{Stdout: []byte(createExisted + "\n")})
	if !created.Created || !created.OK() || existed.Created || !existed.OK() {
		t.Errorf("CreateExclusive: created %+v, existed %+v", created, existed)
	}
	if garbled := posixDecode(CreateExclusive{Path: "/l"}, Result{Stdout: []byte("exist")}); garbled.OK() || garbled.Created {
		t.Errorf("CreateExclusive with unexpected output = %+v; want a failure", garbled)
	}
	if failed := posixDecode(CreateExclusive{Path: "/l"}, Result{ExitCode: 70}); failed.OK() || failed.Created {
		t.Errorf("CreateExclusive exit 70 = %+v; want a failure", failed)
	}
}

// The rendered ops run under a real /bin/sh here (the local node's way), in one Batch-like
// sequence: a cross-check of the scripts without any transport.
func TestPosixScriptsRunUnderSh(t *testing.T) {
	if _, err := exec.LookPath("tar"); err != nil {
		t.Skip("no tar on this machine")
	}
	root := t.TempDir()
	run := func(op Op) Outcome {
		c, err := PosixCommand(op)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.CommandContext(context.Background(), "/bin/sh", "-c", c.String())
		cmd.Env = []string{"CLUSTER_NODE_ROOT=" + root, "PATH=/usr/bin:/bin"}
		cmd.Stdin = bytes.NewReader(c.Stdin)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err = cmd.Run()
		r := Result{Stdout: out.Bytes(), Stderr: errb.Bytes()}
		if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
			r.ExitCode = ee.ExitCode()
		}
		return posixDecode(op, r)
	}
	if o := run(WriteFile{Path: "/etc/a b", Data: []byte("x\x00y"), Mode: 0o600}); o.Err() != nil {
		t.Fatal(o.Err())
	}
	o := run(ReadFiles{Paths: []NodePath{"/etc/a b", "/etc/none"}})
	want := []File{{Path: "/etc/a b", Exists: true, Data: []byte("x\x00y"), Mode: fs.FileMode(0o600)}, {Path: "/etc/none"}}
	if diff := cmp.Diff(want, o.Files, cmp.Comparer(bytes.Equal)); diff != "" || o.Err() != nil {
		t.Errorf("ReadFiles after WriteFile (-want +got):\n%s (%v)", diff, o.Err())
	}
}
