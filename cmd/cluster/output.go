package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/spf13/cobra"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/views"
)

func newOutputCmd(g *globals) *cobra.Command {
	var (
		opts   config.LoadOptions
		asJSON bool
		dir    string
	)
	cmd := &cobra.Command{
		Use:   "output [NAME]",
		Short: "Print the values of the configuration's output blocks",
		Long: `output prints the root module's outputs (output blocks), or the one named NAME. There is
no state: outputs are evaluated from the configuration and its variables (--var, --var-file,
*.auto.vars.hcl, CLUSTER_VAR_*), so they show what plan and apply act on. An output marked
sensitive prints as (sensitive), in --json too.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadQuiet(g, cmd, dir, opts)
			if err != nil {
				return err
			}
			names := make([]string, 0, len(cfg.Outputs))
			for n := range cfg.Outputs {
				names = append(names, n)
			}
			sort.Strings(names)
			if len(args) == 1 {
				if cfg.Outputs[args[0]] == nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "Error: no output %q in the configuration%s\n", args[0], declaredList(names))
					return silentExit(1)
				}
				names = []string{args[0]}
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return writeOutputsJSON(out, cfg, names, len(args) == 1)
			}
			for _, n := range names {
				o := cfg.Outputs[n]
				text := "(sensitive)"
				if !o.Sensitive {
					text = hclValue(o.Value)
				}
				if len(args) == 1 {
					fmt.Fprintln(out, text)
				} else {
					fmt.Fprintf(out, "%s = %s\n", n, text)
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the outputs as a JSON object (name -> {sensitive, type, value})")
	cmd.Flags().StringVar(&dir, "dir", ".", "the configuration `DIR`")
	AddVarFlags(cmd.Flags(), &opts)
	return cmd
}

func declaredList(names []string) string {
	if len(names) == 0 {
		return "; it declares none"
	}
	return "; it declares " + strings.Join(names, ", ")
}

// writeOutputsJSON prints the outputs as terraform output -json does (an object by name; one
// output's value alone when NAME was given), except that a sensitive value is left out.
func writeOutputsJSON(w io.Writer, cfg *config.Config, names []string, one bool) error {
	type entry struct {
		Sensitive bool            `json:"sensitive"`
		Type      json.RawMessage `json:"type,omitempty"`
		Value     json.RawMessage `json:"value,omitempty"`
	}
	all := map[string]entry{}
	for _, n := range names {
		o := cfg.Outputs[n]
		e := entry{Sensitive: o.Sensitive}
		if !o.Sensitive && o.Value.IsWhollyKnown() {
			v, err := ctyjson.Marshal(o.Value, o.Value.Type())
			if err != nil {
				return err
			}
			t, err := ctyjson.MarshalType(o.Value.Type())
			if err != nil {
				return err
			}
			e.Value, e.Type = v, t
		}
		all[n] = e
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if one {
		e := all[names[0]]
		if e.Sensitive {
			return enc.Encode("(sensitive)")
		}
		return enc.Encode(e.Value)
	}
	return enc.Encode(all)
}

// hclValue renders a value in HCL syntax; a value not known (an unset variable) as (unknown).
func hclValue(v cty.Value) string {
	if !v.IsWhollyKnown() {
		return "(unknown)"
	}
	return strings.TrimSpace(string(hclwrite.TokensForValue(v).Bytes()))
}

// loadQuiet loads the configuration for a command that prints values, not diagnostics: the
// diagnostics go to stderr, and an error ends the command.
func loadQuiet(g *globals, cmd *cobra.Command, dir string, opts config.LoadOptions) (*config.Config, error) {
	opts.Environ = os.Environ()
	loaded, diags := config.Load(dir, opts)
	errOut := cmd.ErrOrStderr()
	if len(diags) > 0 {
		if err := views.WriteDiagnostics(errOut, loaded.Files, diags, colourFor(g, errOut), widthFor(errOut)); err != nil {
			return nil, err
		}
	}
	if diags.HasErrors() || loaded.Config == nil {
		return nil, silentExit(1)
	}
	return loaded.Config, nil
}
