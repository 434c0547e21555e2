package emulate

import (
	"io"
	"strings"
)

// Main is the entry point of one emulated command. argv0 is the path the command was invoked
// by (os.Args[0]): it locates the install directory. Main returns the exit status.
type Main func(argv0 string, args []string, stdin io.Reader, stdout, stderr io.Writer) int

// Family is a vendor product whose commands are emulated.
type Family struct {
	Name string
	// Installs are the install directories (node paths) the lab lays commands out in; the
	// first is the default when a command is invoked from elsewhere.
	Installs []string
	Commands []string
}

// Families lists the emulated products. The lab places a symlink to the cluster binary under
// every command name in <install>/bin of every install directory.
func Families() []Family {
	return []Family{
		{Name: "clusterpro", Installs: []string{clusterproLinux, clusterproWindows},
			Commands: []string{"clpcfctrl", "clpcl", "clpstat", "clpgrp"}},
		{Name: "serverscan", Installs: []string{serverScanInstall},
			Commands: []string{"vkhoststat", "vkattach"}},
		{Name: "groupmax", Installs: []string{groupmaxInstall, groupmaxWindows},
			Commands: []string{"xodstsinit", "xodstsopn", "xodstscls", "xodstsrm", "xodstsswp"}},
	}
}

// Default install directories (node paths).
const (
	clusterproLinux   = "/opt/nec/clusterpro"
	clusterproWindows = "/c/Program Files/EXPRESSCLUSTER" // C:\Program Files\EXPRESSCLUSTER
	serverScanInstall = "/usr/SrvScan"
	groupmaxInstall   = "/opt/HiOBJ"
	// groupmaxWindows is the LAB's choice of the object server's Windows install directory,
	// D:\HiOBJ: the product's default %XODDIR% is in no public source (docs/statusfile.md).
	groupmaxWindows = "/d/HiOBJ"
)

// WindowsDir returns the Windows form of an install directory given in MSYS form
// (/c/Program Files/EXPRESSCLUSTER: C:\Program Files\EXPRESSCLUSTER); ok is false for a POSIX
// directory (/opt/HiOBJ). A Windows install holds its commands as NAME.exe.
func WindowsDir(install string) (dir string, ok bool) {
	if len(install) < 3 || install[0] != '/' || install[2] != '/' || install[1] < 'a' || install[1] > 'z' {
		return "", false
	}
	return strings.ToUpper(install[1:2]) + ":" + strings.ReplaceAll(install[2:], "/", `\`), true
}

// Lookup returns the emulation installed under name, if any. A Windows node installs the
// commands as NAME.exe (C:\Program Files\EXPRESSCLUSTER\bin\clpstat.exe,
// C:\Windows\system32\sc.exe): the suffix names the same emulation.
func Lookup(name string) (Main, bool) {
	if run, ok := siteStandInOf(name); ok {
		return run, true
	}
	name = strings.TrimSuffix(name, ".exe")
	switch name {
	case "clpcfctrl":
		return clusterpro(runClpcfctrl), true
	case "clpcl":
		return clusterpro(runClpcl), true
	case "clpstat":
		return clusterpro(runClpstat), true
	case "clpgrp":
		return clusterpro(runClpgrp), true
	case "vkhoststat":
		return serverScan(runVkhoststat), true
	case "vkattach":
		return serverScan(runVkattach), true
	case "xodstsinit":
		return groupmax(runXodstsinit), true
	case "xodstsopn":
		return groupmax(runXodstsopn), true
	case "xodstscls":
		return groupmax(runXodstscls), true
	case "xodstsrm":
		return groupmax(runXodstsrm), true
	case "xodstsswp":
		return groupmax(runXodstsswp), true
	case "df":
		return runDf, true
	case "sc":
		return runSc, true
	case "systemctl":
		return runSystemctl, true
	case "reg":
		return runReg, true
	}
	return nil, false
}

// command is the body of an emulation once its environment is resolved.
type command func(e *env, args []string) int

func clusterpro(run command) Main { return withEnv(clusterproLinux, run) }
func serverScan(run command) Main { return withEnv(serverScanInstall, run) }
func groupmax(run command) Main   { return withEnv(groupmaxInstall, run) }

// siteStandInOf is one of the LAB-ONLY stand-ins for a site's commands (sitestandins.go), by
// its .exe name only: a Windows lab node's program, never a product's command.
func siteStandInOf(name string) (Main, bool) {
	run, ok := siteStandIns[name]
	if !ok {
		return nil, false
	}
	return siteStandIn(run), true
}
