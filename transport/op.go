package transport

import (
	"fmt"
	"io/fs"
	"strings"
	"time"
)

// An Op is one thing a provider needs done on a node, named by what it does and not by how a
// shell does it: run a program, read files or a directory tree, stat paths, write a file
// atomically, copy a tree aside, remove, make a directory, create a file exclusively. A node's
// dialect carries it out (POSIX: one shell fragment per op, all ops of a call in one session;
// see Do and docs/design.md, "Node operations"). Each op has a typed result in its Outcome.
//
// Command is itself an Op: it runs one program. A Command of Shell's form is a POSIX script, an
// op only a POSIX dialect can run (PosixOnly); use it only for steps that are POSIX by nature
// (the Server-Scan host, seed 000), never for file work that one of the ops below expresses.
type Op interface {
	// Describe says what the op does, for errors and progress ("read tree /opt/x").
	Describe() string
}

// Describe is the command as people read it; a script by its first line.
func (c Command) Describe() string {
	if script, _, ok := c.ShellScript(); ok {
		first, _, more := strings.Cut(script, "\n")
		if more {
			first += " ..."
		}
		return "sh -c " + Quote(first)
	}
	return c.Display()
}

// PosixOnly reports whether c is a shell script (Shell's form) or names a POSIX utility
// (a Lit program such as "sh" or "cat"): a dialect without a POSIX shell refuses it. A
// command whose program is a NodePath (a vendor command) runs in every dialect.
func (c Command) PosixOnly() bool {
	if len(c.Args) == 0 {
		return false
	}
	_, lit := c.Args[0].(Lit)
	return lit
}

// ReadFiles reads whole files: Outcome.Files holds one File per path, in order; a missing
// path has Exists false. A path that exists but is not a regular file fails the op.
type ReadFiles struct{ Paths []NodePath }

func (o ReadFiles) Describe() string { return fmt.Sprintf("read %d files", len(o.Paths)) }

// ReadTree reads the regular files below Dir: Outcome.Tree maps each one's slash path relative
// to Dir to its bytes. Only the Entries named (relative paths: files or directories) are read,
// when Entries is not empty. A missing Dir or entry is not an error: a missing Dir gives a nil
// Tree (an existing, empty one a non-nil empty Tree), a missing entry is not in it. On a POSIX
// node, a Dir that exists but cannot be entered, or a symbolic link or special file among the
// entries, fails the op. A file
// named in Limits that is larger than its limit fails the op on the node, before any of its
// bytes are sent (the error names the file, its size and the limit). A Limits key whose first
// element is "*" ("*/etc/clp.conf") names that path below every entry of Dir, hidden ones too:
// a reader of several copies of a tree (rollback's backups) bounds each copy (see TreeLimit).
type ReadTree struct {
	Dir     NodePath
	Entries []string
	Limits  map[string]int64
}

func (o ReadTree) Describe() string { return "read the tree " + string(o.Dir) }

// TreeLimit is the limit of ReadTree's Limits on the file rel (a slash path relative to Dir):
// its own key, or the "*/" key of the path below its first element.
func TreeLimit(limits map[string]int64, rel string) (int64, bool) {
	if max, ok := limits[rel]; ok {
		return max, true
	}
	if _, below, ok := strings.Cut(rel, "/"); ok {
		max, ok := limits["*/"+below]
		return max, ok
	}
	return 0, false
}

// Stat reports on paths, following links: Outcome.Stats holds one FileInfo per path, in order.
// With ExistenceOnly the caller reads only Exists (and Path): a dialect may leave the other
// fields zero, and the POSIX one then starts no program (the shell's test answers).
type Stat struct {
	Paths         []NodePath
	ExistenceOnly bool
}

func (o Stat) Describe() string { return fmt.Sprintf("stat %d paths", len(o.Paths)) }

// WriteFile replaces Path atomically, as Node.WriteFile does (temporary file beside it, sync,
// rename; an existing file keeps its mode and owner; missing parents are created; a directory
// at Path fails the op with ErrIsDirectory).
type WriteFile struct {
	Path NodePath
	Data []byte
	Mode fs.FileMode
}

func (o WriteFile) Describe() string { return "write " + string(o.Path) }

// CopyTree copies From (a file or a directory, recursively) to To, keeping modes and times.
// To must not exist; its parent is created. A missing From fails the op. The copy is durable
// when the op succeeds: every file and directory of it is synced where the dialect can.
type CopyTree struct{ From, To NodePath }

func (o CopyTree) Describe() string { return fmt.Sprintf("copy %s to %s", o.From, o.To) }

// Remove removes Path: a file, or with Recursive a directory and all below it. A missing
// Path is not an error.
type Remove struct {
	Path      NodePath
	Recursive bool
}

func (o Remove) Describe() string { return "remove " + string(o.Path) }

// MakeDir creates the directory Path and its missing parents; an existing directory is fine.
type MakeDir struct{ Path NodePath }

func (o MakeDir) Describe() string { return "make the directory " + string(o.Path) }

// CreateExclusive creates the file Path holding Data, only if nothing is at Path: of
// concurrent creators exactly one succeeds (Outcome.Created), and the file is never seen
// without its whole content. Missing parents are created. An existing Path is not an error:
// Created is false and the file is left as it is.
type CreateExclusive struct {
	Path NodePath
	Data []byte
}

func (o CreateExclusive) Describe() string { return "create " + string(o.Path) }

// RemoveIfSame removes the file Path only when it holds exactly Data (Outcome.Removed), so a
// file that another writer replaced stays: the planner releases its lock so, in the session of
// the run's last read. A missing Path, or one holding anything else (a directory, a link, other
// bytes), is no failure: Removed is false and it is left as it is. The comparison and the
// removal are one op, not one atomic step: a writer acting between the two, within the op, is
// not seen (for the lock: only its holder, force-unlock naming its ID, or a run proving its
// holder dead remove it, and a new lock would then have to be created in that instant).
type RemoveIfSame struct {
	Path NodePath
	Data []byte
}

func (o RemoveIfSame) Describe() string { return "remove " + string(o.Path) + " if unchanged" }

// ListDir lists the entries of the directory Dir, not below them: Outcome.Entries, sorted by
// name, hidden names included. Links are followed (an entry is what its target is). A missing
// Dir is not an error: it gives nil Entries (an existing, empty one non-nil empty Entries). A
// Dir that is not a directory fails the op.
type ListDir struct{ Dir NodePath }

func (o ListDir) Describe() string { return "list the directory " + string(o.Dir) }

// Rename moves From to To, in the same directory tree of one file system (staging, backups:
// never across volumes). Its rules are those every dialect can keep atomically:
//   - From must exist; From and To must name different paths (a Windows dialect compares them
//     ignoring case: Win32-OpenSSH's sftp-server deletes a file renamed onto its own name,
//     PowerShell/Win32-OpenSSH issue 1849). Either failure is refused before anything moves.
//   - A file replaces a file at To atomically: POSIX rename(2); over SFTP posix-rename@openssh.com
//     (MoveFileExW with MOVEFILE_REPLACE_EXISTING on Win32-OpenSSH 8.6.0.0 and later). A
//     directory at To fails the op and changes nothing.
//   - A directory is renamed only when nothing is at To (rename(2) would also replace an empty
//     directory; MoveFileExW cannot replace a directory at all, so a Windows dialect renames
//     with the target absent, SSH_FXP_RENAME or posix-rename alike). Something at To fails
//     the op and changes nothing. Callers that replace a directory remove the old one first,
//     and keep it (or its copy) until the new one is in place: see clusterpro's stage.
//
// To's parent must exist. The directory holding To is synced where the dialect can.
type Rename struct{ From, To NodePath }

func (o Rename) Describe() string { return fmt.Sprintf("rename %s to %s", o.From, o.To) }

// FreeSpace measures, per path, the bytes available to the connecting user on the file system
// that holds the path (the path need not exist: its nearest existing ancestor is measured).
// Outcome.Free holds one count per path, in order. A dialect that cannot measure fails the op;
// a caller treats that as "unknown", never as room. See docs/windows.md, "Free space".
type FreeSpace struct{ Paths []NodePath }

func (o FreeSpace) Describe() string {
	return fmt.Sprintf("measure the free space of %d paths", len(o.Paths))
}

// FileInfo is what Stat reports on one path.
type FileInfo struct {
	Path    NodePath
	Exists  bool
	Dir     bool
	Size    int64
	Mode    fs.FileMode // permission bits (and setuid, setgid, sticky)
	ModTime time.Time   // last modification, whole seconds, by the node's clock
}

// DirEntry is one entry ListDir reports.
type DirEntry struct {
	Name    string // the entry's name in its directory
	Dir     bool
	Size    int64     // bytes of a file; unspecified for a directory
	ModTime time.Time // last modification, whole seconds, by the node's clock
}

// ExitSkipped is the exit status of an op that did not run because an op before it failed
// (DoInOrder). No process exits with it: statuses are 0 to 255.
const ExitSkipped = 256

// Outcome is the result of one op. Result holds the exit status and output of a program (a
// Command), or for the other ops a status (0: done) and, when they failed, why on Stderr.
// The typed fields are set by the op that produces them.
type Outcome struct {
	Result
	Files   []File            // ReadFiles
	Tree    map[string][]byte // ReadTree
	Stats   []FileInfo        // Stat
	Created bool              // CreateExclusive
	Removed bool              // RemoveIfSame
	Entries []DirEntry        // ListDir
	Free    []int64           // FreeSpace: bytes available, one per path
	Op      Op                // the op this is the outcome of
}

// Skipped reports whether the op did not run because an earlier op failed (DoInOrder).
func (o Outcome) Skipped() bool { return o.ExitCode == ExitSkipped }

// Err is nil when the op succeeded; otherwise it says what failed and why (the first line of
// its error output). For a Command a non-zero exit status is a failure.
func (o Outcome) Err() error {
	switch {
	case o.OK():
		return nil
	case o.Skipped():
		return fmt.Errorf("%s: not run: an earlier step failed", describe(o.Op))
	case o.ExitCode == exitIsDirectory && isWrite(o.Op):
		return fmt.Errorf("%s: %w; nothing was written", describe(o.Op), ErrIsDirectory)
	case o.ExitCode == ExitNotRegular:
		return &notRegularOp{msg: fmt.Sprintf("%s: %s", describe(o.Op), FirstLine(o.Stderr))}
	}
	return fmt.Errorf("%s: exit %d: %s", describe(o.Op), o.ExitCode, FirstLine(o.Stderr))
}

func isWrite(op Op) bool { _, ok := op.(WriteFile); return ok }

func describe(op Op) string {
	if op == nil {
		return "operation"
	}
	return op.Describe()
}

// UnsupportedError is what a dialect returns for an op it cannot run (a POSIX script on a
// node without a POSIX shell), before anything of the call has run.
type UnsupportedError struct {
	Node, Dialect string
	Op            Op
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("%s: %q is a POSIX-only step; the node's dialect %s cannot run it", e.Node, describe(e.Op), e.Dialect)
}
