package lab

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/ssh"

	"github.com/clusterctl/cluster/lab/wincmd"
)

// WindowsUser is the account a Windows lab node's sessions run as, whatever user name the
// client logs in with (the nodes accept any name with the lab key): the built-in
// administrator, whose profile is C:\Users\Administrator.
const WindowsUser = "Administrator"

// WindowsServerVersion is the SSH identification a Windows lab node sends: Win32-OpenSSH's
// form, "OpenSSH_for_Windows_<release>" (the banner Win32-OpenSSH issue 2252 shows for 9.5).
// The lab's SFTP rename replaces atomically (MoveFileExW), as releases from 8.6 do.
const WindowsServerVersion = "SSH-2.0-OpenSSH_for_Windows_9.5"

// windowsNode is what makes a lab node a Windows node: its exec requests go through cmd.exe's
// emulation and its SFTP speaks Win32-OpenSSH's /C:/ paths.
type windowsNode struct {
	codePage wincmd.CodePage
}

// WindowsDrives are the drives of a Windows lab node: C: (system, programs) and two data
// drives, D: and E:, where the examples keep the Groupmax status files' A and B sides
// (docs/lab.md). Win32-OpenSSH's sftp-server serves every drive alike (/X:/..., misc.c
// realpath); a path on a drive the node lacks is not found.
var WindowsDrives = []string{"C", "D", "E"}

// PrepareWindowsRoot lays out a Windows node root on top of PrepareRoot: each drive of
// WindowsDrives is a directory (c/, d/, e/: the directories the POSIX-form paths /c/... reach),
// with C:\Windows\system32 (sc.exe, reg.exe, cmd.exe), every emulated product's Windows install
// (C:\Program Files\EXPRESSCLUSTER\bin\*.exe, D:\HiOBJ\bin\xodsts*.exe) and the administrator's
// profile C:\Users\Administrator. The extensionless POSIX-style links PrepareRoot puts in those
// bin directories are removed: a Windows server has none. cmd.exe is there because Windows has
// it; running it is refused (wincmd.ExecEmulated).
func PrepareWindowsRoot(root, name, labDir, binary string) error {
	if err := PrepareRoot(root, name, labDir, binary); err != nil {
		return err
	}
	for _, p := range wincmd.Programs() {
		if err := os.Remove(winHostPath(root, strings.TrimSuffix(p, ".exe"))); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("prepare root of %s: %w", name, err)
		}
	}
	dirs := []string{wincmd.UsersDir + `\` + WindowsUser, `C:\ProgramData`, `C:\Windows\Temp`}
	for _, d := range WindowsDrives {
		dirs = append(dirs, d+`:\`)
	}
	for _, dir := range dirs {
		if err := os.MkdirAll(winHostPath(root, dir), 0o755); err != nil {
			return fmt.Errorf("prepare root of %s: %w", name, err)
		}
	}
	for _, p := range append(wincmd.Programs(), wincmd.System32+`\cmd.exe`) {
		if err := symlink(binary, winHostPath(root, p)); err != nil {
			return fmt.Errorf("prepare root of %s: %w", name, err)
		}
	}
	return nil
}

// winHostPath is the host path of a Windows path of the node laid out by PrepareWindowsRoot
// (exact case, no lookup).
func winHostPath(root, win string) string {
	rest := strings.ReplaceAll(win[2:], `\`, "/")
	return filepath.Join(root, strings.ToLower(win[:1]), filepath.FromSlash(rest))
}

// runWindows runs an exec request as Win32-OpenSSH runs it with the default shell:
// "C:\Windows\system32\cmd.exe" /c "<command>", without a pty, with the node's lab-only
// Command Processor setting (wincmd.ProcessorFile: AutoRun, delayed expansion).
func (s *nodeServer) runWindows(ctx context.Context, command string, ch ssh.Channel) int {
	processor, err := wincmd.ReadCommandProcessor(s.root)
	if err != nil {
		fmt.Fprintf(ch.Stderr(), "lab: %v\n", err)
		return wincmd.Refused
	}
	sh := &wincmd.Shell{
		Processor: processor,
		Drives:    wincmd.Drives{Root: s.root},
		Env:       wincmd.NodeEnv(s.name, WindowsUser),
		Cwd:       wincmd.UsersDir + `\` + WindowsUser,
		CodePage:  s.windows.codePage,
		Exec:      wincmd.ExecEmulated(s.root, s.logf),
	}
	return sh.Run(ctx, command, ch, ch, ch.Stderr())
}
