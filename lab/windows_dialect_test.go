package lab

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/clusterctl/cluster/lab/wincmd"
	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/nodetest"
	"github.com/clusterctl/cluster/transport/sshnode"
)

// echoReg is nodetest's Echo for the reg.exe emulation: `reg query KEY` prints the key
// between two line ends and ends with a blank line, as reg-query-values.txt shows (CRLF, in the
// node's code page, on the wire).
func echoReg(arg string) (transport.Command, string) {
	return transport.Cmd(transport.NodePath(`C:\Windows\system32\reg.exe`), "query", arg), fmt.Sprintf("\n%s\n\n", arg)
}

// connectShell connects to lab node name through the real SSH transport with the given shell
// and code page.
func connectShell(t *testing.T, l *Lab, name, shell string, codePage int, warn func(string)) (*sshnode.Node, error) {
	t.Helper()
	n, ok := l.Registry().Node(name)
	if !ok {
		t.Fatalf("no lab node %s", name)
	}
	off := false
	if warn == nil {
		warn = func(string) {}
	}
	pool := sshnode.NewPool(sshnode.Options{Home: t.TempDir(), Getenv: func(string) string { return "" }, Warn: warn})
	t.Cleanup(func() { pool.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	node, err := pool.Connect(ctx, n.Name, transport.Endpoint{Address: n.Address, Port: n.Port, SSH: transport.SSHSettings{
		User:           currentUser(t),
		IdentityFiles:  []string{filepath.Join(l.Dir, ClientKeyFile)},
		KnownHostsFile: filepath.Join(l.Dir, KnownHostsFile),
		Agent:          &off,
		UseSSHConfig:   &off,
		Shell:          shell,
		CodePage:       codePage,
	}})
	if err != nil {
		return nil, err
	}
	// The dialect check runs with the first operation.
	_, err = transport.Do(ctx, node, transport.Stat{Paths: []transport.NodePath{`C:\Windows`}})
	return node, err
}

// TestWindowsLabNodeConformance runs the Windows-dialect conformance suite against an
// in-process Windows lab node (cmd.exe emulation, CP932, /C:/ SFTP) through sshnode with
// shell = "cmd".
func TestWindowsLabNodeConformance(t *testing.T) {
	l := startWindowsLab(t, "sv1")
	var warnings []string
	node, err := connectShell(t, l, "sv1", transport.ShellCmd, 932, func(s string) { warnings = append(warnings, s) })
	if err != nil {
		t.Fatal(err)
	}
	nodetest.RunWindowsConformance(t, func(*testing.T) transport.Node { return node }, nodetest.Windows{
		Base: `C:\nodetest`, Echo: echoReg, Missing: `C:\Windows\system32\nosuch.exe`, NotFoundExit: 9009,
		MakeLink: hostLink(l.Registry().Nodes[0].Root, winHostPath),
	})
	// The lab identifies as OpenSSH_for_Windows_9.5, whose posix-rename replaces atomically.
	if len(warnings) != 0 {
		t.Errorf("warnings %q; want none on a server whose replaces are atomic", warnings)
	}
}

// TestWindowsDialectMismatch: a node that does not answer in its configured dialect is one
// clear error naming the setting to use.
func TestWindowsDialectMismatch(t *testing.T) {
	l, err := StartInProcess(Options{Dir: t.TempDir(), Names: []string{"win1", "lin1"}, Binary: clusterBinary, Windows: []string{"win1"}, CodePage: 932})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	for _, tc := range []struct {
		node, shell, want string
	}{
		{"win1", transport.ShellPosix, `win1 has no POSIX shell`},
		{"lin1", transport.ShellCmd, `lin1 answered like a POSIX node`},
		{"lin1", transport.ShellPowerShell, `lin1 answered like a POSIX node`},
		{"win1", transport.ShellPowerShell, `win1 answered like cmd.exe`},
	} {
		t.Run(tc.node+"-"+tc.shell, func(t *testing.T) {
			_, err := connectShell(t, l, tc.node, tc.shell, 932, nil)
			var d *sshnode.DialectError
			if !errors.As(err, &d) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v; want a DialectError containing %q", err, tc.want)
			}
			wantShell := transport.ShellCmd
			if tc.node == "lin1" {
				wantShell = transport.ShellPosix
			}
			if !strings.Contains(err.Error(), fmt.Sprintf("set shell = %q", wantShell)) {
				t.Errorf("error %q does not name the setting shell = %q", err, wantShell)
			}
		})
	}
}

// TestWindowsOutputDecoded: clpstat on a CP932 node prints Japanese in Shift_JIS with CRLF;
// the transport hands providers UTF-8 with LF.
func TestWindowsOutputDecoded(t *testing.T) {
	l := startWindowsLab(t, "sv1")
	node, err := connectShell(t, l, "sv1", transport.ShellCmd, 932, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, want := echoReg("最高プライオリティサーバで起動中です")
	out, err := transport.Do(context.Background(), node, c, transport.Cmd(transport.NodePath(`C:\Program Files\EXPRESSCLUSTER\bin\clpstat.exe`)))
	if err != nil {
		t.Fatal(err)
	}
	if string(out[0].Stdout) != want {
		t.Errorf("reg query of a Japanese key printed %q; want %q", out[0].Stdout, want)
	}
	if all := string(out[1].Stdout) + string(out[1].Stderr); strings.Contains(all, "\r") || all == "" {
		t.Errorf("clpstat output %q: want decoded text with LF line ends", all)
	}
	// Decoded with the wrong code page, the same bytes are not the text.
	wrong, err := connectShell(t, l, "sv1", transport.ShellCmd, 65001, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := wrong.Run(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if string(r.Stdout) == want {
		t.Errorf("code page 65001 decoded CP932 output as the text: the decoding is not applied")
	}
}

// TestWindowsCmdRegistrySettings: a cmd node whose cmd.exe runs an AutoRun that prints, or has
// delayed expansion on (the lab-only wincmd.ProcessorFile emulates both registry values), is
// refused by the first operation with one error naming the registry value to change; nothing
// else runs. The healthy node is the conformance test's.
func TestWindowsCmdRegistrySettings(t *testing.T) {
	for _, tc := range []struct {
		processor wincmd.CommandProcessor
		value     string
	}{
		{wincmd.CommandProcessor{AutoRun: "echo Welcome to sv1"}, "AutoRun"},
		{wincmd.CommandProcessor{DelayedExpansion: true}, "DelayedExpansion"},
		{wincmd.CommandProcessor{AutoRun: "echo hi", DelayedExpansion: true}, "AutoRun"},
	} {
		t.Run(tc.value, func(t *testing.T) {
			l := startWindowsLab(t, "sv1")
			n, _ := l.Registry().Node("sv1")
			if err := wincmd.WriteCommandProcessor(n.Root, tc.processor); err != nil {
				t.Fatal(err)
			}
			_, err := connectShell(t, l, "sv1", transport.ShellCmd, 932, nil)
			var setup *sshnode.CmdSetupError
			if !errors.As(err, &setup) || setup.Value != tc.value || !strings.Contains(err.Error(), tc.value+" ") {
				t.Fatalf("error %v; want a CmdSetupError naming %s", err, tc.value)
			}
			// The same node with the setting removed passes the check.
			if err := wincmd.WriteCommandProcessor(n.Root, wincmd.CommandProcessor{}); err != nil {
				t.Fatal(err)
			}
			if _, err := connectShell(t, l, "sv1", transport.ShellCmd, 932, nil); err != nil {
				t.Errorf("after the setting was removed: %v", err)
			}
		})
	}
}

// hostLink is nodetest.MakeLink for a Windows-dialect node whose drive C: the test reaches on
// the host (hostPath maps a Windows path under root): a symbolic link made there is what a
// Windows symbolic link (mklink) is to Win32-OpenSSH's SFTP server, a link.
func hostLink(root string, hostPath func(root, win string) string) nodetest.MakeLink {
	return func(t *testing.T, link transport.NodePath, target string) {
		t.Helper()
		if err := os.Symlink(target, hostPath(root, string(link))); err != nil {
			t.Fatal(err)
		}
	}
}

// TestPosixOnCmdNodeQuotesCmdExeDecoded: a Japanese cmd.exe node configured as posix refuses
// the POSIX probe with its message in code page 932; the error quotes it decoded when
// code_page says 932, and never as raw Shift_JIS bytes when nothing says so.
func TestPosixOnCmdNodeQuotesCmdExeDecoded(t *testing.T) {
	l, err := StartInProcess(Options{Dir: t.TempDir(), Names: []string{"win1"}, Binary: clusterBinary, Windows: []string{"win1"}, CodePage: 932})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	for _, tc := range []struct {
		codePage int
		want     string
	}{
		{932, "'sh' は、内部コマンドまたは外部コマンド、"},
		{0, "bytes of output that are not UTF-8 text: set code_page"},
	} {
		_, err := connectShell(t, l, "win1", transport.ShellPosix, tc.codePage, nil)
		if err == nil {
			t.Fatalf("code page %d: a posix connection to a cmd.exe node succeeded", tc.codePage)
		}
		if msg := err.Error(); !strings.Contains(msg, tc.want) || !utf8.ValidString(msg) || strings.Contains(msg, "\r") {
			t.Errorf("code page %d: error %q; want it to contain %q, as UTF-8 text without CR", tc.codePage, msg, tc.want)
		}
	}
}
