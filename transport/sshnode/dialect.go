package sshnode

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/winquote"
)

// A node's dialect is its ssh setting shell (transport.SSHSettings.Shell): posix (a POSIX sh
// runs every exec request; the default), cmd (Microsoft's OpenSSH with its default shell,
// cmd.exe) or powershell (Microsoft's OpenSSH with a PowerShell DefaultShell). See
// docs/windows.md.

// checkShell normalizes a configured shell ("" is posix) and refuses what cannot work.
func checkShell(s transport.SSHSettings) (string, error) {
	shell := s.Shell
	if shell == "" {
		shell = transport.ShellPosix
	}
	switch shell {
	case transport.ShellPosix:
		return shell, nil
	case transport.ShellCmd, transport.ShellPowerShell:
		if s.Become != nil && *s.Become {
			return "", fmt.Errorf("become = true with shell = %q: Windows has no sudo; connect as an administrator instead (docs/windows.md)", shell)
		}
		if _, err := consoleDecoder(s.CodePage); err != nil {
			return "", err
		}
		return shell, nil
	}
	return "", fmt.Errorf("unknown shell %q: use \"posix\", \"cmd\" or \"powershell\"", shell)
}

// windowsVersion matches the identification Microsoft's OpenSSH sends:
// "SSH-2.0-OpenSSH_for_Windows_9.5" (the banner of Win32-OpenSSH issue 2252), with an
// optional patch level.
var windowsVersion = regexp.MustCompile(`^SSH-2\.0-OpenSSH_for_Windows_(\d+)\.(\d+)`)

// win32OpenSSH reports whether the server identified itself as Microsoft's OpenSSH, and the
// release.
func win32OpenSSH(serverVersion string) (major, minor int, ok bool) {
	m := windowsVersion.FindStringSubmatch(serverVersion)
	if m == nil {
		return 0, 0, false
	}
	major, _ = strconv.Atoi(m[1])
	minor, _ = strconv.Atoi(m[2])
	return major, minor, true
}

// atomicPosixRename reports whether the server's posix-rename@openssh.com is known to replace
// its target in one step. Win32-OpenSSH up to 8.1 deletes the target and then renames
// (PowerShell/Win32-OpenSSH#1534); MoveFileExW with MOVEFILE_REPLACE_EXISTING came with
// PowerShell/openssh-portable PR 438 (April 2020), first released, by its date, in 8.6
// (docs/windows-transport.md: inferred, unconfirmed). Any other server (an OpenSSH on a
// POSIX system serving a Windows-dialect test node, an unknown one) is not trusted: the
// crash-safe replace is used instead.
func atomicPosixRename(serverVersion string) bool {
	major, minor, ok := win32OpenSSH(serverVersion)
	return ok && (major > 8 || major == 8 && minor >= 6)
}

// DialectError is a node that does not answer in the dialect its configuration names.
type DialectError struct {
	Node, Shell string // the node and its configured shell
	Want        string // the shell setting that fits what the node answered
	Why         string // begins with the node's name
}

func (e *DialectError) Error() string {
	return fmt.Sprintf("%s: set shell = %q in its ssh block (it has shell = %q)", e.Why, e.Want, e.Shell)
}

// checkPosixAnswers runs on a posix node whose server says it is Microsoft's OpenSSH (a POSIX
// DefaultShell such as an MSYS2 bash is possible there): it runs `sh -c 'exit 0'` once and
// reports a node that has no POSIX shell.
func (n *Node) checkPosixAnswers(ctx context.Context, serverVersion string) error {
	if _, _, ok := win32OpenSSH(serverVersion); !ok {
		return nil
	}
	r, err := n.Run(ctx, transport.Shell("exit 0"))
	if err != nil {
		return err
	}
	if r.ExitCode != 0 {
		// The shell's message is in the node's console code page: decoded when code_page
		// says which, else shown only when it is UTF-8 text (Node.outputText).
		said := ": " + transport.FirstLine([]byte(n.outputText(r.Stderr)))
		return &DialectError{Node: n.name, Shell: transport.ShellPosix, Want: transport.ShellCmd,
			Why: fmt.Sprintf("%s has no POSIX shell (it runs Microsoft's OpenSSH, and sh -c exited %d%s)", n.name, r.ExitCode, said)}
	}
	return nil
}

// notPosixAnswer reports a Windows-dialect node that answered like a POSIX node: no SFTP
// subsystem, or no C:\Windows over SFTP.
func (n *Node) notPosixAnswer(why string) error {
	return &DialectError{Node: n.name, Shell: n.shell, Want: transport.ShellPosix,
		Why: fmt.Sprintf("%s answered like a POSIX node (%s)", n.name, why)}
}

// shellProbe is a program no Windows has. Its request, `"C:\Windows\system32\<name>"`,
// tells the two Windows shells apart without a builtin: cmd.exe looks for the program and
// answers exit status 9009, "... is not recognized as an internal or external command"
// (docs/lab.md, "Exec requests"); PowerShell reads a double-quoted string alone as an
// expression and writes it out, exit 0 (Microsoft, about_Quoting_Rules: the output of
// "The value of $i is $i." is the string; "!" is not special there).
//
// The same answer shows, at no extra round trip, the two registry settings of cmd.exe that
// Win32-OpenSSH does not switch off (it runs `cmd.exe /c`, without /D and /V:OFF;
// docs/windows-transport.md, "cmd.exe's registry settings"):
//   - delayed expansion: the name holds "!OS!", which cmd.exe with delayed expansion replaces
//     by the value of OS before it looks for the program, so its message names
//     "...-probe-Windows_NT.exe" instead;
//   - an AutoRun command that prints: the message goes to standard error, so a healthy cmd.exe
//     prints nothing on standard output.
const shellProbe = `C:\Windows\system32\cluster-shell-probe-!OS!.exe`

// probeStem is the part of the probe's name every answer of cmd.exe repeats, expanded or not.
const probeStem = `cluster-shell-probe-`

// exitNotRecognized is cmd.exe's exit status for a program it cannot find.
const exitNotRecognized = 9009

// probeAnswer classifies the node's answer to the probe request: "cmd", "powershell" or ""
// (neither). An OpenSSH on a POSIX system (the e2e harness) sends exit statuses modulo 256.
func probeAnswer(code int, stdout []byte, microsoft bool) string {
	switch {
	case code == exitNotRecognized || !microsoft && code == exitNotRecognized%256:
		return transport.ShellCmd
	case code == 0 && string(bytes.TrimSpace(stdout)) == shellProbe:
		return transport.ShellPowerShell
	}
	return ""
}

// The registry key whose values change every cmd.exe the server starts (Microsoft, "cmd").
const (
	processorKeyHKLM = `HKLM\Software\Microsoft\Command Processor`
	processorKeyHKCU = `HKCU\Software\Microsoft\Command Processor`
)

// CmdSetupError is a cmd node whose cmd.exe is set up, in the registry, so that the tool
// cannot run commands on it exactly: Value names the registry value to change.
type CmdSetupError struct {
	Node  string
	Value string // "AutoRun" or "DelayedExpansion"
	Why   string // what the node answered
	Fix   string // what to change
}

func (e *CmdSetupError) Error() string {
	return fmt.Sprintf("%s: %s; %s (docs/windows.md, \"cmd.exe's registry settings\")", e.Node, e.Why, e.Fix)
}

// checkCmdSetup reads a cmd.exe answer to the probe (already decoded) for an AutoRun that
// prints and for delayed expansion, and refuses the node for either: an AutoRun's output would
// be read as the vendor commands' output, and with delayed expansion an argument holding "!"
// would not reach the program as sent (transport/winquote escapes "!" for delayed expansion
// off only).
func checkCmdSetup(node string, stdout, stderr []byte) error {
	if out := bytes.TrimSpace(stdout); len(out) > 0 {
		return &CmdSetupError{Node: node, Value: "AutoRun",
			Why: fmt.Sprintf("cmd.exe printed \"%s\" on standard output before the command ran, so an AutoRun command is set", transport.FirstLine(out)),
			Fix: fmt.Sprintf("delete the AutoRun value under %s and under %s of the SSH user, or make it print nothing", processorKeyHKLM, processorKeyHKCU)}
	}
	var answer string
	for _, line := range strings.Split(string(stderr), "\n") {
		if strings.Contains(line, probeStem) {
			answer = strings.TrimSpace(line)
			break
		}
	}
	switch {
	case answer == "":
		return fmt.Errorf("%s: cmd.exe's answer to %s does not name the program (%q), so the tool cannot confirm that delayed expansion is off; check the node by hand (docs/windows.md)",
			node, shellProbe, transport.FirstLine(stderr))
	case !strings.Contains(answer, shellProbe):
		return &CmdSetupError{Node: node, Value: "DelayedExpansion",
			Why: fmt.Sprintf("cmd.exe expanded !OS! in the name of the program %s (it answered \"%s\"), so delayed expansion is on", shellProbe, answer),
			Fix: fmt.Sprintf("set the REG_DWORD DelayedExpansion to 0 under %s of the SSH user and under %s (the HKCU value wins)", processorKeyHKCU, processorKeyHKLM)}
	}
	return nil
}

var shellNames = map[string]string{transport.ShellCmd: "cmd.exe", transport.ShellPowerShell: "PowerShell"}

// checkWindowsShell runs the probe once and reports a node whose shell is not the one
// configured, or whose cmd.exe the tool cannot use as it is set up.
func (n *Node) checkWindowsShell(ctx context.Context) error {
	req, err := winquote.CmdLine(shellProbe, nil)
	if err != nil {
		return err
	}
	var stdout, stderr bytes.Buffer
	code, err := n.session(ctx, 0, req, nil, &stdout, &stderr)
	if err != nil {
		return err
	}
	_, _, microsoft := win32OpenSSH(string(n.client.ServerVersion()))
	out := n.win.decode(stdout.Bytes())
	got := probeAnswer(code, out, microsoft)
	switch {
	case got == n.shell && got == transport.ShellCmd:
		return checkCmdSetup(n.name, out, n.win.decode(stderr.Bytes()))
	case got == n.shell:
		return nil
	case got != "":
		return &DialectError{Node: n.name, Shell: n.shell, Want: got, Why: fmt.Sprintf("%s answered like %s", n.name, shellNames[got])}
	}
	return n.answeredNeither(req, code, append(stdout.Bytes(), stderr.Bytes()...))
}

// answeredNeither is the error of a Windows-dialect node whose answer to the probe request
// is neither cmd.exe's nor PowerShell's; it quotes the answer as text (outputText).
func (n *Node) answeredNeither(req string, code int, output []byte) error {
	return fmt.Errorf("%s: shell = %q, but the node answered neither like cmd.exe nor like PowerShell to %s (exit %d: %s); check its OpenSSH DefaultShell (docs/windows.md)",
		n.name, n.shell, req, code, transport.FirstLine([]byte(n.outputText(output))))
}
