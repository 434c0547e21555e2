package transport

import "testing"

func TestDisplayFor(t *testing.T) {
	clpcl := NodePath(`C:\Program Files\EXPRESSCLUSTER\bin\clpcl.exe`)
	staged := NodePath(`C:\Program Files\EXPRESSCLUSTER\work\cluster\staged`)
	tests := []struct {
		name  string
		c     Command
		shell string
		want  string
	}{
		{"cmd", Cmd(clpcl, "--suspend"), ShellCmd, `"C:\Program Files\EXPRESSCLUSTER\bin\clpcl.exe" --suspend`},
		{"cmd path argument", Cmd(clpcl, "-x", staged), ShellCmd, `"C:\Program Files\EXPRESSCLUSTER\bin\clpcl.exe" -x "C:\Program Files\EXPRESSCLUSTER\work\cluster\staged"`},
		{"powershell", Cmd(clpcl, "--suspend"), ShellPowerShell, `& 'C:\Program Files\EXPRESSCLUSTER\bin\clpcl.exe' '--suspend'`},
		{"posix", Cmd(NodePath("/usr/sbin/clpcl"), "--suspend", "a b"), ShellPosix, `/usr/sbin/clpcl --suspend 'a b'`},
		{"posix by default", Cmd(clpcl, "--suspend"), "", `'C:\Program Files\EXPRESSCLUSTER\bin\clpcl.exe' --suspend`},
		{"POSIX-only command on cmd", Cmd("rm", "-f", NodePath("/x")), ShellCmd, `rm -f /x`},
		{"refused argument on cmd", Cmd(clpcl, "a\nb"), ShellCmd, Cmd(clpcl, "a\nb").Display()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.DisplayFor(tt.shell); got != tt.want {
				t.Errorf("DisplayFor(%q) = %s\nwant %s", tt.shell, got, tt.want)
			}
		})
	}
}
