package wincmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Exit statuses of cmd.exe itself.
const (
	// NotRecognized is cmd.exe's ERRORLEVEL for a command it cannot find (9009, as every
	// public report of the message shows it, e.g. a caller of cmd.exe testing
	// looksLikeCliNotFound(9009, ...)).
	NotRecognized = 9009
	// Refused is the lab's status for a command line it will not run.
	Refused = 1
)

// ComSpec is the shell Win32-OpenSSH runs (HKLM\SOFTWARE\OpenSSH DefaultShell unset).
const ComSpec = `C:\Windows\system32\cmd.exe`

// Program is a resolved program, ready to start.
type Program struct {
	Path        string   // its Windows path (C:\Program Files\EXPRESSCLUSTER\bin\clpstat.exe)
	Host        string   // the file on the host
	CommandLine string   // the command line CreateProcess gets
	Args        []string // argv[1:] split from CommandLine (SplitArgs)
	Env         []string // the Windows environment, NAME=value
	Stdin       io.Reader
	Stdout      io.Writer // already in the console's code page and line ends
	Stderr      io.Writer
}

// Shell is cmd.exe on one node.
type Shell struct {
	Drives   Drives
	Env      Env      // the session environment (PATH, PATHEXT, SystemRoot, ...)
	Cwd      string   // the working directory, a Windows path (the user profile)
	CodePage CodePage // of the console output
	// Processor is the node's Command Processor registry setting (AutoRun, delayed
	// expansion).
	Processor CommandProcessor
	// Exec starts a program found on the node and returns its exit status.
	Exec func(ctx context.Context, p Program) int
}

func (s *Shell) getenv(name, def string) string {
	if v, ok := s.Env.Get(name); ok {
		return v
	}
	return def
}

// Run does what `"C:\Windows\system32\cmd.exe" /c "<command>"` does with command, as
// Win32-OpenSSH starts it for an exec request, and returns its exit status. stdout and stderr
// receive console output (CRLF, the node's code page).
func (s *Shell) Run(ctx context.Context, command string, stdin io.Reader, stdout, stderr io.Writer) int {
	out, errw := s.CodePage.Console(stdout), s.CodePage.Console(stderr)
	defer out.Close()
	defer errw.Close()
	status, err := s.run(ctx, command, stdin, out, errw)
	var r refusal
	switch {
	case errors.As(err, &r):
		fmt.Fprintf(errw, "lab: cmd.exe: %s\n", r.msg)
		fmt.Fprintf(errw, "lab: the command was: %s /c \"%s\"\n", ComSpec, command)
	case err != nil:
		fmt.Fprintf(errw, "lab: cmd.exe: %v\n", err)
	}
	return status
}

func (s *Shell) run(ctx context.Context, command string, stdin io.Reader, out, errw io.Writer) (int, error) {
	if s.Processor.AutoRun != "" {
		if err := s.autoRun(out); err != nil {
			return Refused, err
		}
	}
	line := slashC(`"`+command+`"`, func(name string) bool {
		_, ok := s.resolve(name)
		return ok
	})
	p, err := s.prepare(line)
	if err != nil {
		return Refused, err
	}
	if b, ok := builtin(p.name); ok {
		return Refused, refuse("the builtin %s is refused: the tool runs one program by absolute path", b)
	}
	f, ok := s.resolve(p.name)
	if !ok {
		s.notRecognized(errw, p.token)
		return NotRecognized, nil
	}
	switch f.ext {
	case ".exe", ".com":
	case ".bat", ".cmd":
		return Refused, refuse("the batch file %s is refused: the tool never runs batch files", f.win)
	default:
		return Refused, refuse("%s is not a program the lab runs (%s)", f.win, f.ext)
	}
	return s.Exec(ctx, Program{
		Path:        f.win,
		Host:        f.host,
		CommandLine: p.commandLine,
		Args:        SplitArgs(p.commandLine)[1:],
		Env:         s.Env.List(),
		Stdin:       stdin,
		Stdout:      out,
		Stderr:      errw,
	}), nil
}

// prepare takes a command line through cmd.exe's phases up to the command it runs: percent
// expansion, the special characters, and delayed expansion when the node has it on.
func (s *Shell) prepare(line string) (parsed, error) {
	line, err := expand(line, s.Env)
	if err != nil {
		return parsed{}, refusal{err.Error()}
	}
	p, err := parse(line)
	if err != nil || !s.Processor.DelayedExpansion {
		return p, err
	}
	token, err := delayedExpand(p.token, s.Env)
	if err != nil {
		return parsed{}, err
	}
	rest, err := delayedExpand(p.commandLine[len(p.token):], s.Env)
	if err != nil {
		return parsed{}, err
	}
	return parsed{token: token, name: strings.ReplaceAll(token, `"`, ""), commandLine: token + rest}, nil
}

// autoRun runs the node's AutoRun command line before the command, as cmd.exe does when it
// is started without /D (Microsoft, "cmd": the AutoRun subkeys are "executed before all other
// variables"; `cmd /?`: "they are executed first"). Its exit status is not the session's. The
// lab emulates one form, `echo TEXT`, which prints TEXT to standard output (Microsoft, "echo":
// "Displays messages"): the form that makes a node's AutoRun visible in every command's
// output. Any other AutoRun is refused.
func (s *Shell) autoRun(out io.Writer) error {
	p, err := s.prepare(s.Processor.AutoRun)
	if err != nil {
		return refuse("AutoRun %q: %v", s.Processor.AutoRun, err)
	}
	text, ok := strings.CutPrefix(p.commandLine, p.token)
	if !strings.EqualFold(p.token, "echo") || !ok || text == "" {
		return refuse("AutoRun %q: the lab emulates only an AutoRun of the form echo TEXT", s.Processor.AutoRun)
	}
	_, err = fmt.Fprintf(out, "%s\n", text[1:]) // echo drops the one delimiter after its name
	return err
}

// notRecognized prints cmd.exe's message for an unknown command, in the node's language: the
// English text as every public sample shows it, the Japanese one on a code page 932 node as
// public samples from Japanese Windows show it (the line break after the first clause is
// assumed to sit where the English one does: not confirmed by a public source).
func (s *Shell) notRecognized(w io.Writer, token string) {
	if s.CodePage == CP932 {
		fmt.Fprintf(w, "'%s' は、内部コマンドまたは外部コマンド、\n操作可能なプログラムまたはバッチ ファイルとして認識されていません。\n", token)
		return
	}
	fmt.Fprintf(w, "'%s' is not recognized as an internal or external command,\noperable program or batch file.\n", token)
}
