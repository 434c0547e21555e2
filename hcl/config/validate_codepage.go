package config

import "github.com/clusterctl/cluster/transport"

// validateTopLevelCodePages warns about every top-level node reached with a Windows shell (cmd
// or powershell, written or defaulted) whose code page no ssh block sets. A cluster's node takes
// one from its cluster's charset (DefaultCodePage); a top-level node has no charset, so its
// programs' output is decoded as UTF-8, and the messages of a Japanese (932) or English (437)
// Windows console arrive garbled. The default stays: nothing says which language the node's
// Windows is, so the warning asks the user to say it.
func (l *loader) validateTopLevelCodePages() {
	for _, name := range sortedKeys(l.cfg.Nodes) {
		n := l.cfg.Nodes[name]
		s := n.Endpoint.SSH
		if !windowsShell(s) || s.CodePage != 0 || l.codePageWaits(n) {
			continue
		}
		l.warnf(n.DeclRange.Ptr(), "Windows node without code_page",
			"Node %q is reached with shell = %q and no ssh block sets code_page, so its console output (the messages of its programs and of %s itself) will be read as UTF-8 (65001); a Japanese Windows console answers in code page 932, an English one in 437. "+
				"Set code_page in this node's ssh block to the code page chcp prints on the node, e.g. code_page = 932 on a Japanese Windows (docs/windows.md, \"Code pages and line ends\").",
			n.Name, s.Shell, shellProgram(s.Shell))
	}
}

// codePageWaits reports a code_page (or shell) that applies to n but whose value is not known
// yet (validate without every variable): the check waits for it rather than warn on a guess.
func (l *loader) codePageWaits(n *Node) bool {
	for _, o := range []any{sshOwner{n}, sshOwner{l.cfg}} {
		if l.isUnknown(o, "code_page") || l.isUnknown(o, "shell") {
			return true
		}
	}
	return false
}

// shellProgram names the program behind a Windows shell setting, for messages.
func shellProgram(shell string) string {
	if shell == transport.ShellPowerShell {
		return "PowerShell"
	}
	return "cmd.exe"
}
