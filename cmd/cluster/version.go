package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=..."; when it is not, the module
// version recorded in the binary is shown ("(devel)" for a build from a source tree).
var version = ""

// commit is the VCS revision, for builds the go command cannot stamp (-buildvcs=false, or a
// git worktree, where .git is a file and Go records no VCS information): set it with
// -ldflags "-X main.commit=$(git rev-parse HEAD)". The stamped revision wins when there is one.
var commit = ""

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of cluster, the commit it was built from and the Go version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			bi, _ := debug.ReadBuildInfo()
			return writeVersion(cmd.OutOrStdout(), bi)
		},
	}
}

// buildVersion is what `cluster version` reports, from the build information bi (nil when the
// binary has none).
type buildVersion struct {
	Version  string // -ldflags version, else the module version, else "(devel)"
	Module   string // module path
	Commit   string // VCS revision, "" when unknown
	Time     string // commit time (RFC 3339), "" when unknown
	Modified bool   // the tree had uncommitted changes
	Go       string // Go version that built the binary
}

func readBuildVersion(bi *debug.BuildInfo) buildVersion {
	v := buildVersion{Version: version, Commit: commit, Go: runtime.Version()}
	if bi == nil {
		if v.Version == "" {
			v.Version = "(devel)"
		}
		return v
	}
	v.Module = bi.Main.Path
	if v.Version == "" {
		v.Version = bi.Main.Version
	}
	if v.Version == "" {
		v.Version = "(devel)"
	}
	if bi.GoVersion != "" {
		v.Go = bi.GoVersion
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Commit = s.Value
		case "vcs.time":
			v.Time = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}

func writeVersion(w io.Writer, bi *debug.BuildInfo) error {
	v := readBuildVersion(bi)
	rev := "unknown (built without VCS information: -buildvcs=false, or from a git worktree)"
	if v.Commit != "" {
		rev = v.Commit
		if v.Modified {
			rev += " (modified)"
		}
		if v.Time != "" {
			rev += ", " + v.Time
		}
	}
	module := v.Module
	if module == "" {
		module = "unknown"
	}
	_, err := fmt.Fprintf(w, "cluster %s\nmodule:  %s\ncommit:  %s\ngo:      %s %s/%s\n",
		v.Version, module, rev, v.Go, runtime.GOOS, runtime.GOARCH)
	return err
}
