package config

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/clusterctl/cluster/hcl/addrs"
)

// refSteps returns the address steps of a reference, keys included: cluster.web gives
// [cluster web], group.web["hr"] gives [group web["hr"]], and cluster.web[each.key].node.sv1
// evaluates the key in the current frame. An index after a kind step names the object, as an
// attribute would (cluster.web.node["sv1"] is cluster.web.node.sv1); after an object's name it
// is that object's instance key.
func (l *loader) refSteps(expr hcl.Expression) ([]string, bool) {
	if u := hcl.UnwrapExpressionUntil(expr, func(e hcl.Expression) bool {
		switch e.(type) {
		case *hclsyntax.ScopeTraversalExpr, *hclsyntax.IndexExpr, *hclsyntax.RelativeTraversalExpr:
			return true
		}
		return false
	}); u != nil {
		expr = u
	}
	var steps []string
	add := func(tr hcl.Traversal) bool {
		for _, t := range tr {
			switch s := t.(type) {
			case hcl.TraverseRoot:
				steps = append(steps, s.Name)
			case hcl.TraverseAttr:
				steps = append(steps, s.Name)
			case hcl.TraverseIndex:
				if !l.addKey(&steps, s.Key) {
					return false
				}
			default:
				return false
			}
		}
		return true
	}
	var walk func(e hcl.Expression) bool
	walk = func(e hcl.Expression) bool {
		switch x := e.(type) {
		case *hclsyntax.ScopeTraversalExpr:
			return add(x.Traversal)
		case *hclsyntax.RelativeTraversalExpr:
			return walk(x.Source) && add(x.Traversal)
		case *hclsyntax.IndexExpr:
			if !walk(x.Collection) || l.ctx == nil {
				return false
			}
			k, diags := x.Key.Value(l.ctx)
			if diags.HasErrors() {
				return false
			}
			return l.addKey(&steps, k)
		}
		if tr, diags := hcl.AbsTraversalForExpr(e); !diags.HasErrors() {
			return add(tr)
		}
		return false
	}
	if !walk(expr) || len(steps) == 0 {
		return nil, false
	}
	return steps, true
}

// addKey applies one index to the steps: an instance key on an object's name step (odd
// position), else a step of its own.
func (l *loader) addKey(steps *[]string, k cty.Value) bool {
	k = l.unmarkSensitive(k)
	if k.IsNull() || !k.IsKnown() {
		return false
	}
	nameStep := len(*steps)%2 == 0 && len(*steps) > 0
	switch k.Type() {
	case cty.String:
		if nameStep {
			(*steps)[len(*steps)-1] = addrs.StringKey((*steps)[len(*steps)-1], k.AsString())
		} else {
			*steps = append(*steps, k.AsString())
		}
		return true
	case cty.Number:
		i, acc := k.AsBigFloat().Int64()
		if !nameStep || acc != 0 || i < 0 {
			return false
		}
		(*steps)[len(*steps)-1] = addrs.IndexKey((*steps)[len(*steps)-1], int(i))
		return true
	}
	return false
}
