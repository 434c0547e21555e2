package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCIExamplesUseRealFlags reads the pipelines of examples/ci and checks that every cluster
// command they run exists and takes the flags they pass, so the examples cannot drift from the
// CLI.
func TestCIExamplesUseRealFlags(t *testing.T) {
	files, err := filepath.Glob("../../examples/ci/*")
	if err != nil || len(files) < 3 {
		t.Fatalf("examples/ci: %v, %v", files, err)
	}
	invocation := regexp.MustCompile("(?:^|[\\s(`])cluster ([a-z][a-z-]*)([^|;&>)`]*)")
	seen := map[string]bool{}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.Lines(string(b)) {
			if strings.HasPrefix(strings.TrimSpace(line), "#") {
				continue // a comment: prose
			}
			for _, m := range invocation.FindAllStringSubmatch(line, -1) {
				checkInvocation(t, filepath.Base(file), m[1], m[2], seen)
			}
		}
	}
	for _, sub := range []string{"fmt", "validate", "plan", "apply"} {
		if !seen[sub] {
			t.Errorf("no pipeline runs cluster %s", sub)
		}
	}
}

// checkInvocation checks one "cluster SUB ARGS" of file: SUB (and its subcommands, as in
// "lab up") exists and takes every --flag of ARGS.
func checkInvocation(t *testing.T, file, sub, args string, seen map[string]bool) {
	t.Helper()
	cmd, _, err := newRootCmd().Find(strings.Fields(sub + " " + args))
	if err != nil || !cmd.HasParent() || cmd.Name() != sub && cmd.Parent().Name() != sub {
		t.Errorf("%s: cluster %s: no such command", file, sub)
		return
	}
	seen[sub] = true
	flag := regexp.MustCompile(`(?:^|\s)--([a-z][a-z-]*)`)
	for _, f := range flag.FindAllStringSubmatch(args, -1) {
		if cmd.Flags().Lookup(f[1]) == nil && cmd.InheritedFlags().Lookup(f[1]) == nil {
			t.Errorf("%s: cluster %s%s: no flag --%s", file, sub, strings.TrimRight(args, " "), f[1])
		}
	}
}

// TestHelpExamplesUseRealFlags holds the Examples of --help to the same rule, in either
// spelling of the flags.
func TestHelpExamplesUseRealFlags(t *testing.T) {
	seen := map[string]bool{}
	for path, ex := range commandExamples {
		for line := range strings.Lines(ex) {
			line = strings.TrimSpace(line)
			rest, ok := strings.CutPrefix(line, "cluster ")
			if !ok {
				continue // a comment, or a shell line that only pipes cluster's output
			}
			rest, _, _ = strings.Cut(rest, "|")
			rest, _, _ = strings.Cut(rest, ">")
			words := singleDashArgs(newRootCmd(), strings.Fields(rest))
			if len(words) == 0 {
				continue
			}
			checkInvocation(t, "examples of '"+path+"'", words[0], " "+strings.Join(words[1:], " "), seen)
		}
	}
}
