package planner

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/addrs"
)

// compareAddrs lets cmp compare addresses, whose field is unexported.
var compareAddrs = cmp.Comparer(func(a, b addrs.Address) bool { return a == b })

const secret = "s3cr3t-Passw0rd"

// samplePlan has one change of every action, a sensitive attribute, a sensitive variable and a
// sensitive text, and is deliberately out of canonical order.
func samplePlan() *Plan {
	return &Plan{
		FormatVersion:     FormatVersion,
		CreatedAt:         time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC),
		ConfigDir:         "/etc/cluster",
		ConfigFingerprint: "sha256:abc",
		ConfigFiles:       map[string]string{"cluster.hcl": "sha256:0f"},
		ConfigDirArg:      "web",
		Flags:             []string{"--allow-group-moves=true"},
		Variables: map[string]Value{
			"hosts":    Map(map[string]string{"sv1": "10.0.0.11"}),
			"password": Sensitive(String(secret)),
			"port":     Int(22),
		},
		Targets:  []string{"cluster.web"},
		Observed: map[string]string{"cluster.web.node.sv1": "sha256:1"},
		Changes: []Change{
			{Addr: addrs.Script("iis"), Action: Update, Texts: []TextDiff{
				{Path: "/opt/b.sh", Before: "b\n", After: "B\n"},
				{Path: "/opt/a.sh", Before: "pw=" + secret + "\n", After: "pw=x\n", Sensitive: true},
			}},
			{Addr: addrs.Cluster("web"), Unit: addrs.Cluster("web"), Action: Update,
				Attrs: []AttrChange{
					{Name: "password", Before: Sensitive(String("old")), After: Sensitive(String(secret))},
					{Name: "comment", Before: String("a"), After: String("b")},
				},
				Drift:      []NodeDrift{{Node: "cluster.web.node.sv3", Summary: "edited", Details: []string{"x"}}, {Node: "cluster.web.node.sv2", Summary: "edited"}},
				Operations: []Operation{{Node: "cluster.web.node.sv1", Step: "suspend"}, {Node: "cluster.web.node.sv1", Step: "push"}},
			},
			{Addr: addrs.Group("old"), Unit: addrs.Cluster("web"), Action: Delete},
			{Addr: addrs.Group("iis"), Action: Replace, Reason: "type changed"},
			{Addr: addrs.Group("new"), Action: Create, Attrs: []AttrChange{{Name: "policy", After: List("sv1", "sv2")}}},
			{Addr: addrs.ServerGroup("web"), Action: NoOp},
		},
		Diagnostics: []Diagnostic{{Severity: SeverityWarning, Summary: "w"}, {Severity: SeverityError, Summary: "e"}},
	}
}

func TestCounts(t *testing.T) {
	tests := map[string]struct {
		actions              []Action
		add, change, destroy int
		hasChanges           bool
	}{
		"empty":           {},
		"only no-ops":     {actions: []Action{NoOp, NoOp}},
		"one of each":     {actions: []Action{Create, Update, Delete, NoOp}, add: 1, change: 1, destroy: 1, hasChanges: true},
		"replace is both": {actions: []Action{Replace}, add: 1, destroy: 1, hasChanges: true},
		"many":            {actions: []Action{Create, Create, Replace, Update, Update, Update}, add: 3, change: 3, destroy: 1, hasChanges: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p := &Plan{}
			for i, a := range tc.actions {
				p.Changes = append(p.Changes, Change{Addr: addrs.Group(string(rune('a' + i))), Action: a})
			}
			add, change, destroy := p.Counts()
			if diff := cmp.Diff([]int{tc.add, tc.change, tc.destroy}, []int{add, change, destroy}); diff != "" {
				t.Errorf("Counts() (-want +got):\n%s", diff)
			}
			if got := p.HasChanges(); got != tc.hasChanges {
				t.Errorf("HasChanges() = %v, want %v", got, tc.hasChanges)
			}
		})
	}
}

func TestSort(t *testing.T) {
	p := samplePlan()
	p.Sort()
	var got []string
	for _, c := range p.Changes {
		got = append(got, c.Addr.String())
	}
	want := []string{"cluster.web", "group.iis", "group.new", "group.old", "script.iis", "server_group.web"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("change order (-want +got):\n%s", diff)
	}
	web := p.Changes[0]
	if web.Attrs[0].Name != "comment" || web.Drift[0].Node != "cluster.web.node.sv2" {
		t.Errorf("attributes or drift not sorted: %+v", web)
	}
	if web.Operations[0].Step != "suspend" {
		t.Errorf("Sort reordered operations: %+v", web.Operations)
	}
	if p.Changes[4].Texts[0].Path != "/opt/a.sh" {
		t.Errorf("texts not sorted: %+v", p.Changes[4].Texts)
	}
}

func TestRedacted(t *testing.T) {
	p := samplePlan()
	r := p.Redacted()

	if got := r.Variables["password"]; got.Raw != nil || !got.Sensitive {
		t.Errorf("sensitive variable survives redaction: %#v", got)
	}
	if got := r.Variables["port"]; !got.Equal(Int(22)) {
		t.Errorf("non-sensitive variable changed: %#v", got)
	}
	pw := r.Changes[1].Attrs[0]
	if pw.Before.Raw != nil || pw.After.Raw != nil || !pw.Before.Sensitive || !pw.After.Sensitive {
		t.Errorf("sensitive attribute survives redaction: %#v", pw)
	}
	if got := r.Changes[1].Attrs[1]; !got.After.Equal(String("b")) {
		t.Errorf("non-sensitive attribute changed: %#v", got)
	}
	if txt := r.Changes[0].Texts[1]; txt.Before != "" || txt.After != "" || !txt.Sensitive {
		t.Errorf("sensitive text survives redaction: %#v", txt)
	}
	if txt := r.Changes[0].Texts[0]; txt.After != "B\n" {
		t.Errorf("non-sensitive text changed: %#v", txt)
	}

	// The copy is deep: editing it leaves the original alone.
	r.Changes[1].Drift[0].Details[0] = "edited copy"
	r.Changes[4].Attrs[0].After.Raw.([]string)[0] = "edited copy"
	r.Targets[0] = "edited copy"
	r.Observed["cluster.web.node.sv1"] = "edited copy"
	if p.Changes[1].Drift[0].Details[0] != "x" || p.Changes[4].Attrs[0].After.Raw.([]string)[0] != "sv1" ||
		p.Targets[0] != "cluster.web" || p.Observed["cluster.web.node.sv1"] != "sha256:1" {
		t.Error("Redacted shares memory with the original plan")
	}
	if p.Variables["password"].Raw != secret {
		t.Error("Redacted cleared the original's sensitive value")
	}
}

func TestValueString(t *testing.T) {
	tests := map[string]struct {
		v    Value
		want string
	}{
		"null":            {Value{}, "null"},
		"string":          {String(`say "hi"`), `"say \"hi\""`},
		"japanese":        {String("クラスタ"), `"クラスタ"`},
		"int":             {Int(-42), "-42"},
		"bool":            {Bool(true), "true"},
		"list":            {List("sv1", "sv2"), `["sv1", "sv2"]`},
		"empty list":      {List(), "[]"},
		"map":             {Map(map[string]string{"b": "2", "a": "1", "odd key": "3"}), `{ a = "1", b = "2", "odd key" = "3" }`},
		"empty map":       {Map(nil), "{}"},
		"sensitive":       {Sensitive(String(secret)), "(sensitive)"},
		"redacted":        {Value{Sensitive: true}, "(sensitive)"},
		"unsupported":     {Value{Raw: 1.5}, "(unsupported float64)"},
		"identifier keys": {Map(map[string]string{"sv-1_a": "x"}), `{ sv-1_a = "x" }`},
	}
	for name, tc := range tests {
		if got := tc.v.String(); got != tc.want {
			t.Errorf("%s: String() = %s, want %s", name, got, tc.want)
		}
	}
}

func TestValueEqual(t *testing.T) {
	tests := map[string]struct {
		a, b Value
		want bool
	}{
		"same string":        {String("a"), String("a"), true},
		"other string":       {String("a"), String("b"), false},
		"int vs string":      {Int(1), String("1"), false},
		"lists":              {List("a", "b"), List("a", "b"), true},
		"list order":         {List("a", "b"), List("b", "a"), false},
		"maps":               {Map(map[string]string{"a": "1"}), Map(map[string]string{"a": "1"}), true},
		"map values":         {Map(map[string]string{"a": "1"}), Map(map[string]string{"a": "2"}), false},
		"null":               {Value{}, Value{}, true},
		"null vs empty list": {Value{}, List(), false},
		"sensitivity":        {String("a"), Sensitive(String("a")), false},
	}
	for name, tc := range tests {
		if got := tc.a.Equal(tc.b); got != tc.want {
			t.Errorf("%s: Equal = %v, want %v", name, got, tc.want)
		}
	}
}

func TestEquivalent(t *testing.T) {
	tests := map[string]struct {
		edit func(p *Plan)
		want string // "" when equivalent; otherwise a fragment of the reason
	}{
		"identical": {func(p *Plan) {}, ""},
		"other time, fingerprints and diagnostics": {func(p *Plan) {
			p.CreatedAt = p.CreatedAt.Add(time.Hour)
			p.Observed = nil
			p.Diagnostics = nil
		}, ""},
		"other order":   {func(p *Plan) { p.Changes[0], p.Changes[2] = p.Changes[2], p.Changes[0] }, ""},
		"no-op dropped": {func(p *Plan) { p.Changes = p.Changes[:5] }, ""},
		"sensitive value alone": {func(p *Plan) {
			p.Changes[1].Attrs[0].After = Sensitive(String("another secret"))
		}, ""},
		"action": {func(p *Plan) { p.Changes[3].Action = Delete }, "group.iis: action was replace, now delete"},
		"reason": {func(p *Plan) { p.Changes[3].Reason = "other" }, `group.iis: reason was "type changed", now "other"`},
		"new change": {func(p *Plan) {
			p.Changes = append(p.Changes, Change{Addr: addrs.Group("zzz"), Action: Create})
		}, "group.zzz: now will be created, which the shown plan did not include"},
		"change gone": {func(p *Plan) { p.Changes = p.Changes[1:] }, "script.iis: the shown plan would update it; it no longer needs changes"},
		"attribute value": {func(p *Plan) { p.Changes[1].Attrs[1].After = String("c") },
			`cluster.web: attribute comment was "a" -> "b", now "a" -> "c"`},
		"attribute added": {func(p *Plan) {
			p.Changes[1].Attrs = append(p.Changes[1].Attrs, AttrChange{Name: "zone", After: String("x")})
		}, "cluster.web: attribute zone now changes"},
		"attribute gone": {func(p *Plan) { p.Changes[1].Attrs = p.Changes[1].Attrs[:1] },
			"cluster.web: attribute comment was in the shown plan, now unchanged"},
		"text":          {func(p *Plan) { p.Changes[0].Texts[0].After = "C\n" }, "script.iis: file /opt/b.sh desired content differs"},
		"text observed": {func(p *Plan) { p.Changes[0].Texts[0].Before = "c\n" }, "script.iis: file /opt/b.sh observed content differs"},
		"drift": {func(p *Plan) { p.Changes[1].Drift[1].Summary = "gone" },
			`cluster.web: drift on node cluster.web.node.sv2 was "edited", now "gone"`},
		"operation": {func(p *Plan) { p.Changes[1].Operations[1].Step = "push twice" },
			"cluster.web: operation 2 was [cluster.web.node.sv1] push, now [cluster.web.node.sv1] push twice"},
		"operation added": {func(p *Plan) {
			p.Changes[1].Operations = append(p.Changes[1].Operations, Operation{Node: "n", Step: "resume", Command: "clpcl --resume"})
		}, "cluster.web: operation 3 ([n] resume (clpcl --resume)) was not in the shown plan"},
		"operation gone": {func(p *Plan) { p.Changes[1].Operations = p.Changes[1].Operations[:1] },
			"cluster.web: operation 2 ([cluster.web.node.sv1] push) is no longer needed"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			shown, now := samplePlan(), samplePlan()
			tc.edit(now)
			same, why := Equivalent(shown, now)
			if tc.want == "" {
				if !same {
					t.Fatalf("not equivalent: %s", why)
				}
				return
			}
			if same {
				t.Fatalf("equivalent, want a difference containing %q", tc.want)
			}
			if !strings.Contains(why, tc.want) {
				t.Errorf("reason %q does not contain %q", why, tc.want)
			}
			if strings.Contains(why, secret) {
				t.Errorf("reason leaks the secret: %q", why)
			}
		})
	}
}

func TestEquivalentNil(t *testing.T) {
	if same, _ := Equivalent(nil, nil); !same {
		t.Error("two nil plans are not equivalent")
	}
	if same, _ := Equivalent(samplePlan(), nil); same {
		t.Error("a plan is equivalent to nil")
	}
}
