package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/clusterctl/cluster/lab/opensshtest"
	"github.com/clusterctl/cluster/lab/wincmd"
)

// startWindowsSSHD starts one Windows-dialect node called sv1 on real sshd
// (opensshtest.StartWindowsCluster): the labcmd login shell in a chroot laid out as a lab
// Windows node, the emulated CLUSTERPRO commands reaching their cluster through the peer link.
func startWindowsSSHD(t *testing.T) (*opensshtest.Cluster, *ssh.Client) {
	t.Helper()
	c := opensshtest.StartWindowsCluster(t, labcmdBinary(t), 932, "sv1")
	return c, sshClient(t, c, 0)
}

// labcmdBinary builds lab/wincmd/cmd/labcmd once for the package: static, since nothing else
// exists in a Windows-dialect node's chroot.
func labcmdBinary(t testing.TB) string {
	t.Helper()
	labcmdOnce.Do(func() {
		labcmdPath = filepath.Join(filepath.Dir(binary), "labcmd")
		build := exec.Command("go", "build", "-o", labcmdPath, "./lab/wincmd/cmd/labcmd")
		build.Dir = repoRoot()
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := build.CombinedOutput(); err != nil {
			labcmdErr = fmt.Errorf("build labcmd: %v\n%s", err, out)
		}
	})
	if labcmdErr != nil {
		t.Fatal(labcmdErr)
	}
	return labcmdPath
}

var (
	labcmdOnce sync.Once
	labcmdPath string
	labcmdErr  error
)

// sshClient connects to node i of c as the harness's client.
func sshClient(t testing.TB, c *opensshtest.Cluster, i int) *ssh.Client {
	t.Helper()
	return dialNode(t, c.Nodes[i].Address, c.Nodes[i].Port, c.User, c.IdentityFile, c.KnownHostsFile)
}

// dialNode connects to address:port as user with the private key in keyFile, the host key
// checked against knownHostsFile; the connection is closed when the test ends.
func dialNode(t testing.TB, address string, port int, user, keyFile, knownHostsFile string) *ssh.Client {
	t.Helper()
	client, err := dialSSH(address, port, user, keyFile, knownHostsFile)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	return client
}

// dialSSH connects to a node with the key and known_hosts file of the harness, as the tool's
// client does (x/crypto/ssh, its default key exchange and ciphers).
func dialSSH(address string, port int, user, keyFile, knownHostsFile string) (*ssh.Client, error) {
	key, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, err
	}
	signer, err := ssh.ParsePrivateKey(key)
	if err != nil {
		return nil, err
	}
	hostKeys, err := knownhosts.New(knownHostsFile)
	if err != nil {
		return nil, err
	}
	return ssh.Dial("tcp", net.JoinHostPort(address, strconv.Itoa(port)), &ssh.ClientConfig{
		User: user, Auth: []ssh.AuthMethod{ssh.PublicKeys(signer)}, HostKeyCallback: hostKeys, Timeout: 10 * time.Second,
	})
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
