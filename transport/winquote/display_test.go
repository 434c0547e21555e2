package winquote

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/transport/winquote/winparse"
	"github.com/google/go-cmp/cmp"
)

func TestCmdDisplayTable(t *testing.T) {
	const clpcl = `C:\Program Files\EXPRESSCLUSTER\bin\clpcl.exe`
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"plain", []string{"--suspend"}, `"` + clpcl + `" --suspend`},
		{"path", []string{"-x", `C:\Program Files\EXPRESSCLUSTER\work\cluster\staged`}, `"` + clpcl + `" -x "C:\Program Files\EXPRESSCLUSTER\work\cluster\staged"`},
		{"path without blank", []string{`D:\HiOBJ\sts\a.sts`}, `"` + clpcl + `" D:\HiOBJ\sts\a.sts`},
		{"empty", []string{""}, `"` + clpcl + `" ""`},
		{"percent", []string{"%PATH%"}, `"` + clpcl + `" ^"^%^PATH^%^"`},
		{"metachars", []string{"a&b"}, `"` + clpcl + `" "a&b"`},
		{"quote", []string{`a"b`}, `"` + clpcl + `" ^"a\^"b^"`},
		{"blank and trailing backslash", []string{`C:\a b\`}, `"` + clpcl + `" ^"C:\a b\\^"`},
		{"exclamation", []string{"a b!"}, `"` + clpcl + `" ^"a b^!^"`},
		{"japanese", []string{"最高プライオリティ"}, `"` + clpcl + `" 最高プライオリティ`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CmdDisplay(clpcl, tt.args)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("CmdDisplay = %s\nwant         %s", got, tt.want)
			}
		})
	}
}

// The shown line, typed at the node, gives the program the argv the request gives it.
func TestCmdDisplayRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 2))
	forms := map[string]int{}
	defer func() {
		for _, f := range []string{"bare", "plain quotes", "escaped"} {
			if forms[f] == 0 {
				t.Errorf("no argument took the %s form: the round trip does not cover it", f)
			}
		}
	}()
	for i := range 5000 {
		args := randomArgs(r)
		for _, a := range args {
			switch {
			case bareCmdArg(a):
				forms["bare"]++
			case plainQuotedCmdArg(a):
				forms["plain quotes"]++
			default:
				forms["escaped"]++
			}
		}
		shown, err := CmdDisplay(prog, args)
		if err != nil {
			t.Fatalf("CmdDisplay(%q): %v", args, err)
		}
		argv, err := winparse.RunCmd(shown, nodeEnv)
		if err != nil {
			t.Fatalf("case %d: %s: %v", i, shown, err)
		}
		if diff := cmp.Diff(append([]string{prog}, args...), argv); diff != "" {
			t.Fatalf("case %d: %s: argv differs (-want +got):\n%s", i, shown, diff)
		}
	}
}

func TestDisplayRefusesWhatTheRequestRefuses(t *testing.T) {
	if _, err := CmdDisplay(prog, []string{"a\nb"}); err == nil || !strings.Contains(err.Error(), "line break") {
		t.Errorf("CmdDisplay with LF: %v, want the line-break error", err)
	}
	if _, err := PowerShellDisplay(prog, []string{""}); err == nil {
		t.Error("PowerShellDisplay with an empty argument: no error")
	}
}

func TestPowerShellDisplay(t *testing.T) {
	got, err := PowerShellDisplay(`C:\Program Files\EXPRESSCLUSTER\bin\clpcl.exe`, []string{"--suspend"})
	if err != nil {
		t.Fatal(err)
	}
	if want := `& 'C:\Program Files\EXPRESSCLUSTER\bin\clpcl.exe' '--suspend'`; got != want {
		t.Errorf("PowerShellDisplay = %s, want %s", got, want)
	}
}
