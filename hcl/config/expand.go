package config

import (
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/dynblock"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/clusterctl/cluster/hcl/addrs"
)

// Repetition, as in Terraform: a block with for_each (a map, or a set of strings) or count (a
// whole number) is decoded once per instance, with each.key / each.value or count.index in
// scope, and each instance's address carries its key on the block's name step
// (group.web["hr"], group.web[0]). Block labels stay static; the clp.conf name of a cluster,
// group, resource or monitor is its optional name argument (default: the label).

var repetitionSchema = &hcl.BodySchema{Attributes: attrs("for_each", "count")}

// expand decodes b once per instance: decode gets a copy of b without for_each and count, with
// dynamic blocks expanded, while l.ctx holds the instance's each/count and l.key its address
// key. A block with neither is decoded once, with no key.
func (l *loader) expand(b *hcl.Block, decode func(b *hcl.Block)) {
	if plain(b.Body) {
		// The common case, decoded as it is: no repetition to read, nothing to expand.
		outerKey := l.key
		l.key = ""
		decode(b)
		l.key = outerKey
		return
	}
	content, rest, diags := b.Body.PartialContent(repetitionSchema)
	l.diags = append(l.diags, diags...)
	forEach, hasForEach := content.Attributes["for_each"]
	count, hasCount := content.Attributes["count"]
	outerCtx, outerKey := l.ctx, l.key
	defer func() { l.ctx, l.key = outerCtx, outerKey }()
	one := func(key string, vars map[string]cty.Value) {
		ctx := outerCtx
		if vars != nil {
			ctx = outerCtx.NewChild()
			ctx.Variables = vars
		}
		inst := *b
		inst.Body = dynblock.Expand(rest, ctx)
		l.ctx, l.key = ctx, key
		decode(&inst)
	}
	switch {
	case hasForEach && hasCount:
		l.errorf(count.NameRange.Ptr(), "Invalid combination of count and for_each",
			"A block may use count or for_each, not both: for_each is at %s. Remove one of them.", forEach.NameRange)
	case hasForEach:
		keys, values, ok := l.forEachInstances(forEach)
		if !ok {
			return
		}
		for i, k := range keys {
			one(addrs.StringKey("", k), map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{
				"key": cty.StringVal(k), "value": values[i]})})
		}
	case hasCount:
		n, ok := l.countInstances(count)
		if !ok {
			return
		}
		for i := 0; i < n; i++ {
			one(addrs.IndexKey("", i), map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{
				"index": cty.NumberIntVal(int64(i))})})
		}
	default:
		one("", nil)
	}
}

// plain reports whether a block body has neither for_each nor count and no dynamic block at
// any depth, so that expand may decode it as it is. Bodies not from the native syntax are never
// plain.
func plain(body hcl.Body) bool {
	sb, ok := body.(*hclsyntax.Body)
	if !ok {
		return false
	}
	if _, ok := sb.Attributes["for_each"]; ok {
		return false
	}
	if _, ok := sb.Attributes["count"]; ok {
		return false
	}
	return !hasDynamic(sb)
}

func hasDynamic(sb *hclsyntax.Body) bool {
	for _, b := range sb.Blocks {
		if b.Type == "dynamic" || hasDynamic(b.Body) {
			return true
		}
	}
	return false
}

// forEachInstances evaluates a for_each argument: its keys in lexical order and their values.
func (l *loader) forEachInstances(a *hcl.Attribute) ([]string, []cty.Value, bool) {
	if !l.checkScope(a.Expr) {
		return nil, nil, false
	}
	v, diags := a.Expr.Value(l.ctx)
	l.diags = append(l.diags, diags...)
	if diags.HasErrors() {
		return nil, nil, false
	}
	if v.ContainsMarked() {
		// As in Terraform: the keys would show in every address, and so in every plan and log.
		l.errorf(a.Expr.Range().Ptr(), "Invalid for_each argument",
			"for_each is derived from a sensitive variable; its keys would appear in addresses. Use a value that is not sensitive, e.g. the names only.")
		return nil, nil, false
	}
	if !v.IsWhollyKnown() {
		if l.allowUnknown {
			l.waitFor(nil, a.Expr.Range(), "for_each")
			return nil, nil, false
		}
		l.errorf(a.Expr.Range().Ptr(), "Invalid for_each argument",
			"The value of for_each is not known while loading the configuration. Use only variables, locals and functions in it.")
		return nil, nil, false
	}
	ty := v.Type()
	bad := func(why string) ([]string, []cty.Value, bool) {
		l.errorf(a.Expr.Range().Ptr(), "Invalid for_each argument",
			"for_each must be a map, or a set of strings, %s. Write e.g. toset([\"osaka\", \"nagoya\"]) or { osaka = \"10.0.1.10\" }.", why)
		return nil, nil, false
	}
	if v.IsNull() {
		return bad("not null")
	}
	var keys []string
	var values []cty.Value
	switch {
	case ty.IsMapType() || ty.IsObjectType():
		for it := v.ElementIterator(); it.Next(); {
			k, val := it.Element()
			keys, values = append(keys, k.AsString()), append(values, val)
		}
	case ty.IsSetType() && ty.ElementType() == cty.String:
		for it := v.ElementIterator(); it.Next(); {
			k, _ := it.Element()
			if k.IsNull() {
				return bad("without null elements")
			}
			keys, values = append(keys, k.AsString()), append(values, k)
		}
	case ty.IsListType() || ty.IsTupleType():
		return bad(fmt.Sprintf("not %s (its elements have no keys; convert it with toset())", ty.FriendlyName()))
	default:
		return bad(fmt.Sprintf("not %s", ty.FriendlyName()))
	}
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return keys[order[i]] < keys[order[j]] })
	sk, sv := make([]string, len(keys)), make([]cty.Value, len(keys))
	for i, o := range order {
		sk[i], sv[i] = keys[o], values[o]
	}
	for _, k := range sk {
		if strings.ContainsAny(k, "\"\\\n") {
			l.errorf(a.Expr.Range().Ptr(), "Invalid for_each argument",
				"The key %q cannot appear in an address: keys may not hold quotes, backslashes or line breaks.", k)
			return nil, nil, false
		}
	}
	return sk, sv, true
}

// countInstances evaluates a count argument: a whole number from 0.
func (l *loader) countInstances(a *hcl.Attribute) (int, bool) {
	if !l.checkScope(a.Expr) {
		return 0, false
	}
	v, diags := a.Expr.Value(l.ctx)
	l.diags = append(l.diags, diags...)
	if diags.HasErrors() {
		return 0, false
	}
	if v.ContainsMarked() {
		// As in Terraform: the number would show in every address (web[1]), and so in every
		// plan and log.
		l.errorf(a.Expr.Range().Ptr(), "Invalid count argument",
			"count is derived from a sensitive variable; the number of instances would appear in addresses. Use a value that is not sensitive.")
		return 0, false
	}
	if !v.IsWhollyKnown() {
		if l.allowUnknown {
			l.waitFor(nil, a.Expr.Range(), "count")
			return 0, false
		}
		l.errorf(a.Expr.Range().Ptr(), "Invalid count argument",
			"The value of count is not known while loading the configuration. Use only variables, locals and functions in it.")
		return 0, false
	}
	if v.IsNull() || v.Type() != cty.Number {
		l.errorf(a.Expr.Range().Ptr(), "Invalid count argument", "count must be a whole number from 0, such as 2.")
		return 0, false
	}
	bf := v.AsBigFloat()
	n, acc := bf.Int64()
	if acc != big.Exact || n < 0 || n > maxCount {
		l.errorf(a.Expr.Range().Ptr(), "Invalid count argument", "count must be a whole number from 0 to %d, not %s.", maxCount, bf.Text('f', -1))
		return 0, false
	}
	return int(n), true
}

// step is the address step of the block being decoded: its label and instance key.
func (l *loader) step(b *hcl.Block) string { return b.Labels[len(b.Labels)-1] + l.key }

// at places a root-level address in the module instance being decoded.
func (l *loader) at(a addrs.Address) addrs.Address { return a.InModule(l.modPrefix) }

// mapKey is the key of an object in the Config maps: its name step at the root (web,
// web["hr"]), its whole address inside a module.
func mapKey(a addrs.Address) string {
	if a.ModulePath() != "" {
		return a.String()
	}
	_, key, _ := strings.Cut(a.String(), ".")
	return key
}

// MapKey is the key under which a Config map holds the object at address a.
func MapKey(a addrs.Address) string { return mapKey(a) }

// clpName reads an object's optional name argument, its name in clp.conf (default the label).
func (r attrReader) clpName(dst *string) {
	if !r.str("name", dst) {
		return
	}
	if *dst == "" || !asciiIdentifier(*dst) && !hclsyntax.ValidIdentifier(*dst) {
		r.l.errorf(r.l.where(r.obj, "name", hcl.Range{}), "Invalid name",
			"%q is not a valid name: a name starts with a letter or underscore and holds only letters, digits, underscores and dashes.", *dst)
	}
}

// dedupe drops repeated diagnostics: a mistake in a block with for_each or count is found once
// per instance, and the same message at the same place says nothing new. Diagnostics that name
// their instance (or module instance) differ and are kept.
func dedupe(diags hcl.Diagnostics) hcl.Diagnostics {
	seen := map[string]bool{}
	out := diags[:0:0]
	for _, d := range diags {
		key := fmt.Sprintf("%d\x00%s\x00%s", d.Severity, d.Summary, d.Detail)
		if d.Subject != nil {
			key += "\x00" + d.Subject.String()
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, d)
	}
	return out
}
