package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clusterctl/cluster/lab/opensshtest"
	"github.com/clusterctl/cluster/lab/wincmd"
	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/nodetest"
	"github.com/clusterctl/cluster/transport/sshnode"
)

// windowsPool connects endpoint ep of c with the given shell, collecting the pool's warnings.
func windowsPool(t *testing.T, ep transport.Endpoint, shell string) (*sshnode.Node, *[]string, error) {
	t.Helper()
	var mu sync.Mutex
	var warnings []string
	pool := sshnode.NewPool(sshnode.Options{Home: t.TempDir(), Getenv: func(string) string { return "" },
		Warn: func(s string) { mu.Lock(); warnings = append(warnings, s); mu.Unlock() }})
	t.Cleanup(func() { pool.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ep.SSH.Shell, ep.SSH.CodePage = shell, 932
	n, err := pool.Connect(ctx, "sv1", ep)
	if err == nil {
		_, err = transport.Do(ctx, n, transport.Stat{Paths: []transport.NodePath{`C:\Windows`}})
	}
	return n, &warnings, err
}

// TestWindowsDialectConformanceOnRealSSHD runs the Windows-dialect conformance suite through
// sshnode (shell = "cmd") against real sshd with the labcmd login shell and the real
// internal-sftp: exec channels and SFTP on one connection, no POSIX shell on the node.
func TestWindowsDialectConformanceOnRealSSHD(t *testing.T) {
	c, _ := startWindowsSSHD(t)
	node, warnings, err := windowsPool(t, c.Endpoint(0), transport.ShellCmd)
	if err != nil {
		t.Fatal(err)
	}
	nodetest.RunWindowsConformance(t, func(*testing.T) transport.Node { return node }, nodetest.Windows{
		Base: `C:\nodetest`,
		Echo: func(arg string) (transport.Command, string) {
			return transport.Cmd(transport.NodePath(`C:\Windows\system32\reg.exe`), "query", arg), fmt.Sprintf("\n%s\n\n", arg)
		},
		Missing: `C:\Windows\system32\nosuch.exe`,
		// sshd on Linux sends the exit status modulo 256: 9009 arrives as 49 (docs/lab.md).
		NotFoundExit: 9009 % 256,
		// A link made in the chroot's /C: is what internal-sftp's lstat and readdir report as
		// a link, as Win32-OpenSSH reports a Windows symbolic link.
		MakeLink: func(t *testing.T, link transport.NodePath, target string) {
			t.Helper()
			host := filepath.Join(c.Nodes[0].Root, "C:", filepath.FromSlash(strings.ReplaceAll(string(link)[2:], `\`, "/")))
			if err := os.Symlink(target, host); err != nil {
				t.Fatal(err)
			}
		},
	})
	// This server is not Microsoft's OpenSSH: its posix-rename is not trusted, every replace
	// takes the crash-safe way, and the notice comes once.
	if len(*warnings) != 1 || !strings.Contains((*warnings)[0], "not atomic") {
		t.Errorf("warnings %q; want the one notice that replaces are not atomic", *warnings)
	}
}

// TestWindowsDialectMismatchOnRealSSHD: shell = "cmd" against a POSIX sshd node is one clear
// error naming the setting.
func TestWindowsDialectMismatchOnRealSSHD(t *testing.T) {
	c := opensshtest.Start(t, 1)
	_, _, err := windowsPool(t, c.Endpoint(0), transport.ShellCmd)
	var d *sshnode.DialectError
	if !errors.As(err, &d) || !strings.Contains(err.Error(), `sv1 answered like a POSIX node`) || !strings.Contains(err.Error(), `set shell = "posix"`) {
		t.Fatalf("error %v; want a DialectError telling to set shell = \"posix\"", err)
	}
}

// TestWindowsCmdRegistrySettingsOnRealSSHD: through real sshd, a cmd node whose cmd.exe has
// delayed expansion on, or an AutoRun that prints (the lab-only wincmd.ProcessorFile in the
// node root), is refused with the registry value to change.
func TestWindowsCmdRegistrySettingsOnRealSSHD(t *testing.T) {
	c, _ := startWindowsSSHD(t)
	root := c.Nodes[0].Root
	for _, tc := range []struct {
		processor wincmd.CommandProcessor
		value     string
	}{
		{wincmd.CommandProcessor{DelayedExpansion: true}, "DelayedExpansion"},
		{wincmd.CommandProcessor{AutoRun: "echo Welcome"}, "AutoRun"},
	} {
		if err := wincmd.WriteCommandProcessor(root, tc.processor); err != nil {
			t.Fatal(err)
		}
		_, _, err := windowsPool(t, c.Endpoint(0), transport.ShellCmd)
		var setup *sshnode.CmdSetupError
		if !errors.As(err, &setup) || setup.Value != tc.value {
			t.Errorf("%+v: error %v; want a CmdSetupError naming %s", tc.processor, err, tc.value)
		}
	}
	if err := wincmd.WriteCommandProcessor(root, wincmd.CommandProcessor{}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := windowsPool(t, c.Endpoint(0), transport.ShellCmd); err != nil {
		t.Errorf("stock node: %v", err)
	}
}
