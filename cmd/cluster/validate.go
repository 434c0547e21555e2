package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/views"
)

func newValidateCmd(g *globals) *cobra.Command {
	var (
		opts   config.LoadOptions
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "validate [DIR]",
		Short: "Check that the configuration is valid, without contacting any node",
		Long: `validate loads the configuration in DIR (default: the current directory): it evaluates
variables, locals and functions, resolves every reference and runs the semantic checks. It
prints every problem found, with the source lines, and exits 1 when there is an error.

Like terraform validate, it needs no variable values: a variable without one is unknown, the
checks that depend on it wait, and a warning lists them. plan and apply need every value.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			opts.Environ = os.Environ()
			opts.UnknownVariables = true
			loaded, diags := loadForValidate(dir, opts)
			out := cmd.OutOrStdout()
			if asJSON {
				s := views.NewStream(out)
				s.Version(toolVersion())
				if err := s.Validate(diags); err != nil {
					return err
				}
			} else {
				errOut := cmd.ErrOrStderr()
				if err := views.WriteDiagnostics(errOut, loaded.Files, diags, colourFor(g, errOut), widthFor(errOut)); err != nil {
					return err
				}
				if !diags.HasErrors() {
					msg := "Success! The configuration is valid."
					if len(diags) > 0 {
						msg = "Success! The configuration is valid, but there were some validation warnings as shown above."
					}
					fmt.Fprintln(out, msg)
				}
			}
			if diags.HasErrors() {
				return silentExit(1)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "stream the result as JSON lines on stdout (docs/json-format.md)")
	AddVarFlags(cmd.Flags(), &opts)
	return cmd
}

// loadForValidate loads with the garbage collector running less often: a load allocates
// mostly short-lived parser tokens, and validate exits right after it, so collecting at
// every doubling of the heap cost about a fifth of validate's CPU time on large configurations
// (issue 18); the heap may now grow to five times what is live before a collection.
// GOGC, when set, is left alone.
func loadForValidate(dir string, opts config.LoadOptions) (*config.Loaded, hcl.Diagnostics) {
	if os.Getenv("GOGC") == "" { // the user's own setting wins
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	return config.Load(dir, opts)
}

// colourFor reports whether output to w may be coloured: not with --no-color or a non-empty
// NO_COLOR, and only on a terminal.
func colourFor(g *globals, w io.Writer) bool {
	return !g.noColor && isTerminal(w)
}

// widthFor is the column at which diagnostic details wrap: the terminal width, or none.
func widthFor(w io.Writer) uint {
	if f, ok := w.(*os.File); ok {
		if width, _, err := term.GetSize(int(f.Fd())); err == nil && width > 0 {
			return uint(width)
		}
	}
	return 0
}
