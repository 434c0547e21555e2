package config

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/clusterctl/cluster/hcl/addrs"
)

// References between objects (cluster = cluster.web, depends_on = [fip.fip1]) are static
// traversals: they are never evaluated, only looked up in the registry of declared objects once
// every block has been decoded. Decoders queue a resolution with l.later.

// later queues fn to run once every object is declared, in the frame it was queued from: the
// same module instance and for_each/count values, and its diagnostics name the module call.
func (l *loader) later(fn func()) {
	ctx, key, mod, call := l.ctx, l.key, l.modPrefix, l.modCall
	l.deferred = append(l.deferred, func() {
		l.ctx, l.key, l.modPrefix, l.modCall = ctx, key, mod, call
		from := len(l.diags)
		fn()
		l.annotateModule(from)
		l.ctx, l.key, l.modPrefix, l.modCall = nil, "", "", nil
	})
}

func (l *loader) resolveReferences() {
	for _, fn := range l.deferred {
		fn()
	}
	l.deferred = nil
}

// ref is one resolved reference and where it was written.
type ref struct {
	obj any
	rng hcl.Range
}

// refQuery says what a reference may name.
type refQuery struct {
	attr    string       // the argument, for messages: "cluster"
	example string       // a correct reference, for messages: "cluster.web"
	kinds   []addrs.Kind // the kinds it may name
	scope   *Group       // a group in which kind.name names a resource of that group
}

// resolve looks up one reference expression; ok is false (with a diagnostic) when it names
// nothing of the wanted kinds.
func (l *loader) resolve(expr hcl.Expression, q refQuery) (ref, bool) {
	rng := expr.Range()
	path, ok := l.refSteps(expr)
	if !ok {
		l.errorf(rng.Ptr(), "Invalid reference",
			"%s must be a reference to an object, such as %s, written without quotes.", q.attr, q.example)
		return ref{}, false
	}
	addr := l.qualify(path, q.scope)
	obj, found := l.objects[addr]
	if !found {
		where := "this configuration"
		if l.modPrefix != "" {
			where = "this module (a module's references stay inside it)"
		}
		l.errorf(rng.Ptr(), "Reference to undeclared object",
			"There is no %s in %s.%s Declare it, or correct the reference.",
			strings.Join(path, "."), where, l.suggestObject(path, q))
		return ref{}, false
	}
	for _, k := range q.kinds {
		if obj.addr.Kind == k {
			return ref{obj: obj.ptr, rng: rng}, true
		}
	}
	nouns := make([]string, len(q.kinds))
	for i, k := range q.kinds {
		nouns[i] = kindNoun(k)
	}
	l.errorf(rng.Ptr(), "Reference of wrong kind",
		"%s is %s, but %s must name %s, such as %s.",
		obj.addr, kindNoun(obj.addr.Kind), q.attr, strings.Join(nouns, " or "), q.example)
	return ref{}, false
}

// resolveList resolves a list of references written as a tuple: [a.b, c.d].
func (l *loader) resolveList(expr hcl.Expression, q refQuery) []ref {
	exprs, diags := hcl.ExprList(expr)
	if diags.HasErrors() {
		l.errorf(expr.Range().Ptr(), "Invalid reference",
			"%s must be a list of references, such as [%s], written without quotes.", q.attr, q.example)
		return nil
	}
	var out []ref
	for _, e := range exprs {
		if r, ok := l.resolve(e, q); ok {
			out = append(out, r)
		}
	}
	return out
}

// qualify turns a reference's steps into the address string it names: in a group, kind.name
// names a resource of that group.
func (l *loader) qualify(path []string, scope *Group) string {
	if scope != nil && len(path) == 2 {
		if _, isResource := resourceSchemas[ResourceKind(path[0])]; isResource {
			return scope.Addr.Child(addrs.KindResource, path[0], path[1]).String()
		}
		// A resource of a vendor type the language does not model (volmgr.volmgr1).
		if a := scope.Addr.Child(addrs.KindResource, path[0], path[1]).String(); l.objects[a].ptr != nil {
			return a
		}
	}
	if l.modPrefix != "" {
		return l.modPrefix + "." + strings.Join(path, ".")
	}
	return strings.Join(path, ".")
}

// suggestObject proposes the declared object of a wanted kind closest to the reference.
func (l *loader) suggestObject(path []string, q refQuery) string {
	var candidates []string
	for _, o := range l.objects {
		if o.addr.ModulePath() != l.modPrefix {
			continue // references stay inside their module
		}
		for _, k := range q.kinds {
			if o.addr.Kind == k {
				candidates = append(candidates, o.addr.Local().String())
			}
		}
	}
	written := strings.Join(path, ".")
	full := l.qualify(path, q.scope)
	if l.modPrefix != "" {
		full = strings.TrimPrefix(full, l.modPrefix+".")
	}
	if full != written { // relative resource reference: suggest in the same relative form
		prefix := q.scope.Addr.Local().String() + "."
		if s := suggest(full, candidates); s != "" && strings.HasPrefix(s, prefix) {
			return fmt.Sprintf(" Did you mean %s?", strings.TrimPrefix(s, prefix))
		}
	}
	sort.Strings(candidates)
	return didYouMean("", written, candidates)
}

// kindNoun names a kind of object in prose.
func kindNoun(k addrs.Kind) string {
	switch k {
	case addrs.KindVariable:
		return "a variable"
	case addrs.KindCluster:
		return "a cluster"
	case addrs.KindClusterNode:
		return "a cluster node"
	case addrs.KindHeartbeat:
		return "a heartbeat"
	case addrs.KindNetworkPartition:
		return "a network partition"
	case addrs.KindMonitor:
		return "a monitor"
	case addrs.KindNode:
		return "a node"
	case addrs.KindGroup:
		return "a group"
	case addrs.KindResource:
		return "a resource"
	case addrs.KindScript:
		return "a script"
	case addrs.KindServerScan:
		return "a server_scan"
	case addrs.KindScanServer:
		return "a scan_server"
	case addrs.KindStatusFile:
		return "a status_file"
	case addrs.KindServerGroup:
		return "a server_group"
	case addrs.KindMember:
		return "a server group member"
	case addrs.KindModule:
		return "a module call"
	}
	return "an object"
}
