package emulate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"slices"
	"strings"
)

// Groupmax files, relative to the install directory. conf/sts is the status service definition
// (%XODDIR%\conf\sts, manual 2.3.4(1)(b), OSEN0019); var/sts.json is the lab's record of what the
// object server keeps in memory and in the status files themselves.
const (
	stsDefFile   = "conf/sts"
	stsStateFile = "var/sts.json"
	maxLogicals  = 7 // logical files per definition (seed 003: A and B files, up to 7 each)
)

// Logical file states (seed 003): open = current or spare, closed = reserved or blocked.
const (
	stsCurrent  = "current"
	stsSpare    = "spare"
	stsReserved = "reserved"
	stsBlocked  = "blocked"
)

// stsLogical is one logical file of the definition: name, A file, B file (NTFS paths).
type stsLogical struct{ Name, A, B string }

// stsDef is the status service definition, logical files in order.
type stsDef struct{ Logicals []stsLogical }

func (d stsDef) find(name string) (stsLogical, bool) {
	i := slices.IndexFunc(d.Logicals, func(l stsLogical) bool { return l.Name == name })
	if i < 0 {
		return stsLogical{}, false
	}
	return d.Logicals[i], true
}

// parseStsDef reads the definition in the LAB's format ("logical NAME A_FILE B_FILE",
// docs/lab.md), not the product's: the product's syntax (manual 7.3) is in no public source.
// The emulated server needs some format to know its logical files; the tool never writes or
// parses one of its own (it writes the site's definition_content as bytes), and the examples
// and tests supply this format through definition_content.
func parseStsDef(data []byte) (stsDef, error) {
	var def stsDef
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Fields(text)
		switch {
		case len(f) != 4 || f[0] != "logical":
			return def, fmt.Errorf("line %d: want \"logical NAME A_FILE B_FILE\", got %q", line, text)
		case len(def.Logicals) == maxLogicals:
			return def, fmt.Errorf("line %d: more than %d logical files", line, maxLogicals)
		case !isDrivePath(f[2]) || !isDrivePath(f[3]):
			return def, fmt.Errorf("line %d: the A and B files must be drive paths", line)
		}
		if _, dup := def.find(f[1]); dup {
			return def, fmt.Errorf("line %d: logical file %s is defined twice", line, f[1])
		}
		def.Logicals = append(def.Logicals, stsLogical{Name: f[1], A: f[2], B: f[3]})
	}
	return def, sc.Err()
}

func isDrivePath(p string) bool {
	return len(p) > 3 && p[1] == ':' && p[2] == '\\' && (p[0]|0x20 >= 'a' && p[0]|0x20 <= 'z')
}

// stsState is var/sts.json: whether the status server runs, and each logical file's state.
// Stale marks files blocked after a failure that have not been re-initialised yet.
type stsState struct {
	Running  bool              `json:"running"`
	Logicals map[string]string `json:"logicals"`
	Stale    map[string]bool   `json:"stale,omitempty"` // NTFS path -> needs xodstsinit
}

func (e *env) stsStatePath() string { return path.Join(e.install, stsStateFile) }

func (e *env) readStsState() (stsState, error) {
	st := stsState{Logicals: map[string]string{}, Stale: map[string]bool{}}
	data, err := os.ReadFile(e.host(e.stsStatePath()))
	if isNotExist(err) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return st, fmt.Errorf("%s: %w", stsStateFile, err)
	}
	if st.Logicals == nil {
		st.Logicals = map[string]string{}
	}
	if st.Stale == nil {
		st.Stale = map[string]bool{}
	}
	return st, nil
}

func (e *env) writeStsState(st stsState) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return e.write(e.stsStatePath(), append(data, '\n'), 0o644)
}

// readStsDef reads the definition from its fixed place.
func (e *env) readStsDef() (stsDef, error) {
	data, err := os.ReadFile(e.host(path.Join(e.install, stsDefFile)))
	if err != nil {
		return stsDef{}, fmt.Errorf("cannot read the status service definition: %w", err)
	}
	return parseStsDef(data)
}

// exists reports whether the file at an NTFS path is on the node.
func (e *env) exists(ntfs string) bool {
	_, err := os.Stat(e.host(e.nodeArg(ntfs)))
	return err == nil
}
