package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/transport"
)

func TestForceUnlockHelpListsOnlyItsFlags(t *testing.T) {
	root := newRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs([]string{"force-unlock", "--help"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	help := out.String()
	for _, absent := range []string{"--resync", "--target", "--max-parallel-members"} {
		if strings.Contains(help, absent) {
			t.Errorf("force-unlock --help lists %s:\n%s", absent, help)
		}
	}
	for _, present := range []string{"--all-stale", "--yes", "--var-file", "--connect-timeout", "LOCK_PATH"} {
		if !strings.Contains(help, present) {
			t.Errorf("force-unlock --help lacks %s:\n%s", present, help)
		}
	}
}

func TestForceUnlockNeedsALock(t *testing.T) {
	root := newRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs([]string{"force-unlock"})
	if err := root.Execute(); err == nil || !strings.Contains(err.Error(), "--all-stale") {
		t.Errorf("force-unlock without a lock: %v; want an error naming the choices", err)
	}
}

func TestIsLockPath(t *testing.T) {
	for s, want := range map[string]bool{
		"84f8fa4b6ca4551c":                              false,
		"/opt/nec/clusterpro/work/cluster/lock":         true,
		`C:\Program Files\CLUSTERPRO\work\cluster\lock`: true,
	} {
		if got := isLockPath(s); got != want {
			t.Errorf("isLockPath(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestConfirmAcceptsOnlyYes(t *testing.T) {
	for in, ok := range map[string]bool{"yes\n": true, "y\n": false, "\n": false, "YES\n": false} {
		cmd := newForceUnlockCmd(&globals{})
		var out bytes.Buffer
		cmd.SetOut(&out)
		cmd.SetIn(strings.NewReader(in))
		err := confirm(cmd, "Remove? ")
		if (err == nil) != ok {
			t.Errorf("answer %q: %v; want accepted %v", in, err, ok)
		}
		if !strings.Contains(out.String(), "Remove? ") {
			t.Errorf("answer %q: the question was not asked", in)
		}
	}
}

// force-unlock LOCK_PATH finds a Windows node's lock however the path is typed: any letter
// case, either slash, or the SFTP form; a POSIX lock only by its own path or MSYS form.
func TestSameLockPath(t *testing.T) {
	const win = transport.NodePath(`C:\Program Files\EXPRESSCLUSTER\work\cluster\lock`)
	const posix = transport.NodePath("/opt/nec/clusterpro/work/cluster/lock")
	for _, tt := range []struct {
		lock transport.NodePath
		arg  string
		want bool
	}{
		{win, `C:\Program Files\EXPRESSCLUSTER\work\cluster\lock`, true},
		{win, `c:\program files\expresscluster\work\cluster\lock`, true},
		{win, `C:/Program Files/EXPRESSCLUSTER/work/cluster/lock`, true},
		{win, `/C:/Program Files/EXPRESSCLUSTER/work/cluster/lock`, true},
		{win, `/c/Program Files/EXPRESSCLUSTER/work/cluster/lock`, true},
		{win, `C:\Program Files\EXPRESSCLUSTER\work\cluster\lock\`, true},
		{win, `D:\Program Files\EXPRESSCLUSTER\work\cluster\lock`, false},
		{win, `C:\Program Files\CLUSTERPRO\work\cluster\lock`, false},
		{win, `C:\Program Files\EXPRESSCLUSTER\work\cluster`, false},
		{posix, "/opt/nec/clusterpro/work/cluster/lock", true},
		{posix, "/OPT/nec/clusterpro/work/cluster/lock", false},
		{posix, `C:\opt\nec\clusterpro\work\cluster\lock`, false},
	} {
		if got := sameLockPath(tt.lock, tt.arg); got != tt.want {
			t.Errorf("sameLockPath(%s, %s) = %v, want %v", tt.lock, tt.arg, got, tt.want)
		}
	}
}
