// Command labcmd is the login shell of a Windows-dialect node of the real-sshd test harness
// (lab/opensshtest WithWindowsShell). OpenSSH on Linux runs an exec request as
// `<login shell> -c <command>` (openssh-portable session.c, do_child); Win32-OpenSSH runs it
// as `"C:\Windows\system32\cmd.exe" /c "<command>"` (w32-doexec.c). labcmd maps the first onto
// the second: it receives -c <command> and behaves as cmd.exe /c "<command>" does
// (package lab/wincmd), in the node's chroot, whose C: drive is the directory /c.
//
// Invoked under the name of an emulated program (C:\Program Files\EXPRESSCLUSTER\bin\
// clpstat.exe links to it), it is that program, as the cluster binary is on a lab node.
//
// Node settings come from the environment sshd sets (SetEnv): CLUSTER_NODE_ROOT (the node
// root inside the chroot, "/") and CLUSTER_NODE_CODEPAGE (437, 932 or 65001; default 932); the
// node's Command Processor setting (AutoRun, delayed expansion) from wincmd.ProcessorFile under
// the node root.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/clusterctl/cluster/lab/emulate"
	"github.com/clusterctl/cluster/lab/labdir"
	"github.com/clusterctl/cluster/lab/wincmd"
)

// CodePageEnv names the variable holding the node's console code page.
const CodePageEnv = "CLUSTER_NODE_CODEPAGE"

func main() {
	base := filepath.Base(os.Args[0])
	if run, ok := emulate.Lookup(base); ok && strings.HasSuffix(base, ".exe") {
		os.Exit(run(os.Args[0], os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	if len(os.Args) != 3 || os.Args[1] != "-c" {
		// An interactive login or a shell without -c: Win32-OpenSSH would start cmd.exe
		// interactively; the tool never asks for that.
		fmt.Fprintln(os.Stderr, "lab: this Windows node runs exec requests only (ssh node COMMAND)")
		os.Exit(wincmd.Refused)
	}
	os.Exit(run(os.Args[2]))
}

func run(command string) int {
	root := os.Getenv(emulate.RootEnv)
	if root == "" {
		root = "/"
	}
	cp := int(wincmd.CP932)
	if v := os.Getenv(CodePageEnv); v != "" {
		n, err := strconv.Atoi(v)
		if err == nil {
			cp = n
		}
	}
	codePage, err := wincmd.ParseCodePage(cp)
	if err != nil {
		fmt.Fprintf(os.Stderr, "lab: %v\n", err)
		return wincmd.Refused
	}
	name := "node"
	if info, err := labdir.ReadNodeInfo(root); err == nil {
		name = info.Name
	}
	processor, err := wincmd.ReadCommandProcessor(root)
	if err != nil {
		fmt.Fprintf(os.Stderr, "lab: %v\n", err)
		return wincmd.Refused
	}
	const user = "Administrator"
	sh := &wincmd.Shell{
		Processor: processor,
		Drives:    wincmd.Drives{Root: root},
		Env:       wincmd.NodeEnv(name, user),
		Cwd:       wincmd.UsersDir + `\` + user,
		CodePage:  codePage,
		Exec:      wincmd.ExecEmulated(root, nil),
	}
	return sh.Run(context.Background(), command, os.Stdin, os.Stdout, os.Stderr)
}
