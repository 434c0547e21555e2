// Package statusfile manages the status files of a Groupmax High-end Object Server (seed 003;
// docs/statusfile.md): one status_file block is one status service definition, naming up to 7
// logical files; a logical file is one A-system and one B-system file with its own name.
//
// The product offers no public command that prints the state of a logical file (current,
// spare, reserved, blocked): the seed shows it only in the [ステータスファイルの情報] utility, a
// dialog. The unit therefore observes what it can read — the definition file, and whether each A
// and B file exists and its size, with typed ops every dialect runs (a POSIX node in one
// session, a Windows node reached with cmd or powershell over SFTP) — and says the state is
// unknown. It plans
// only what is safe without the state: creating the files of a new logical file with the site's
// xodstsinit command line, init_command (A, then B, never on a file that exists; seed: before
// the server starts), and writing the site's definition content as bytes. xodstsinit's options
// and the definition's syntax are in no public source, so the tool has neither of its own:
// without init_command a missing file is a plan error, without definition_content the
// definition file is left alone and only checked, syntax-free, for the declared paths. It never
// opens, closes, removes or swaps: opening would need a running status server and a file known
// to be reserved, and closing, removing and swapping a file known to be spare, reserved or
// blocked, or current. A plan that would need one of them is refused with the manual procedure.
//
// The commands are in commands.go, the declared logical files in definition.go, and the mapping from an NTFS path to a node path in nodepath.go: each is
// fixed in one place when its source is found.
package statusfile
