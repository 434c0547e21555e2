package transport

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// WriteTree creates the directory Dir holding Files, and the directories between. It is the
// cheap write of a directory that is built fresh and published whole by a Rename afterwards
// (clusterpro's staged configuration): its files are not each replaced atomically, they are
// complete and durable when the op succeeds.
//   - Dir must not exist (nor a file or link at its path): otherwise the op fails and changes
//     nothing. Its missing parents are created.
//   - Every file holds exactly its Data with its Mode's permission bits, owned by the
//     connecting user. Directories below Dir are created with mode 0755.
//   - Every file and directory of the tree, Dir and Dir's parent are synced before the op
//     succeeds, where the dialect can (see docs/design.md, "Node operations").
//   - A failure part-way (an error, a cut connection) leaves at most a partial Dir, never
//     anything outside it: the caller removes a leftover Dir before it writes again, and
//     publishes Dir (renames it) only after the op succeeded.
//
// The paths are checked (CheckTreeFiles) before anything of the call runs.
type WriteTree struct {
	Dir   NodePath
	Files []TreeFile
}

// TreeFile is one file of a WriteTree.
type TreeFile struct {
	Path string // slash path relative to the tree's directory: "scripts/failover/a/start.sh"
	Data []byte
	Mode fs.FileMode // permission bits; ignored by a Windows dialect (ACLs)
}

func (o WriteTree) Describe() string {
	return fmt.Sprintf("write the directory %s (%d files)", o.Dir, len(o.Files))
}

// TreeDirs lists the directories between Dir and the files, parents first, by slash path
// relative to Dir.
func (o WriteTree) TreeDirs() []string {
	seen := map[string]bool{}
	var dirs []string
	for _, f := range o.Files {
		for d := path.Dir(f.Path); d != "." && !seen[d]; d = path.Dir(d) {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	slices.SortFunc(dirs, func(a, b string) int {
		if c := strings.Count(a, "/") - strings.Count(b, "/"); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return dirs
}

// CheckTreeFiles accepts the files of a WriteTree: each path relative, clean, without empty,
// "." or ".." elements, backslashes or NUL bytes, and named once; no file is at the path of a
// directory another file needs. Every dialect refuses a tree it does not accept before anything
// of the call runs.
func CheckTreeFiles(files []TreeFile) error {
	names := map[string]bool{}
	for _, f := range files {
		p := f.Path
		if p == "" || strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
			return fmt.Errorf("tree file %q is not a relative slash path", p)
		}
		for _, el := range strings.Split(p, "/") {
			if el == "" || el == "." || el == ".." {
				return fmt.Errorf("tree file %q is not a clean path below its directory", p)
			}
		}
		if names[p] {
			return fmt.Errorf("tree file %q is named twice", p)
		}
		names[p] = true
	}
	for p := range names {
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			if names[d] {
				return fmt.Errorf("tree file %q is also the directory of %q", d, p)
			}
		}
	}
	return nil
}
