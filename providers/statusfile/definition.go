package statusfile

import (
	"bufio"
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/clusterctl/cluster/hcl/config"
)

// Definition is a status service definition: its logical files, in the order it lists them.
// The first is current after a normal start (seed 003: 「ステータスサービス定義で最初に指定した
// ステータスファイルが現用になります」).
//
// The product's own syntax for this file (manual section 7.3) is in no public source found, so
// the format below is the tool's own, kept in this one file (docs/statusfile.md):
//
//	# comment
//	logical NAME A_FILE B_FILE
//
// with NTFS paths. A file the tool cannot parse — for instance one written by hand in the
// product's syntax — is never overwritten: the plan refuses and says so.
type Definition struct {
	Logicals []Logical
}

// Logical is a logical file: its name, its A-system and its B-system file (NTFS paths).
type Logical struct {
	Name string
	A, B string
}

func (l Logical) String() string { return l.Name + " (A " + l.A + ", B " + l.B + ")" }

// MaxLogicals is how many logical files one definition names (seed 003: A and B files, up to
// 7 each).
const MaxLogicals = 7

// ParseDefinition reads a definition file. An unknown line, a logical file named twice, a path
// that is not a drive path or an eighth logical file is an error.
func ParseDefinition(data []byte) (Definition, error) {
	var d Definition
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Fields(text)
		if len(f) != 4 || f[0] != "logical" {
			return d, fmt.Errorf("line %d: want \"logical NAME A_FILE B_FILE\", got %q", line, text)
		}
		if _, dup := d.Find(f[1]); dup {
			return d, fmt.Errorf("line %d: logical file %s is defined twice", line, f[1])
		}
		if len(d.Logicals) == MaxLogicals {
			return d, fmt.Errorf("line %d: more than %d logical files", line, MaxLogicals)
		}
		if !config.StatusFilePathUsable(f[2]) || !config.StatusFilePathUsable(f[3]) {
			return d, fmt.Errorf("line %d: the A and B files must be drive paths (D:\\...)", line)
		}
		d.Logicals = append(d.Logicals, Logical{Name: f[1], A: f[2], B: f[3]})
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

// Equal reports whether two definitions list the same logical files in the same order.
func (d Definition) Equal(o Definition) bool { return slices.Equal(d.Logicals, o.Logicals) }

// definitionHeader opens every definition file the tool writes.
const definitionHeader = "# Status service definition, written by cluster from a status_file block of\n" +
	"# the configuration. Change that block, not this file.\n"

// Render writes the definition in the format ParseDefinition reads.
func (d Definition) Render() []byte {
	var b bytes.Buffer
	b.WriteString(definitionHeader)
	for _, l := range d.Logicals {
		fmt.Fprintf(&b, "logical %s %s %s\n", l.Name, l.A, l.B)
	}
	return b.Bytes()
}

// DefinitionOf is the definition a status_file block declares.
func DefinitionOf(sf *config.StatusFile) Definition {
	var d Definition
	for _, lf := range sf.Logicals {
		d.Logicals = append(d.Logicals, Logical{Name: lf.Name, A: lf.AFile, B: lf.BFile})
	}
	return d
}
