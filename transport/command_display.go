package transport

import "github.com/clusterctl/cluster/transport/winquote"

// DisplayFor renders the command for people as a node of the given shell (SSHSettings.Shell)
// receives it: on a cmd or powershell node the program by its Windows path, quoted as
// transport/winquote quotes it for that shell (`"C:\Program Files\...\clpcl.exe" --suspend`);
// on a POSIX node (and "") as Display. Plans, saved plans, JSON output and errors use it, so
// that every provider shows a command one way. A command the shell cannot carry (a POSIX
// script, an argument winquote refuses) is shown as Display: running it is refused anyway.
func (c Command) DisplayFor(shell string) string {
	if !WindowsShell(shell) || c.PosixOnly() || len(c.Args) == 0 {
		return c.Display()
	}
	prog, ok := c.Args[0].(NodePath)
	if !ok {
		return c.Display()
	}
	args := make([]string, 0, len(c.Args)-1)
	for _, a := range c.Args[1:] {
		switch v := a.(type) {
		case Lit:
			args = append(args, string(v))
		case NodePath:
			args = append(args, string(v))
		default:
			return c.Display()
		}
	}
	var s string
	var err error
	if shell == ShellPowerShell {
		s, err = winquote.PowerShellDisplay(string(prog), args)
	} else {
		s, err = winquote.CmdDisplay(string(prog), args)
	}
	if err != nil {
		return c.Display()
	}
	return s
}
