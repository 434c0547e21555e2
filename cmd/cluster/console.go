package main

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/views"
)

func newConsoleCmd(g *globals) *cobra.Command {
	var (
		opts config.LoadOptions
		dir  string
	)
	cmd := &cobra.Command{
		Use:   "console",
		Short: "Evaluate expressions against the configuration",
		Long: `console reads one expression per line from stdin and prints its value, as terraform
console does: var.NAME, local.NAME, module.NAME.OUTPUT and every function of the language are in
scope. A value derived from a sensitive variable prints as (sensitive). An error is printed and
the next line is read; the exit code is 1 when any line failed. It contacts no node.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadQuiet(g, cmd, dir, opts)
			if err != nil {
				return err
			}
			out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
			failed := false
			sc := bufio.NewScanner(cmd.InOrStdin())
			sc.Buffer(make([]byte, 64*1024), 1024*1024)
			for sc.Scan() {
				line := strings.TrimSpace(sc.Text())
				if line == "" || strings.HasPrefix(line, "#") {
					continue
				}
				if line == "exit" {
					break
				}
				v, diags := cfg.Evaluate(line)
				if diags.HasErrors() {
					failed = true
					src := map[string]*hcl.File{"<console>": {Bytes: []byte(line)}}
					if err := views.WriteDiagnostics(errOut, src, diags, colourFor(g, errOut), widthFor(errOut)); err != nil {
						return err
					}
					continue
				}
				if config.IsSensitive(v) {
					fmt.Fprintln(out, "(sensitive)")
					continue
				}
				fmt.Fprintln(out, hclValue(v))
			}
			if err := sc.Err(); err != nil {
				return err
			}
			if failed {
				return silentExit(1)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", ".", "the configuration `DIR`")
	AddVarFlags(cmd.Flags(), &opts)
	return cmd
}
