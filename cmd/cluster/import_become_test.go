package main

import (
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// import's become flags: the password comes from stdin only, and the flags that need --become
// or --from are refused without them.
func TestImportBecomeSettings(t *testing.T) {
	tests := []struct {
		name          string
		f             importFlags
		stdin         string
		wantErr       string
		wantPassword  string
		wantBecomeSet bool
	}{
		{"off", importFlags{from: "n1"}, "", "", "", false},
		{"on, no password", importFlags{from: "n1", become: true}, "ignored\n", "", "", true},
		{"password from stdin", importFlags{from: "n1", become: true, becomePasswordStdin: true}, "s3cret pw\r\nrest\n", "", "s3cret pw", true},
		{"password, no newline", importFlags{from: "n1", become: true, becomePasswordStdin: true}, "s3cret", "", "s3cret", true},
		{"empty stdin", importFlags{from: "n1", become: true, becomePasswordStdin: true}, "", "holds no password", "", true},
		{"password without --become", importFlags{from: "n1", becomePasswordStdin: true}, "x\n", "need --become", "", false},
		{"--become with --from-file", importFlags{fromFile: "clp.conf", become: true}, "", "use it with --from", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.f
			err := f.becomeSettings(strings.NewReader(tt.stdin), io.Discard)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if (tt.wantErr == "") != (gotErr == "") || !strings.Contains(gotErr, tt.wantErr) {
				t.Fatalf("error %q, want one containing %q", gotErr, tt.wantErr)
			}
			got := []any{f.ssh.BecomePassword, f.ssh.Become != nil && *f.ssh.Become}
			if d := cmp.Diff([]any{tt.wantPassword, tt.wantBecomeSet}, got); d != "" && err == nil {
				t.Errorf("password, become (-want +got):\n%s", d)
			}
		})
	}
}
