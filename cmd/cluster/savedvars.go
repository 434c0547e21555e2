package main

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
)

// withSavedVariables makes a load use the variable values a saved plan recorded, with the
// highest precedence, through a temporary variable file. Sensitive values were never saved:
// they come from the environment and flags as usual.
func withSavedVariables(load *config.LoadOptions, p *planner.Plan) (cleanup func(), err error) {
	names := make([]string, 0, len(p.Variables))
	for n, v := range p.Variables {
		if !v.Sensitive && v.Raw != nil {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return func() {}, nil
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "%s = %s\n", n, p.Variables[n].Raw)
	}
	f, err := os.CreateTemp("", "cluster-plan-*.vars.hcl")
	if err != nil {
		return nil, err
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return nil, err
	}
	load.VarFiles = append(load.VarFiles, f.Name())
	return func() { os.Remove(f.Name()) }, nil
}
