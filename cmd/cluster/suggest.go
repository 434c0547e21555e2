package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/agext/levenshtein"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// suggestionDistance is how many edits a mistyped command or flag may be from the real one
// and still be suggested (cobra's SuggestionsMinimumDistance).
const suggestionDistance = 2

// withSuggestions makes mistyped subcommands and flags of root and all its commands fail
// with a suggestion, exit status 1, and a pointer to --help.
func withSuggestions(root *cobra.Command) {
	root.SuggestionsMinimumDistance = suggestionDistance
	root.SetFlagErrorFunc(flagError)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.SuggestionsMinimumDistance = suggestionDistance
		// A command that only groups others (cluster lab) is not runnable: cobra would print
		// its help and exit 0 for "cluster lab upp". Make it fail like an unknown root command.
		if c != root && c.HasSubCommands() && c.Run == nil && c.RunE == nil {
			c.RunE = func(cmd *cobra.Command, args []string) error {
				if len(args) == 0 {
					return cmd.Help()
				}
				return unknownCommand(cmd, args[0])
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// unknownCommand is cobra's "unknown command" error for a subcommand of cmd.
func unknownCommand(cmd *cobra.Command, name string) error {
	msg := fmt.Sprintf("unknown command %q for %q", name, cmd.CommandPath())
	if s := cmd.SuggestionsFor(name); len(s) > 0 {
		msg += "\n\nDid you mean this?\n\t" + strings.Join(s, "\n\t")
	}
	return fmt.Errorf("%s\n\nRun '%s --help' for usage.", msg, cmd.CommandPath())
}

// flagError adds to a flag parsing error the flags the user may have meant.
func flagError(cmd *cobra.Command, err error) error {
	name := ""
	if n, ok := strings.CutPrefix(err.Error(), "unknown flag: --"); ok {
		name = n
	}
	msg := err.Error()
	if s := similarFlags(cmd.Flags(), name); len(s) > 0 {
		msg += "\n\nDid you mean this?\n\t--" + strings.Join(s, "\n\t--")
	}
	return fmt.Errorf("%s\n\nRun '%s --help' for usage.", msg, cmd.CommandPath())
}

// similarFlags lists the flags of fs within suggestionDistance edits of name, or of which name
// is a prefix, closest first.
func similarFlags(fs *pflag.FlagSet, name string) []string {
	if name == "" {
		return nil
	}
	type cand struct {
		name string
		dist int
	}
	var cands []cand
	lower := strings.ToLower(name)
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		d := levenshtein.Distance(lower, strings.ToLower(f.Name), nil)
		if d <= suggestionDistance || strings.HasPrefix(f.Name, lower) {
			cands = append(cands, cand{f.Name, d})
		}
	})
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].dist != cands[j].dist {
			return cands[i].dist < cands[j].dist
		}
		return cands[i].name < cands[j].name
	})
	out := make([]string, len(cands))
	for i, c := range cands {
		out[i] = c.name
	}
	return out
}
