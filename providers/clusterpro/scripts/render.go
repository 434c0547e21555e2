package scripts

import (
	"errors"
	"fmt"
	"strings"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
)

// ErrUnsafeForCmd is wrapped by the error Render returns when a service name or id holds a
// character that cmd.exe cannot be made to take literally, even inside double quotes.
var ErrUnsafeForCmd = errors.New("cannot be quoted safely for cmd.exe")

// Render returns the start and stop scripts of s for platform p: start.bat/stop.bat content
// (CRLF line endings) on Windows, start.sh/stop.sh content (LF) on Linux.
//
// A literal script is returned as written, with its line endings normalised and a final line
// break ensured; a side left empty becomes a script that does nothing and succeeds. A
// declarative script is generated (see buildLayout for what each event does).
func Render(s *config.Script, p config.Platform) (start, stop []byte, err error) {
	if s == nil {
		return nil, nil, errors.New("render script: nil script")
	}
	r, err := rendererFor(p)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", scriptRef(s), err)
	}
	if s.Literal() {
		return r.literal(s.Start), r.literal(s.Stop), nil
	}
	if err := validate(s, p); err != nil {
		return nil, nil, err
	}
	start, err = r.render(buildLayout(s, startScript))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: start script: %w", scriptRef(s), err)
	}
	stop, err = r.render(buildLayout(s, stopScript))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: stop script: %w", scriptRef(s), err)
	}
	return start, stop, nil
}

// renderer spells scripts for one platform.
type renderer interface {
	// literal normalises operator-written content; "" becomes a script that succeeds.
	literal(content string) []byte
	// render generates a script from a layout.
	render(l layout) ([]byte, error)
	// monitor generates the script of a generic monitor that always reports healthy.
	monitor(ref, description string) []byte
}

// EmptyScript is what an empty literal script is written as on platform p: a script that
// succeeds.
func EmptyScript(p config.Platform) string {
	if p == config.Windows {
		return string(batRenderer{}.literal(""))
	}
	return string(shRenderer{}.literal(""))
}

// rendererFor returns the renderer of a platform, or an error naming the unknown platform.
func rendererFor(p config.Platform) (renderer, error) {
	switch p {
	case config.Windows:
		return batRenderer{}, nil
	case config.Linux:
		return shRenderer{}, nil
	}
	return nil, fmt.Errorf("unknown platform %q: want %q or %q", p, config.Linux, config.Windows)
}

// normalise returns text with every line ending replaced by eol and a final line break.
func normalise(text, eol string) []byte {
	lines := splitLines(text)
	return []byte(strings.Join(lines, eol) + eol)
}

// scriptRef names a script in errors and headers: its address, or one made from its name when
// the Script was built by hand without one.
func scriptRef(s *config.Script) string {
	if !s.Addr.IsZero() {
		return s.Addr.String()
	}
	return addrs.Script(s.Name).String()
}

// headerRef names a script in the header of its generated files: by its block's name alone
// (script.iis), never with a module or an instance key, so that moving the script into a module
// or under for_each leaves the files, and so the plan, unchanged.
func headerRef(s *config.Script) string { return addrs.Script(s.Name).String() }

// lineWriter accumulates script lines; the platform's line ending is applied once, at the end.
type lineWriter struct {
	b strings.Builder
}

func (w *lineWriter) line(parts ...string) {
	for _, p := range parts {
		w.b.WriteString(p)
	}
	w.b.WriteByte('\n')
}

func (w *lineWriter) bytes(eol string) []byte {
	return []byte(strings.ReplaceAll(w.b.String(), "\n", eol))
}
