package config

import (
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/clusterctl/cluster/hcl/funcs"
)

// evalLocals evaluates every local value in dependency order: a local may use variables, other
// locals and functions. A cycle is reported once, naming its members in order.
func (l *loader) evalLocals() {
	attrs := map[string]*hcl.Attribute{}
	var names []string
	for _, b := range l.blocks["locals"] {
		as, diags := b.Body.JustAttributes()
		l.diags = append(l.diags, diags...)
		for name, a := range as {
			if prev, ok := attrs[name]; ok {
				l.errorf(a.NameRange.Ptr(), "Duplicate name",
					"local.%s was already declared at %s. Every object needs a unique name: rename or remove one of them.",
					name, prev.NameRange)
				continue
			}
			attrs[name] = a
			names = append(names, name)
			l.localNames[name] = true
		}
	}
	sort.Strings(names) // deterministic diagnostics

	const (
		visiting = iota + 1
		done
	)
	state := map[string]int{} // zero: not visited yet
	var stack []string
	var visit func(name string)
	visit = func(name string) {
		switch state[name] {
		case done:
			return
		case visiting:
			l.reportLocalCycle(attrs, stack, name)
			return
		}
		state[name] = visiting
		stack = append(stack, name)
		a := attrs[name]
		usable := true
		for _, dep := range localDeps(a.Expr) {
			if _, declared := attrs[dep]; !declared {
				continue // evaluation reports the unknown local
			}
			visit(dep)
			if _, ok := l.locals[dep]; !ok {
				usable = false
			}
		}
		stack = stack[:len(stack)-1]
		state[name] = done
		if !usable || !l.checkScope(a.Expr) {
			return // a dependency failed or is in a cycle, or a name is undeclared: reported
		}
		ctx := &hcl.EvalContext{
			Variables: map[string]cty.Value{"var": l.varObject(), "local": cty.ObjectVal(l.locals)},
			Functions: l.functions(),
		}
		v, diags := a.Expr.Value(ctx)
		l.diags = append(l.diags, diags...)
		if !diags.HasErrors() {
			l.locals[name] = v
		}
	}
	for _, n := range names {
		visit(n)
	}
}

// reportLocalCycle reports the cycle of stack that closes at name.
func (l *loader) reportLocalCycle(attrs map[string]*hcl.Attribute, stack []string, name string) {
	i := len(stack) - 1
	for i > 0 && stack[i] != name {
		i--
	}
	cycle := append(append([]string(nil), stack[i:]...), name)
	for k := range cycle {
		cycle[k] = "local." + cycle[k]
	}
	l.errorf(attrs[name].NameRange.Ptr(), "Cycle in locals",
		"These locals refer to each other in a cycle: %s. Break the cycle by computing one of them without the others.",
		strings.Join(cycle, " -> "))
}

// localDeps returns the local names an expression refers to.
func localDeps(expr hcl.Expression) []string {
	var out []string
	for _, tr := range expr.Variables() {
		if tr.RootName() == "local" && len(tr) > 1 {
			if n := attrName(tr[1]); n != "" {
				out = append(out, n)
			}
		}
	}
	return out
}

func (l *loader) varObject() cty.Value {
	m := make(map[string]cty.Value, len(l.cfg.Variables))
	for n, v := range l.cfg.Variables {
		m[n] = v.Value
		if v.Sensitive {
			m[n] = v.Value.Mark(sensitiveMark) // followed through every expression that uses it
		}
	}
	return cty.ObjectVal(m)
}

func (l *loader) functions() map[string]function.Function {
	if l.fns == nil {
		l.fns = funcs.Table(l.dir)
	}
	return l.fns
}

// buildEvalContext makes the context every block argument is evaluated in.
func (l *loader) buildEvalContext() {
	l.ctx = &hcl.EvalContext{
		Variables: map[string]cty.Value{"var": l.varObject(), "local": cty.ObjectVal(l.locals)},
		Functions: l.functions(),
	}
}
