package transport

// WriteFileScript returns the shell script that replaces a file atomically, the one rendering
// shared by the POSIX dialect's WriteFile and sshnode's direct WriteFile. The caller sets three
// variables before it: t (the target, rendered under the node root), size (the number of bytes
// to expect) and mode (octal, for a new file); and says what ends a success after it (the
// dialect exits 0, sshnode prints its end marker). feed is the command that writes the data to
// its stdout: "cat" where stdin is a file received whole, `head -c "$size"` where stdin goes on
// after the data.
//
// The data lands in a temporary file beside the target, which must hold exactly size bytes
// (a cut connection leaves it short: the script stops and its trap removes it, the old content
// stays), gets the target's mode and owner (or mode for a new file), is synced, and is renamed
// over the target. A target that is a directory (or a link to one) is refused, again just
// before the rename: mv would otherwise move the file into it and report success.
//
// Exit statuses, read by both decoders: 70 the directory or temporary file could not be made,
// 71 the data fell short, 72 mode or owner, 73 sync, 74 the rename, ExitIsDirectory.
func WriteFileScript(feed string) string {
	return `dir=${t%/*} base=${t##*/}
[ -d "${dir:-/}" ] || mkdir -p -- "${dir:-/}" || exit 70
if [ -d "$t" ]; then echo "cluster: the target is a directory, not a file; nothing was written" >&2; exit 75; fi
tmp=$(mktemp -- "${dir:-}/.$base.XXXXXX") || exit 70
trap 'rm -f -- "$tmp"' EXIT
trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 141' PIPE; trap 'exit 143' TERM
` + feed + ` >"$tmp" || exit 71
got=$(($(exec wc -c <"$tmp")))
if [ "$got" -ne "$size" ]; then
	echo "cluster: received $got of $size bytes; the target is left unchanged" >&2
	exit 71
fi
if [ -e "$t" ]; then
	chmod --reference="$t" -- "$tmp" && chown --reference="$t" -- "$tmp" || exit 72
else
	chmod "$mode" -- "$tmp" || exit 72
fi
sync -- "$tmp" 2>/dev/null || dd if=/dev/null of="$tmp" bs=1 count=0 conv=notrunc,fsync 2>/dev/null || exit 73
# Checked again just before the rename: mv onto a directory would move the file into it.
if [ -d "$t" ]; then echo "cluster: the target is a directory, not a file; nothing was written" >&2; exit 75; fi
mv -f -- "$tmp" "$t" || exit 74
trap - EXIT
sync -- "${dir:-/}" 2>/dev/null
`
}

// ExitIsDirectory is WriteFileScript's exit status when the target is a directory.
const ExitIsDirectory = 75
