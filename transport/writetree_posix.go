package transport

import (
	"archive/tar"
	"bytes"
	"time"
)

// posixWriteTree renders WriteTree as one script fed one tar stream built here: a directory
// entry (mode 0755) for each directory below Dir, then each file with its mode. The node
// starts three programs whatever the number of files: mkdir, tar and sync (where a batch
// receives the stream first, as it does every stdin, that adds its own two: head and wc).
//
// tar -x -m -o -p -f - -C DIR: extract from stdin into DIR; -m leaves the modification times at
// the time of extraction (the node's clock, as WriteFile's), -o makes the connecting user own
// the files (not the archive's uid 0), -p gives them exactly the archive's modes, whatever the
// umask. GNU tar (1.34 --help: "-m, --touch don't extract file modified time", "-o ... when
// extracting, same as --no-same-owner", "-p, --preserve-permissions, --same-permissions";
// gnu.org/software/tar/manual, "Setting Access Permissions"), bsdtar (libarchive tar/bsdtar.1: -m, -o,
// -p in x mode) and BusyBox tar (archival/tar.c: "-m Don't restore mtime", "-o Don't restore
// user:group", -p "accepted but ignored, restores mode") all take these letters.
//
// The stream carries only names CheckTreeFiles accepted (relative, no ".."), so nothing lands
// outside DIR. A stream cut in transit never reaches tar in a batch (its stdin is received
// whole and counted first); a stream tar finds truncated or corrupt fails tar, and with it the
// op, leaving a partial DIR.
//
// Then every file and directory of the tree, DIR and its parent are synced with ONE sync taking
// them all as arguments (GNU coreutils sync(1): "If one or more files are specified, sync only
// them, or their containing file systems"); a sync that takes no arguments (BSD sync(8), older
// BusyBox) fails or ignores them, and the whole system is synced instead.
func posixWriteTree(o WriteTree) (Command, error) {
	if err := CheckTreeFiles(o.Files); err != nil {
		return Command{}, err
	}
	dirs := o.TreeDirs()
	args := []any{o.Dir, string(o.Dir)}
	if len(o.Files) == 0 {
		return Shell(writeTreeScript, append(args, "0")...), nil
	}
	var stream bytes.Buffer
	tw := tar.NewWriter(&stream)
	now := time.Now().Truncate(time.Second)
	for _, d := range dirs {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: 0o755, ModTime: now}); err != nil {
			return Command{}, err
		}
	}
	for _, f := range o.Files {
		h := &tar.Header{Typeflag: tar.TypeReg, Name: f.Path, Mode: int64(f.Mode.Perm()), Size: int64(len(f.Data)), ModTime: now}
		if err := tw.WriteHeader(h); err != nil {
			return Command{}, err
		}
		if _, err := tw.Write(f.Data); err != nil {
			return Command{}, err
		}
	}
	if err := tw.Close(); err != nil {
		return Command{}, err
	}
	args = append(args, "1")
	for _, d := range dirs {
		args = append(args, d)
	}
	for _, f := range o.Files {
		args = append(args, f.Path)
	}
	return Shell(writeTreeScript, args...).WithStdin(stream.Bytes()), nil
}

// writeTreeScript: $1 the directory (rendered under the node root), $2 the same as a real node
// names it (for errors), $3 1 when a tar stream comes on stdin, then the paths to sync
// relative to the directory. mkdir without -p fails when anything is at $1, also one that
// appears after the first check; the parents are made only when the first mkdir finds them
// missing.
const writeTreeScript = `t=$1 shown=$2 stream=$3
parent=${t%/*}
parent=${parent:-/}
shift 3
if [ -e "$t" ] || [ -L "$t" ]; then echo "$shown already exists; nothing was written" >&2; exit 1; fi
if ! mkdir -- "$t" 2>/dev/null; then
	[ ! -e "$t" ] && [ ! -L "$t" ] && mkdir -p -- "$parent" && mkdir -- "$t" || { echo "cluster: could not create $shown" >&2; exit 70; }
fi
if [ "$stream" = 1 ]; then
	tar -x -m -o -p -f - -C "$t" || { echo "cluster: the files of $shown could not be written whole" >&2; exit 71; }
fi
n=$#
for p; do set -- "$@" "$t/$p"; done
shift "$n"
sync -- "$@" "$t" "$parent" 2>/dev/null || sync
exit 0`
