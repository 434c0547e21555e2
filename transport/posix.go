package transport

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// The POSIX dialect renders every op to one command (most of them a short sh script of
// Shell's form, which sshnode's Batch runs in a subshell of its own shell: no process start
// beyond the utilities the script calls), so that any list of ops is one Batch: one session.
// Paths are NodePaths, rendered under the node root like every command argument; nothing is
// pasted into a script unquoted.
//
// A command substitution that redirects a file into a program, $(exec wc -c <file), starts it
// with exec: bash (/bin/sh on Red Hat systems) otherwise forks twice for it, once for the
// substitution and once for the program; dash and BusyBox ash fork once either way, and the
// output, status and error message are the same in all three.

// Exit statuses the op scripts use for outcomes that are not failures, or need a name.
const (
	exitIsDirectory = ExitIsDirectory // WriteFile: the target is a directory
)

// createExisted is what createScript prints, exiting 0, when something is already at the path:
// not a failure, so the next op of a DoInOrder runs, as it does on every other transport.
const createExisted = "existed"

// PosixCommand renders op for a POSIX shell.
func PosixCommand(op Op) (Command, error) {
	switch o := op.(type) {
	case Command:
		return o, nil
	case ReadFiles:
		return posixReadFiles(o), nil
	case ReadTree:
		return posixReadTree(o), nil
	case Stat:
		if o.ExistenceOnly {
			return Shell(existsScript, pathArgs(o.Paths)...), nil
		}
		return Shell(statScript, pathArgs(o.Paths)...), nil
	case WriteFile:
		return checked(Shell(writeScript, o.Path, strconv.Itoa(len(o.Data)), FormatMode(o.Mode)).WithStdin(nonNil(o.Data))), nil
	case WriteTree:
		return posixWriteTree(o)
	case CopyTree:
		return Shell(copyScript, o.From, o.To, string(o.From), string(o.To)), nil
	case Remove:
		// A NodePath renders as an absolute path: it never starts with "-", so no "--".
		if o.Recursive {
			return Cmd("rm", "-rf", o.Path), nil
		}
		return Cmd("rm", "-f", o.Path), nil
	case MakeDir:
		return Cmd("mkdir", "-p", o.Path), nil
	case ListDir:
		return Shell(listScript, o.Dir), nil
	case FreeSpace:
		return posixFreeSpace(o), nil
	case Rename:
		return Shell(renameScript, o.From, o.To, string(o.From), string(o.To)), nil
	case CreateExclusive:
		if inline(o.Data) {
			return Shell(createInlineScript, o.Path, string(o.Data)), nil
		}
		return checked(Shell(createScript, o.Path, strconv.Itoa(len(o.Data))).WithStdin(nonNil(o.Data))), nil
	case RemoveIfSame:
		if inline(o.Data) {
			return Shell(removeIfSameInlineScript, o.Path, string(o.Data), strconv.Itoa(len(o.Data))), nil
		}
		return checked(Shell(removeIfSameScript, o.Path, strconv.Itoa(len(o.Data))).WithStdin(nonNil(o.Data))), nil
	}
	return Command{}, fmt.Errorf("the POSIX dialect has no rendering for %T", op)
}

// checked marks a script that checks its stdin's length before acting on it (Command.StdinChecked):
// writeScript and createScript count the bytes they wrote before the rename or link;
// removeIfSameScript removes only a file of exactly the data's length equal to all of stdin. A
// WriteTree is not marked: tar may take a stream cut between two members for a whole one.
func checked(c Command) Command { c.StdinChecked = true; return c }

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

func pathArgs(paths []NodePath) []any {
	out := make([]any, len(paths))
	for i, p := range paths {
		out[i] = p
	}
	return out
}

// posixReadFiles sends the regular files among the paths as one tar stream, named by their
// path below the node root: tar reads each file's size and bytes together, so a file being
// replaced meanwhile comes back whole (old or new), and the stream delimits itself.
func posixReadFiles(o ReadFiles) Command {
	args := make([]any, len(o.Paths))
	for i, p := range o.Paths {
		args[i] = strings.TrimPrefix(p.Posix(), "/")
	}
	return Shell(readFilesScript, args...)
}

const readFilesScript = `cd "${CLUSTER_NODE_ROOT-}/" || exit 70
n=$#
for p; do
	if [ -f "$p" ]; then
		set -- "$@" "$p"
	elif [ -e "$p" ]; then
		printf '/%s: not a regular file\n' "$p" >&2
		exit 1
	fi
done
shift $n
[ $# -gt 0 ] || exit 0
exec tar -cf - -- "$@"`

// posixReadTree sends "d" when the directory exists, then the tree as one tar stream; a file
// over its limit is refused before anything is sent, by its size on the node (the limit is
// checked again on the stream's header, for a file that grew meanwhile). An entry that is a
// link (even a dangling one) goes into the stream, where readTar refuses it.
func posixReadTree(o ReadTree) Command {
	var b strings.Builder
	// Missing only when nothing is there: a directory that exists but cannot be entered
	// (permission denied, not a directory) fails, or its files would read as absent.
	b.WriteString("if ! cd \"$1\" 2>/dev/null; then\n\t[ -e \"$1\" ] || exit 0\n\tprintf '%s: exists but cannot be entered as a directory\\n' \"$1\" >&2\n\texit 1\nfi\nshift\n")
	names := make([]string, 0, len(o.Limits))
	for name := range o.Limits {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		max := o.Limits[name]
		if below, ok := strings.CutPrefix(name, "*/"); ok {
			// Below every entry, hidden ones too; a pattern that matches nothing is no file.
			fmt.Fprintf(&b, "for e in * .[!.]* ..?*; do limit \"$e\"/%s %d %d; done\n", Quote(below), max, max>>20)
			continue
		}
		fmt.Fprintf(&b, "limit %s %d %d\n", Quote(name), max, max>>20)
	}
	b.WriteString("printf d\n") // the directory exists: the tar stream follows, even an empty one
	b.WriteString(readTreeScript)
	args := []any{o.Dir}
	if len(o.Entries) == 0 {
		args = append(args, ".")
	}
	for _, e := range o.Entries {
		args = append(args, e)
	}
	return Shell(limitFunc+b.String(), args...)
}

const limitFunc = `limit() {
	[ -f "$1" ] || return 0
	size=$(($(exec wc -c <"$1")))
	if [ "$size" -gt "$2" ]; then
		echo "$1 is $size bytes, more than the maximum size of $2 bytes ($3 MiB): refused without reading it" >&2
		exit 4
	fi
}
`

const readTreeScript = `n=$#
for e; do
	if [ -e "$e" ] || [ -L "$e" ]; then set -- "$@" "$e"; fi
done
shift $n
[ $# -gt 0 ] || exit 0
exec tar -cf - -- "$@"`

// statScript prints "y" or "n" per path (exists, following links), then stat's size, raw
// mode (hex) and modification time (seconds) for each existing path, in one process.
const statScript = `n=$#
for p; do
	if [ -e "$p" ]; then echo y; set -- "$@" "$p"; else echo n; fi
done
shift $n
[ $# -gt 0 ] || exit 0
exec stat -L -c '%s %f %Y' -- "$@"`

// existsScript is statScript's first part alone: "y" or "n" per path, by the shell's test.
const existsScript = `for p; do
	if [ -e "$p" ]; then echo y; else echo n; fi
done`

// writeScript is WriteFileScript fed by the batch: its stdin is a file the batch received
// whole, checked again by its size.
var writeScript = "t=$1 size=$2 mode=$3\n" + WriteFileScript("cat") + "exit 0"

// copyScript copies $1 to $2 ($3 and $4: the same paths as a real node names them, for errors)
// and syncs every file and directory of the copy, and the directory holding it (GNU sync with
// arguments; where sync takes none, the whole system is synced).
//
// The directory holding the copy is made only when missing, and synced in the same sync as the
// copy (a copied file needs no find): every program start costs, on a busy node most of all.
const copyScript = `[ -e "$1" ] || { echo "$3 does not exist" >&2; exit 1; }
if [ -e "$2" ] || [ -L "$2" ]; then echo "$4 already exists" >&2; exit 1; fi
t=$2
parent=${t%/*}
parent=${parent:-/}
[ -d "$parent" ] || mkdir -p -- "$parent" || exit 1
cp -Rp -- "$1" "$2" || exit 1
if [ -d "$2" ] && [ ! -L "$2" ]; then
	find "$2" -exec sync -- "$parent" {} + 2>/dev/null || sync
else
	sync -- "$2" "$parent" 2>/dev/null || sync
fi
exit 0`

// createScript creates $1 holding stdin ($2 bytes) only if nothing is there: the content goes
// to a temporary file first, which is then hard-linked to $1. link(2) fails when $1 exists, so
// of concurrent creators one wins, and $1 never appears without its whole content. Finding
// something at $1 is no failure: it prints createExisted and exits 0. The content is synced
// before the link, so a file a crash of the node leaves at $1 is whole; the link itself is not
// synced (SFTP cannot sync a directory either): the lock this op takes guards a run, which a
// crash of its node ends, so a lock the crash loses is no loss.
const createScript = "t=$1 size=$2\n" + createHead + `tmp=$(mktemp -- "$t.XXXXXX") || exit 70
` + createTraps + `cat >"$tmp" || exit 71
[ "$(($(exec wc -c <"$tmp")))" -eq "$size" ] || { echo "cluster: input cut short; nothing was created" >&2; exit 71; }
` + createLink

// createHead starts both renderings of CreateExclusive ($t the path): the parent made when
// missing, createExisted when something is at $t already.
const createHead = `dir=${t%/*}
[ -d "${dir:-/}" ] || mkdir -p -- "${dir:-/}" || exit 70
if [ -e "$t" ] || [ -L "$t" ]; then echo ` + createExisted + `; exit 0; fi
`

// createTraps remove the temporary file $tmp on exit, also when the session is cut.
const createTraps = `trap 'rm -f -- "$tmp"' EXIT
trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 141' PIPE; trap 'exit 143' TERM
`

// createLink ends both renderings: $tmp, written, is synced and linked to $t, or createExisted
// when another creator won.
const createLink = `sync -- "$tmp" 2>/dev/null
ln -- "$tmp" "$t" 2>/dev/null && exit 0
if [ -e "$t" ] || [ -L "$t" ]; then echo ` + createExisted + `; exit 0; fi
echo "cluster: could not create the file" >&2
exit 1`

// inlineMax is the most data CreateExclusive and RemoveIfSame carry in their script rather
// than on stdin (a lock's record is a few hundred bytes).
const inlineMax = 4 << 10

// inline reports data the POSIX rendering carries as a script argument: small and free of NUL
// bytes (a shell word cannot hold one). A script runs only when the shell read it whole (a
// Batch script is one brace group), so such data needs no length check after its transfer,
// nor the programs that receive it (head, cat, wc): the shell's printf writes it, and reports a
// failed write (dash, bash and BusyBox ash all exit non-zero on /dev/full).
func inline(data []byte) bool {
	return len(data) <= inlineMax && bytes.IndexByte(data, 0) < 0
}

// createInlineScript is createScript with the content in $2. The temporary file is named after
// the shell's process ID and created with noclobber, so no mktemp is needed: only a file left
// by a killed run whose shell had the same ID can be in the way, and then mktemp names it. The
// creation is true's redirection, not ":"'s: a failed redirection of a special built-in ends a
// POSIX shell (dash), one of a regular built-in only fails it.
const createInlineScript = "t=$1\n" + createHead + `tmp=$t.$$
set -C
true 2>/dev/null >"$tmp" || tmp=$(mktemp -- "$t.XXXXXX") || exit 70
set +C
` + createTraps + `printf '%s' "$2" >"$tmp" || exit 71
` + createLink

// removedSame is what removeIfSameScript prints when it removed the file.
const removedSame = "removed"

// removeIfSameScript removes $1 when it is a regular file (not a link) of $2 bytes holding
// exactly stdin, and then prints removedSame; anything else is left as it is, exiting 0. The
// sizes are compared first, so the text comparison (command substitution drops NUL bytes; the
// trailing x keeps trailing newlines) only decides between files of the same length. The file's
// x comes from a here-document cat reads after the file, so that cat is the substitution's only
// program, started without a shell of its own in between (one process, not two, in dash, bash
// and BusyBox ash); stdin, the data, cannot also carry it.
var removeIfSameScript = removeIfSameComparing(`"$2"`, `"$(cat; echo x)"`)

// removeIfSameInlineScript is removeIfSameScript with the data in $2 and its length in $3: one
// cat fewer, and no stream to receive.
var removeIfSameInlineScript = removeIfSameComparing(`"$3"`, `"$2"x`)

// removeIfSameComparing renders RemoveIfSame with size, the shell word of the data's length,
// and data, the shell word of the data followed by x.
func removeIfSameComparing(size, data string) string {
	return `if [ ! -f "$1" ] || [ -L "$1" ]; then exit 0; fi
[ "$(($(exec wc -c <"$1")))" -eq ` + size + ` ] || exit 0
[ "$(exec cat -- "$1" - <<'EOF'
x
EOF
)" = ` + data + ` ] || exit 0
rm -f -- "$1" || exit 1
echo ` + removedSame + `
exit 0`
}

// listScript prints "d" when $1 is a directory, then one NUL-terminated record per entry:
// type (d for a directory, following links), size, modification time in seconds and the name.
// NUL ends a record because a name may hold any other byte, newlines included. It uses GNU
// find's -printf, as the other scripts use GNU stat and chmod.
const listScript = `[ -e "$1" ] || exit 0
[ -d "$1" ] || { echo "not a directory" >&2; exit 1; }
cd "$1" || exit 1
printf d
exec find -L . -mindepth 1 -maxdepth 1 -printf '%y %s %T@ %P\0'`

// renameScript renames $1 to $2 by Rename's rules ($3 and $4: the same paths as a real node
// names them, for errors). mv -T never moves into a directory at the target. A directory is
// renamed only with nothing at the target (a target that appears between the check and mv -T
// makes mv fail, unless it is an empty directory, which it replaces, as rename(2) does).
const renameScript = `if [ ! -e "$1" ] && [ ! -L "$1" ]; then echo "$3 does not exist" >&2; exit 1; fi
if [ "$1" = "$2" ]; then echo "$3: renaming a path onto itself is refused" >&2; exit 1; fi
if [ -d "$1" ] && [ ! -L "$1" ]; then
	if [ -e "$2" ] || [ -L "$2" ]; then echo "$4 already exists; the directory $3 is left as it is" >&2; exit 1; fi
elif [ -d "$2" ]; then
	echo "$4 is a directory; the file $3 is left as it is" >&2; exit 75
fi
t=$2
mv -fT -- "$1" "$2" || exit 1
sync -- "${t%/*}" 2>/dev/null
exit 0`
