package transport

import (
	"strings"
	"time"
)

// NodePath is an absolute path as it is on a real node (/opt/nec/clusterpro/etc/clp.conf, or a
// Windows path C:\Program Files\...). When rendered into a command it is prefixed with the node
// root: "${CLUSTER_NODE_ROOT-}". On a real node that variable is unset; lab and test nodes set it
// to their isolated root directory. See docs/design.md.
type NodePath string

// Posix returns the path in POSIX form: a Windows drive path C:\A\B becomes /c/A/B (the MSYS
// convention); a POSIX path is returned unchanged.
func (p NodePath) Posix() string {
	s := string(p)
	if len(s) >= 2 && s[1] == ':' && isLetter(s[0]) {
		rest := strings.ReplaceAll(s[2:], `\`, "/")
		if !strings.HasPrefix(rest, "/") {
			rest = "/" + rest
		}
		return "/" + strings.ToLower(s[:1]) + rest
	}
	return s
}

// Join appends slash-separated elements to p (in p's own style: on a Windows path every
// slash of the elements becomes a backslash).
func (p NodePath) Join(elem ...string) NodePath {
	sep := "/"
	if len(p) >= 2 && p[1] == ':' {
		sep = `\`
	}
	s := strings.TrimRight(string(p), `/\`)
	for _, e := range elem {
		e = strings.Trim(e, `/\`)
		if sep == `\` {
			e = strings.ReplaceAll(e, "/", sep) // a Windows path has no '/'
		}
		s += sep + e
	}
	return NodePath(s)
}

func isLetter(b byte) bool { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') }

// Arg is one argument of a Command: a literal string or a node path.
type Arg interface{ shell() string }

// Lit is a literal argument, single-quoted when rendered.
type Lit string

func (l Lit) shell() string      { return Quote(string(l)) }
func (p NodePath) shell() string { return `"${CLUSTER_NODE_ROOT-}"` + Quote(p.Posix()) }

// Command is a program and its arguments. The program itself may be a NodePath (a vendor
// command such as /usr/sbin/clpcl) or a Lit naming a standard utility found on PATH.
type Command struct {
	Args []Arg
	// Stdin, if non-nil, is sent to the command's standard input.
	Stdin []byte
	// Timeout, if longer than the node's command timeout, is how long this command may run:
	// vendor commands that wait for a whole cluster (clpcl --suspend) need minutes. In a batch
	// it extends the whole batch.
	Timeout time.Duration
	// AfterSuccess, in a Batch, runs the command only when the command before it exited 0;
	// otherwise it does not run and its Result has ExitCode ExitSkipped. The ops of DoInOrder
	// are chained this way.
	AfterSuccess bool
	// StdinChecked says the command checks that it received all of Stdin (by its length)
	// before it acts on it, and acts on nothing short: a transport may then stream Stdin to
	// it instead of receiving it whole first (sshnode's Batch pipes it through head -c). The
	// POSIX renderings of WriteFile, CreateExclusive and RemoveIfSame set it.
	StdinChecked bool
}

// Cmd builds a Command from arguments: strings become Lit, NodePath stays a path.
func Cmd(args ...any) Command {
	c := Command{Args: make([]Arg, 0, len(args))}
	for _, a := range args {
		switch v := a.(type) {
		case string:
			c.Args = append(c.Args, Lit(v))
		case Arg:
			c.Args = append(c.Args, v)
		default:
			panic("transport.Cmd: argument must be string or transport.Arg")
		}
	}
	return c
}

// Shell is a multi-step command: script run by sh with args as its positional parameters ($1
// ...), that is "sh -c SCRIPT sh ARGS...". Its arguments are quoted like any other; a transport
// that runs commands through a POSIX shell may run script in that shell (sshnode's Batch does).
func Shell(script string, args ...any) Command {
	return Cmd(append([]any{"sh", "-c", script, "sh"}, args...)...)
}

// ShellScript returns the script and the arguments of a command of Shell's form.
func (c Command) ShellScript() (script string, args []Arg, ok bool) {
	if len(c.Args) < 4 || c.Args[0] != Lit("sh") || c.Args[1] != Lit("-c") || c.Args[3] != Lit("sh") {
		return "", nil, false
	}
	lit, ok := c.Args[2].(Lit)
	if !ok {
		return "", nil, false
	}
	return string(lit), c.Args[4:], true
}

// WithStdin returns c with data to send on standard input.
func (c Command) WithStdin(data []byte) Command { c.Stdin = data; return c }

// WithTimeout returns c allowed to run for at least d (see Command.Timeout).
func (c Command) WithTimeout(d time.Duration) Command { c.Timeout = d; return c }

// String renders the command for a POSIX shell. Every argument is quoted.
func (c Command) String() string {
	parts := make([]string, len(c.Args))
	for i, a := range c.Args {
		parts[i] = a.shell()
	}
	return strings.Join(parts, " ")
}

// Quote quotes s for a POSIX shell: single quotes, with embedded single quotes closed, escaped
// and reopened. The result is always one word, whatever s holds.
func Quote(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isLetter(c) || c >= '0' && c <= '9' || strings.IndexByte("@%+=:,./-_", c) >= 0) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Display renders the command for people (plan output, errors): node paths as they are on a
// real node, arguments quoted only where needed. It is never sent to a shell.
func (c Command) Display() string {
	parts := make([]string, len(c.Args))
	for i, a := range c.Args {
		switch v := a.(type) {
		case NodePath:
			parts[i] = Quote(string(v))
		case Lit:
			parts[i] = Quote(string(v))
		default:
			parts[i] = a.shell()
		}
	}
	return strings.Join(parts, " ")
}

// Dir returns the parent directory of p (in p's own style).
func (p NodePath) Dir() NodePath {
	s := strings.TrimRight(string(p), `/\`)
	i := strings.LastIndexAny(s, `/\`)
	switch {
	case i < 0:
		return "."
	case i == 0:
		return NodePath(s[:1])
	case i == 2 && s[1] == ':':
		return NodePath(s[:3])
	}
	return NodePath(s[:i])
}
