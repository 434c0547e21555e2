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

// Groupmax files, relative to the install directory.
const (
	stsDefFile  = "conf/sts.def"
	stsStateDir = "var/sts"
	maxPairs    = 7 // A/B pairs per logical file, as the vendor allows
)

// Status-file states (seed 003): open = current or spare, closed = reserved or blocked.
// uninitialized is a pair defined but never created with xodstsinit.
const (
	stsCurrent       = "current"
	stsSpare         = "spare"
	stsReserved      = "reserved"
	stsBlocked       = "blocked"
	stsUninitialized = "uninitialized"
)

// stsDef is the status service definition: logical files and their pairs, in order.
type stsDef struct {
	Logicals []stsLogicalDef
}

type stsLogicalDef struct {
	Name  string
	Pairs [][2]string // A and B node paths
}

func (d stsDef) logical(name string) (stsLogicalDef, bool) {
	for _, l := range d.Logicals {
		if l.Name == name {
			return l, true
		}
	}
	return stsLogicalDef{}, false
}

// parseStsDef reads the definition file. It is written apart from providers/statusfile on
// purpose: the emulation plays the object server's side, so the two parsers check each other
// in the end-to-end tests instead of agreeing by construction.
//
// The format: '#' comments, "logical NAME" opens a logical file,
// each following "pair A_PATH B_PATH" adds one of its (at most 7) pairs.
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
		case f[0] == "logical" && len(f) == 2:
			if _, dup := def.logical(f[1]); dup {
				return def, fmt.Errorf("line %d: logical file %s is defined twice", line, f[1])
			}
			def.Logicals = append(def.Logicals, stsLogicalDef{Name: f[1]})
		case f[0] == "pair" && len(f) == 3:
			if len(def.Logicals) == 0 {
				return def, fmt.Errorf("line %d: pair before any logical line", line)
			}
			l := &def.Logicals[len(def.Logicals)-1]
			if len(l.Pairs) == maxPairs {
				return def, fmt.Errorf("line %d: logical file %s has more than %d pairs", line, l.Name, maxPairs)
			}
			if !path.IsAbs(f[1]) || !path.IsAbs(f[2]) {
				return def, fmt.Errorf("line %d: pair paths must be absolute", line)
			}
			l.Pairs = append(l.Pairs, [2]string{path.Clean(f[1]), path.Clean(f[2])})
		default:
			return def, fmt.Errorf("line %d: want \"logical NAME\" or \"pair A_PATH B_PATH\", got %q", line, text)
		}
	}
	return def, sc.Err()
}

// stsState is var/sts/<logical>.json: the initialised pairs of one logical file.
type stsState struct {
	Pairs []stsPair `json:"pairs"`
}

type stsPair struct {
	A     string `json:"a"`
	B     string `json:"b"`
	State string `json:"state"`
}

// pair returns the index of the pair whose A file is a, or -1.
func (s *stsState) pair(a string) int {
	return slices.IndexFunc(s.Pairs, func(p stsPair) bool { return p.A == a })
}

// first returns the index of the first pair in state, or -1.
func (s *stsState) first(state string) int {
	return slices.IndexFunc(s.Pairs, func(p stsPair) bool { return p.State == state })
}

func stsStatePath(install, logical string) string {
	return path.Join(install, stsStateDir, logical+".json")
}

func (e *env) readStsState(logical string) (stsState, error) {
	var st stsState
	data, err := os.ReadFile(e.host(stsStatePath(e.install, logical)))
	if isNotExist(err) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return st, fmt.Errorf("state of %s: %w", logical, err)
	}
	return st, nil
}

func (e *env) writeStsState(logical string, st stsState) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return e.write(stsStatePath(e.install, logical), append(data, '\n'), 0o644)
}
