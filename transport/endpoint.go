package transport

import "time"

// Endpoint is what a transport needs to reach one machine. The configuration builds it (the
// hcl/config package names it config.Endpoint); the transport owns it, so that nothing under
// transport/ depends on the configuration language.
type Endpoint struct {
	Address string
	Port    int    // 0 when not set: ~/.ssh/config's Port applies, else 22
	HostKey string // pinned host key in authorized_keys format, or ""
	SSH     SSHSettings
}

// SSHSettings are a node's effective SSH settings, merged by the configuration from its
// top-level, cluster and node blocks (innermost wins). Zero values mean "not set".
type SSHSettings struct {
	User           string
	IdentityFiles  []string
	PassphraseEnv  string
	Agent          *bool
	KnownHostsFile string
	JumpHost       string
	ConnectTimeout time.Duration
	CommandTimeout time.Duration
	UseSSHConfig   *bool

	// Become runs everything on a POSIX node through sudo, as BecomeUser ("" is root).
	// BecomePassword, always from a sensitive variable, is sudo's password ("" for sudo -n).
	Become         *bool
	BecomeUser     string
	BecomePassword string

	// Shell is the node's dialect: how its SSH server runs an exec request. "" and
	// ShellPosix: a POSIX sh (today's way); ShellCmd: Microsoft's OpenSSH with cmd.exe, its
	// default; ShellPowerShell: Microsoft's OpenSSH with a PowerShell DefaultShell. On cmd and
	// powershell nodes file work goes over SFTP and each command is one program.
	Shell string
	// CodePage is the console code page of a cmd or powershell node (437, 932, 936, 65001):
	// command output is decoded from it into UTF-8. 0: 65001 (UTF-8).
	CodePage int
}

// CodePages are the console code pages a Windows-dialect node may have (Microsoft, "Code Page
// Identifiers"): 437 OEM United States, 932 Japanese Shift-JIS, 936 Simplified Chinese GBK,
// 65001 UTF-8.
var CodePages = []int{437, 932, 936, 65001}

// The values of SSHSettings.Shell.
const (
	ShellPosix      = "posix"
	ShellCmd        = "cmd"
	ShellPowerShell = "powershell"
)

// WindowsShell reports a shell of Microsoft's OpenSSH without a POSIX shell (cmd, powershell):
// files over SFTP by Windows drive path, one program per command.
func WindowsShell(shell string) bool { return shell == ShellCmd || shell == ShellPowerShell }
