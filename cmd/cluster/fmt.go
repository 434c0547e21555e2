package main

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/clusterctl/cluster/hcl/format"
	"github.com/clusterctl/cluster/views"
)

func newFmtCmd(g *globals) *cobra.Command {
	var check, diff, recursive bool
	cmd := &cobra.Command{
		Use:   "fmt [PATH...]",
		Short: "Rewrite configuration files in the canonical layout",
		Long: `fmt rewrites every *.hcl file named by PATH (default: the current directory) in the
canonical layout, and lists the files it changed. With --check it changes nothing and exits 1
when a file would change; --diff shows the changes; --recursive descends into subdirectories.

Exit status: 0 success; 1 with --check when a file would change, or another error; 2 when a
file does not parse (nothing is rewritten for it).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"."}
			}
			paths, err := format.Files(args, recursive)
			if err != nil {
				return err
			}
			out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
			var all hcl.Diagnostics
			files := map[string]*hcl.File{}
			changed := 0
			for _, p := range paths {
				r, diags := format.File(p)
				if diags.HasErrors() {
					// The source is enough for the diagnostic writer's snippets.
					files[p] = &hcl.File{Bytes: r.Original}
					all = append(all, diags...)
					continue
				}
				if !r.Changed {
					continue
				}
				changed++
				fmt.Fprintln(out, p)
				if diff {
					d, err := r.Diff()
					if err != nil {
						return err
					}
					fmt.Fprint(out, d)
				}
				if !check {
					if err := r.Write(); err != nil {
						return err
					}
				}
			}
			if len(all) > 0 {
				if err := views.WriteDiagnostics(errOut, files, all, colourFor(g, errOut), widthFor(errOut)); err != nil {
					return err
				}
				return silentExit(2)
			}
			if check && changed > 0 {
				return silentExit(1)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&check, "check", false, "change nothing; exit 1 if any file is not formatted")
	cmd.Flags().BoolVar(&diff, "diff", false, "show the changes as a unified diff")
	cmd.Flags().BoolVar(&recursive, "recursive", false, "also format files in subdirectories")
	return cmd
}
