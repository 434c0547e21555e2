package config

import (
	"slices"
	"sort"

	"github.com/hashicorp/hcl/v2"
)

// checkScope reports references to undeclared variables and locals before an expression is
// evaluated: hcl alone would say only that an object "does not have an attribute". A local that
// is declared but failed to evaluate is not reported again. ok is false when any was reported.
func (l *loader) checkScope(expr hcl.Expression) bool {
	ok := true
	for _, tr := range expr.Variables() {
		if len(tr) < 2 {
			continue
		}
		name := attrName(tr[1])
		rng := hcl.RangeBetween(tr[0].SourceRange(), tr[1].SourceRange()).Ptr()
		switch tr.RootName() {
		case "var":
			if _, declared := l.varByName[name]; !declared {
				l.errorf(rng, "Reference to undeclared input variable",
					"There is no variable named %q.%s Declare it with a variable block, or correct the name.",
					name, didYouMean("var.", name, sortedKeys(l.varByName)))
				ok = false
			}
		case "module":
			var calls []string
			for _, b := range l.blocks["module"] {
				calls = append(calls, b.Labels[0])
			}
			if !slices.Contains(calls, name) {
				sort.Strings(calls)
				l.errorf(rng, "Reference to undeclared module",
					"There is no module call named %q.%s Declare it with a module block, or correct the name.",
					name, didYouMean("module.", name, calls))
				ok = false
			}
		case "local":
			if !l.localNames[name] {
				names := make([]string, 0, len(l.localNames))
				for n := range l.localNames {
					names = append(names, n)
				}
				sort.Strings(names)
				l.errorf(rng, "Reference to undeclared local value",
					"There is no local value named %q.%s Declare it in a locals block, or correct the name.",
					name, didYouMean("local.", name, names))
				ok = false
			}
		}
	}
	return ok
}
