package views

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/clusterctl/cluster/planner"
)

// JSONFormatVersion is the version of the machine-readable output documented in
// docs/json-format.md. A consumer should refuse a major version it does not know; fields are
// only ever added within a major version.
const JSONFormatVersion = "1.0"

// NewPlanJSON returns the plan document (show --json): one JSON document per plan, in the
// format documented in docs/json-format.md; plan and apply --json stream lines instead
// (Stream). Sensitive values are null with "sensitive": true; nothing secret reaches the output.
func NewPlanJSON(w io.Writer) PlanView { return &planJSON{w: w} }

type planJSON struct{ w io.Writer }

type jsonPlan struct {
	FormatVersion     string            `json:"format_version"`
	ConfigFingerprint string            `json:"config_fingerprint"`
	Changes           []jsonChange      `json:"changes"`
	Summary           jsonSummary       `json:"summary"`
	Diagnostics       []jsonDiagnostic  `json:"diagnostics"`
	Errored           bool              `json:"errored"`
	Observed          map[string]string `json:"observed"`
}

type jsonChange struct {
	Address    string          `json:"address"`
	Action     planner.Action  `json:"action"`
	Attributes []jsonAttribute `json:"attributes"`
	Texts      []jsonText      `json:"texts"`
	Drift      []jsonDrift     `json:"drift"`
	Operations []jsonOperation `json:"operations"`
	Reason     string          `json:"reason"`
	HeldBack   bool            `json:"held_back"`
}

type jsonAttribute struct {
	Name      string `json:"name"`
	Before    any    `json:"before"`
	After     any    `json:"after"`
	Sensitive bool   `json:"sensitive"`
}

type jsonText struct {
	Path      string `json:"path"`
	Diff      string `json:"diff"`
	Sensitive bool   `json:"sensitive"`
}

type jsonDrift struct {
	Node    string     `json:"node"`
	Summary string     `json:"summary"`
	Details []string   `json:"details"`
	Texts   []jsonText `json:"texts"`
}

type jsonOperation struct {
	Node    string `json:"node"`
	Step    string `json:"step"`
	Command string `json:"command"`
}

type jsonSummary struct {
	Add     int `json:"add"`
	Change  int `json:"change"`
	Destroy int `json:"destroy"`
}

type jsonDiagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	Address  string `json:"address"`
}

func (v *planJSON) Plan(p *planner.Plan) error {
	return writeJSONDocument(v.w, planDocument(p))
}

// planDocument converts a plan to its JSON form. It starts from the redacted plan, so even a
// bug below cannot print a secret.
func planDocument(plan *planner.Plan) jsonPlan {
	p := plan.Redacted()
	add, change, destroy := p.Counts()
	doc := jsonPlan{
		FormatVersion:     JSONFormatVersion,
		ConfigFingerprint: sha256Fingerprint(p.ConfigFingerprint),
		Changes:           make([]jsonChange, 0, len(p.Changes)),
		Summary:           jsonSummary{Add: add, Change: change, Destroy: destroy},
		Diagnostics:       make([]jsonDiagnostic, 0, len(p.Diagnostics)),
		Errored:           p.Errored,
		Observed:          make(map[string]string, len(p.Observed)),
	}
	for node, fp := range p.Observed {
		doc.Observed[node] = sha256Fingerprint(fp)
	}
	for _, c := range p.Changes {
		jc := jsonChange{
			Address:    c.Addr.String(),
			Action:     c.Action,
			Attributes: make([]jsonAttribute, 0, len(c.Attrs)),
			Texts:      make([]jsonText, 0, len(c.Texts)),
			Drift:      make([]jsonDrift, 0, len(c.Drift)),
			Operations: make([]jsonOperation, 0, len(c.Operations)),
			Reason:     c.Reason,
			HeldBack:   c.HeldBack,
		}
		for _, a := range c.Attrs {
			ja := jsonAttribute{Name: a.Name}
			// Both sides are hidden when either is sensitive, so null always means the same
			// thing: absent, or hidden when "sensitive" is true.
			if ja.Sensitive = a.Before.Sensitive || a.After.Sensitive; !ja.Sensitive {
				ja.Before, ja.After = jsonValue(a.Before), jsonValue(a.After)
			}
			jc.Attributes = append(jc.Attributes, ja)
		}
		jc.Texts = append(jc.Texts, jsonTexts(c.Texts)...)
		for _, d := range c.Drift {
			details := d.Details
			if details == nil {
				details = []string{}
			}
			jc.Drift = append(jc.Drift, jsonDrift{Node: d.Node, Summary: d.Summary, Details: details, Texts: jsonTexts(d.Texts)})
		}
		for _, o := range c.Operations {
			jc.Operations = append(jc.Operations, jsonOperation(o))
		}
		doc.Changes = append(doc.Changes, jc)
	}
	for _, d := range p.Diagnostics {
		doc.Diagnostics = append(doc.Diagnostics, jsonDiagnostic{Severity: d.Severity, Summary: d.Summary, Detail: d.Detail, Address: d.Addr})
	}
	return doc
}

// sha256Fingerprint gives a fingerprint the documented "sha256:" prefix. Fingerprints are
// SHA-256 sums in hex; some providers record them prefixed already, and "" stays "".
func sha256Fingerprint(fp string) string {
	if fp == "" || strings.HasPrefix(fp, "sha256:") {
		return fp
	}
	return "sha256:" + fp
}

// jsonValue gives the JSON form of a non-sensitive value: string, number, bool, array of
// strings, object of strings, or null when absent. Lists and maps are never null when present.
func jsonValue(v planner.Value) any {
	switch x := v.Raw.(type) {
	case []string:
		if x == nil {
			return []string{}
		}
	case map[string]string:
		if x == nil {
			return map[string]string{}
		}
	}
	return v.Raw
}

// writeJSONDocument writes one indented JSON document and a newline. HTML escaping is off: commands
// and diffs hold < > & and must read as they are.
func writeJSONDocument(w io.Writer, doc any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("writing JSON output: %w", err)
	}
	return nil
}

// jsonTexts renders changed files as unified diffs; a sensitive file shows no content.
func jsonTexts(texts []planner.TextDiff) []jsonText {
	out := make([]jsonText, 0, len(texts))
	for _, t := range texts {
		jt := jsonText{Path: t.Path, Sensitive: t.Sensitive}
		if !t.Sensitive {
			jt.Diff = formatDiff(textDiff(t))
		}
		out = append(out, jt)
	}
	return out
}
