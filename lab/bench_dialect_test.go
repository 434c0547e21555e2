package lab

import (
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// BenchmarkExecByDialect runs one vendor command per op on an open connection, on a POSIX
// node (/bin/sh -c) and on a Windows node (the cmd.exe emulation), to compare what the shell
// costs. clpstat finds no configuration and exits 1 on both: the same emulation work.
func BenchmarkExecByDialect(b *testing.B) {
	for _, tc := range []struct {
		name, command string
		windows       []string
	}{
		{"posix", `"$CLUSTER_NODE_ROOT"/opt/nec/clusterpro/bin/clpstat`, nil},
		{"cmd", `"C:\Program Files\EXPRESSCLUSTER\bin\clpstat.exe"`, []string{"*"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			l, err := StartInProcess(Options{Dir: b.TempDir(), Names: []string{"sv1"}, Binary: clusterBinary, Windows: tc.windows})
			if err != nil {
				b.Fatal(err)
			}
			defer l.Close()
			c, err := dial(b, l, "sv1", clientConfig(b, l.Dir))
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			for b.Loop() {
				s, err := c.NewSession()
				if err != nil {
					b.Fatal(err)
				}
				out, err := s.CombinedOutput(tc.command)
				s.Close()
				if exit, ok := err.(*ssh.ExitError); !ok || exit.ExitStatus() != 1 || !strings.Contains(string(out), "not installed") {
					b.Fatalf("%s: %v %q", tc.command, err, out)
				}
			}
		})
	}
}
