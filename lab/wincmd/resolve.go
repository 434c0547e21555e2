package wincmd

import (
	"os"
	"path/filepath"
	"strings"
)

// Drives maps Windows paths onto a node root: drive X: is the directory <root>/<x> (lower
// case), the layout the lab's POSIX-form node paths (/c/Program Files/...) already use, so a
// file the emulated vendor commands write under /c/... is C:\... here.
type Drives struct{ Root string }

// Host maps an absolute Windows path (C:\a\b or C:/a/b) to the host path, resolving each
// component case-insensitively as NTFS does; the last component may be missing (found is then
// false). "." and ".." are resolved lexically, ".." stopping at the drive root.
func (d Drives) Host(win string) (host string, found bool, ok bool) {
	letter, rest, ok := splitDrive(win)
	if !ok {
		return "", false, false
	}
	dir := filepath.Join(d.Root, strings.ToLower(letter))
	if _, err := os.Stat(dir); err != nil {
		return "", false, true
	}
	comps := cleanComponents(rest)
	for i, c := range comps {
		next, exists := lookupFold(dir, c)
		dir = next
		if !exists {
			if i == len(comps)-1 {
				return dir, false, true
			}
			return "", false, true
		}
	}
	return dir, true, true
}

// splitDrive splits "C:\rest" into "C" and "\rest"; only drive-absolute paths qualify.
func splitDrive(win string) (letter, rest string, ok bool) {
	if len(win) < 3 || win[1] != ':' || (win[2] != '\\' && win[2] != '/') {
		return "", "", false
	}
	c := win[0] | 0x20
	if c < 'a' || c > 'z' {
		return "", "", false
	}
	return win[:1], win[2:], true
}

func cleanComponents(rest string) []string {
	var out []string
	for _, c := range strings.FieldsFunc(rest, func(r rune) bool { return r == '\\' || r == '/' }) {
		switch c {
		case ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, c)
		}
	}
	return out
}

// lookupFold finds name in dir, the exact spelling first, then ignoring case.
func lookupFold(dir, name string) (string, bool) {
	exact := filepath.Join(dir, name)
	if _, err := os.Lstat(exact); err == nil {
		return exact, true
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return exact, false
	}
	for _, e := range entries {
		if strings.EqualFold(e.Name(), name) {
			return filepath.Join(dir, e.Name()), true
		}
	}
	return exact, false
}

// found is a program cmd.exe would start.
type found struct {
	win  string // its Windows path
	host string
	ext  string // lower case, with the dot
}

// resolve finds a program the way cmd.exe does for a token that is not a builtin (Microsoft,
// "Command search sequence",
// https://learn.microsoft.com/previous-versions/windows/it-pro/windows-xp/bb490954(v=technet.10)
// and the PATHEXT variable): a name with a path (\ / or a drive) is looked for there only; a
// bare name in the current directory first, then in each PATH directory. In each place the name
// is tried as given when its extension is one of PATHEXT, then with each PATHEXT extension
// appended, in PATHEXT order.
func (s *Shell) resolve(name string) (found, bool) {
	exts := strings.Split(strings.ToLower(s.getenv("PATHEXT", ".COM;.EXE;.BAT;.CMD")), ";")
	var dirs []string
	base := name
	if strings.ContainsAny(name, `\/:`) {
		full := name
		if _, _, ok := splitDrive(name); !ok {
			if len(name) > 1 && name[1] == ':' || strings.HasPrefix(name, `\`) || strings.HasPrefix(name, "/") {
				return found{}, false // drive-relative, rooted without drive, UNC: not emulated
			}
			full = strings.TrimRight(s.Cwd, `\`) + `\` + name
		}
		i := strings.LastIndexAny(full, `\/`)
		dirs, base = []string{full[:i]}, full[i+1:]
	} else {
		dirs = append([]string{s.Cwd}, strings.Split(s.getenv("PATH", ""), ";")...)
	}
	var candidates []string
	if ext := strings.ToLower(filepath.Ext(base)); ext != "" && contains(exts, ext) {
		candidates = append(candidates, base)
	}
	for _, e := range exts {
		if e != "" {
			candidates = append(candidates, base+e)
		}
	}
	for _, dir := range dirs {
		if dir == "" {
			continue
		}
		for _, c := range candidates {
			win := strings.TrimRight(dir, `\/`) + `\` + c
			host, ok, _ := s.Drives.Host(win)
			if !ok {
				continue
			}
			if st, err := os.Stat(host); err != nil || st.IsDir() {
				continue
			}
			return found{win: win, host: host, ext: strings.ToLower(filepath.Ext(c))}, true
		}
	}
	return found{}, false
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}
