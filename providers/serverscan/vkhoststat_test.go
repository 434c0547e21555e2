package serverscan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/transport"
)

func TestParseHostStat(t *testing.T) {
	cases := map[string]struct {
		out  string
		want HostStat
	}{
		"the seed's two columns": {
			out:  "Host             Status\nWinNT01          ACT\nWinNT02          INACT\n",
			want: HostStat{Header: true, Rows: []StatRow{{"WinNT01", "ACT", 2}, {"WinNT02", "INACT", 3}}},
		},
		"other columns, any widths, right-aligned status": {
			out:  "  Host      Port   Status\n  --------  -----  ------\n  WinNT01   20134     ACT\n  WinNT02   20134   INACT\n",
			want: HostStat{Header: true, Rows: []StatRow{{"WinNT01", "ACT", 3}, {"WinNT02", "INACT", 4}}},
		},
		"status first": {
			out:  "Status Host\nINACT  WinNT01\n",
			want: HostStat{Header: true, Rows: []StatRow{{"WinNT01", "INACT", 2}}},
		},
		"tabs and CRLF": {
			out:  "Host\tStatus\r\nWinNT01\tINACT\r\n",
			want: HostStat{Header: true, Rows: []StatRow{{"WinNT01", "INACT", 2}}},
		},
		"Japanese titles, wide characters count two columns": {
			out:  "ホスト名  状態\nWinNT01   INACT\n",
			want: HostStat{Header: true, Rows: []StatRow{{"WinNT01", "INACT", 2}}},
		},
		"a title line before the header is not a row": {
			out:  "KAVK vkhoststat 06-00\n\nHost     Status\nWinNT01  ACT\n",
			want: HostStat{Header: true, Rows: []StatRow{{"WinNT01", "ACT", 4}}},
		},
		"an unknown word is kept as printed": {
			out:  "Host     Status\nWinNT01  act\nWinNT02  WAIT\n",
			want: HostStat{Header: true, Rows: []StatRow{{"WinNT01", "act", 2}, {"WinNT02", "WAIT", 3}}},
		},
		"a row with nothing under Status, and a server twice": {
			out: "Host     Status\nWinNT01\nWinNT02  INACT\nWinNT02  ACT\n",
			want: HostStat{Header: true, Rows: []StatRow{{"WinNT02", "INACT", 3}},
				Problems: []string{`line 2: "WinNT01" has no value under the Host and Status titles`, "line 4: WinNT02 is already listed on line 3"}},
		},
		"no header: nothing is read": {
			out:  "WinNT01 vkscan 20001 ACT\n",
			want: HostStat{},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, ParseHostStat([]byte(tc.out))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// Every sample of the corpus is read: each names its servers and statuses in its own file
// (SOURCES.md lists where each comes from; all are constructed from the seed's words).
func TestParseHostStatCorpus(t *testing.T) {
	want := map[string][]StatRow{
		"vkhoststat-constructed-one-inact.txt":       {{"WinNT01", "ACT", 2}, {"WinNT02", "INACT", 3}},
		"vkhoststat-constructed-standby.txt":         {{"WinNT01", "ACT", 2}, {"WinNT02", "INACT", 3}, {"WinNT03", "ACT", 4}, {"WinNT04", "ACT", 5}},
		"vkhoststat-constructed-extra-columns.txt":   {{"WinNT01", "ACT", 3}, {"WinNT02", "INACT", 4}},
		"vkhoststat-constructed-status-first.txt":    {{"WinNT01", "INACT", 2}, {"WinNT02", "ACT", 3}},
		"vkhoststat-constructed-japanese-header.txt": {{"WinNT01", "INACT", 2}, {"WinNT02", "ACT", 3}},
	}
	dir := filepath.Join("..", "..", "testdata", "vendor-output", "serverscan")
	files, err := filepath.Glob(filepath.Join(dir, "vkhoststat-*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files in %s (%v)", dir, err)
	}
	sources, err := os.ReadFile(filepath.Join(dir, "SOURCES.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			if !strings.Contains(string(sources), name) {
				t.Errorf("SOURCES.md does not describe %s", name)
			}
			rows, ok := want[name]
			if !ok {
				t.Fatalf("no expectation for %s: add one", name)
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			h, err := ReadStatus(transport.Result{Stdout: data})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(HostStat{Header: true, Rows: rows}, h); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadStatus(t *testing.T) {
	listing := "Host     Status\nWinNT01  INACT\n"
	cases := map[string]struct {
		res     transport.Result
		wantErr string
		exit    int
	}{
		"exit 0":                             {res: transport.Result{Stdout: []byte(listing)}},
		"a listing with a non-zero exit":     {res: transport.Result{Stdout: []byte(listing), ExitCode: 3}, exit: 3},
		"not installed":                      {res: transport.Result{ExitCode: 127}, wantErr: "not installed"},
		"a non-zero exit without a listing":  {res: transport.Result{Stderr: []byte("service stopped\n"), ExitCode: 1}, wantErr: `status 1 and printed no line with the Host and Status titles: "service stopped"`},
		"exit 0 without the Host and Status": {res: transport.Result{Stdout: []byte("Name State\nWinNT01 INACT\n")}, wantErr: "no line with the Host and Status titles"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			h, err := ReadStatus(tc.res)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if h.ExitCode != tc.exit || len(h.Rows) != 1 || !h.Rows[0].Inactive() {
				t.Errorf("got %+v", h)
			}
		})
	}
}
