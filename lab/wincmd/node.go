package wincmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/clusterctl/cluster/lab/emulate"
)

// Layout of a Windows lab node, as Windows paths.
const (
	System32         = `C:\Windows\system32`
	ClusterproBin    = `C:\Program Files\EXPRESSCLUSTER\bin`
	UsersDir         = `C:\Users`
	defaultPathext   = ".COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC"
	defaultSystemDir = `C:\Windows`
)

// Programs lists the emulated programs of a Windows node by Windows path: the commands of
// every product with a Windows install directory, as <install>\bin\NAME.exe — CLUSTERPRO in its
// default install directory (EXPRESSCLUSTER/clpcfset script/change_ipaddr/Windows/clp_changeIP.ps1
// runs "<install>\bin\clpcl.exe"), the Groupmax object server's xodsts* in the lab's
// D:\HiOBJ (docs/lab.md) — and the service and registry tools in system32; and, labelled as
// what they are, the lab's stand-ins for a server group site's own commands
// (emulate.SiteToolsDir, docs/servergroup.md).
func Programs() []string {
	var out []string
	for _, f := range emulate.Families() {
		for _, install := range f.Installs {
			dir, ok := emulate.WindowsDir(install)
			if !ok {
				continue
			}
			for _, c := range f.Commands {
				out = append(out, dir+`\bin\`+c+".exe")
			}
		}
	}
	out = append(out, System32+`\sc.exe`, System32+`\reg.exe`)
	for _, p := range emulate.SiteStandIns { // LAB-ONLY stand-ins for a site's own commands
		out = append(out, emulate.SiteToolsDir+`\`+p)
	}
	return out
}

// NodeEnv is the environment a session of user gets on a Windows node called computer: the
// system variables of a stock Windows Server (PATH, PATHEXT, SystemRoot ...) and the ones
// Win32-OpenSSH sets per session (w32-doexec.c setup_session_env: USERNAME, USERPROFILE,
// HOMEDRIVE, HOMEPATH, APPDATA, LOCALAPPDATA).
func NodeEnv(computer, user string) Env {
	var e Env
	profile := UsersDir + `\` + user
	for _, kv := range [][2]string{
		{"ALLUSERSPROFILE", `C:\ProgramData`},
		{"APPDATA", profile + `\AppData\Roaming`},
		{"COMPUTERNAME", strings.ToUpper(computer)},
		{"ComSpec", ComSpec},
		{"HOMEDRIVE", "C:"},
		{"HOMEPATH", strings.TrimPrefix(profile, "C:")},
		{"LOCALAPPDATA", profile + `\AppData\Local`},
		{"OS", "Windows_NT"},
		{"Path", System32 + `;` + defaultSystemDir + `;` + System32 + `\Wbem;` + System32 + `\WindowsPowerShell\v1.0\;` + System32 + `\OpenSSH\`},
		{"PATHEXT", defaultPathext},
		{"ProgramData", `C:\ProgramData`},
		{"ProgramFiles", `C:\Program Files`},
		{"SystemDrive", "C:"},
		{"SystemRoot", defaultSystemDir},
		{"TEMP", profile + `\AppData\Local\Temp`},
		{"TMP", profile + `\AppData\Local\Temp`},
		{"USERNAME", user},
		{"USERPROFILE", profile},
		{"windir", defaultSystemDir},
	} {
		e.Set(kv[0], kv[1])
	}
	return e
}

// ExecEmulated returns an Exec that starts the emulated program a node file links to, as a
// process of its own with the node root in CLUSTER_NODE_ROOT (emulate.RootEnv) and the session
// environment. A file that is not an emulated program (cmd.exe itself, powershell.exe ...) is
// refused: the lab runs vendor emulations only.
func ExecEmulated(root string, logf func(string, ...any)) func(ctx context.Context, p Program) int {
	return func(ctx context.Context, p Program) int {
		// Only the links the lab laid out are programs: a file uploaded under an emulated
		// name is not run on the host.
		base := strings.ToLower(filepath.Base(p.Host))
		st, err := os.Lstat(p.Host)
		if _, ok := emulate.Lookup(base); !ok || !strings.HasSuffix(base, ".exe") || err != nil || st.Mode()&os.ModeSymlink == 0 {
			fmt.Fprintf(p.Stderr, "lab: %s is not an emulated program; the lab runs only %s\n", p.Path, strings.Join(Programs(), ", "))
			return Refused
		}
		cmd := exec.CommandContext(ctx, p.Host, p.Args...)
		cmd.Dir = root
		cmd.Env = append(append([]string{}, p.Env...), emulate.RootEnv+"="+root)
		cmd.Stdout, cmd.Stderr = p.Stdout, p.Stderr
		cmd.WaitDelay = 2 * time.Second
		// Standard input is copied by a goroutine of our own: a program that never reads it
		// must not wait for the client to close it.
		stdin, err := cmd.StdinPipe()
		if err == nil {
			err = cmd.Start()
		}
		if err != nil {
			fmt.Fprintf(p.Stderr, "lab: %s: %v\n", p.Path, err)
			return 255
		}
		if p.Stdin != nil {
			go func() {
				io.Copy(stdin, p.Stdin)
				stdin.Close()
			}()
		} else {
			stdin.Close()
		}
		err = cmd.Wait()
		var exit *exec.ExitError
		switch {
		case err == nil:
			return 0
		case errors.As(err, &exit) && exit.ExitCode() >= 0:
			return exit.ExitCode()
		}
		if logf != nil {
			logf("%s: %v", p.Path, err)
		}
		return 255
	}
}
