package clusterpro

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/transport"
)

// The suspension record's ordering guarantees, on a real /bin/sh: suspend runs clpcl --suspend
// only once the record is written, and resume removes the record only when clpcl --resume
// succeeded. clpcl here is a stand-in script that logs its call and exits with the status
// each case gives it.
func TestSuspensionRecordOrdering(t *testing.T) {
	for name, c := range map[string]struct {
		run          func(u *unit) []step
		clpclExit    string
		recordBefore bool
		blockRecord  bool // a directory in the record's place: writing it fails
		wantRecord   bool
		wantClpcl    bool
		wantErr      bool
	}{
		"suspend writes the record, then suspends": {
			run: func(u *unit) []step { return []step{{name: "suspend", ops: u.l.suspend()}} }, clpclExit: "0",
			wantRecord: true, wantClpcl: true,
		},
		"suspend that cannot write the record never suspends": {
			run: func(u *unit) []step { return []step{{name: "suspend", ops: u.l.suspend()}} }, clpclExit: "0",
			blockRecord: true, wantRecord: true, wantErr: true,
		},
		"a failed suspend keeps the record": {
			run: func(u *unit) []step { return []step{{name: "suspend", ops: u.l.suspend()}} }, clpclExit: "3",
			wantRecord: true, wantClpcl: true, wantErr: true,
		},
		"resume removes the record": {
			run: func(u *unit) []step { return []step{{name: "resume", ops: u.l.resume()}} }, clpclExit: "0",
			recordBefore: true, wantClpcl: true,
		},
		"a failed resume keeps the record": {
			run: func(u *unit) []step { return []step{{name: "resume", ops: u.l.resume()}} }, clpclExit: "1",
			recordBefore: true, wantRecord: true, wantClpcl: true, wantErr: true,
		},
	} {
		t.Run(name, func(t *testing.T) {
			u, n := backupNode(t)
			bin := filepath.Join(n.Root, "opt/nec/clusterpro/bin")
			os.MkdirAll(bin, 0o755)
			script := "#!/bin/sh\necho \"$@\" >>\"$CLUSTER_NODE_ROOT/clpcl.log\"\nexit " + c.clpclExit + "\n"
			if err := os.WriteFile(filepath.Join(bin, "clpcl"), []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			record := filepath.Join(n.Root, "opt/nec/clusterpro/work/cluster/suspended")
			os.MkdirAll(filepath.Dir(record), 0o755)
			if c.recordBefore {
				os.WriteFile(record, nil, 0o644)
			}
			if c.blockRecord {
				os.MkdirAll(filepath.Join(record, "x"), 0o755)
			}
			var err error
			for _, s := range c.run(u) {
				if err = u.do(context.Background(), n, addrs.ClusterNode("web", "sv1"), s, nil); err != nil {
					break
				}
			}
			if (err != nil) != c.wantErr {
				t.Errorf("error %v, want an error: %v", err, c.wantErr)
			}
			_, statErr := os.Stat(record)
			if got := statErr == nil; got != c.wantRecord {
				t.Errorf("record present: %v, want %v", got, c.wantRecord)
			}
			_, logErr := os.Stat(filepath.Join(n.Root, "clpcl.log"))
			if got := logErr == nil; got != c.wantClpcl {
				t.Errorf("clpcl ran: %v, want %v", got, c.wantClpcl)
			}
		})
	}
}

// A resume that exits non-zero keeps the suspension record even when clpstat then shows every
// server Online: no public source shows how clpstat displays a suspended cluster, so Online is
// no proof that the resume took. The apply reports the failure and the next plan resumes again.
func TestFailedResumeKeepsRecordWhateverClpstatShows(t *testing.T) {
	u, n := backupNode(t)
	bin := filepath.Join(n.Root, "opt/nec/clusterpro/bin")
	os.MkdirAll(bin, 0o755)
	for name, script := range map[string]string{
		"clpcl":   "#!/bin/sh\nexit 1\n",
		"clpstat": "#!/bin/sh\nprintf ' Cluster : web\\n <server>\\n  *sv1 ..........: Online\\n   sv2 ..........: Online\\n'\n",
	} {
		if err := os.WriteFile(filepath.Join(bin, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	record := filepath.Join(n.Root, "opt/nec/clusterpro/work/cluster/suspended")
	os.MkdirAll(filepath.Dir(record), 0o755)
	os.WriteFile(record, nil, 0o644)
	sv1 := addrs.ClusterNode("web", "sv1")
	rs := runStates{suspended: []addrs.Address{sv1}}
	st := &unitState{seq: seqResume, master: sv1, steps: u.steps(seqResume, sv1, rs)}
	err := u.run(context.Background(), st, map[addrs.Address]transport.Node{sv1: n}, nil)
	if err == nil {
		t.Error("a failed clpcl --resume was not reported")
	}
	if _, statErr := os.Stat(record); statErr != nil {
		t.Errorf("the suspension record was removed after a failed resume: %v", statErr)
	}
}
