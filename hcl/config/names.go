package config

import (
	"fmt"
	"sort"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// validName checks that a block's name can appear in an address (cluster.web.node.sv1): an
// HCL identifier, so that references to it can be written as bare traversals.
func (l *loader) validName(b *hcl.Block, what string) bool {
	name := b.Labels[len(b.Labels)-1]
	if asciiIdentifier(name) || hclsyntax.ValidIdentifier(name) {
		return true
	}
	l.errorf(nameRange(b).Ptr(), "Invalid name",
		"%q is not a valid %s name. A name starts with a letter or underscore and holds only letters, digits, underscores and dashes, so that it can be referred to as %s.name.",
		name, what, b.Type)
	return false
}

// asciiIdentifier is the common case of hclsyntax.ValidIdentifier without its Unicode scanner,
// which cost more than the rest of decoding a name: a letter or underscore, then letters,
// digits, underscores and dashes. Names it refuses go to the full check.
func asciiIdentifier(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case i > 0 && (c >= '0' && c <= '9' || c == '-'):
		default:
			return false
		}
	}
	return true
}

// suggest returns the candidate closest to name, or "" when none is close enough to be a typo.
func suggest(name string, candidates []string) string {
	best, bestDist := "", 0
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted) // ties resolve the same way every run
	for _, c := range sorted {
		d := levenshtein.Distance(name, c, nil)
		// Fewer than 3 edits, and fewer than the name's length: "b" is not a typo of "a".
		if d < 3 && d < len(name) && (best == "" || d < bestDist) {
			best, bestDist = c, d
		}
	}
	return best
}

// didYouMean formats a suggestion for a diagnostic detail, or "" when there is none. The
// suggestion is written with prefix (e.g. "var.") before it.
func didYouMean(prefix, name string, candidates []string) string {
	if s := suggest(name, candidates); s != "" {
		return fmt.Sprintf(" Did you mean %s%s?", prefix, s)
	}
	return ""
}
