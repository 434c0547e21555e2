package main

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Terraform spells its long flags with one dash (-var, -out, -auto-approve); OpenTofu accepts
// both spellings. So does cluster: before cobra parses, a token "-name" or "-name=value" whose
// name is a long flag of the command is rewritten to "--name...". A token that pflag reads as
// a group of shorthand flags ("-h") is left alone, and so is every token after "--" and every
// flag's separate value.

// singleDashArgs returns args with Terraform-style single-dash long flags of the command they
// run rewritten to double-dash ones.
func singleDashArgs(root *cobra.Command, args []string) []string {
	// The root's flags (-chdir DIR) first: cobra finds the subcommand by skipping flags, and
	// it skips a flag's value only in its double-dash form.
	out := rewriteSingleDash(args, root.PersistentFlags())
	cmd, _, err := root.Find(out)
	if err != nil || cmd == nil {
		return out
	}
	cmd.InitDefaultHelpFlag() // cobra adds -h/--help only when it runs the command
	fs := pflag.NewFlagSet(cmd.Name(), pflag.ContinueOnError)
	fs.AddFlagSet(cmd.Flags())
	fs.AddFlagSet(cmd.InheritedFlags())
	return rewriteSingleDash(out, fs)
}

func rewriteSingleDash(args []string, fs *pflag.FlagSet) []string {
	out := make([]string, 0, len(args))
	takesValue := false // the token before is a flag whose value is the next token
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...)
		}
		if takesValue {
			out = append(out, a)
			takesValue = false
			continue
		}
		name, hasValue := flagName(a)
		if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && len(name) > 1 &&
			fs.Lookup(name) != nil && !shorthandGroup(fs, a[1:]) {
			a = "-" + a
		}
		if n, ok := strings.CutPrefix(a, "--"); ok && !hasValue {
			if f := fs.Lookup(n); f != nil && f.NoOptDefVal == "" {
				takesValue = true
			}
		}
		out = append(out, a)
	}
	return out
}

// flagName returns the name of flag token a ("-var=x" → "var") and whether it holds its value.
func flagName(a string) (string, bool) {
	name := strings.TrimLeft(a, "-")
	name, _, hasValue := strings.Cut(name, "=")
	return name, hasValue
}

// shorthandGroup reports whether pflag would parse s (a token without its dash) as shorthand
// flags: each letter one, up to one that takes the rest of the token as its value.
func shorthandGroup(fs *pflag.FlagSet, s string) bool {
	for _, c := range s {
		if c > 127 {
			return false // pflag's shorthands are ASCII letters
		}
		f := fs.ShorthandLookup(string(c))
		if f == nil {
			return false
		}
		if f.NoOptDefVal == "" {
			return true
		}
	}
	return true
}
