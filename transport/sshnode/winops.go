package sshnode

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/pkg/sftp"

	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/sftpops"
)

// checkOp refuses, before anything of the call runs, an op whose paths are not Windows
// drive paths or whose tree entries leave their directory.
func (n *Node) checkOp(op transport.Op) error {
	var paths []transport.NodePath
	switch o := op.(type) {
	case transport.Command:
		return nil
	case transport.ReadFiles:
		paths = o.Paths
	case transport.ReadTree:
		paths = []transport.NodePath{o.Dir}
		for _, e := range append(append([]string{}, o.Entries...), keys(o.Limits)...) {
			if err := checkEntry(e); err != nil {
				return fmt.Errorf("%s: %s: %w; nothing was done", n.name, op.Describe(), err)
			}
		}
	case transport.Stat:
		paths = o.Paths
	case transport.WriteFile:
		paths = []transport.NodePath{o.Path}
	case transport.WriteTree:
		paths = []transport.NodePath{o.Dir} // its files: transport.Do checks them for every dialect
	case transport.CopyTree:
		paths = []transport.NodePath{o.From, o.To}
	case transport.Remove:
		paths = []transport.NodePath{o.Path}
	case transport.MakeDir:
		paths = []transport.NodePath{o.Path}
	case transport.CreateExclusive:
		paths = []transport.NodePath{o.Path}
	case transport.RemoveIfSame:
		paths = []transport.NodePath{o.Path}
	case transport.ListDir:
		paths = []transport.NodePath{o.Dir}
	case transport.Rename:
		paths = []transport.NodePath{o.From, o.To}
	case transport.FreeSpace:
		paths = o.Paths
	default:
		return &transport.UnsupportedError{Node: n.name, Dialect: n.shell, Op: op}
	}
	_, err := n.sftpPaths(paths)
	return err
}

// checkEntry accepts a relative slash path below a tree's directory.
func checkEntry(e string) error {
	if e == "" || strings.HasPrefix(e, "/") || strings.Contains(e, `\`) {
		return fmt.Errorf("tree entry %q is not a relative slash path", e)
	}
	for _, el := range strings.Split(e, "/") {
		if el == ".." {
			return fmt.Errorf("tree entry %q leaves its directory", e)
		}
	}
	return nil
}

func keys(m map[string]int64) []string { return slices.Sorted(maps.Keys(m)) }

// winOp carries out one checked op. A failure of the op itself is its Outcome (status 1 and
// the reason on Stderr); err is set only when the node could not be reached.
func (n *Node) winOp(ctx context.Context, op transport.Op, req string) (transport.Outcome, error) {
	if c, ok := op.(transport.Command); ok {
		r, err := n.runWin(ctx, c, req)
		return transport.Outcome{Result: r}, err
	}
	if err := ctx.Err(); err != nil {
		return transport.Outcome{}, fmt.Errorf("%s: %w", n.name, err)
	}
	fs, err := n.files()
	if err != nil {
		return transport.Outcome{}, err
	}
	// The op runs while the call waits for it, its context, or the command timeout; on the
	// last two the session is cut, so nothing of the op continues unseen.
	ctx, cancel := context.WithTimeout(ctx, n.commandTimeout)
	defer cancel()
	type result struct {
		o   transport.Outcome
		err error
	}
	done := make(chan result, 1)
	go func() {
		o, err := n.fileOp(fs, op)
		done <- result{o, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		n.win.cut(fs)
		<-done
		return transport.Outcome{}, fmt.Errorf("%s: %s: %w", n.name, op.Describe(), ctx.Err())
	}
	o, err := r.o, r.err
	if err != nil {
		if lost(err) || ctx.Err() != nil {
			return transport.Outcome{}, fmt.Errorf("%s: %s: %w", n.name, op.Describe(), err)
		}
		return failed(1, err.Error()), nil
	}
	return o, nil
}

// fileOp carries out one file op over SFTP.
func (n *Node) fileOp(fs *sftpops.Client, op transport.Op) (transport.Outcome, error) {
	var o transport.Outcome
	var err error
	switch v := op.(type) {
	case transport.ReadFiles:
		o, err = n.opReadFiles(fs, v)
	case transport.ReadTree:
		o, err = n.opReadTree(fs, v)
	case transport.Stat:
		o, err = n.opStat(fs, v)
	case transport.WriteFile:
		o, err = n.opWrite(fs, v)
	case transport.WriteTree:
		o, err = n.opWriteTree(fs, v)
	case transport.CopyTree:
		o, err = n.opCopy(fs, v)
	case transport.Remove:
		p := n.mustPath(v.Path)
		if v.Recursive {
			_, err = fs.RemoveTree(p)
		} else {
			_, err = fs.Remove(p)
		}
	case transport.MakeDir:
		err = fs.MakeDirAll(n.mustPath(v.Path))
	case transport.CreateExclusive:
		o, err = n.opCreate(fs, v)
	case transport.RemoveIfSame:
		o, err = n.opRemoveIfSame(fs, v)
	case transport.ListDir:
		o, err = n.opListDir(fs, v)
	case transport.Rename:
		err = fs.Rename(n.mustPath(v.From), n.mustPath(v.To))
	case transport.FreeSpace:
		o, err = n.opFreeSpace(fs, v)
	}
	return o, err
}

// lost reports an SFTP session that is gone: the call fails, not the op.
func lost(err error) bool {
	return errors.Is(err, sftp.ErrSSHFxConnectionLost) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

func failed(code int, why string) transport.Outcome {
	return transport.Outcome{Result: transport.Result{ExitCode: code, Stderr: []byte(why + "\n")}}
}

// mustPath converts a path checkOp accepted.
func (n *Node) mustPath(p transport.NodePath) string {
	s, _ := sftpops.WindowsToSFTP(string(p))
	return s
}

func (n *Node) opReadFiles(fs *sftpops.Client, o transport.ReadFiles) (transport.Outcome, error) {
	var out transport.Outcome
	for _, p := range o.Paths {
		if info, err := fs.Stat(n.mustPath(p)); err != nil {
			return out, err
		} else if info.Exists && info.IsDir {
			return failed(1, fmt.Sprintf("%s: not a regular file", p)), nil
		}
	}
	sp := make([]string, len(o.Paths))
	for i, p := range o.Paths {
		sp[i] = n.mustPath(p)
	}
	got, err := fs.ReadFiles(sp)
	if err != nil {
		return out, err
	}
	for i, f := range got {
		out.Files = append(out.Files, transport.File{Path: o.Paths[i], Exists: f.Exists, Data: f.Data})
	}
	return out, nil
}

func (n *Node) opStat(fs *sftpops.Client, o transport.Stat) (transport.Outcome, error) {
	var out transport.Outcome
	for _, p := range o.Paths {
		info, err := fs.Stat(n.mustPath(p))
		if err != nil {
			return out, err
		}
		out.Stats = append(out.Stats, transport.FileInfo{Path: p, Exists: info.Exists, Dir: info.IsDir, Size: info.Size, Mode: info.Mode.Perm(), ModTime: info.ModTime})
	}
	return out, nil
}

// opReadTree reads the tree below Dir (or its entries): each limited file is refused by its
// size before any of it is read, and the whole read is bounded by transport.MaxOutputSize.
func (n *Node) opReadTree(fs *sftpops.Client, o transport.ReadTree) (transport.Outcome, error) {
	var out transport.Outcome
	root := n.mustPath(o.Dir)
	info, err := fs.Stat(root)
	if err != nil || !info.Exists {
		return out, err
	}
	if !info.IsDir {
		return failed(1, fmt.Sprintf("read the tree %s: not a directory", o.Dir)), nil
	}
	limited, err := limitedFiles(fs, root, o.Limits)
	if err != nil {
		return out, err
	}
	for _, name := range limited {
		max, _ := transport.TreeLimit(o.Limits, name)
		fi, err := fs.Stat(path.Join(root, name))
		if err != nil {
			return out, err
		}
		if fi.Exists && !fi.IsDir && fi.Size > max {
			return failed(4, fmt.Sprintf("%s is %d bytes, more than the maximum size of %d bytes (%d MiB): refused without reading it", name, fi.Size, max, max>>20)), nil
		}
	}
	tree := map[string][]byte{}
	left := int64(transport.MaxOutputSize)
	entries := o.Entries
	if len(entries) == 0 {
		entries = []string{"."}
	}
	for _, e := range entries {
		p := path.Join(root, e)
		fi, err := fs.Stat(p)
		if err != nil {
			return out, err
		}
		switch {
		case !fi.Exists:
			continue
		case !fi.IsDir && !fi.Mode.IsRegular():
			// A link named as an entry is refused as one found below a directory is.
			return failed(transport.ExitNotRegular, transport.NotRegularMessage(path.Clean(e))), nil
		case !fi.IsDir:
			got, err := fs.ReadFiles([]string{p})
			if err != nil {
				return out, err
			}
			tree[path.Clean(e)] = got[0].Data
			left -= int64(len(got[0].Data))
		default:
			t, err := fs.ReadTree(p, max(left, 0))
			var notRegular *transport.NotRegularError
			if errors.As(err, &notRegular) {
				return failed(transport.ExitNotRegular, transport.NotRegularMessage(path.Join(e, notRegular.Rel))), nil
			}
			if err != nil {
				return out, err
			}
			for _, f := range t.Files {
				tree[path.Join(e, f.Path)] = f.Data
				left -= int64(len(f.Data))
			}
		}
		if left < 0 {
			return out, fmt.Errorf("read the tree %s: %w: more than %d bytes", o.Dir, sftpops.ErrTreeTooLarge, transport.MaxOutputSize)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(tree)) {
		max, ok := transport.TreeLimit(o.Limits, name)
		if data := tree[name]; ok && int64(len(data)) > max {
			return failed(4, fmt.Sprintf("%s is %d bytes, more than the maximum size of %d bytes (%d MiB): refused", name, len(data), max, max>>20)), nil
		}
	}
	out.Tree = tree
	return out, nil
}

func (n *Node) opWrite(fs *sftpops.Client, o transport.WriteFile) (transport.Outcome, error) {
	p := n.mustPath(o.Path)
	info, err := fs.Stat(p)
	if err != nil {
		return transport.Outcome{}, err
	}
	if info.IsDir {
		return failed(transport.ExitIsDirectory, "cluster: the target is a directory, not a file; nothing was written"), nil
	}
	if err := fs.MakeDirAll(path.Dir(p)); err != nil {
		return transport.Outcome{}, err
	}
	return transport.Outcome{}, fs.WriteFileAtomic(p, o.Data, 0)
}

// opWriteTree creates the tree over SFTP: each file created, written and synced
// (fsync@openssh.com) on its own, no mode (Windows has ACLs). Something at the directory's path
// fails the op and changes nothing.
func (n *Node) opWriteTree(fs *sftpops.Client, o transport.WriteTree) (transport.Outcome, error) {
	files := make([]sftpops.NewFile, len(o.Files))
	for i, f := range o.Files {
		files[i] = sftpops.NewFile{Path: f.Path, Data: f.Data}
	}
	err := fs.CreateTree(n.mustPath(o.Dir), o.TreeDirs(), files)
	if errors.Is(err, sftpops.ErrExists) {
		return failed(1, fmt.Sprintf("%s already exists; nothing was written", o.Dir)), nil
	}
	return transport.Outcome{}, err
}

func (n *Node) opCopy(fs *sftpops.Client, o transport.CopyTree) (transport.Outcome, error) {
	from, to := n.mustPath(o.From), n.mustPath(o.To)
	src, err := fs.Stat(from)
	if err != nil {
		return transport.Outcome{}, err
	}
	if !src.Exists {
		return failed(1, fmt.Sprintf("%s does not exist", o.From)), nil
	}
	dst, err := fs.Stat(to)
	if err != nil {
		return transport.Outcome{}, err
	}
	if dst.Exists {
		return failed(1, fmt.Sprintf("%s already exists", o.To)), nil
	}
	if err := fs.MakeDirAll(path.Dir(to)); err != nil {
		return transport.Outcome{}, err
	}
	if src.IsDir {
		return transport.Outcome{}, fs.CopyTree(from, to, transport.MaxOutputSize)
	}
	got, err := fs.ReadFiles([]string{from})
	if err != nil {
		return transport.Outcome{}, err
	}
	created, err := fs.CreateExclusive(to, got[0].Data, 0)
	if err == nil && !created {
		return failed(1, fmt.Sprintf("%s already exists", o.To)), nil
	}
	if err != nil {
		return transport.Outcome{}, err
	}
	if err := fs.SFTP().Chtimes(to, src.ModTime, src.ModTime); err != nil {
		return transport.Outcome{}, fmt.Errorf("copy %s: keep its time: %w", o.From, err)
	}
	return transport.Outcome{}, nil
}

// limitedFiles names the files Limits bounds, relative to root: each plain key, and for a
// "*/" key the path below every entry of root, hidden ones too (transport.TreeLimit).
func limitedFiles(fs *sftpops.Client, root string, limits map[string]int64) ([]string, error) {
	var names []string
	var entries []sftpops.Entry
	listed := false
	for _, key := range keys(limits) {
		below, wild := strings.CutPrefix(key, "*/")
		if !wild {
			names = append(names, key)
			continue
		}
		if !listed {
			var err error
			if entries, err = fs.ListDir(root); err != nil {
				return nil, err
			}
			listed = true
		}
		for _, e := range entries {
			if e.IsDir {
				names = append(names, e.Name+"/"+below)
			}
		}
	}
	return names, nil
}

func (n *Node) opListDir(fs *sftpops.Client, o transport.ListDir) (transport.Outcome, error) {
	got, err := fs.ListDir(n.mustPath(o.Dir))
	if err != nil || got == nil {
		return transport.Outcome{}, err
	}
	out := transport.Outcome{Entries: []transport.DirEntry{}}
	for _, e := range got {
		out.Entries = append(out.Entries, transport.DirEntry{Name: e.Name, Dir: e.IsDir, Size: e.Size, ModTime: e.ModTime})
	}
	return out, nil
}

// opRemoveIfSame reads the file and removes it when it holds exactly o.Data: requests of the
// node's one SFTP session, one after the other.
func (n *Node) opRemoveIfSame(fs *sftpops.Client, o transport.RemoveIfSame) (transport.Outcome, error) {
	p := n.mustPath(o.Path)
	info, err := fs.Stat(p)
	if err != nil || !info.Exists || info.IsDir || info.Size != int64(len(o.Data)) {
		return transport.Outcome{}, err
	}
	files, err := fs.ReadFiles([]string{p})
	if err != nil || !files[0].Exists || !bytes.Equal(files[0].Data, o.Data) {
		return transport.Outcome{}, err
	}
	removed, err := fs.Remove(p)
	return transport.Outcome{Removed: removed}, err
}

func (n *Node) opCreate(fs *sftpops.Client, o transport.CreateExclusive) (transport.Outcome, error) {
	p := n.mustPath(o.Path)
	if err := fs.MakeDirAll(path.Dir(p)); err != nil {
		return transport.Outcome{}, err
	}
	created, err := fs.CreateExclusive(p, o.Data, 0)
	return transport.Outcome{Created: created}, err
}

// opFreeSpace asks the SFTP server (statvfs@openssh.com) per path. A server that cannot answer
// fails the op, with the reason: the caller reports the free space as unknown.
func (n *Node) opFreeSpace(fs *sftpops.Client, o transport.FreeSpace) (transport.Outcome, error) {
	var out transport.Outcome
	for _, p := range o.Paths {
		free, err := fs.FreeSpace(n.mustPath(p))
		if err != nil {
			if lost(err) {
				return out, err
			}
			return failed(1, fmt.Sprintf("%s: %v", p, err)), nil
		}
		out.Free = append(out.Free, free)
	}
	return out, nil
}
