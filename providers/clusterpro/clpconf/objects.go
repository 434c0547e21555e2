package clpconf

const (
	resourceSection = "resource"
	monitorSection  = "monitor"
)

// Resource is a group resource: <resource><T name> with its settings.
type Resource struct {
	Type    string // fip, vip, disk, md, regsync, service, exec, ...
	Name    string
	Comment string
	// Params are every other leaf below the element (parameters/..., act/..., server[x]/...).
	Params []Param
	// Depends are the resources that must start first (<depend name>).
	Depends []string
}

// Resources returns the resources in document order.
func (d *Document) Resources() []Resource {
	var out []Resource
	for _, el := range d.typedObjects(resourceSection) {
		r := Resource{Type: el.Name, Name: el.Key()}
		r.Comment, _ = el.Value("comment")
		skip := map[string]bool{"comment": true}
		for _, dep := range el.ChildrenNamed("depend") {
			r.Depends = append(r.Depends, dep.Key())
			skip["depend["+dep.Key()+"]"] = true
		}
		r.Params = leaves(el, skip)
		out = append(out, r)
	}
	return out
}

// AddResource appends a resource, declaring its type: comment, then Params in order, then
// one <depend name> per dependency.
func (d *Document) AddResource(r Resource) {
	el := d.addTyped(resourceSection, r.Type, r.Name)
	el.Set("comment", r.Comment)
	setParams(el, r.Params)
	for _, dep := range r.Depends {
		el.Ensure("depend[" + dep + "]")
	}
}

// Monitor is a monitor resource: <monitor><T name>.
type Monitor struct {
	Type    string // userw, ipw, fipw, diskw, mdw, servicew, genw, ...
	Name    string
	Comment string
	// Target is the resource whose activation starts the monitor ("" = always monitored).
	Target string
	// Relation is the recovery target.
	Relation Relation
	// Params are every other leaf below the element (polling/..., parameters/...,
	// emergency/...).
	Params []Param
}

// Relation is a monitor's recovery target: <relation><type> cls|grp|rsc and <name>.
type Relation struct {
	Type string
	Name string
}

// LocalServer is the relation of cluster-wide monitors (userw): recover on the local server.
func LocalServer() Relation { return Relation{Type: "cls", Name: "LocalServer"} }

// Monitors returns the monitors in document order.
func (d *Document) Monitors() []Monitor {
	var out []Monitor
	for _, el := range d.typedObjects(monitorSection) {
		m := Monitor{Type: el.Name, Name: el.Key()}
		m.Comment, _ = el.Value("comment")
		m.Target, _ = el.Value("target")
		m.Relation.Type, _ = el.Value("relation/type")
		m.Relation.Name, _ = el.Value("relation/name")
		m.Params = leaves(el, map[string]bool{
			"comment": true, "target": true, "relation/type": true, "relation/name": true,
		})
		out = append(out, m)
	}
	return out
}

// AddMonitor appends a monitor, declaring its type: comment, target, relation, then Params.
func (d *Document) AddMonitor(m Monitor) {
	el := d.addTyped(monitorSection, m.Type, m.Name)
	el.Set("comment", m.Comment)
	el.Set("target", m.Target)
	el.Set("relation/type", m.Relation.Type)
	el.Set("relation/name", m.Relation.Name)
	setParams(el, m.Params)
}
