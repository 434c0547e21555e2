package lab

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"

	"github.com/clusterctl/cluster/lab/labdir"
	"github.com/clusterctl/cluster/lab/wincmd"
)

func startWindowsLab(t *testing.T, names ...string) *Lab {
	t.Helper()
	l, err := StartInProcess(Options{Dir: t.TempDir(), Names: names, Binary: clusterBinary, Windows: []string{"*"}, CodePage: 932})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// TestWindowsNodeExec: a Windows node runs exec requests as cmd.exe /c does: the vendor
// programs by their C:\ paths, CRLF, CP932, and nothing POSIX.
func TestWindowsNodeExec(t *testing.T) {
	l := startWindowsLab(t, "sv1", "sv2")
	for _, n := range l.Registry().Nodes {
		if n.Dialect != labdir.DialectCmd || n.CodePage != 932 {
			t.Errorf("registry node %s: dialect %q code page %d", n.Name, n.Dialect, n.CodePage)
		}
	}
	c, err := dial(t, l, "sv1", clientConfig(t, l.Dir))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fs, err := sftp.NewClient(c)
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close()
	conf := `<?xml version="1.0" encoding="SJIS"?>
<root><cluster><name>win</name></cluster>
<server name="sv1"><priority>0</priority></server>
<server name="sv2"><priority>1</priority></server>
<group name="iis"/></root>
`
	if err := fs.MkdirAll("/C:/cfg"); err != nil {
		t.Fatal(err)
	}
	writeSFTP(t, fs, "/C:/cfg/clp.conf", conf)

	bin := `"C:\Program Files\EXPRESSCLUSTER\bin\`
	if out, errOut, code := runOn(t, c, bin+`clpcfctrl.exe" --push -l -x C:\cfg`, nil); code != 0 {
		t.Fatalf("clpcfctrl --push: exit %d: %s%s", code, out, errOut)
	}
	if out, errOut, code := runOn(t, c, bin+`clpcl.exe" -s -a`, nil); code != 0 {
		t.Fatalf("clpcl -s -a: exit %d: %s%s", code, out, errOut)
	}
	raw, errOut, code := runOn(t, c, bin+`clpstat.exe"`, nil)
	if code != 0 {
		t.Fatalf("clpstat: exit %d: %s", code, errOut)
	}
	out, err := wincmd.CP932.Decode([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "current        : sv1") || strings.Count(out, "\n") != strings.Count(out, "\r\n") || !strings.HasSuffix(out, "\r\n") {
		t.Errorf("clpstat output is not the status with CRLF line ends:\n%q", out)
	}
	// The file went where C:\Program Files\EXPRESSCLUSTER is, on both nodes.
	for _, n := range l.Registry().Nodes {
		if _, err := os.Stat(filepath.Join(n.Root, "c/Program Files/EXPRESSCLUSTER/etc/clp.conf")); err != nil {
			t.Errorf("%s: %v", n.Name, err)
		}
	}
	// sc.exe and reg.exe answer from system32, by name through PATH too.
	if out, errOut, code := runOn(t, c, `sc qc W3SVC`, nil); code != 0 || !strings.Contains(out, "SERVICE_NAME: W3SVC\r\n") {
		t.Errorf("sc qc: exit %d: %q %q", code, out, errOut)
	}

	// Nothing POSIX: no /bin/sh, no chains, no builtins.
	for _, tc := range []struct {
		command string
		code    int
		want    string
	}{
		{"/bin/sh -c true", wincmd.NotRecognized, "'/bin/sh' は、内部コマンドまたは外部コマンド、\r\n"},
		{"sh -c 'echo hi'", wincmd.NotRecognized, "'sh' は、"},
		{`C:\Windows\system32\sc.exe qc a && C:\Windows\system32\sc.exe qc b`, wincmd.Refused, "operator &&"},
		{`echo hi`, wincmd.Refused, "builtin echo"},
		{`C:\Windows\system32\cmd.exe /c echo hi`, wincmd.Refused, "not an emulated program"},
	} {
		out, errOut, code := runOn(t, c, tc.command, nil)
		msg, _ := wincmd.CP932.Decode([]byte(errOut))
		if code != tc.code || !strings.Contains(msg, tc.want) || out != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q: want %d and %q", tc.command, code, out, msg, tc.code, tc.want)
		}
	}

	// No terminal: the tool must never ask for one.
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RequestPty("xterm", 24, 80, ssh.TerminalModes{}); err == nil {
		t.Error("pty request accepted")
	}
	s.Close()
}

// TestWindowsNodeSFTP: Win32-OpenSSH's path form and rename semantics.
func TestWindowsNodeSFTP(t *testing.T) {
	l := startWindowsLab(t, "sv1")
	c, err := dial(t, l, "sv1", clientConfig(t, l.Dir))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fs, err := sftp.NewClient(c)
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close()

	if wd, err := fs.Getwd(); err != nil || wd != "/C:/Users/Administrator" {
		t.Errorf("start directory %q, %v", wd, err)
	}
	if _, err := fs.Stat("/etc/passwd"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("/etc/passwd: %v, want not found", err)
	}
	if _, err := fs.Stat("/c/Program Files"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("/c/Program Files (MSYS form): %v, want not found", err)
	}
	drives, err := fs.ReadDir("/")
	var names []string
	for _, d := range drives {
		if d.IsDir() {
			names = append(names, d.Name())
		}
	}
	if err != nil || strings.Join(names, " ") != "C: D: E:" {
		t.Errorf("ReadDir(/) = %v, %v: want the drives C: D: E:", names, err)
	}
	// Every drive the node has is served alike (misc.c realpath: "/x:..." is x:...); a path
	// on a drive it lacks is not found, and nothing can be made there.
	writeSFTP(t, fs, "/E:/HiOBJ/sts/sts1b", "b")
	if st, err := fs.Stat("/e:/hiobj/STS/sts1b"); err != nil || st.Size() != 1 {
		t.Errorf("a file on E:: %v, %v", st, err)
	}
	if st, err := fs.Stat("/D:/HiOBJ/bin/xodstsinit.exe"); err != nil || st.IsDir() {
		t.Errorf("D:\\HiOBJ\\bin\\xodstsinit.exe: %v", err)
	}
	if _, err := fs.Stat("/D:/HiOBJ/bin/xodstsinit"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an extensionless xodstsinit on a Windows node: %v, want not found", err)
	}
	if _, err := fs.Stat("/F:/"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("/F:/ on a node without F:: %v, want not found", err)
	}
	if err := fs.MkdirAll("/F:/HiOBJ"); err == nil {
		t.Error("a directory was made on a drive the node lacks")
	}
	// NTFS names ignore case.
	if st, err := fs.Stat("/c:/program files/expresscluster/BIN/CLPSTAT.EXE"); err != nil || st.IsDir() {
		t.Errorf("case-insensitive stat: %v", err)
	}

	// The programs cannot be changed (Windows: access denied), nor can an uploaded file named
	// like one be run.
	if _, err := fs.OpenFile("/C:/Windows/system32/sc.exe", os.O_WRONLY|os.O_TRUNC); !errors.Is(err, os.ErrPermission) {
		t.Errorf("truncating sc.exe: %v, want permission denied", err)
	}
	if err := fs.Remove("/C:/Program Files/EXPRESSCLUSTER/bin/clpstat.exe"); !errors.Is(err, os.ErrPermission) {
		t.Errorf("removing clpstat.exe: %v, want permission denied", err)
	}
	writeSFTP(t, fs, "/C:/evil/clpstat.exe", "#!/bin/sh\necho pwned\n")
	host := filepath.Join(l.Registry().Nodes[0].Root, "c", "evil", "clpstat.exe")
	if err := os.Chmod(host, 0o755); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runOn(t, c, `C:\evil\clpstat.exe`, nil)
	if code != wincmd.Refused || strings.Contains(out, "pwned") || !strings.Contains(errOut, "not an emulated program") {
		t.Errorf("uploaded clpstat.exe: exit %d, %q %q", code, out, errOut)
	}

	writeSFTP(t, fs, "/C:/data/a.txt", "old")
	writeSFTP(t, fs, "/C:/data/a.tmp", "new")
	if err := fs.Rename("/C:/data/a.tmp", "/C:/data/a.txt"); err == nil {
		t.Error("plain rename onto an existing file succeeded (MoveFileW fails)")
	}
	if ok := hasExtension(fs, "fsync@openssh.com"); !ok {
		t.Error("fsync@openssh.com not offered")
	}
	f, err := fs.OpenFile("/C:/data/a.tmp", os.O_WRONLY)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		t.Errorf("fsync: %v", err)
	}
	f.Close()
	if err := fs.PosixRename("/C:/data/a.tmp", "/C:/data/a.txt"); err != nil {
		t.Fatalf("posix-rename: %v", err)
	}
	if got := readSFTP(t, fs, "/C:/data/a.txt"); got != "new" {
		t.Errorf("after posix-rename: %q", got)
	}
	if _, err := fs.Stat("/C:/data/a.tmp"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("source after rename: %v", err)
	}
	// Exclusive create fails on an existing file, works on a new one.
	if _, err := fs.OpenFile("/C:/data/a.txt", os.O_WRONLY|os.O_CREATE|os.O_EXCL); err == nil {
		t.Error("exclusive create of an existing file succeeded")
	}
	f, err = fs.OpenFile("/C:/data/lock", os.O_WRONLY|os.O_CREATE|os.O_EXCL)
	if err != nil {
		t.Fatalf("exclusive create: %v", err)
	}
	f.Close()
	// Win32-OpenSSH issue 1849: a rename onto itself deletes the file.
	if err := fs.PosixRename("/C:/data/lock", "/C:/data/LOCK"); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Stat("/C:/data/lock"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("self-rename kept the file: %v", err)
	}
	// A large file crosses many data packets, concurrently: the packet framing of the fsync
	// extension must keep them whole.
	big := strings.Repeat("0123456789abcdef", 1<<16)
	writeSFTP(t, fs, "/C:/data/big.bin", big)
	if got := readSFTP(t, fs, "/C:/data/big.bin"); got != big {
		t.Errorf("1 MiB file read back with %d bytes, differing", len(got))
	}
	if err := fs.Remove("/C:/data/big.bin"); err != nil {
		t.Error(err)
	}
	if err := fs.Remove("/C:/data/a.txt"); err != nil {
		t.Error(err)
	}
	if err := fs.RemoveDirectory("/C:/data"); err != nil {
		t.Error(err)
	}
	host = filepath.Join(l.Registry().Nodes[0].Root, "c", "data")
	if _, err := os.Stat(host); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("C:\\data still on the host: %v", err)
	}
}

func writeSFTP(t *testing.T, fs *sftp.Client, p, content string) {
	t.Helper()
	if err := fs.MkdirAll(p[:strings.LastIndexByte(p, '/')]); err != nil {
		t.Fatal(err)
	}
	f, err := fs.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC)
	if err != nil {
		t.Fatalf("create %s: %v", p, err)
	}
	if _, err := io.WriteString(f, content); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func readSFTP(t *testing.T, fs *sftp.Client, p string) string {
	t.Helper()
	f, err := fs.Open(p)
	if err != nil {
		t.Fatalf("open %s: %v", p, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func hasExtension(fs *sftp.Client, name string) bool {
	_, ok := fs.HasExtension(name)
	return ok
}

// TestWindowsNodeGroupmaxPrograms: the object server's status-file commands are
// <install>\bin\NAME.exe on a Windows node (the lab's install D:\HiOBJ), started by cmd.exe like
// CLUSTERPRO's: their output comes with CRLF, the files they make are on the drive named, and a
// bare name is not found (D:\HiOBJ\bin is not on PATH).
func TestWindowsNodeGroupmaxPrograms(t *testing.T) {
	l := startWindowsLab(t, "objsv")
	c, err := dial(t, l, "objsv", clientConfig(t, l.Dir))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	root := l.Registry().Nodes[0].Root

	out, errOut, code := runOn(t, c, `D:\HiOBJ\bin\xodstsinit.exe -f E:\HiOBJ\sts\sts1b`, nil)
	if code != 0 || !strings.HasSuffix(out, " initialized.\r\n") || strings.Count(out, "\n") != strings.Count(out, "\r\n") {
		t.Errorf("xodstsinit.exe: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if st, err := os.Stat(filepath.Join(root, "e/HiOBJ/sts/sts1b")); err != nil || st.Size() != 4096 {
		t.Errorf("E:\\HiOBJ\\sts\\sts1b after xodstsinit.exe: %v", err)
	}
	// xodstsopn reads the definition in its own install directory, D:\HiOBJ\conf\sts: there is none.
	_, errOut, code = runOn(t, c, `"D:\HiOBJ\bin\xodstsopn.exe" -n sts1`, nil)
	if code != 1 || !strings.Contains(errOut, "status service definition") || !strings.HasSuffix(errOut, "\r\n") {
		t.Errorf("xodstsopn.exe without a definition: exit %d, stderr %q", code, errOut)
	}
	if _, _, code := runOn(t, c, `xodstsinit -f D:\x`, nil); code != wincmd.NotRecognized {
		t.Errorf("a bare xodstsinit: exit %d, want %d (not on PATH)", code, wincmd.NotRecognized)
	}
	if _, err := os.Stat(filepath.Join(root, "d/x")); !os.IsNotExist(err) {
		t.Errorf("D:\\x exists after a refused command (%v)", err)
	}
}
