package wincmd

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/transport/winquote"
)

// The tool's quoter (transport/winquote) and this emulation of cmd.exe were written apart, each
// from the public sources: every argument list the quoter accepts must reach the program exactly,
// as the lab's cmd.exe splits it. A disagreement is a bug in one of the two models.
func TestQuoterAndEmulatedCmdAgree(t *testing.T) {
	const program = `C:\Program Files\EXPRESSCLUSTER\bin\clpstat.exe`
	fixed := [][]string{
		nil,
		{""},
		{"--suspend"},
		{"a b", `c"d`, `e\`, `f\\"g`, `trailing\\`},
		{"%PATH%", "%PATH:a=b%", "100%", "%%", "%=C:%", "!x!", "^", "a^b"},
		{"&", "|", "<", ">", "(", ")", "a&&b", "x||y", "2>&1"},
		{"最高プライオリティサーバで起動中です", "ARMBCAST /MSG \"x\" /A"},
		{`C:\Program Files\EXPRESSCLUSTER\work\cluster\stage`, "-x"},
	}
	pieces := []string{"a", " ", `"`, `\`, `\\`, "%", "%PATH%", "%USERNAME%", "!", "^", "&", "|", "<", ">", "(", ")", "=", "x y", "日本", "\t"}
	rnd := rand.New(rand.NewSource(17))
	for i := 0; i < 2000; i++ {
		args := make([]string, rnd.Intn(4))
		for j := range args {
			var b strings.Builder
			for k := rnd.Intn(6); k >= 0; k-- {
				b.WriteString(pieces[rnd.Intn(len(pieces))])
			}
			args[j] = b.String()
		}
		fixed = append(fixed, args)
	}
	sent := 0
	for _, args := range fixed {
		line, err := winquote.CmdLine(program, args)
		if err != nil {
			continue // refused by the quoter: nothing is sent
		}
		sent++
		n := newTestNode(t, CP437)
		_, stderr, _ := n.run(line)
		if len(n.got) != 1 {
			t.Fatalf("args %q: the emulated cmd.exe ran %d programs for %s\n%s", args, len(n.got), line, stderr)
		}
		got := n.got[0].Args
		if len(got) == 0 && len(args) == 0 {
			continue
		}
		if diff := cmp.Diff(args, got); diff != "" {
			t.Fatalf("args reach the program changed (-sent +received), command %s:\n%s", line, diff)
		}
	}
	// Most lists are accepted (those with a tab are refused): the agreement is not vacuous.
	if sent < len(fixed)/2 {
		t.Errorf("the quoter accepted only %d of %d argument lists", sent, len(fixed))
	}
	t.Logf("%d of %d argument lists sent and received exactly", sent, len(fixed))
}

// The quoter escapes "!" for delayed expansion off only (winquote.CmdLine). On a node with
// delayed expansion on, an argument holding "!" does not arrive as sent, and one holding a
// caret loses it as soon as any argument has a "!": the reason the tool's node check
// (transport/sshnode, checkCmdSetup) refuses such nodes instead of sending.
func TestQuoterIsNotForDelayedExpansion(t *testing.T) {
	const program = `C:\Program Files\EXPRESSCLUSTER\bin\clpstat.exe`
	for _, args := range [][]string{
		{"!OS!"},
		{"a^b", "!USERNAME!"},
		{"最高!OS!です"},
	} {
		line, err := winquote.CmdLine(program, args)
		if err != nil {
			t.Fatal(err)
		}
		n := newTestNode(t, CP437)
		n.sh.Processor.DelayedExpansion = true
		_, stderr, _ := n.run(line)
		if len(n.got) != 1 {
			t.Fatalf("args %q: ran %d programs: %s", args, len(n.got), stderr)
		}
		if cmp.Equal(args, n.got[0].Args) {
			t.Errorf("args %q arrived unchanged with delayed expansion on: the quoter or the emulation changed; revisit checkCmdSetup", args)
		}
	}
}
