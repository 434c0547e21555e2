package opensshtest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// SudoUser is a system user made for one test, to log in to nodes started WithLoginUser and
// act as root through sudo (ssh { become = true }).
type SudoUser struct {
	Name     string
	Password string
}

// AddSudoUser adds a system user with a password and the login shell shell and, when rule or
// defaults are given, the file /etc/sudoers.d/cluster-test-<user> with the rule "<user> <rule>"
// and a "Defaults:<user> <d>" line for each of defaults, checked by visudo. The user, its home
// and the file are removed when the test ends. It needs root and sudo: the test is skipped
// without them, or fails when $CI is set.
func AddSudoUser(t testing.TB, shell, rule string, defaults ...string) SudoUser {
	t.Helper()
	if os.Geteuid() != 0 {
		skipOrFail(t, "adding a login user needs root")
	}
	if _, err := exec.LookPath("sudo"); err != nil {
		skipOrFail(t, "sudo is not installed (make deps installs it)")
	}
	var b [4]byte
	rand.Read(b[:])
	suffix := hex.EncodeToString(b[:])
	u := SudoUser{Name: "clte" + suffix, Password: "Pw-" + suffix + "-sudo"}
	home := filepath.Join(os.TempDir(), u.Name+"-home")
	run(t, "useradd", "--system", "--no-create-home", "--home-dir", home, "--shell", shell, u.Name)
	t.Cleanup(func() {
		os.RemoveAll(home)
		exec.Command("userdel", u.Name).Run()
	})
	if err := os.MkdirAll(home, 0o755); err != nil {
		t.Fatal(err)
	}
	run(t, "chown", u.Name+":", home)
	cmd := exec.Command("chpasswd")
	cmd.Stdin = strings.NewReader(u.Name + ":" + u.Password + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("opensshtest: chpasswd: %v: %s", err, out)
	}
	if rule == "" && len(defaults) == 0 {
		return u
	}
	file := "/etc/sudoers.d/cluster-test-" + u.Name
	var text strings.Builder
	for _, d := range defaults {
		fmt.Fprintf(&text, "Defaults:%s %s\n", u.Name, d)
	}
	if rule != "" {
		fmt.Fprintf(&text, "%s %s\n", u.Name, rule)
	}
	t.Cleanup(func() { os.Remove(file) })
	if err := os.WriteFile(file, []byte(text.String()), 0o440); err != nil {
		t.Fatal(err)
	}
	run(t, "visudo", "-c", "-q", "-f", file)
	return u
}

func run(t testing.TB, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("opensshtest: %s %v: %v: %s", name, args, err, out)
	}
}
