package views

import (
	"fmt"
	"io"

	"github.com/hashicorp/hcl/v2"
)

// WriteDiagnostics renders diagnostics as Terraform does: severity, summary, the source lines
// with the subject underlined (from files), and the detail wrapped at width columns (0: no
// wrapping). Colour is for terminals only; the caller decides (--no-color, NO_COLOR).
func WriteDiagnostics(w io.Writer, files map[string]*hcl.File, diags hcl.Diagnostics, color bool, width uint) error {
	if len(diags) == 0 {
		return nil
	}
	if err := writeDiagnosticsText(w, files, diags, color, width); err != nil {
		return fmt.Errorf("writing diagnostics: %w", err)
	}
	return nil
}

// JSONDiagnostic is a configuration diagnostic in the machine-readable output (the "diagnostic"
// object of a stream's diagnostic message).
type JSONDiagnostic struct {
	Severity string     `json:"severity"` // "error" | "warning"
	Summary  string     `json:"summary"`
	Detail   string     `json:"detail"`
	Range    *JSONRange `json:"range,omitempty"` // absent when the problem has no source location
}

// JSONRange is a source range: file name and start/end positions.
type JSONRange struct {
	Filename string  `json:"filename"`
	Start    JSONPos `json:"start"`
	End      JSONPos `json:"end"`
}

// JSONPos is a position in a source file: 1-based line and column (in characters), 0-based byte.
type JSONPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

// DiagnosticsJSON converts diagnostics to their JSON form; the result is never nil, so that it
// marshals as [] rather than null.
func DiagnosticsJSON(diags hcl.Diagnostics) []JSONDiagnostic {
	out := make([]JSONDiagnostic, 0, len(diags))
	for _, d := range diags {
		jd := JSONDiagnostic{Severity: severityName(d.Severity), Summary: d.Summary, Detail: d.Detail}
		if d.Subject != nil {
			jd.Range = &JSONRange{
				Filename: d.Subject.Filename,
				Start:    JSONPos{Line: d.Subject.Start.Line, Column: d.Subject.Start.Column, Byte: d.Subject.Start.Byte},
				End:      JSONPos{Line: d.Subject.End.Line, Column: d.Subject.End.Column, Byte: d.Subject.End.Byte},
			}
		}
		out = append(out, jd)
	}
	return out
}

// countDiagnostics counts errors and warnings.
func countDiagnostics(diags hcl.Diagnostics) (errors, warnings int) {
	for _, d := range diags {
		switch d.Severity {
		case hcl.DiagError:
			errors++
		case hcl.DiagWarning:
			warnings++
		}
	}
	return errors, warnings
}

func severityName(s hcl.DiagnosticSeverity) string {
	if s == hcl.DiagWarning {
		return "warning"
	}
	return "error"
}
