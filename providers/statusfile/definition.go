package statusfile

import (
	"bufio"
	"bytes"
	"fmt"
	"path"
	"slices"
	"strings"
)

// maxPairs is how many A/B pairs the vendor allows per logical file.
const maxPairs = 7

// Definition is a status service definition file: logical files and their pairs, in order.
//
//	# comment
//	logical sts1
//	pair /data/a/sts1a1 /data/b/sts1b1
type Definition struct {
	Logicals []Logical
}

// Logical is one logical file of a definition.
type Logical struct {
	Name  string
	Pairs []Pair
}

// ParseDefinition reads a definition file. It is as strict as the object server: an unknown
// line, a pair outside a logical file, a relative path or an eighth pair is an error.
func ParseDefinition(data []byte) (Definition, error) {
	var d Definition
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Fields(text)
		switch {
		case f[0] == "logical" && len(f) == 2:
			if _, dup := d.Find(f[1]); dup {
				return d, fmt.Errorf("line %d: logical file %s is defined twice", line, f[1])
			}
			d.Logicals = append(d.Logicals, Logical{Name: f[1]})
		case f[0] == "pair" && len(f) == 3:
			if len(d.Logicals) == 0 {
				return d, fmt.Errorf("line %d: pair before any logical line", line)
			}
			l := &d.Logicals[len(d.Logicals)-1]
			if len(l.Pairs) == maxPairs {
				return d, fmt.Errorf("line %d: logical file %s has more than %d pairs", line, l.Name, maxPairs)
			}
			if !path.IsAbs(f[1]) || !path.IsAbs(f[2]) {
				return d, fmt.Errorf("line %d: pair paths must be absolute", line)
			}
			l.Pairs = append(l.Pairs, Pair{A: path.Clean(f[1]), B: path.Clean(f[2])})
		default:
			return d, fmt.Errorf("line %d: want \"logical NAME\" or \"pair A_PATH B_PATH\", got %q", line, text)
		}
	}
	return d, sc.Err()
}

// Find returns the logical file called name.
func (d Definition) Find(name string) (Logical, bool) {
	i := slices.IndexFunc(d.Logicals, func(l Logical) bool { return l.Name == name })
	if i < 0 {
		return Logical{}, false
	}
	return d.Logicals[i], true
}

// Equal reports whether two definitions name the same logical files and pairs in the same
// order; comments and spacing do not count.
func (d Definition) Equal(o Definition) bool {
	return slices.EqualFunc(d.Logicals, o.Logicals, func(x, y Logical) bool {
		return x.Name == y.Name && slices.Equal(x.Pairs, y.Pairs)
	})
}

// definitionHeader opens every definition file the tool writes.
const definitionHeader = "# Status service definition, written by cluster from the status_file blocks of\n" +
	"# the configuration. Change those blocks, not this file.\n"

// Render writes the definition in the format ParseDefinition reads.
func (d Definition) Render() []byte {
	var b bytes.Buffer
	b.WriteString(definitionHeader)
	for _, l := range d.Logicals {
		fmt.Fprintf(&b, "\nlogical %s\n", l.Name)
		for _, p := range l.Pairs {
			fmt.Fprintf(&b, "pair %s %s\n", p.A, p.B)
		}
	}
	return b.Bytes()
}

// union is the definition the vendor commands are given while a change is applied: every
// logical file and pair of have (so pairs being removed can still be named) and of want (so new
// pairs can be created). Declared pairs come first in declared order, then the pairs that are
// leaving.
func union(have, want Definition) Definition {
	var u Definition
	for _, l := range have.Logicals {
		w, ok := want.Find(l.Name)
		if !ok {
			u.Logicals = append(u.Logicals, Logical{Name: l.Name, Pairs: slices.Clone(l.Pairs)})
			continue
		}
		merged := slices.Clone(w.Pairs)
		for _, p := range l.Pairs {
			if !slices.Contains(merged, p) {
				merged = append(merged, p)
			}
		}
		u.Logicals = append(u.Logicals, Logical{Name: l.Name, Pairs: merged})
	}
	for _, l := range want.Logicals {
		if _, ok := have.Find(l.Name); !ok {
			u.Logicals = append(u.Logicals, Logical{Name: l.Name, Pairs: slices.Clone(l.Pairs)})
		}
	}
	return u
}
