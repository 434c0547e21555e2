package clusterpro

import (
	"fmt"
	"sort"
	"strings"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/providers/clusterpro/clpconf"
)

// objects is a configuration directory seen as the objects a user declares: per address, its
// settings as flat "path = value" attributes. Comparing two of these is the semantic diff: it
// does not see element order, whitespace, the file's encoding, or the vendor's bookkeeping.
type objects map[addrs.Address]map[string]string

// ignoredSections are clp.conf bookkeeping the vendor's tools rewrite on every save.
var ignoredSections = map[string]bool{"trekking": true, "webmgr": true}

// ignoredPaths are bookkeeping leaves inside managed sections, by flattened path.
var ignoredPaths = map[string]bool{"cluster.uuid": true}

// objectsOf flattens a clp.conf and the scripts beside it into objects of cluster c.
func objectsOf(cluster string, st *nodeState) objects {
	objs := objects{}
	if st == nil || st.doc == nil {
		return objs
	}
	clusterAddr := addrs.Cluster(cluster)
	add := func(a addrs.Address, attrs map[string]string) {
		if objs[a] == nil {
			objs[a] = map[string]string{}
		}
		for k, v := range attrs {
			objs[a][k] = v
		}
	}
	owner := resourceOwners(st.doc.Root)
	for _, sec := range st.doc.Root.Children {
		switch {
		case ignoredSections[sec.Name]:
		case sec.Name == "cluster" || sec.Name == "all":
			add(clusterAddr, flatten(sec, sec.Name+"."))
		case sec.Name == "server":
			add(addrs.ClusterNode(cluster, sec.Key()), flatten(sec, ""))
		case sec.Name == "group":
			attrs := flatten(sec, "")
			var members []string
			for k := range attrs {
				if strings.HasPrefix(k, "resource[") {
					delete(attrs, k)
				}
			}
			for _, r := range sec.ChildrenNamed("resource") {
				members = append(members, r.Key())
			}
			sort.Strings(members)
			attrs["resources"] = strings.Join(members, ", ")
			add(addrs.Group(sec.Key()), attrs)
		case sec.Name == "heartbeat" || sec.Name == "networkpartition" || sec.Name == "monitor" || sec.Name == "resource":
			for _, obj := range sec.Children {
				if obj.Name == "types" {
					continue // derived from the objects present
				}
				attrs := flatten(obj, "")
				attrs["type"] = obj.Name
				var a addrs.Address
				switch sec.Name {
				case "heartbeat":
					a = addrs.Heartbeat(cluster, obj.Key())
				case "networkpartition":
					a = addrs.NetworkPartition(cluster, obj.Key())
				case "monitor":
					a = addrs.Monitor(cluster, obj.Key())
				case "resource":
					g := owner[obj.Name+"@"+obj.Key()]
					if g == "" {
						g = "_"
					}
					a = addrs.Resource(g, obj.Name, obj.Key())
				}
				add(a, attrs)
			}
		default:
			// A section the tool does not model still counts: it belongs to the cluster.
			add(clusterAddr, flatten(sec, sec.Name+"."))
		}
	}
	if _, ok := objs[clusterAddr]; !ok {
		objs[clusterAddr] = map[string]string{}
	}
	return objs
}

// resourceOwners maps "type@name" to the group listing it as a member.
func resourceOwners(root *clpconf.Element) map[string]string {
	m := map[string]string{}
	for _, g := range root.ChildrenNamed("group") {
		for _, r := range g.ChildrenNamed("resource") {
			m[r.Key()] = g.Key()
		}
	}
	return m
}

// flatten turns an element's subtree into "a.b[key].c = text" pairs. Repeated unkeyed siblings
// are numbered in document order, because for them order is the meaning (ping targets).
func flatten(e *clpconf.Element, prefix string) map[string]string {
	out := map[string]string{}
	var walk func(e *clpconf.Element, p string)
	walk = func(e *clpconf.Element, p string) {
		for _, a := range e.Attrs {
			if a.Name != "name" && a.Name != "id" {
				out[p+"@"+a.Name] = a.Value
			}
		}
		if len(e.Children) == 0 {
			if p != "" {
				out[strings.TrimSuffix(p, ".")] = strings.TrimSpace(e.Text)
			}
			return
		}
		seen := map[string]int{}
		count := map[string]int{}
		for _, c := range e.Children {
			count[c.Name]++
		}
		for _, c := range e.Children {
			seg := c.Name
			switch {
			case c.Key() != "":
				seg += "[" + c.Key() + "]"
			case count[c.Name] > 1:
				seg += fmt.Sprintf("[%d]", seen[c.Name])
				seen[c.Name]++
			}
			if ignoredPaths[p+seg] {
				continue
			}
			walk(c, p+seg+".")
		}
	}
	walk(e, prefix)
	return out
}

// scriptOwner maps a script file of the configuration directory to the object it belongs to.
func scriptOwner(cluster, path string) addrs.Address {
	parts := strings.Split(path, "/")
	if len(parts) >= 4 && parts[0] == "scripts" && parts[1] == "monitor.s" {
		return addrs.Monitor(cluster, parts[2])
	}
	if len(parts) >= 4 && parts[0] == "scripts" {
		return addrs.Resource(parts[1], "exec", parts[2])
	}
	return addrs.Cluster(cluster)
}
