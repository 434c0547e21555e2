package statusfile

import (
	"slices"

	"github.com/clusterctl/cluster/hcl/config"
)

// Definition is the list of logical files a status_file block declares, in the order the
// status service definition must name them: the first is current after a normal start (seed
// 003: 「ステータスサービス定義で最初に指定したステータスファイルが現用になります」).
//
// The definition file's own syntax (manual section 7.3) is in no public source found, so the
// provider never generates or parses it: the site supplies the whole content
// (definition_content), which the tool writes as bytes, or the tool leaves the file alone. What
// it checks in the text needs no syntax (config.CheckDefinitionText).
type Definition struct {
	Logicals []Logical
}

// Logical is a logical file: its name, its A-system and its B-system file (NTFS paths).
type Logical struct {
	Name string
	A, B string
}

func (l Logical) String() string { return l.Name + " (A " + l.A + ", B " + l.B + ")" }

// Find returns the logical file called name.
func (d Definition) Find(name string) (Logical, bool) {
	i := slices.IndexFunc(d.Logicals, func(l Logical) bool { return l.Name == name })
	if i < 0 {
		return Logical{}, false
	}
	return d.Logicals[i], true
}

// DefinitionOf is the list of logical files a status_file block declares.
func DefinitionOf(sf *config.StatusFile) Definition {
	var d Definition
	for _, lf := range sf.Logicals {
		d.Logicals = append(d.Logicals, Logical{Name: lf.Name, A: lf.AFile, B: lf.BFile})
	}
	return d
}
