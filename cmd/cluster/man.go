//go:build mangen

// Man pages, generated from the command tree. This file is only in binaries built with the
// mangen tag, so the released binary carries neither it nor the Markdown-to-roff converter:
//
//	go run -tags mangen ./cmd/cluster gen-man DIR    (make man)

package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra/doc"
)

func init() {
	if len(os.Args) != 3 || os.Args[1] != "gen-man" {
		return
	}
	if err := genMan(os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "gen-man:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// genMan writes one man page per command (cluster.1, cluster-plan.1, ...) into dir.
func genMan(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	root := newRootCmd()
	root.DisableAutoGenTag = true // no generation date: the pages are reproducible
	header := &doc.GenManHeader{
		Title:   "CLUSTER",
		Section: "1",
		Source:  "cluster " + toolVersion(),
		Manual:  "cluster manual",
	}
	return doc.GenManTree(root, header, dir)
}
