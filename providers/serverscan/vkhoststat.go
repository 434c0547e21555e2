package serverscan

import (
	"fmt"
	"strings"
)

// StatusInact is the one status word seed 000 names: 「Status欄に「INACT」と表示されたサーバとの
// 接続は切断されています」 (4.8 (2)). vkattach reconnects such a server. No public source shows
// the word for a connected server; every other word is kept as printed and reported as
// undocumented, never mapped to a meaning.
const StatusInact = "INACT"

// Column titles of vkhoststat's listing. The seed names the Host and Status columns in
// English inside its Japanese text (「Host欄」「Status欄」), which suggests the product prints
// them so; the Japanese titles are accepted on the assumption that a localised build might
// print them (no source shows one). Matching ignores case.
var (
	hostTitles   = []string{"host", "ホスト", "ホスト名"}
	statusTitles = []string{"status", "状態", "ステータス"}
)

// StatRow is one scan server as vkhoststat lists it.
type StatRow struct {
	Name   string // the Host column: the server name of Server-Scan's environment settings
	Status string // the Status column, as printed
	Line   int    // 1-based line of the output
}

// Inactive reports whether vkhoststat says the server is disconnected.
func (r StatRow) Inactive() bool { return r.Status == StatusInact }

// HostStat is vkhoststat's output, parsed.
type HostStat struct {
	// Header is whether a line naming the Host and Status columns was found; without it no
	// row can be read.
	Header bool
	Rows   []StatRow // in output order: normal servers, then standby servers (seed 4.8 (1))
	// Problems are lines after the header that could not be read as a server row, with their
	// line numbers; they are reported to the user rather than guessed at.
	Problems []string
	// ExitCode is vkhoststat's exit status. Its meaning is undocumented; a listing printed
	// with a non-zero status is still read (ReadStatus).
	ExitCode int
}

// Status returns the status vkhoststat printed for name, and whether it listed it.
func (h HostStat) Status(name string) (string, bool) {
	for _, r := range h.Rows {
		if r.Name == name {
			return r.Status, true
		}
	}
	return "", false
}

// Names are the servers vkhoststat listed, in its order.
func (h HostStat) Names() []string {
	out := make([]string, 0, len(h.Rows))
	for _, r := range h.Rows {
		out = append(out, r.Name)
	}
	return out
}

// ParseHostStat reads vkhoststat's listing by its column titles, because the seed's figure of
// the display is missing: the first line holding a Host and a Status title is the header, in
// whatever order, width or company of other columns. In each later row, a column's value is
// the word printed under its title (overlapping the title's columns, wide characters counting
// two), so left- or right-aligned columns of any width read the same. Blank lines and rules
// (-, =, +) are skipped; a row without a word under Host or Status, or a server listed twice,
// is a problem. Lines before the header are not rows and are ignored.
func ParseHostStat(out []byte) HostStat {
	var h HostStat
	var host, status span
	seen := map[string]int{}
	for i, raw := range strings.Split(string(out), "\n") {
		line := i + 1
		words := wordsOf(raw)
		if len(words) == 0 || strings.Trim(raw, "-=+ \t\r") == "" {
			continue
		}
		if !h.Header {
			host, status, h.Header = headerSpans(words)
			continue
		}
		hi, si := under(words, host), under(words, status)
		switch {
		case hi < 0 || si < 0:
			h.Problems = append(h.Problems, fmt.Sprintf("line %d: %q has no value under the Host and Status titles", line, strings.TrimSpace(raw)))
			continue
		case hi == si:
			h.Problems = append(h.Problems, fmt.Sprintf("line %d: %q has one word under both the Host and Status titles", line, strings.TrimSpace(raw)))
			continue
		}
		r := StatRow{Name: words[hi].text, Status: words[si].text, Line: line}
		if first, dup := seen[r.Name]; dup {
			h.Problems = append(h.Problems, fmt.Sprintf("line %d: %s is already listed on line %d", line, r.Name, first))
			continue
		}
		seen[r.Name] = line
		h.Rows = append(h.Rows, r)
	}
	return h
}

// span is a word's position on its line, in display columns: [from, to).
type span struct{ from, to int }

type word struct {
	text string
	span
}

// wordsOf splits a line into its words with their display columns. Tabs advance to the next
// multiple of 8; East Asian wide characters take two columns.
func wordsOf(line string) []word {
	var out []word
	col, start := 0, -1
	var b strings.Builder
	flush := func() {
		if start >= 0 {
			out = append(out, word{text: b.String(), span: span{start, col}})
			b.Reset()
			start = -1
		}
	}
	for _, r := range strings.TrimRight(line, "\r") {
		switch {
		case r == '\t':
			flush()
			col = (col/8 + 1) * 8
		case r == ' ' || r == '\u3000': // an ideographic space separates words too
			flush()
			col += runeWidth(r)
		default:
			if start < 0 {
				start = col
			}
			b.WriteRune(r)
			col += runeWidth(r)
		}
	}
	flush()
	return out
}

// headerSpans finds the Host and Status titles among a line's words.
func headerSpans(words []word) (host, status span, ok bool) {
	hi, si := -1, -1
	for i, w := range words {
		switch {
		case hi < 0 && isTitle(w.text, hostTitles):
			hi = i
		case si < 0 && isTitle(w.text, statusTitles):
			si = i
		}
	}
	if hi < 0 || si < 0 {
		return span{}, span{}, false
	}
	return words[hi].span, words[si].span, true
}

func isTitle(w string, titles []string) bool {
	for _, t := range titles {
		if strings.EqualFold(w, t) {
			return true
		}
	}
	return false
}

// under returns the index of the word that overlaps the title's columns most, or -1.
func under(words []word, title span) int {
	best, bestOverlap := -1, 0
	for i, w := range words {
		overlap := min(w.to, title.to) - max(w.from, title.from)
		if overlap > bestOverlap {
			best, bestOverlap = i, overlap
		}
	}
	return best
}

// runeWidth is the display width of r: 2 for the East Asian wide and full-width ranges a
// Japanese header or message would use, 1 otherwise.
func runeWidth(r rune) int {
	switch {
	case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF, r >= 0xAC00 && r <= 0xD7A3,
		r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFF60,
		r >= 0xFFE0 && r <= 0xFFE6, r == '\u3000':
		return 2
	}
	return 1
}
