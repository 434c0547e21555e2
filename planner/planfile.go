package planner

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"
	"unicode/utf8"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/internal/atomicfile"
)

// PlanFileVersion is the version of the plan file envelope. ReadPlanFile refuses any other.
const PlanFileVersion = 1

// A plan file is one JSON document:
//
//	{"cluster_plan_file": 1, "plan": {...}, "checksum": "sha256:<hex>"}
//
// "plan" is the redacted plan in the wire form below, and the checksum is the SHA-256 of its
// compact JSON encoding, so whitespace changes do not matter but any other edit or corruption
// does. "config_files", "config_dir_arg" and "flags" are optional: a file saved before they were
// recorded still reads, and apply then finds its configuration in "config_dir" as recorded (a
// relative path: from the working directory). The wire types are separate from the model so the model can evolve while old files
// keep their meaning; a change to them needs a new PlanFileVersion.
type planFile struct {
	Version  *int            `json:"cluster_plan_file"`
	Plan     json.RawMessage `json:"plan"`
	Checksum string          `json:"checksum"`
}

type wirePlan struct {
	FormatVersion     string               `json:"format_version"`
	CreatedAt         time.Time            `json:"created_at"`
	ConfigDir         string               `json:"config_dir"`
	ConfigFingerprint string               `json:"config_fingerprint"`
	ConfigFiles       map[string]string    `json:"config_files,omitempty"`
	ConfigDirArg      string               `json:"config_dir_arg,omitempty"`
	Flags             []string             `json:"flags,omitempty"`
	Variables         map[string]wireValue `json:"variables"`
	Targets           []string             `json:"targets"`
	Observed          map[string]string    `json:"observed"`
	Changes           []wireChange         `json:"changes"`
	Diagnostics       []wireDiagnostic     `json:"diagnostics"`
	Errored           bool                 `json:"errored"`
}

type wireChange struct {
	Addr       string          `json:"address"`
	Unit       string          `json:"unit,omitempty"`
	Action     Action          `json:"action"`
	Attrs      []wireAttr      `json:"attributes,omitempty"`
	Texts      []wireText      `json:"texts,omitempty"`
	Drift      []wireDrift     `json:"drift,omitempty"`
	Operations []wireOperation `json:"operations,omitempty"`
	Reason     string          `json:"reason,omitempty"`
	HeldBack   bool            `json:"held_back,omitempty"`
}

type wireAttr struct {
	Name   string    `json:"name"`
	Before wireValue `json:"before"`
	After  wireValue `json:"after"`
}

// wireValue records the type beside the value so that an int64 reads back as an int64 (JSON
// numbers are floats) and a list as []string. A redacted sensitive value has no type or value.
type wireValue struct {
	Type      ValueType       `json:"type,omitempty"`
	Value     json.RawMessage `json:"value,omitempty"`
	Sensitive bool            `json:"sensitive,omitempty"`
}

// wireText is a TextDiff in the plan file. JSON strings hold UTF-8 only, and a script kept in
// the cluster's charset (SJIS, EUC-JP) is not UTF-8: encoding.Marshal would replace its bytes
// with U+FFFD and the applied plan would no longer match the one shown. Such a text travels as
// base64 (Encoding "base64", both sides), every other as plain strings.
type wireText struct {
	Path      string `json:"path"`
	Encoding  string `json:"encoding,omitempty"`
	Before    string `json:"before"`
	After     string `json:"after"`
	Sensitive bool   `json:"sensitive,omitempty"`
	Charset   string `json:"charset,omitempty"`
}

const textBase64 = "base64"

func textToWire(t TextDiff) wireText {
	w := wireText{Path: t.Path, Before: t.Before, After: t.After, Sensitive: t.Sensitive, Charset: t.Charset}
	if !utf8.ValidString(t.Before) || !utf8.ValidString(t.After) {
		w.Encoding = textBase64
		w.Before = base64.StdEncoding.EncodeToString([]byte(t.Before))
		w.After = base64.StdEncoding.EncodeToString([]byte(t.After))
	}
	return w
}

func textFromWire(w wireText) (TextDiff, error) {
	t := TextDiff{Path: w.Path, Before: w.Before, After: w.After, Sensitive: w.Sensitive, Charset: w.Charset}
	switch w.Encoding {
	case "":
		return t, nil
	case textBase64:
		before, err := base64.StdEncoding.DecodeString(w.Before)
		if err != nil {
			return t, fmt.Errorf("file %s: before: %w", w.Path, err)
		}
		after, err := base64.StdEncoding.DecodeString(w.After)
		if err != nil {
			return t, fmt.Errorf("file %s: after: %w", w.Path, err)
		}
		t.Before, t.After = string(before), string(after)
		return t, nil
	}
	return t, fmt.Errorf("file %s: unknown encoding %q", w.Path, w.Encoding)
}

type wireDrift struct {
	Node    string     `json:"node"`
	Summary string     `json:"summary"`
	Details []string   `json:"details,omitempty"`
	Texts   []wireText `json:"texts,omitempty"`
}

type wireOperation struct {
	Node    string `json:"node"`
	Step    string `json:"step"`
	Command string `json:"command,omitempty"`
}

type wireDiagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail,omitempty"`
	Addr     string `json:"address,omitempty"`
}

// WritePlanFile saves the redacted p at path, readable by its owner only (0600). The write is
// atomic: the file is written under a temporary name in the same directory, synced, then renamed,
// so path holds either the previous file or the complete new one.
func WritePlanFile(path string, p *Plan) error {
	data, err := encodePlanFile(p)
	if err != nil {
		return fmt.Errorf("saving plan to %s: %w", path, err)
	}
	if err := atomicfile.Write(path, data, 0o600); err != nil {
		return fmt.Errorf("saving plan to %s: %w", path, err)
	}
	return nil
}

// ReadPlanFile loads a plan saved by WritePlanFile. It refuses a file of another version, one
// whose checksum does not match (corrupted or edited) and a plan of another FormatVersion.
func ReadPlanFile(path string) (*Plan, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading plan file: %w", err)
	}
	p, err := decodePlanFile(data)
	if err != nil {
		return nil, fmt.Errorf("reading plan file %s: %w", path, err)
	}
	return p, nil
}

func encodePlanFile(p *Plan) ([]byte, error) {
	r := p.Redacted()
	if r.FormatVersion == "" {
		r.FormatVersion = FormatVersion
	}
	w, err := toWire(&r)
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(w)
	if err != nil {
		return nil, fmt.Errorf("encoding plan: %w", err)
	}
	version := PlanFileVersion
	out, err := json.MarshalIndent(planFile{Version: &version, Plan: body, Checksum: checksum(body)}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding plan file: %w", err)
	}
	return append(out, '\n'), nil
}

func decodePlanFile(data []byte) (*Plan, error) {
	var f planFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("not a cluster plan file: %w", err)
	}
	switch {
	case f.Version == nil:
		return nil, errors.New(`not a cluster plan file: no "cluster_plan_file" version`)
	case *f.Version != PlanFileVersion:
		return nil, fmt.Errorf("plan file version %d is not supported by this version of cluster (it reads version %d); run cluster plan again", *f.Version, PlanFileVersion)
	case len(f.Plan) == 0:
		return nil, errors.New("the plan file holds no plan")
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, f.Plan); err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	if got := checksum(compact.Bytes()); got != f.Checksum {
		return nil, fmt.Errorf("the plan file is corrupted or was edited: checksum is %s, the file records %q", got, f.Checksum)
	}
	var w wirePlan
	if err := json.Unmarshal(compact.Bytes(), &w); err != nil {
		return nil, fmt.Errorf("decoding plan: %w", err)
	}
	if w.FormatVersion != FormatVersion {
		return nil, fmt.Errorf("the plan has format version %q; this version of cluster reads %q: run cluster plan again", w.FormatVersion, FormatVersion)
	}
	return fromWire(&w)
}

func checksum(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

func toWire(p *Plan) (*wirePlan, error) {
	w := &wirePlan{
		FormatVersion:     p.FormatVersion,
		CreatedAt:         p.CreatedAt,
		ConfigDir:         p.ConfigDir,
		ConfigFingerprint: p.ConfigFingerprint,
		ConfigFiles:       p.ConfigFiles,
		ConfigDirArg:      p.ConfigDirArg,
		Flags:             p.Flags,
		Variables:         make(map[string]wireValue, len(p.Variables)),
		Targets:           p.Targets,
		Observed:          p.Observed,
		Errored:           p.Errored,
	}
	for name, v := range p.Variables {
		wv, err := valueToWire(v)
		if err != nil {
			return nil, fmt.Errorf("variable %s: %w", name, err)
		}
		w.Variables[name] = wv
	}
	for _, c := range p.Changes {
		wc := wireChange{Addr: c.Addr.String(), Action: c.Action, Reason: c.Reason, HeldBack: c.HeldBack}
		if !c.Unit.IsZero() {
			wc.Unit = c.Unit.String()
		}
		for _, a := range c.Attrs {
			before, err := valueToWire(a.Before)
			if err != nil {
				return nil, fmt.Errorf("%s: attribute %s: %w", c.Addr, a.Name, err)
			}
			after, err := valueToWire(a.After)
			if err != nil {
				return nil, fmt.Errorf("%s: attribute %s: %w", c.Addr, a.Name, err)
			}
			wc.Attrs = append(wc.Attrs, wireAttr{Name: a.Name, Before: before, After: after})
		}
		for _, t := range c.Texts {
			wc.Texts = append(wc.Texts, textToWire(t))
		}
		for _, d := range c.Drift {
			wd := wireDrift{Node: d.Node, Summary: d.Summary, Details: d.Details}
			for _, t := range d.Texts {
				wd.Texts = append(wd.Texts, textToWire(t))
			}
			wc.Drift = append(wc.Drift, wd)
		}
		for _, o := range c.Operations {
			wc.Operations = append(wc.Operations, wireOperation(o))
		}
		w.Changes = append(w.Changes, wc)
	}
	for _, d := range p.Diagnostics {
		w.Diagnostics = append(w.Diagnostics, wireDiagnostic(d))
	}
	return w, nil
}

func fromWire(w *wirePlan) (*Plan, error) {
	p := &Plan{
		FormatVersion:     w.FormatVersion,
		CreatedAt:         w.CreatedAt,
		ConfigDir:         w.ConfigDir,
		ConfigFingerprint: w.ConfigFingerprint,
		ConfigFiles:       w.ConfigFiles,
		ConfigDirArg:      w.ConfigDirArg,
		Flags:             w.Flags,
		Targets:           w.Targets,
		Observed:          w.Observed,
		Errored:           w.Errored,
	}
	if len(w.Variables) > 0 {
		p.Variables = make(map[string]Value, len(w.Variables))
	}
	for name, wv := range w.Variables {
		v, err := valueFromWire(wv)
		if err != nil {
			return nil, fmt.Errorf("variable %s: %w", name, err)
		}
		p.Variables[name] = v
	}
	for _, wc := range w.Changes {
		addr, err := addrs.Parse(wc.Addr)
		if err != nil {
			return nil, fmt.Errorf("change: %w", err)
		}
		if !wc.Action.Valid() {
			return nil, fmt.Errorf("%s: unknown action %q", wc.Addr, wc.Action)
		}
		c := Change{Addr: addr, Action: wc.Action, Reason: wc.Reason, HeldBack: wc.HeldBack}
		if wc.Unit != "" {
			if c.Unit, err = addrs.Parse(wc.Unit); err != nil {
				return nil, fmt.Errorf("%s: unit: %w", wc.Addr, err)
			}
		}
		for _, a := range wc.Attrs {
			before, err := valueFromWire(a.Before)
			if err != nil {
				return nil, fmt.Errorf("%s: attribute %s: %w", wc.Addr, a.Name, err)
			}
			after, err := valueFromWire(a.After)
			if err != nil {
				return nil, fmt.Errorf("%s: attribute %s: %w", wc.Addr, a.Name, err)
			}
			c.Attrs = append(c.Attrs, AttrChange{Name: a.Name, Before: before, After: after})
		}
		for _, wt := range wc.Texts {
			t, err := textFromWire(wt)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", wc.Addr, err)
			}
			c.Texts = append(c.Texts, t)
		}
		for _, wd := range wc.Drift {
			d := NodeDrift{Node: wd.Node, Summary: wd.Summary, Details: wd.Details}
			for _, wt := range wd.Texts {
				t, err := textFromWire(wt)
				if err != nil {
					return nil, fmt.Errorf("%s: drift on %s: %w", wc.Addr, wd.Node, err)
				}
				d.Texts = append(d.Texts, t)
			}
			c.Drift = append(c.Drift, d)
		}
		for _, o := range wc.Operations {
			c.Operations = append(c.Operations, Operation(o))
		}
		p.Changes = append(p.Changes, c)
	}
	for _, d := range w.Diagnostics {
		p.Diagnostics = append(p.Diagnostics, Diagnostic(d))
	}
	return p, nil
}

func valueToWire(v Value) (wireValue, error) {
	if v.Sensitive {
		return wireValue{Sensitive: true}, nil // the value itself never reaches a file
	}
	t := v.Type()
	switch t {
	case "":
		return wireValue{}, fmt.Errorf("unsupported value type %T", v.Raw)
	case TypeNull:
		return wireValue{}, nil
	}
	raw, err := json.Marshal(v.Raw)
	if err != nil {
		return wireValue{}, err
	}
	return wireValue{Type: t, Value: raw}, nil
}

func valueFromWire(w wireValue) (Value, error) {
	if w.Sensitive {
		return Value{Sensitive: true}, nil
	}
	var (
		raw any
		err error
	)
	switch w.Type {
	case "", TypeNull:
		return Value{}, nil
	case TypeString:
		raw, err = unmarshalAs[string](w.Value)
	case TypeInt:
		raw, err = unmarshalAs[int64](w.Value)
	case TypeBool:
		raw, err = unmarshalAs[bool](w.Value)
	case TypeList:
		var l []string
		if l, err = unmarshalAs[[]string](w.Value); l == nil {
			l = []string{}
		}
		raw = l
	case TypeMap:
		var m map[string]string
		if m, err = unmarshalAs[map[string]string](w.Value); m == nil {
			m = map[string]string{}
		}
		raw = m
	default:
		return Value{}, fmt.Errorf("unknown value type %q", w.Type)
	}
	if err != nil {
		return Value{}, fmt.Errorf("%s value: %w", w.Type, err)
	}
	return Value{Raw: raw}, nil
}

func unmarshalAs[T any](data []byte) (T, error) {
	var v T
	if len(data) == 0 {
		return v, errors.New("missing")
	}
	err := json.Unmarshal(data, &v)
	return v, err
}
