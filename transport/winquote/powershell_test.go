package winquote

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/transport/winquote/winparse"
	"github.com/google/go-cmp/cmp"
)

// parsePSInvocation reads back `& 'p' 'a' ...; exit $LASTEXITCODE`: the single-quoted
// literals, with a doubled quote character (any of psSingleQuotes) as one.
func parsePSInvocation(script string) ([]string, error) {
	rest, ok := strings.CutPrefix(script, "& ")
	if !ok {
		return nil, fmt.Errorf("no call operator: %s", script)
	}
	rest, ok = strings.CutSuffix(rest, "; exit $LASTEXITCODE")
	if !ok {
		return nil, fmt.Errorf("no exit: %s", script)
	}
	r := []rune(rest)
	var out []string
	for i := 0; i < len(r); {
		if r[i] == ' ' && len(out) > 0 {
			i++
		}
		if i >= len(r) || !strings.ContainsRune(psSingleQuotes, r[i]) {
			return nil, fmt.Errorf("expected a quote at %d in %s", i, rest)
		}
		i++
		var b strings.Builder
		for {
			if i >= len(r) {
				return nil, fmt.Errorf("unterminated literal in %s", rest)
			}
			if strings.ContainsRune(psSingleQuotes, r[i]) {
				if i+1 < len(r) && strings.ContainsRune(psSingleQuotes, r[i+1]) {
					b.WriteRune(r[i])
					i += 2
					continue
				}
				i++
				break
			}
			b.WriteRune(r[i])
			i++
		}
		out = append(out, b.String())
	}
	return out, nil
}

// legacyNativeCommandLine models Windows PowerShell 5.1's command line for a native
// program (PowerShell/PowerShell#1995): an argument with whitespace is wrapped in double
// quotes, nothing is escaped, empty arguments are dropped.
func legacyNativeCommandLine(argv []string) string {
	parts := []string{`"` + argv[0] + `"`}
	for _, a := range argv[1:] {
		switch {
		case a == "":
		case strings.ContainsAny(a, " \t"):
			parts = append(parts, `"`+a+`"`)
		default:
			parts = append(parts, a)
		}
	}
	return strings.Join(parts, " ")
}

// psRoundTrip: OpenSSH's argv conversion, powershell.exe's own argument split (C runtime
// rules), the PowerShell literals, the legacy native command line, the program's split.
func psRoundTrip(t *testing.T, req string) []string {
	t.Helper()
	shell := `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`
	line := winparse.OpenSSHSpawnCommandLine(shell, []string{"-c", req})
	psArgv := winparse.CommandLineToArgv(line)
	if len(psArgv) != 3 || psArgv[1] != "-c" || psArgv[2] != req {
		t.Fatalf("powershell.exe got %q from %s, want [shell -c %q]", psArgv, line, req)
	}
	argv, err := parsePSInvocation(psArgv[2])
	if err != nil {
		t.Fatal(err)
	}
	return winparse.CommandLineToArgv(legacyNativeCommandLine(argv))
}

func TestPowerShellLineTable(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"plain", []string{"--suspend"}, `& '` + prog + `' '--suspend'; exit $LASTEXITCODE`},
		{"single quote", []string{"it's"}, `& '` + prog + `' 'it''s'; exit $LASTEXITCODE`},
		{"smart quote", []string{"a\u2019b"}, "& '" + prog + "' 'a\u2019\u2019b'; exit $LASTEXITCODE"},
		{"dollar backtick", []string{"$env:PATH", "`n", "$(whoami)"}, ""},
		{"cmd specials", []string{"%PATH%", "a&b|c<d>e^f!"}, ""},
		{"space", []string{"a b", "C:\\Program Files\\x"}, ""},
		{"backslash no space", []string{`C:\dir\`, `\\server\share\`}, ""},
		{"japanese", []string{"最高プライオリティサーバで起動中です"}, ""},
		{"semicolon", []string{"a;b", "--%"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := PowerShellLine(prog, tt.args)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want != "" && req != tt.want {
				t.Errorf("PowerShellLine = %s\nwant           %s", req, tt.want)
			}
			if diff := cmp.Diff(append([]string{prog}, tt.args...), psRoundTrip(t, req)); diff != "" {
				t.Errorf("argv (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPowerShellLineRefuses(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"empty", []string{"a", ""}, "argument 2 is empty"},
		{"double quote", []string{`a"b`}, "argument 1 contains a double quote"},
		{"space and trailing backslash", []string{`C:\a b\`}, "ends in a backslash"},
		{"LF", []string{"a\nb"}, "line break"},
		{"NUL", []string{"a\x00"}, "NUL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := PowerShellLine(prog, tt.args)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestPowerShellLineRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 2))
	accepted := 0
	for range 20000 {
		args := randomArgs(r)
		req, err := PowerShellLine(prog, args)
		if err != nil {
			continue
		}
		accepted++
		if diff := cmp.Diff(append([]string{prog}, args...), psRoundTrip(t, req)); diff != "" {
			t.Fatalf("request %s: argv (-want +got):\n%s", req, diff)
		}
	}
	if accepted < 2000 {
		t.Fatalf("only %d of 20000 random argument lists accepted", accepted)
	}
}
