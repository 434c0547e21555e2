package config

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// vendorSegment is one step of a vendor element path: an XML element name, optionally keyed by
// its name or id attribute ("netdev[0]", "server[sv1]", "ip[192.168.0.0/24]").
var vendorSegment = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*(\[[^\[\]]+\])?$`)

// ValidVendorPath reports whether p is a vendor element path: segments separated by "/" (a
// key in brackets may itself hold "/").
func ValidVendorPath(p string) bool {
	if p == "" {
		return false
	}
	depth, start := 0, 0
	for i := 0; i <= len(p); i++ {
		switch {
		case i < len(p) && p[i] == '[':
			depth++
		case i < len(p) && p[i] == ']':
			depth--
		case i == len(p) || p[i] == '/' && depth == 0:
			if !vendorSegment.MatchString(p[start:i]) {
				return false
			}
			start = i + 1
		}
	}
	return depth == 0
}

// Keys returns the paths of v in sorted order.
func (v VendorParams) Keys() []string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// vendor reads vendor_parameters: a map of element paths to strings, where null removes the
// element.
func (r attrReader) vendor(name string, dst *VendorParams) bool {
	v, ok := r.value(name, cty.Map(cty.String))
	if !ok {
		return false
	}
	rng := r.attrs[name].Expr.Range().Ptr()
	out := VendorParams{}
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		key := k.AsString()
		if !ValidVendorPath(key) {
			r.l.errorf(rng, "Invalid vendor parameter path",
				"%q is not a clp.conf element path. Write element names separated by \"/\", with a name or id in brackets where the element has one, e.g. \"parameters/mddriver/port\" or \"server[sv1]/parameters/volumeguid\".", key)
			continue
		}
		if e.IsNull() {
			out[key] = nil
			continue
		}
		s := e.AsString()
		out[key] = &s
	}
	*dst = out
	return true
}

// vendorFiles reads vendor_files: configuration-directory files by relative slash path.
func (r attrReader) vendorFiles(name string, dst *map[string]string) bool {
	v, ok := r.value(name, cty.Map(cty.String))
	if !ok {
		return false
	}
	rng := r.attrs[name].Expr.Range().Ptr()
	out := map[string]string{}
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		key := k.AsString()
		if !ValidVendorFile(key) {
			r.l.errorf(rng, "Invalid vendor file path",
				"%q is not a path inside the configuration directory. Write a relative slash path below scripts/, e.g. \"scripts/monitor.s/genw1/preaction.sh\".", key)
			continue
		}
		if e.IsNull() {
			r.l.errorf(rng, "Incorrect attribute value type", "The content of vendor file %q is null. Give its content, e.g. file(\"...\").", key)
			continue
		}
		out[key] = e.AsString()
	}
	*dst = out
	return true
}

// ValidVendorFile reports whether p is a clean relative path below scripts/ of a configuration
// directory: the only files beside clp.conf that the vendor's push distributes.
func ValidVendorFile(p string) bool {
	return strings.HasPrefix(p, "scripts/") && path.Clean(p) == p && !strings.Contains(p, "\\") &&
		!slices.Contains(strings.Split(p, "/"), "..")
}
