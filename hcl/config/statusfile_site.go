package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// The status-file parts the site declares because no public source shows them
// (docs/statusfile.md): xodstsinit's command line, and the status service definition's content.
// Validation and the provider check them with the functions of this file, so they agree.

// The placeholders of init_command, replaced inside any argument for each file the tool
// creates.
const (
	// InitFile is the physical status file being created, as declared (D:\...).
	InitFile = "{file}"
	// InitLogical is the name of its logical file.
	InitLogical = "{logical}"
	// InitSide is "A" or "B": which file of the logical file it is.
	InitSide = "{side}"
)

var initPlaceholders = []string{InitFile, InitLogical, InitSide}

// placeholderRE finds what looks like a placeholder, to refuse a misspelt one.
var placeholderRE = regexp.MustCompile(`\{[A-Za-z_][A-Za-z0-9_]*\}`)

// InitCommandExample is what init_command looks like, for the fix hints.
const InitCommandExample = `["D:\\HiOBJ\\bin\\xodstsinit.exe", ..., "{file}"]`

// StatusFileInitCommandProblem says what is wrong with a declared init_command, as a sentence,
// or "" when it is usable: it names a program, names the file it creates through {file}
// (without it every call would create the same file), and uses no unknown placeholder.
func StatusFileInitCommandProblem(argv []string) string {
	if len(argv) == 0 || strings.TrimSpace(argv[0]) == "" {
		return "names no program"
	}
	hasFile := false
	for _, a := range argv {
		hasFile = hasFile || strings.Contains(a, InitFile)
		for _, p := range placeholderRE.FindAllString(a, -1) {
			if !slices.Contains(initPlaceholders, p) {
				return fmt.Sprintf("uses the unknown placeholder %s (the placeholders are %s)", p, strings.Join(initPlaceholders, ", "))
			}
		}
	}
	if !hasFile {
		return "does not name the file to create: put " + InitFile + " where xodstsinit takes the physical file name"
	}
	return ""
}

// StatusFileInitArgs is init_command for one file: each placeholder replaced inside every
// argument. The arguments are passed as they are, each quoted on the way to the node.
func StatusFileInitArgs(argv []string, file, logical, side string) []string {
	r := strings.NewReplacer(InitFile, file, InitLogical, logical, InitSide, side)
	out := make([]string, len(argv))
	for i, a := range argv {
		out[i] = r.Replace(a)
	}
	return out
}

// DefinitionProblem is a declared logical file the text of a status service definition does
// not agree with.
type DefinitionProblem struct {
	Logical string
	// Missing lists the logical file's declared paths the text does not name; empty for an
	// order problem.
	Missing []string
	// After is the logical file declared later that the text names first (order problems).
	After string
}

func (p DefinitionProblem) String() string {
	if len(p.Missing) > 0 {
		return fmt.Sprintf("logical file %s: the definition does not name %s", p.Logical, strings.Join(p.Missing, " and "))
	}
	return fmt.Sprintf("logical file %s: the definition names it after %s, which is declared after it", p.Logical, p.After)
}

// CheckDefinitionText checks, without knowing the definition's syntax (manual 7.3 is in no
// public source), that the text names each declared logical file's A and B file, compared as
// NTFS compares names (case-insensitively) and as whole words, and that the logical files come
// in the declared order: the first defined becomes current at a normal start (seed 003). A
// logical file's place is where the text first names one of its files.
func CheckDefinitionText(text string, logicals []*LogicalFile) []DefinitionProblem {
	lower := strings.ToLower(text)
	var out []DefinitionProblem
	lastPos, lastName := -1, ""
	for _, lf := range logicals {
		pos := -1
		var missing []string
		for _, p := range []string{lf.AFile, lf.BFile} {
			i := wordIndex(lower, strings.ToLower(p))
			if i < 0 {
				missing = append(missing, p)
				continue
			}
			if pos < 0 || i < pos {
				pos = i
			}
		}
		if len(missing) > 0 {
			out = append(out, DefinitionProblem{Logical: lf.Name, Missing: missing})
			continue
		}
		if pos < lastPos {
			out = append(out, DefinitionProblem{Logical: lastName, After: lf.Name})
		}
		lastPos, lastName = pos, lf.Name
	}
	return out
}

// wordIndex is the first index of word in text where it stands alone: not part of a longer
// path (D:\sts\sts1a inside D:\sts\sts1ab).
func wordIndex(text, word string) int {
	if word == "" {
		return -1
	}
	for from := 0; ; {
		i := strings.Index(text[from:], word)
		if i < 0 {
			return -1
		}
		i += from
		end := i + len(word)
		if (i == 0 || pathEnd(text[i-1])) && (end == len(text) || pathEnd(text[end])) {
			return i
		}
		from = i + 1
	}
}

// pathEnd reports whether b can end a path in a text whose syntax is unknown: a blank, a
// quote or a separator that StatusFilePathUsable never lets into a path of ours.
func pathEnd(b byte) bool {
	return b <= ' ' || strings.IndexByte("\"',;=()[]{}<>|", b) >= 0
}

// drivePathRE finds the drive paths a definition text names (D:\...), up to a blank, a quote or
// a separator.
var drivePathRE = regexp.MustCompile(`(?i)(^|[\s"',;=()\[\]{}<>|])([a-z]:\\[^\s"',;=()\[\]{}<>|]+)`)

// DefinitionDrivePaths lists the drive paths a definition text names, lower-cased, in order,
// each once. Status files are named from the drive letter (xodstsopn -f, OSEN0155); what else
// the text holds is not read.
func DefinitionDrivePaths(text string) []string {
	var out []string
	for _, m := range drivePathRE.FindAllStringSubmatch(text, -1) {
		p := strings.ToLower(m[2])
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}
