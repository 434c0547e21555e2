package clusterpro

import (
	"fmt"
	"slices"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/providers/clusterpro/clpconf"
)

// applyVendor is the second rendering layer: every object's vendor parameters set, or remove,
// elements below the object's element. Removals run first so that a parameter may set an
// element inside one the first layer wrote differently.
func applyVendor(doc *clpconf.Document, c *config.Cluster) error {
	for _, o := range c.VendorObjects() {
		if len(*o.Params) == 0 {
			continue
		}
		el := doc.Root
		if o.Path != "" {
			if el = doc.Root.Find(o.Path); el == nil {
				return fmt.Errorf("no <%s> element to apply vendor_parameters to", o.Path)
			}
		}
		keys := o.Params.Keys()
		for _, k := range keys {
			if (*o.Params)[k] == nil {
				el.Remove(k)
			}
		}
		for _, k := range keys {
			if v := (*o.Params)[k]; v != nil {
				el.Set(k, *v)
			}
		}
	}
	return nil
}

// residual returns the vendor parameters that turn rendered into original, both seen through
// skip: every leaf of original that rendered lacks or holds with other text, and a nil for the
// outermost element original lacks of every leaf only rendered has.
func residual(original, rendered *clpconf.Element, skip func(string) bool) config.VendorParams {
	want := clpconf.Leaves(original, skip)
	have := map[string]string{}
	for _, p := range clpconf.Leaves(rendered, skip) {
		have[p.Path] = p.Value
	}
	out := config.VendorParams{}
	wanted := map[string]bool{}
	for _, p := range want {
		wanted[p.Path] = true
		if v, ok := have[p.Path]; !ok || v != p.Value {
			value := p.Value
			out[p.Path] = &value
		}
	}
	for path := range have {
		if wanted[path] {
			continue
		}
		if missing := original.MissingPrefix(path); missing != "" {
			out[missing] = nil
		}
	}
	return out
}

// bookkeeping is what the vendor's tools rewrite on every save, which the tool neither models
// nor carries: all of clpconf.Bookkeeping but the cluster's uuid, which an import keeps.
func bookkeeping(path string) bool {
	return path != clpconf.ClusterUUID && slices.Contains(clpconf.Bookkeeping, path)
}

// clusterSkip is what a cluster's own vendor parameters do not cover: the elements of its
// objects (carried by the objects) and the bookkeeping. The <types> declarations of a section
// are covered: those of modelled objects are rendered with them and match, and those of objects
// the language does not model are carried like those objects.
func clusterSkip(objectPaths map[string]bool) func(string) bool {
	return func(path string) bool {
		return objectPaths[path] || bookkeeping(path)
	}
}
