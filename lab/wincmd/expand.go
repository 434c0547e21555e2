package wincmd

import (
	"fmt"
	"strings"
)

// expand performs cmd.exe's percent expansion in command-line context (cmd /c, not a batch
// file), as dbenham's analysis of the parser documents it ("How does the Windows Command
// Interpreter (CMD.EXE) parse scripts?", https://stackoverflow.com/a/4095133, phase 1,
// command-line context; Microsoft documents only that %VAR% is replaced,
// https://learn.microsoft.com/windows-server/administration/windows-commands/set):
//
//   - %NAME% is replaced by the value of the environment variable NAME (names are
//     case-insensitive) when it is defined;
//   - when NAME is undefined the text %NAME is kept as it is and scanning goes on from the
//     second %, which may open another reference;
//   - %% is not special on the command line (only a batch file turns it into %): it stays %%;
//   - a % with no closing % is kept.
//
// The ~ and : modifiers (%VAR:~0,2%, %VAR:a=b%) are refused: the tool never sends them and
// the lab does not emulate them.
func expand(line string, env Env) (string, error) {
	var b strings.Builder
	for i := 0; i < len(line); {
		if line[i] != '%' {
			b.WriteByte(line[i])
			i++
			continue
		}
		end := strings.IndexByte(line[i+1:], '%')
		if end < 0 {
			b.WriteString(line[i:])
			break
		}
		name := line[i+1 : i+1+end]
		if name != "" {
			if strings.ContainsRune(name, ':') {
				if _, ok := env.Get(name[:strings.IndexByte(name, ':')]); ok {
					return "", fmt.Errorf("%%%s%%: expansion modifiers are not emulated", name)
				}
			}
			if v, ok := env.Get(name); ok {
				b.WriteString(v)
				i += end + 2
				continue
			}
		}
		// Undefined (or %%): keep "%NAME" and rescan from the second %.
		b.WriteString(line[i : i+1+end])
		i += 1 + end
	}
	return b.String(), nil
}

// Env is a Windows environment: names are case-insensitive, the first spelling is kept.
type Env struct{ vars []envVar }

type envVar struct{ name, value string }

// Set defines or replaces a variable.
func (e *Env) Set(name, value string) {
	for i, v := range e.vars {
		if strings.EqualFold(v.name, name) {
			e.vars[i].value = value
			return
		}
	}
	e.vars = append(e.vars, envVar{name, value})
}

// Get returns a variable's value.
func (e Env) Get(name string) (string, bool) {
	for _, v := range e.vars {
		if strings.EqualFold(v.name, name) {
			return v.value, true
		}
	}
	return "", false
}

// List returns NAME=value pairs in definition order.
func (e Env) List() []string {
	out := make([]string, 0, len(e.vars))
	for _, v := range e.vars {
		out = append(out, v.name+"="+v.value)
	}
	return out
}
