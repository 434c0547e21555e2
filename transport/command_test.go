package transport

import (
	"os/exec"
	"testing"
)

func TestQuoteSurvivesTheShell(t *testing.T) {
	for _, s := range []string{"", "plain", "a b", "it's", `"$HOME"`, "`id`", "a;b|c&d", "new\nline", "*?[]", `back\slash`, "$(touch /tmp/x)"} {
		out, err := exec.Command("/bin/sh", "-c", "printf %s "+Quote(s)).Output()
		if err != nil {
			t.Fatalf("sh: %v", err)
		}
		if string(out) != s {
			t.Errorf("Quote(%q) through sh = %q", s, out)
		}
	}
}

func TestNodePathRendering(t *testing.T) {
	cases := map[NodePath]string{
		"/opt/nec/clusterpro/etc/clp.conf":    `"${CLUSTER_NODE_ROOT-}"/opt/nec/clusterpro/etc/clp.conf`,
		`C:\Program Files\EXPRESSCLUSTER\etc`: `"${CLUSTER_NODE_ROOT-}"'/c/Program Files/EXPRESSCLUSTER/etc'`,
		"/tmp/it's":                           `"${CLUSTER_NODE_ROOT-}"'/tmp/it'\''s'`,
	}
	for p, want := range cases {
		if got := p.shell(); got != want {
			t.Errorf("%q renders %s, want %s", p, got, want)
		}
	}
}

func TestNodePathJoin(t *testing.T) {
	if got := NodePath("/opt/x/").Join("etc", "clp.conf"); got != "/opt/x/etc/clp.conf" {
		t.Errorf("got %q", got)
	}
	if got := NodePath(`C:\X`).Join("etc"); got != `C:\X\etc` {
		t.Errorf("got %q", got)
	}
}

func TestCmdString(t *testing.T) {
	c := Cmd(NodePath("/usr/sbin/clpcl"), "--suspend", "a b")
	want := `"${CLUSTER_NODE_ROOT-}"/usr/sbin/clpcl --suspend 'a b'`
	if c.String() != want {
		t.Errorf("got %s", c.String())
	}
}

func TestCmdDisplay(t *testing.T) {
	c := Cmd(NodePath(`C:\Program Files\EXPRESSCLUSTER\bin\clpcl`), "--suspend", "-a")
	want := `'C:\Program Files\EXPRESSCLUSTER\bin\clpcl' --suspend -a`
	if got := c.Display(); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestNodePathDir(t *testing.T) {
	cases := map[NodePath]NodePath{
		"/opt/x/etc/clp.conf": "/opt/x/etc",
		"/opt/x/lock/":        "/opt/x",
		"/opt":                "/",
		`C:\X\etc`:            `C:\X`,
		`C:\X`:                `C:\`,
	}
	for p, want := range cases {
		if got := p.Dir(); got != want {
			t.Errorf("%q.Dir() = %q, want %q", p, got, want)
		}
	}
}

func TestShellScript(t *testing.T) {
	c := Shell(`echo "$1"`, "a b", NodePath("/x"))
	if got := c.String(); got != `sh -c 'echo "$1"' sh 'a b' "${CLUSTER_NODE_ROOT-}"/x` {
		t.Errorf("String() = %s", got)
	}
	script, args, ok := c.ShellScript()
	if !ok || script != `echo "$1"` || len(args) != 2 || args[0] != Lit("a b") || args[1] != NodePath("/x") {
		t.Errorf("ShellScript() = %q, %v, %v", script, args, ok)
	}
	for _, other := range []Command{Cmd("sh", "-c", "true"), Cmd("sh", "-c", NodePath("/s"), "sh"), Cmd("bash", "-c", "true", "sh"), Cmd("true")} {
		if _, _, ok := other.ShellScript(); ok {
			t.Errorf("%s taken for Shell's form", other.String())
		}
	}
}
