package planner

import (
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/clusterctl/cluster/hcl/config"
)

// VariableValue records a variable's effective value in a plan as HCL expression text, so a
// saved plan can be applied with exactly the values it was made with. A sensitive value is
// never recorded: it must be supplied again at apply time.
func VariableValue(v *config.Variable) Value {
	if v.Sensitive {
		return Value{Sensitive: true}
	}
	if v.Value.IsNull() || !v.Value.IsWhollyKnown() {
		return Value{}
	}
	return Value{Raw: string(hclwrite.TokensForValue(v.Value).Bytes())}
}
