package scripts

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
)

// TestOLTPCleanupBeforeIIS checks seed 001, 1.4.5 on the generated START.BAT: in every path
// that starts IIS, the clean-up lines come right before the first IIS start, and nowhere else
// (not in RECOVER, not in STOP.BAT). The IIS service is declared after another service here, so
// "before the first service" would be wrong.
func TestOLTPCleanupBeforeIIS(t *testing.T) {
	tests := []struct {
		name    string
		oltp    config.WebharmoOLTP
		restart bool
		want    []string
	}{
		{"both features", config.WebharmoOLTP{InstallDir: `C:\WEBharmo`, PartialSend: true, WebFormPrint: true}, false,
			[]string{`rmdir /S /Q C:\WEBharmo\OLTP\TEMP`, `del /S /Q "C:\WEBharmo\OLTP\PRINT\DOC\*.*"`}},
		{"partial send only", config.WebharmoOLTP{InstallDir: `C:\WEBharmo\`, PartialSend: true}, true,
			[]string{`rmdir /S /Q C:\WEBharmo\OLTP\TEMP`}},
		{"web form print only", config.WebharmoOLTP{InstallDir: `E:\Web harmo`, WebFormPrint: true}, false,
			[]string{`del /S /Q "E:\Web harmo\OLTP\PRINT\DOC\*.*"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			oltp := tc.oltp
			s := &config.Script{Addr: addrs.Script("oltp"), Name: "oltp", EnvPrefix: "ARMS", RestartServices: tc.restart,
				Services: []config.ScriptService{{ID: "SQL", Name: "MSSQLSERVER"}, {ID: "WWWService", Name: "W3SVC"}, {ID: "FTPService", Name: "MSFTPSVC"}},
				OLTP:     &oltp}
			start, stop, err := Render(s, config.Windows)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(string(start), "\r\n"), "\r\n")
			var paths int
			for i, ln := range lines {
				if ln != "ARMLOAD WWWService /S W3SVC" {
					continue
				}
				paths++
				if i < len(tc.want)+1 {
					t.Fatalf("line %d: IIS starts before any clean-up could be written", i+1)
				}
				if diff := cmp.Diff(tc.want, lines[i-len(tc.want):i]); diff != "" {
					t.Errorf("before the IIS start at line %d (-want +got):\n%s", i+1, diff)
				}
				if lines[i-len(tc.want)-1] != "ARMLOAD SQL /S MSSQLSERVER" {
					t.Errorf("line %d: the clean-up is not between the other service and IIS: %q", i-len(tc.want), lines[i-len(tc.want)-1])
				}
			}
			if paths != 4 {
				t.Errorf("IIS starts in %d paths, want 4 (START and FAILOVER, home and other)", paths)
			}
			for _, w := range tc.want {
				if n := strings.Count(string(start), w+"\r\n"); n != 4 {
					t.Errorf("%q appears %d times in start.bat, want 4", w, n)
				}
				if strings.Contains(string(stop), w) {
					t.Errorf("stop.bat contains %q", w)
				}
			}
		})
	}
}

// TestOLTPCleanupUnquotable refuses a directory cmd.exe cannot take literally.
func TestOLTPCleanupUnquotable(t *testing.T) {
	s := &config.Script{Addr: addrs.Script("oltp"), Name: "oltp",
		Services: []config.ScriptService{{ID: "WWWService", Name: "W3SVC"}},
		OLTP:     &config.WebharmoOLTP{InstallDir: `C:\%TEMP%`, PartialSend: true}}
	if _, _, err := Render(s, config.Windows); err == nil {
		t.Fatal("Render accepted a WEBharmo directory with %")
	}
}
