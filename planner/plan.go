package planner

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/clusterctl/cluster/hcl/addrs"
)

// FormatVersion is the version of the Plan model a plan file records. A saved plan of another
// version is refused: the tool that reads it could misunderstand it.
const FormatVersion = "1"

// Plan is everything `cluster plan` decided, as pure data: it is rendered by views, saved to a
// plan file, compared with a fresh plan before a saved plan is applied, and executed by apply.
// It holds no connections and no functions.
type Plan struct {
	FormatVersion string
	CreatedAt     time.Time
	ConfigDir     string
	// ConfigFingerprint identifies the configuration and variable values the plan was made from.
	ConfigFingerprint string
	// ConfigFiles maps the name of each configuration file in ConfigDir to "sha256:<hex>" of its
	// content, so that a saved plan finds a moved checkout and names the file that changed.
	// Plans saved before it was recorded leave it empty.
	ConfigFiles map[string]string
	// ConfigDirArg is the configuration directory as it was given to plan ("." or "web"),
	// relative to plan's working directory: apply looks there from its own working directory
	// when ConfigDir is gone.
	ConfigDirArg string
	// Flags are the plan-shaping command-line flags plan ran with besides the targets and
	// variables ("--allow-group-moves", "--resync=sv1"): apply of the saved plan uses them again.
	Flags []string
	// Variables are the effective input values; a sensitive one has Sensitive set and Raw nil.
	Variables map[string]Value
	// Targets are the --target addresses, as typed; empty means everything.
	Targets []string
	// Observed maps a node address to a fingerprint of what was read from it while planning.
	Observed map[string]string
	// Changes are sorted by address (see Sort).
	Changes     []Change
	Diagnostics []Diagnostic
	// Errored is set when planning failed part way: the changes are incomplete and the plan must
	// not be applied.
	Errored bool
}

// Change is what the plan does to one addressed object, and why.
type Change struct {
	Addr   addrs.Address
	Action Action
	// Unit is the unit the object belongs to (cluster.web): a cluster, a scan host, a node's
	// status files, a server group. Plan files written before it was recorded leave it empty.
	Unit addrs.Address
	// Attrs are the attribute-level differences, sorted by name.
	Attrs []AttrChange
	// Texts are whole files (scripts) that change; they are rendered as unified diffs.
	Texts []TextDiff
	// Drift reports nodes whose observed state differs from their peers or from the last apply.
	Drift []NodeDrift
	// Operations are the steps apply will take, in order.
	Operations []Operation
	// Reason explains an action that is not obvious from the attributes (e.g. why a replace).
	Reason string
	// HeldBack marks a change this apply leaves undone on purpose (a server-group member whose
	// node cannot take a sync now): the plan still shows and counts it, so that
	// --detailed-exitcode keeps reporting it, but apply does not count it as made.
	HeldBack bool
}

// AttrChange is one attribute's value before (observed) and after (desired). An absent Before
// means the attribute is added, an absent After that it is removed.
type AttrChange struct {
	Name          string
	Before, After Value
}

// TextDiff is a file whose content changes, e.g. a start script.
type TextDiff struct {
	Path          string
	Before, After string
	// Sensitive hides the content everywhere: the plan file and every view. Redacted clears it.
	Sensitive bool
	// Charset is the charset Before and After are in ("" and "UTF-8": UTF-8), for display
	// only: views decode each line from it and never show raw bytes; the bytes stay as they
	// are (package charset names).
	Charset string
}

// NodeDrift says that one node's observed state is not what the configuration expects, while
// other nodes differ from it otherwise (or not at all): its own diff, from the node's values to
// the configuration's.
type NodeDrift struct {
	Node    string // node address, e.g. cluster.web.node.sv3
	Summary string
	Details []string
	// Texts are the node's files that differ from the configuration's, as unified diffs.
	Texts []TextDiff
}

// Operation is one step of the apply sequence.
type Operation struct {
	Node string // node address the step runs on
	Step string // human description: "suspend the cluster"
	// Command is the rendered command, for the reader; it must never hold a secret.
	Command string
}

// Severity values of a Diagnostic.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Diagnostic is a problem found while planning, attached to an address when there is one.
type Diagnostic struct {
	Severity string // SeverityError or SeverityWarning
	Summary  string
	Detail   string
	Addr     string
}

// HasChanges reports whether applying the plan would do anything.
func (p *Plan) HasChanges() bool {
	return slices.ContainsFunc(p.Changes, func(c Change) bool { return c.Action != NoOp })
}

// Counts returns the summary figures of the plan. A replace counts as one add and one destroy.
func (p *Plan) Counts() (add, change, destroy int) { return CountChanges(p.Changes) }

// AppliedCounts counts what a complete apply of p changes: Counts without the held-back
// changes, and how many of those there are.
func (p *Plan) AppliedCounts() (add, change, destroy, heldBack int) {
	var done []Change
	for _, c := range p.Changes {
		if c.HeldBack && c.Action != NoOp {
			heldBack++
			continue
		}
		done = append(done, c)
	}
	add, change, destroy = CountChanges(done)
	return add, change, destroy, heldBack
}

// CountChanges counts changes as Plan.Counts does.
func CountChanges(changes []Change) (add, change, destroy int) {
	for _, c := range changes {
		switch c.Action {
		case Create:
			add++
		case Update:
			change++
		case Delete:
			destroy++
		case Replace:
			add++
			destroy++
		}
	}
	return add, change, destroy
}

// Sort puts the plan in its canonical order: changes by address, and inside each change the
// attributes by name, texts by path and drift by node. Operations keep their order: it is the
// order apply runs them in.
func (p *Plan) Sort() {
	slices.SortStableFunc(p.Changes, func(a, b Change) int { return cmp.Compare(a.Addr.String(), b.Addr.String()) })
	for i := range p.Changes {
		c := &p.Changes[i]
		slices.SortStableFunc(c.Attrs, func(a, b AttrChange) int { return cmp.Compare(a.Name, b.Name) })
		slices.SortStableFunc(c.Texts, func(a, b TextDiff) int { return cmp.Compare(a.Path, b.Path) })
		slices.SortStableFunc(c.Drift, func(a, b NodeDrift) int { return cmp.Compare(a.Node, b.Node) })
	}
}

// Redacted returns a deep copy of p in which no sensitive value survives: every sensitive
// Value has a nil Raw and every sensitive text is emptied. The plan file and the JSON view only
// ever see a redacted plan.
func (p *Plan) Redacted() Plan {
	r := *p
	r.Targets = slices.Clone(p.Targets)
	r.ConfigFiles = maps.Clone(p.ConfigFiles)
	r.Flags = slices.Clone(p.Flags)
	r.Observed = maps.Clone(p.Observed)
	r.Diagnostics = slices.Clone(p.Diagnostics)
	if p.Variables != nil {
		r.Variables = make(map[string]Value, len(p.Variables))
		for k, v := range p.Variables {
			r.Variables[k] = v.redacted()
		}
	}
	if p.Changes != nil {
		r.Changes = make([]Change, len(p.Changes))
		for i, c := range p.Changes {
			r.Changes[i] = c.redacted()
		}
	}
	return r
}

func (c Change) redacted() Change {
	r := c
	if c.Attrs != nil {
		r.Attrs = make([]AttrChange, len(c.Attrs))
		for i, a := range c.Attrs {
			r.Attrs[i] = AttrChange{Name: a.Name, Before: a.Before.redacted(), After: a.After.redacted()}
		}
	}
	r.Texts = redactedTexts(c.Texts)
	if c.Drift != nil {
		r.Drift = make([]NodeDrift, len(c.Drift))
		for i, d := range c.Drift {
			d.Details = slices.Clone(d.Details)
			d.Texts = redactedTexts(d.Texts)
			r.Drift[i] = d
		}
	}
	r.Operations = slices.Clone(c.Operations)
	return r
}

// redactedTexts copies texts, emptying the sensitive ones.
func redactedTexts(texts []TextDiff) []TextDiff {
	out := slices.Clone(texts)
	for i := range out {
		if out[i].Sensitive {
			out[i].Before, out[i].After = "", ""
		}
	}
	return out
}

// Value is one attribute or variable value. Raw holds exactly one of string, int64, bool,
// []string or map[string]string; nil means the attribute is absent. Build values with String,
// Int, Bool, List and Map.
type Value struct {
	Raw       any
	Sensitive bool
}

// ValueType names the kind of Go value a Value holds; it is recorded in the plan file so that a
// value reads back with its exact type.
type ValueType string

const (
	TypeNull   ValueType = "null"
	TypeString ValueType = "string"
	TypeInt    ValueType = "int"
	TypeBool   ValueType = "bool"
	TypeList   ValueType = "list"
	TypeMap    ValueType = "map"
)

// String, Int, Bool, List and Map build a non-sensitive Value. List and Map copy their input.
func String(s string) Value { return Value{Raw: s} }
func Int(i int64) Value     { return Value{Raw: i} }
func Bool(b bool) Value     { return Value{Raw: b} }
func List(items ...string) Value {
	if items == nil {
		items = []string{}
	}
	return Value{Raw: slices.Clone(items)}
}
func Map(m map[string]string) Value {
	if m == nil {
		m = map[string]string{}
	}
	return Value{Raw: maps.Clone(m)}
}

// Sensitive returns v marked sensitive: it renders as (sensitive) and is never saved.
func Sensitive(v Value) Value { v.Sensitive = true; return v }

// Type reports what Raw holds, or "" when it holds an unsupported type (a programming error the
// plan file writer refuses).
func (v Value) Type() ValueType {
	switch v.Raw.(type) {
	case nil:
		return TypeNull
	case string:
		return TypeString
	case int64:
		return TypeInt
	case bool:
		return TypeBool
	case []string:
		return TypeList
	case map[string]string:
		return TypeMap
	}
	return ""
}

// IsNull reports whether the value is absent. A redacted sensitive value is null too.
func (v Value) IsNull() bool { return v.Raw == nil }

// Equal reports whether two values are the same, sensitivity included.
func (v Value) Equal(o Value) bool {
	if v.Sensitive != o.Sensitive || v.Type() != o.Type() {
		return false
	}
	switch x := v.Raw.(type) {
	case []string:
		return slices.Equal(x, o.Raw.([]string))
	case map[string]string:
		return maps.Equal(x, o.Raw.(map[string]string))
	}
	return v.Raw == o.Raw
}

// String renders the value in HCL syntax: "text", 42, true, ["a", "b"], { k = "v" }; an absent
// value is null and a sensitive one is (sensitive), whatever it holds.
func (v Value) String() string {
	if v.Sensitive {
		return "(sensitive)"
	}
	switch x := v.Raw.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		return strconv.FormatBool(x)
	case []string:
		q := make([]string, len(x))
		for i, s := range x {
			q[i] = strconv.Quote(s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	case map[string]string:
		if len(x) == 0 {
			return "{}"
		}
		keys := slices.Sorted(maps.Keys(x))
		q := make([]string, len(keys))
		for i, k := range keys {
			q[i] = hclKey(k) + " = " + strconv.Quote(x[k])
		}
		return "{ " + strings.Join(q, ", ") + " }"
	}
	return fmt.Sprintf("(unsupported %T)", v.Raw)
}

func (v Value) redacted() Value {
	if v.Sensitive {
		return Value{Sensitive: true}
	}
	switch x := v.Raw.(type) {
	case []string:
		v.Raw = slices.Clone(x)
	case map[string]string:
		v.Raw = maps.Clone(x)
	}
	return v
}

// hclKey quotes a map key unless it is a plain identifier.
func hclKey(k string) string {
	for i, r := range k {
		letter := r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || !(r == '-' || r >= '0' && r <= '9')) {
			return strconv.Quote(k)
		}
	}
	if k == "" {
		return `""`
	}
	return k
}

// Equivalent reports whether two plans would make the same changes, and if not, the first
// difference in words. shown is the plan the user saw (a saved plan), now the plan computed at
// apply time; apply of a saved plan proceeds only when they are equivalent, so it does exactly
// what was shown.
//
// Only the changes are compared, in their redacted and canonical form: CreatedAt, observation
// fingerprints and diagnostics may differ, and no-op changes are ignored. Because sensitive
// values are never saved, a change in a sensitive value alone is not detected here; the
// configuration fingerprint is what guards against it.
func Equivalent(shown, now *Plan) (bool, string) {
	if shown == nil || now == nil {
		if shown == now {
			return true, ""
		}
		return false, "one of the two plans is missing"
	}
	a, b := actionable(shown), actionable(now)
	for i, j := 0, 0; i < len(a) || j < len(b); {
		switch {
		case j == len(b) || i < len(a) && a[i].Addr.String() < b[j].Addr.String():
			return false, fmt.Sprintf("%s: the shown plan would %s it; it no longer needs changes", a[i].Addr, a[i].Action)
		case i == len(a) || b[j].Addr.String() < a[i].Addr.String():
			return false, fmt.Sprintf("%s: now %s, which the shown plan did not include", b[j].Addr, b[j].Action.Verb())
		}
		if d := changeDifference(&a[i], &b[j]); d != "" {
			return false, a[i].Addr.String() + ": " + d
		}
		i++
		j++
	}
	return true, ""
}

// actionable returns the redacted, sorted changes of p that do something.
func actionable(p *Plan) []Change {
	r := p.Redacted()
	r.Sort()
	return slices.DeleteFunc(r.Changes, func(c Change) bool { return c.Action == NoOp })
}

// changeDifference describes the first difference between two changes of the same address, or
// returns "".
func changeDifference(a, b *Change) string {
	if a.Action != b.Action {
		return fmt.Sprintf("action was %s, now %s", a.Action, b.Action)
	}
	if a.Reason != b.Reason {
		return fmt.Sprintf("reason was %q, now %q", a.Reason, b.Reason)
	}
	if a.HeldBack != b.HeldBack {
		return fmt.Sprintf("held back was %t, now %t", a.HeldBack, b.HeldBack)
	}
	if d := firstDifference(a.Attrs, b.Attrs, "attribute", func(x AttrChange) string { return x.Name },
		func(x, y AttrChange) string {
			if x.Before.Equal(y.Before) && x.After.Equal(y.After) {
				return ""
			}
			return fmt.Sprintf("was %s -> %s, now %s -> %s", x.Before, x.After, y.Before, y.After)
		}); d != "" {
		return d
	}
	if d := firstDifference(a.Texts, b.Texts, "file", func(x TextDiff) string { return x.Path },
		func(x, y TextDiff) string {
			switch {
			case x.Sensitive != y.Sensitive:
				return "sensitivity differs"
			case x.Before != y.Before:
				return "observed content differs"
			case x.After != y.After:
				return "desired content differs"
			}
			return ""
		}); d != "" {
		return d
	}
	if d := firstDifference(a.Drift, b.Drift, "drift on node", func(x NodeDrift) string { return x.Node },
		func(x, y NodeDrift) string {
			if x.Summary != y.Summary || !slices.Equal(x.Details, y.Details) || !slices.Equal(x.Texts, y.Texts) {
				return fmt.Sprintf("was %q, now %q", x.Summary, y.Summary)
			}
			return ""
		}); d != "" {
		return d
	}
	for k := 0; k < max(len(a.Operations), len(b.Operations)); k++ {
		switch {
		case k == len(a.Operations):
			return fmt.Sprintf("operation %d (%s) was not in the shown plan", k+1, b.Operations[k].describe())
		case k == len(b.Operations):
			return fmt.Sprintf("operation %d (%s) is no longer needed", k+1, a.Operations[k].describe())
		case a.Operations[k] != b.Operations[k]:
			return fmt.Sprintf("operation %d was %s, now %s", k+1, a.Operations[k].describe(), b.Operations[k].describe())
		}
	}
	return ""
}

func (o Operation) describe() string {
	s := fmt.Sprintf("[%s] %s", o.Node, o.Step)
	if o.Command != "" {
		s += " (" + o.Command + ")"
	}
	return s
}

// firstDifference walks two lists sorted by key and describes the first element present in only
// one of them or different in both.
func firstDifference[T any](a, b []T, noun string, key func(T) string, differ func(x, y T) string) string {
	for i, j := 0, 0; i < len(a) || j < len(b); {
		switch {
		case j == len(b) || i < len(a) && key(a[i]) < key(b[j]):
			return fmt.Sprintf("%s %s was in the shown plan, now unchanged", noun, key(a[i]))
		case i == len(a) || key(b[j]) < key(a[i]):
			return fmt.Sprintf("%s %s now changes, which the shown plan did not include", noun, key(b[j]))
		}
		if d := differ(a[i], b[j]); d != "" {
			return fmt.Sprintf("%s %s %s", noun, key(a[i]), d)
		}
		i++
		j++
	}
	return ""
}
