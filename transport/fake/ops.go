package fake

import (
	"bytes"
	"context"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/clusterctl/cluster/transport"
)

var _ transport.OpRunner = (*Node)(nil)

// DoOps carries out ops on the in-memory files, in one session. Commands go to the handlers as
// in a Batch (recorded as "batch" calls); the file ops are recorded with their own names
// ("read", "tree", "stat", "write", "copy", "remove", "mkdir", "create") and their paths.
func (n *Node) DoOps(ctx context.Context, ops []transport.Op, inOrder bool) ([]transport.Outcome, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if err := n.begin(ctx); err != nil {
		return nil, err
	}
	out := make([]transport.Outcome, len(ops))
	for i, op := range ops {
		if inOrder && i > 0 && !out[i-1].OK() {
			out[i] = transport.Outcome{Result: transport.Result{ExitCode: transport.ExitSkipped}, Op: op}
			continue
		}
		o, err := n.do(op)
		if err != nil {
			return nil, err
		}
		o.Op = op
		out[i] = o
	}
	return out, nil
}

// do carries out one op with n.mu held.
func (n *Node) do(op transport.Op) (transport.Outcome, error) {
	var o transport.Outcome
	switch v := op.(type) {
	case transport.Command:
		o.Result = n.exec(v, "batch")
	case transport.ReadFiles:
		n.record("read", v.Paths...)
		o.Files = make([]transport.File, len(v.Paths))
		for i, p := range v.Paths {
			o.Files[i].Path = p
			if f, ok := n.files[p.Posix()]; ok {
				o.Files[i].Exists, o.Files[i].Data, o.Files[i].Mode = true, bytes.Clone(f.data), f.mode
			} else if n.isDir(p.Posix()) {
				return fail(o, 1, "%s: not a regular file", p), nil
			}
		}
	case transport.ReadTree:
		n.record("tree", v.Dir)
		return n.readTree(v), nil
	case transport.Stat:
		n.record("stat", v.Paths...)
		o.Stats = make([]transport.FileInfo, len(v.Paths))
		for i, p := range v.Paths {
			o.Stats[i].Path = p
			if f, ok := n.files[p.Posix()]; ok {
				o.Stats[i].Exists, o.Stats[i].Size, o.Stats[i].Mode, o.Stats[i].ModTime = true, int64(len(f.data)), f.mode, f.mtime
			} else if n.isDir(p.Posix()) {
				o.Stats[i].Exists, o.Stats[i].Dir, o.Stats[i].Mode = true, true, 0o755
			}
		}
	case transport.WriteFile:
		n.calls = append(n.calls, Call{Op: "write", Argv: []string{v.Path.Posix()}, Stdin: bytes.Clone(v.Data)})
		if cut := n.cutAfter; cut >= 0 {
			n.cutAfter = -1
			if cut < len(v.Data) {
				return o, fmt.Errorf("%s: write %s: connection cut after %d of %d bytes", n.name, v.Path, cut, len(v.Data))
			}
		}
		if n.isDir(v.Path.Posix()) {
			return fail(o, 75, "the target is a directory, not a file; nothing was written"), nil
		}
		mode := v.Mode
		if old, ok := n.files[v.Path.Posix()]; ok {
			mode = old.mode
		}
		n.files[v.Path.Posix()] = file{data: bytes.Clone(v.Data), mode: mode, mtime: n.now()}
	case transport.WriteTree:
		return n.writeTree(v)
	case transport.CopyTree:
		n.record("copy", v.From, v.To)
		return n.copyTree(v), nil
	case transport.Remove:
		n.record("remove", v.Path)
		p := v.Path.Posix()
		if n.isDir(p) {
			if !v.Recursive {
				return fail(o, 1, "rm: cannot remove '%s': Is a directory", v.Path), nil
			}
			prefix := strings.TrimSuffix(p, "/") + "/"
			for f := range n.files {
				if strings.HasPrefix(f, prefix) {
					delete(n.files, f)
				}
			}
			for d := range n.dirs {
				if d == p || strings.HasPrefix(d, prefix) {
					delete(n.dirs, d)
				}
			}
		}
		delete(n.files, p)
	case transport.MakeDir:
		n.record("mkdir", v.Path)
		if _, ok := n.files[v.Path.Posix()]; ok {
			return fail(o, 1, "mkdir: cannot create directory '%s': File exists", v.Path), nil
		}
		n.dirs[v.Path.Posix()] = true
	case transport.ListDir:
		n.record("list", v.Dir)
		return n.listDir(v), nil
	case transport.Rename:
		n.record("rename", v.From, v.To)
		return n.rename(v), nil
	case transport.RemoveIfSame:
		n.calls = append(n.calls, Call{Op: "remove-if-same", Argv: []string{v.Path.Posix()}, Stdin: bytes.Clone(v.Data)})
		if f, ok := n.files[v.Path.Posix()]; ok && bytes.Equal(f.data, v.Data) {
			delete(n.files, v.Path.Posix())
			o.Removed = true
		}
	case transport.CreateExclusive:
		n.calls = append(n.calls, Call{Op: "create", Argv: []string{v.Path.Posix()}, Stdin: bytes.Clone(v.Data)})
		if _, ok := n.files[v.Path.Posix()]; ok || n.isDir(v.Path.Posix()) {
			return o, nil
		}
		n.files[v.Path.Posix()] = file{data: bytes.Clone(v.Data), mode: 0o644, mtime: n.now()}
		o.Created = true
	case transport.FreeSpace:
		n.record("free", v.Paths...)
		if n.free < 0 {
			return fail(o, 1, "the free space cannot be measured"), nil
		}
		for range v.Paths {
			o.Free = append(o.Free, n.free)
		}
	default:
		return o, fmt.Errorf("%s: the fake node has no implementation of %T", n.name, op)
	}
	return o, nil
}

func (n *Node) record(op string, paths ...transport.NodePath) {
	c := Call{Op: op}
	for _, p := range paths {
		c.Argv = append(c.Argv, p.Posix())
	}
	n.calls = append(n.calls, c)
}

func fail(o transport.Outcome, code int, format string, args ...any) transport.Outcome {
	o.ExitCode, o.Stderr = code, fmt.Appendf(nil, format+"\n", args...)
	return o
}

// readTree collects the files below v.Dir (or its entries), with n.mu held.
func (n *Node) readTree(v transport.ReadTree) transport.Outcome {
	var o transport.Outcome
	if !n.isDir(v.Dir.Posix()) {
		return o // a missing directory: a nil tree
	}
	dir := strings.TrimSuffix(v.Dir.Posix(), "/") + "/"
	var names []string
	for f := range n.files {
		if rel, ok := strings.CutPrefix(f, dir); ok && inEntries(rel, v.Entries) {
			names = append(names, rel)
		}
	}
	sort.Strings(names)
	var links []string
	for l := range n.links {
		if rel, ok := strings.CutPrefix(l, dir); ok && inEntries(rel, v.Entries) {
			links = append(links, rel)
		}
	}
	if len(links) > 0 {
		slices.Sort(links)
		return fail(o, transport.ExitNotRegular, "%s", transport.NotRegularMessage(links[0]))
	}
	for _, rel := range names {
		if max, ok := transport.TreeLimit(v.Limits, rel); ok && int64(len(n.files[dir+rel].data)) > max {
			return fail(o, 4, "%s is %d bytes, more than the maximum size of %d bytes (%d MiB): refused without reading it", rel, len(n.files[dir+rel].data), max, max>>20)
		}
	}
	o.Tree = make(map[string][]byte, len(names))
	for _, rel := range names {
		o.Tree[rel] = bytes.Clone(n.files[dir+rel].data)
	}
	return o
}

func inEntries(rel string, entries []string) bool {
	if len(entries) == 0 {
		return true
	}
	for _, e := range entries {
		e = path.Clean(e)
		if rel == e || strings.HasPrefix(rel, e+"/") {
			return true
		}
	}
	return false
}

// copyTree copies a file or the files below a directory, with n.mu held.
func (n *Node) copyTree(v transport.CopyTree) transport.Outcome {
	var o transport.Outcome
	from, to := v.From.Posix(), v.To.Posix()
	if _, ok := n.files[to]; ok || n.isDir(to) {
		return fail(o, 1, "%s already exists", v.To)
	}
	if f, ok := n.files[from]; ok {
		n.files[to] = f.clone()
		return o
	}
	if !n.isDir(from) {
		return fail(o, 1, "%s does not exist", v.From)
	}
	prefix := strings.TrimSuffix(from, "/") + "/"
	for p, f := range n.files {
		if rel, ok := strings.CutPrefix(p, prefix); ok {
			n.files[path.Join(to, rel)] = f.clone()
		}
	}
	n.dirs[to] = true
	return o
}

// listDir lists the names directly below v.Dir, with n.mu held.
func (n *Node) listDir(v transport.ListDir) transport.Outcome {
	var o transport.Outcome
	dir := v.Dir.Posix()
	if _, ok := n.files[dir]; ok {
		return fail(o, 1, "%s: not a directory", v.Dir)
	}
	if !n.isDir(dir) {
		return o // a missing directory: nil entries
	}
	prefix := strings.TrimSuffix(dir, "/") + "/"
	seen := map[string]bool{}
	o.Entries = []transport.DirEntry{}
	add := func(p string) {
		rel, ok := strings.CutPrefix(p, prefix)
		if !ok || rel == "" {
			return
		}
		name, _, _ := strings.Cut(rel, "/")
		if seen[name] {
			return
		}
		seen[name] = true
		e := transport.DirEntry{Name: name, Dir: n.isDir(prefix + name)}
		if f, ok := n.files[prefix+name]; ok {
			e.Size, e.ModTime = int64(len(f.data)), f.mtime
		}
		o.Entries = append(o.Entries, e)
	}
	for p := range n.files {
		add(p)
	}
	for d := range n.dirs {
		add(d)
	}
	sort.Slice(o.Entries, func(i, j int) bool { return o.Entries[i].Name < o.Entries[j].Name })
	return o
}

// rename moves a file or a directory by transport.Rename's rules, with n.mu held.
func (n *Node) rename(v transport.Rename) transport.Outcome {
	var o transport.Outcome
	from, to := v.From.Posix(), v.To.Posix()
	f, isFile := n.files[from]
	switch {
	case !isFile && !n.isDir(from):
		return fail(o, 1, "%s does not exist", v.From)
	case from == to:
		return fail(o, 1, "%s: renaming a path onto itself is refused", v.From)
	case isFile && n.isDir(to):
		return fail(o, 75, "%s is a directory; the file %s is left as it is", v.To, v.From)
	case isFile:
		n.files[to] = f
		delete(n.files, from)
		return o
	}
	if _, ok := n.files[to]; ok || n.isDir(to) {
		return fail(o, 1, "%s already exists; the directory %s is left as it is", v.To, v.From)
	}
	prefix := strings.TrimSuffix(from, "/") + "/"
	for p, f := range n.files {
		if rel, ok := strings.CutPrefix(p, prefix); ok {
			n.files[path.Join(to, rel)] = f
			delete(n.files, p)
		}
	}
	for d := range n.dirs {
		if d == from {
			delete(n.dirs, d)
		} else if rel, ok := strings.CutPrefix(d, prefix); ok {
			n.dirs[path.Join(to, rel)] = true
			delete(n.dirs, d)
		}
	}
	n.dirs[to] = true
	return o
}

// writeTree creates v.Dir with its files, with n.mu held. A cut (CutNextWrite) falls within
// the files' bytes: the files before it are written, the one it falls in is not, and the call
// fails as a lost connection does, leaving the partial directory.
func (n *Node) writeTree(v transport.WriteTree) (transport.Outcome, error) {
	var o transport.Outcome
	var sent []byte
	for _, f := range v.Files {
		sent = append(sent, f.Data...)
	}
	n.calls = append(n.calls, Call{Op: "write-tree", Argv: []string{v.Dir.Posix()}, Stdin: sent})
	dir := v.Dir.Posix()
	_, isLink := n.links[dir]
	if _, ok := n.files[dir]; ok || n.isDir(dir) || isLink {
		return fail(o, 1, "%s already exists; nothing was written", v.Dir), nil
	}
	cut := n.cutAfter
	n.cutAfter = -1
	n.dirs[dir] = true
	for _, d := range v.TreeDirs() {
		n.dirs[path.Join(dir, d)] = true
	}
	left := cut
	for _, f := range v.Files {
		if cut >= 0 && left < len(f.Data) {
			return o, fmt.Errorf("%s: %s: connection cut after %d bytes", n.name, v.Describe(), cut)
		}
		left -= len(f.Data)
		n.files[path.Join(dir, f.Path)] = file{data: bytes.Clone(f.Data), mode: f.Mode.Perm(), mtime: n.now()}
	}
	return o, nil
}
