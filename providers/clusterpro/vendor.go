package clusterpro

import (
	"fmt"
	"slices"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/providers/clusterpro/clpconf"
)

// vendorObject is one model object with vendor parameters and the path of its clp.conf
// element below <root> ("" for the cluster itself: the root).
type vendorObject struct {
	path   string
	params *config.VendorParams
}

// vendorObjects lists every object of c that carries vendor parameters, the cluster first.
// Resources and monitors are found by their clp.conf type on c's platform.
func vendorObjects(c *config.Cluster) []vendorObject {
	windows := c.Platform == config.Windows
	out := []vendorObject{{path: "", params: &c.Vendor}}
	for _, n := range c.Nodes {
		out = append(out, vendorObject{"server[" + n.Name + "]", &n.Vendor})
	}
	for _, h := range c.Heartbeats {
		typ, _ := heartbeatType(h.Mode) // an unknown mode fails rendering; lankhb meanwhile
		out = append(out, vendorObject{"heartbeat/" + typ + "[" + h.Name + "]", &h.Vendor})
	}
	for _, np := range c.NetworkPartitions {
		out = append(out, vendorObject{"networkpartition/pingnp[" + np.Name + "]", &np.Vendor})
	}
	for _, m := range c.Monitors {
		out = append(out, vendorObject{monitorPath(m), &m.Vendor})
	}
	for _, g := range c.Groups {
		out = append(out, vendorObject{"group[" + g.Name + "]", &g.Vendor})
		for _, r := range g.Resources {
			out = append(out, vendorObject{"resource/" + vendorResourceType(r.Kind, windows) + "[" + r.Name + "]", &r.Vendor})
		}
		for _, m := range g.Monitors {
			out = append(out, vendorObject{monitorPath(m), &m.Vendor})
		}
	}
	return out
}

func monitorPath(m *config.Monitor) string {
	return "monitor/" + string(m.Kind) + "[" + m.Name + "]"
}

// heartbeatType is the clp.conf type of a heartbeat mode: kernel (the default) or user; ok is
// false for any other mode, which is then taken as kernel.
func heartbeatType(mode string) (typ string, ok bool) {
	switch mode {
	case "", "kernel":
		return "lankhb", true
	case "user":
		return "lanhb", true
	}
	return "lankhb", false
}

// applyVendor is the second rendering layer: every object's vendor parameters set, or remove,
// elements below the object's element. Removals run first so that a parameter may set an
// element inside one the first layer wrote differently.
func applyVendor(doc *clpconf.Document, c *config.Cluster) error {
	for _, o := range vendorObjects(c) {
		if len(*o.params) == 0 {
			continue
		}
		el := doc.Root
		if o.path != "" {
			if el = doc.Root.Find(o.path); el == nil {
				return fmt.Errorf("no <%s> element to apply vendor_parameters to", o.path)
			}
		}
		keys := o.params.Keys()
		for _, k := range keys {
			if (*o.params)[k] == nil {
				el.Remove(k)
			}
		}
		for _, k := range keys {
			if v := (*o.params)[k]; v != nil {
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
