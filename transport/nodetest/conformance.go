package nodetest

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/transport"
)

// sessionCounter is implemented by nodes that count their sessions (sshnode.Node, fake.Node).
type sessionCounter interface{ Stats() (sessions int) }

// RunConformance checks Run, Batch, ReadFiles and WriteFile semantics, and every op of
// transport.Do (ops.go). newNode is called once
// per subtest; the nodes it returns may share a file system: every subtest works under its own
// directory /nodetest/<subtest>.
func RunConformance(t *testing.T, newNode func(t *testing.T) transport.Node) {
	for _, c := range []struct {
		name string
		run  func(t *testing.T, n transport.Node, base transport.NodePath)
	}{
		{"RunEchoesBinaryStdin", testRunBinaryStdin},
		{"RunExitCodes", testRunExitCodes},
		{"RunIgnoresUnreadStdin", testRunUnreadStdin},
		{"BatchKeepsGoingAfterFailure", testBatch},
		{"BatchEmpty", testBatchEmpty},
		{"BatchShellForm", testBatchShellForm},
		{"WriteThenRead", testWriteThenRead},
		{"WriteKeepsExistingMode", testWriteKeepsMode},
		{"WriteQuotedPath", testWriteQuotedPath},
		{"WriteOntoDirectoryFails", testWriteOntoDirectory},
		{"OneSessionPerOperation", testOneSession},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.run(t, newNode(t), transport.NodePath("/nodetest/"+c.name))
		})
	}
	for _, c := range opTests {
		t.Run(c.name, func(t *testing.T) {
			c.run(t, newNode(t), transport.NodePath("/nodetest/"+c.name))
		})
	}
}

func ctx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// allBytes is every byte value, twice, around a NUL-heavy middle: what a here-doc or a text
// protocol would damage.
func allBytes() []byte {
	var b bytes.Buffer
	for range 2 {
		for i := range 256 {
			b.WriteByte(byte(i))
		}
		b.Write([]byte("\x00\n\r\n'\"$(id)`id`\\\x00"))
	}
	return b.Bytes()
}

func testRunBinaryStdin(t *testing.T, n transport.Node, _ transport.NodePath) {
	in := allBytes()
	r, err := n.Run(ctx(t), transport.Cmd("cat").WithStdin(in))
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if r.ExitCode != 0 || !bytes.Equal(r.Stdout, in) {
		t.Errorf("cat echoed %d bytes (exit %d), want the %d bytes sent", len(r.Stdout), r.ExitCode, len(in))
	}
}

func testRunExitCodes(t *testing.T, n transport.Node, base transport.NodePath) {
	for _, c := range []struct {
		cmd      transport.Command
		wantExit int
		stderr   string
	}{
		{transport.Cmd("true"), 0, ""},
		{transport.Cmd("false"), 1, ""},
		{transport.Cmd("cat", base.Join("missing")), 1, "No such file"},
	} {
		r, err := n.Run(ctx(t), c.cmd)
		if err != nil {
			t.Fatalf("%s: %v", c.cmd, err)
		}
		if r.ExitCode != c.wantExit || r.OK() != (c.wantExit == 0) {
			t.Errorf("%s: exit %d, want %d", c.cmd, r.ExitCode, c.wantExit)
		}
		if !strings.Contains(string(r.Stderr), c.stderr) {
			t.Errorf("%s: stderr %q, want it to contain %q", c.cmd, r.Stderr, c.stderr)
		}
	}
}

func testRunUnreadStdin(t *testing.T, n transport.Node, _ transport.NodePath) {
	// A command that exits without reading a large stdin must not hang the transport.
	r, err := n.Run(ctx(t), transport.Cmd("true").WithStdin(bytes.Repeat([]byte("x"), 4<<20)))
	if err != nil || r.ExitCode != 0 {
		t.Fatalf("true with unread stdin: %v, exit %d", err, r.ExitCode)
	}
}

func testBatch(t *testing.T, n transport.Node, base transport.NodePath) {
	big := bytes.Repeat(allBytes(), 200) // ~115 KB, more than any pipe buffer
	cmds := []transport.Command{
		transport.Cmd("cat").WithStdin([]byte("one")),
		transport.Cmd("false"),
		transport.Cmd("cat", base.Join("missing")),
		transport.Cmd("cat").WithStdin(big),
		transport.Cmd("cat"), // no stdin: reads nothing, not the next command's input
		transport.Cmd("cat").WithStdin([]byte("last")),
	}
	got, err := n.Batch(ctx(t), cmds)
	if err != nil {
		t.Fatalf("Batch: %v", err)
	}
	if len(got) != len(cmds) {
		t.Fatalf("Batch returned %d results for %d commands", len(got), len(cmds))
	}
	// Stderr wording varies by implementation; check it separately.
	if !strings.Contains(string(got[2].Stderr), "No such file") {
		t.Errorf("stderr of cat missing = %q", got[2].Stderr)
	}
	got[2].Stderr = nil
	want := []transport.Result{
		{Stdout: []byte("one")},
		{ExitCode: 1},
		{ExitCode: 1},
		{Stdout: big},
		{},
		{Stdout: []byte("last")},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(bytes.Equal)); diff != "" {
		t.Errorf("Batch results (-want +got):\n%s", diff)
	}
}

// testBatchShellForm runs the multi-step form "sh -c SCRIPT NAME ARGS...", which a shell-based
// batch may run in its own subshell: arguments, stdin and exit status must be as with a new sh.
func testBatchShellForm(t *testing.T, n transport.Node, _ transport.NodePath) {
	if r, err := n.Run(ctx(t), transport.Shell("exit 0")); err != nil || r.ExitCode == 127 {
		t.Skipf("node runs no shell (%v, exit %d)", err, r.ExitCode)
	}
	cmds := []transport.Command{
		transport.Shell(`printf '%s|' "$#" "$@"; cat; exit 3`, "a b", "$(x)", "-e"),
		transport.Shell(`cat; exec sh -c 'exit 4'`).WithStdin([]byte("in")),
		transport.Shell(`echo "$x" >&2; x=set`),
		transport.Shell(`printf '%s' "${x-unset}"`),
		// Beside a command with stdin, whose data a batch may stage in a directory of its own.
		transport.Shell(`printf '%s' "${d-unset}"; cat`).WithStdin([]byte("+in")),
	}
	got, err := n.Batch(ctx(t), cmds)
	if err != nil {
		t.Fatalf("Batch: %v", err)
	}
	want := []transport.Result{
		{ExitCode: 3, Stdout: []byte("3|a b|$(x)|-e|")},
		{ExitCode: 4, Stdout: []byte("in")},
		{Stderr: []byte("\n")},
		{Stdout: []byte("unset")}, // nothing leaks from one command to the next
		{Stdout: []byte("unset+in")},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(bytes.Equal)); diff != "" {
		t.Errorf("Batch results (-want +got):\n%s", diff)
	}
}

func testBatchEmpty(t *testing.T, n transport.Node, _ transport.NodePath) {
	got, err := n.Batch(ctx(t), nil)
	if err != nil || len(got) != 0 {
		t.Errorf("empty Batch = %v, %v; want no results, no error", got, err)
	}
}

func testWriteThenRead(t *testing.T, n transport.Node, base transport.NodePath) {
	data := allBytes()
	deep := base.Join("a", "b", "c.conf")
	empty := base.Join("empty")
	if err := n.WriteFile(ctx(t), deep, data, 0o640); err != nil {
		t.Fatalf("WriteFile into missing directories: %v", err)
	}
	if err := n.WriteFile(ctx(t), empty, nil, 0o600); err != nil {
		t.Fatalf("WriteFile empty: %v", err)
	}
	got, err := n.ReadFiles(ctx(t), []transport.NodePath{deep, base.Join("missing"), empty})
	if err != nil {
		t.Fatalf("ReadFiles: %v", err)
	}
	want := []transport.File{
		{Path: deep, Exists: true, Data: data, Mode: 0o640},
		{Path: base.Join("missing")},
		{Path: empty, Exists: true, Data: []byte{}, Mode: 0o600},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(bytes.Equal)); diff != "" {
		t.Errorf("ReadFiles (-want +got):\n%s", diff)
	}
}

func testWriteKeepsMode(t *testing.T, n transport.Node, base transport.NodePath) {
	p := base.Join("secret")
	if err := n.WriteFile(ctx(t), p, []byte("v1"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := n.WriteFile(ctx(t), p, []byte("v2"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := readOne(t, n, p)
	if string(got.Data) != "v2" || got.Mode != 0o600 {
		t.Errorf("after rewrite: %q mode %v, want \"v2\" mode %v (kept)", got.Data, got.Mode, fs.FileMode(0o600))
	}
}

func testWriteQuotedPath(t *testing.T, n transport.Node, base transport.NodePath) {
	p := base.Join(`it's a "file" $(id)`)
	if err := n.WriteFile(ctx(t), p, []byte("quoted"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := n.Run(ctx(t), transport.Cmd("cat", p))
	if err != nil || string(r.Stdout) != "quoted" {
		t.Errorf("cat %q = %q (exit %d, %v); want \"quoted\"", p, r.Stdout, r.ExitCode, err)
	}
}

func testWriteOntoDirectory(t *testing.T, n transport.Node, base transport.NodePath) {
	dir := base.Join("etc")
	inner := dir.Join("clp.conf")
	if err := n.WriteFile(ctx(t), inner, []byte("inside"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := n.WriteFile(ctx(t), dir, []byte("would land inside the directory"), 0o644)
	if err == nil {
		t.Fatalf("WriteFile onto the directory %s succeeded; want an error", dir)
	}
	if !errors.Is(err, transport.ErrIsDirectory) || !strings.Contains(err.Error(), string(dir)) || !strings.Contains(err.Error(), n.Name()) {
		t.Errorf("WriteFile onto a directory: error %q; want transport.ErrIsDirectory naming the node and %s", err, dir)
	}
	// Nothing was moved into the directory, and what it held is intact.
	r, rerr := n.Run(ctx(t), transport.Cmd("ls", "-A", dir))
	if rerr != nil {
		t.Fatal(rerr)
	}
	if got := strings.TrimSpace(string(r.Stdout)); r.ExitCode == 0 && got != "clp.conf" {
		t.Errorf("after the refused write the directory holds %q; want only clp.conf", got)
	}
	if got := readOne(t, n, inner); string(got.Data) != "inside" {
		t.Errorf("%s = %q after the refused write; want \"inside\"", inner, got.Data)
	}
}

func testOneSession(t *testing.T, n transport.Node, base transport.NodePath) {
	sc, ok := n.(sessionCounter)
	if !ok {
		t.Skip("node does not count sessions")
	}
	steps := []struct {
		name string
		do   func() error
	}{
		{"Run", func() error { _, err := n.Run(ctx(t), transport.Cmd("true")); return err }},
		{"Batch", func() error {
			_, err := n.Batch(ctx(t), []transport.Command{transport.Cmd("true"), transport.Cmd("false"), transport.Cmd("cat").WithStdin([]byte("x"))})
			return err
		}},
		{"WriteFile", func() error { return n.WriteFile(ctx(t), base.Join("f"), []byte("x"), 0o644) }},
		{"ReadFiles", func() error {
			_, err := n.ReadFiles(ctx(t), []transport.NodePath{base.Join("f"), base.Join("g"), base.Join("h")})
			return err
		}},
	}
	for _, s := range steps {
		before := sc.Stats()
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if d := sc.Stats() - before; d != 1 {
			t.Errorf("%s used %d sessions, want 1", s.name, d)
		}
	}
}

func readOne(t *testing.T, n transport.Node, p transport.NodePath) transport.File {
	t.Helper()
	fs, err := n.ReadFiles(ctx(t), []transport.NodePath{p})
	if err != nil || len(fs) != 1 {
		t.Fatalf("ReadFiles(%s) = %v, %v", p, fs, err)
	}
	return fs[0]
}
