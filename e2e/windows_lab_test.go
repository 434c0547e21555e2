package e2e

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/clusterctl/cluster/lab"
	"github.com/clusterctl/cluster/lab/labdir"
	"github.com/clusterctl/cluster/lab/opensshtest"
	"github.com/clusterctl/cluster/lab/wincmd"
)

// startWindowsSSHD starts one Windows-dialect node on real sshd (opensshtest
// WithWindowsShell): the labcmd login shell in a chroot laid out as a lab Windows node called
// sv1, with a registry of its own inside the chroot so the emulated CLUSTERPRO commands find
// their node.
func startWindowsSSHD(t *testing.T) (*opensshtest.Cluster, *ssh.Client) {
	t.Helper()
	labcmd := filepath.Join(t.TempDir(), "labcmd")
	build := exec.Command("go", "build", "-o", labcmd, "./lab/wincmd/cmd/labcmd")
	build.Dir = repoRoot()
	build.Env = append(os.Environ(), "CGO_ENABLED=0") // static: nothing else exists in the chroot
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build labcmd: %v\n%s", err, out)
	}
	c := opensshtest.Start(t, 1, opensshtest.WithWindowsShell(labcmd, 932))
	node := c.Nodes[0]
	const inChrootLab = "/.labdir"
	if err := lab.PrepareWindowsRoot(node.Root, "sv1", inChrootLab, node.ShellPath); err != nil {
		t.Fatal(err)
	}
	reg := labdir.Registry{Nodes: []labdir.Node{{Name: "sv1", Root: "/", Dialect: labdir.DialectCmd, CodePage: 932}}}
	if err := labdir.WriteRegistry(filepath.Join(node.Root, inChrootLab), reg); err != nil {
		t.Fatal(err)
	}
	key, err := os.ReadFile(c.IdentityFile)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.ParsePrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	hostKeys, err := knownhosts.New(c.KnownHostsFile)
	if err != nil {
		t.Fatal(err)
	}
	client, err := ssh.Dial("tcp", net.JoinHostPort(node.Address, strconv.Itoa(node.Port)), &ssh.ClientConfig{
		User: c.User, Auth: []ssh.AuthMethod{ssh.PublicKeys(signer)}, HostKeyCallback: hostKeys, Timeout: 10 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	return c, client
}

func execOn(t *testing.T, c *ssh.Client, command string) (stdout, stderr string, code int) {
	t.Helper()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var o, e bytes.Buffer
	s.Stdout, s.Stderr = &o, &e
	err = s.Run(command)
	var exit *ssh.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		code = exit.ExitStatus()
	default:
		t.Fatalf("%q: %v", command, err)
	}
	return o.String(), e.String(), code
}

// TestWindowsDialectOnRealSSHD: through real sshd, an exec request behaves as on Microsoft's
// OpenSSH with cmd.exe (vendor programs by C:\ path, CRLF, CP932, no POSIX shell), and the
// real internal-sftp serves the node's C: drive at /C:.
func TestWindowsDialectOnRealSSHD(t *testing.T) {
	c, client := startWindowsSSHD(t)
	fs, err := sftp.NewClient(client)
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close()

	if wd, err := fs.Getwd(); err != nil || wd != "/C:/Users/Administrator" {
		t.Errorf("sftp start directory %q, %v", wd, err)
	}
	if _, ok := fs.HasExtension("fsync@openssh.com"); !ok {
		t.Error("internal-sftp does not offer fsync@openssh.com")
	}
	if _, err := fs.Stat("/etc/passwd"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("/etc/passwd over SFTP: %v, want not found", err)
	}
	conf := `<?xml version="1.0" encoding="SJIS"?>
<root><cluster><name>win</name></cluster>
<server name="sv1"><priority>0</priority></server>
<group name="iis"/></root>
`
	if err := fs.MkdirAll("/C:/cfg"); err != nil {
		t.Fatal(err)
	}
	put(t, fs, "/C:/cfg/clp.tmp", conf)
	put(t, fs, "/C:/cfg/clp.conf", "old")
	if err := fs.Rename("/C:/cfg/clp.tmp", "/C:/cfg/clp.conf"); err == nil {
		t.Error("plain rename onto an existing file succeeded")
	}
	if err := fs.PosixRename("/C:/cfg/clp.tmp", "/C:/cfg/clp.conf"); err != nil {
		t.Fatalf("posix-rename: %v", err)
	}

	bin := `"C:\Program Files\EXPRESSCLUSTER\bin\`
	if out, errOut, code := execOn(t, client, bin+`clpcfctrl.exe" --push -l -x C:\cfg`); code != 0 {
		t.Fatalf("clpcfctrl --push: exit %d: %s%s", code, out, errOut)
	}
	if out, errOut, code := execOn(t, client, bin+`clpcl.exe" -s -a`); code != 0 {
		t.Fatalf("clpcl -s -a: exit %d: %s%s", code, out, errOut)
	}
	raw, errOut, code := execOn(t, client, bin+`clpstat.exe"`)
	out, _ := wincmd.CP932.Decode([]byte(raw))
	if code != 0 || !strings.Contains(out, "current        : sv1\r\n") || strings.Count(out, "\n") != strings.Count(out, "\r\n") {
		t.Errorf("clpstat.exe: exit %d, stderr %q, stdout not the status with CRLF:\n%q", code, errOut, out)
	}
	if _, err := os.Stat(filepath.Join(c.Nodes[0].Root, "c/Program Files/EXPRESSCLUSTER/etc/clp.conf")); err != nil {
		t.Errorf("clp.conf not installed under C:: %v", err)
	}

	// sshd on Linux reports a process's 8-bit exit status: cmd.exe's 9009 arrives as 9009 mod
	// 256 (49), where Microsoft's OpenSSH would send 9009 itself.
	const notRecognized = wincmd.NotRecognized & 0xff
	for _, tc := range []struct {
		command string
		code    int
		want    string
	}{
		{"/bin/sh -c true", notRecognized, "'/bin/sh' は、内部コマンドまたは外部コマンド、\r\n操作可能なプログラムまたはバッチ ファイルとして認識されていません。\r\n"},
		{"true", notRecognized, "'true' は、"},
		{`C:\Windows\system32\sc.exe qc a | C:\Windows\system32\sc.exe qc b`, wincmd.Refused, "operator |"},
		{`dir C:\`, wincmd.Refused, "builtin dir"},
	} {
		out, errOut, code := execOn(t, client, tc.command)
		msg, _ := wincmd.CP932.Decode([]byte(errOut))
		if code != tc.code || !strings.Contains(msg, tc.want) || out != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q: want %d and %q", tc.command, code, out, msg, tc.code, tc.want)
		}
	}
}

func put(t *testing.T, fs *sftp.Client, p, content string) {
	t.Helper()
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
