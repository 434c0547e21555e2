package config

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// waitingCheck is an argument (or a variable's validation rule) that validate could not check
// because its value depends on a variable without a value (LoadOptions.UnknownVariables).
type waitingCheck struct {
	obj  any    // the model object, to name it; nil for a validation rule
	what string // the argument's name, or "a validation rule of var.x"
	at   hcl.Range
}

func (l *loader) waitFor(obj any, at hcl.Range, what string) {
	l.waiting = append(l.waiting, waitingCheck{obj: obj, what: what, at: at})
}

// isUnknown reports whether obj's argument attr was written but its value was not known: a
// check that needs it must wait, not report it as missing.
func (l *loader) isUnknown(obj any, attr string) bool { return l.unknownAttrs[rangeKey{obj, attr}] }

// reportWaitingChecks says, in one warning, which variables had no value and which checks
// waited for them, so that a successful validate is not taken for a complete one.
func (l *loader) reportWaitingChecks() {
	if len(l.unknownVars) == 0 {
		return
	}
	names := make([]string, len(l.unknownVars))
	for i, v := range l.unknownVars {
		names[i] = "var." + v.Name
	}
	var b strings.Builder
	fmt.Fprintf(&b, "No value was given for %s, so validate checked the configuration without %s. ",
		strings.Join(names, ", "), map[bool]string{true: "it", false: "them"}[len(names) == 1])
	if len(l.waiting) == 0 {
		b.WriteString("No check needed a value.")
	} else {
		fmt.Fprintf(&b, "%d checks waited for values:", len(l.waiting))
		addrOf := map[any]string{}
		for a, o := range l.objects {
			addrOf[o.ptr] = a
		}
		const shown = 25
		for i, w := range l.waiting {
			if i == shown {
				fmt.Fprintf(&b, "\n  ... and %d more", len(l.waiting)-shown)
				break
			}
			what := w.what
			if a, ok := addrOf[w.obj]; ok {
				what = a + " " + what
			}
			fmt.Fprintf(&b, "\n  %s (%s)", what, w.at)
		}
	}
	b.WriteString("\nplan and apply need every value: set them with --var, a .vars.hcl file or CLUSTER_VAR_<name>.")
	l.warnf(l.unknownVars[0].DeclRange.Ptr(), "Checks waiting for values", "%s", b.String())
}
