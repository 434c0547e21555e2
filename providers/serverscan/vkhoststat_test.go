package serverscan

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseHostStat(t *testing.T) {
	cases := map[string]struct {
		out  string
		want HostStat
	}{
		"lab output": {
			out: "Host             Service          Port   Status\n" +
				"WinNT01          vkscan           9000   ACT\n" +
				"WinNT02          vkscan           9000   INACT\n",
			want: HostStat{Rows: []StatRow{
				{Name: "WinNT01", Service: "vkscan", Port: 9000, Status: "ACT", Line: 2},
				{Name: "WinNT02", Service: "vkscan", Port: 9000, Status: "INACT", Line: 3},
			}},
		},
		"tabs, CRLF, separator line and trailing blank": {
			out:  "Host\tService\tPort\tStatus\r\n----\t-------\t----\t------\r\nWinNT01\tvkscan\t9000\tACT\r\n\r\n",
			want: HostStat{Rows: []StatRow{{Name: "WinNT01", Service: "vkscan", Port: 9000, Status: "ACT", Line: 3}}},
		},
		"extra columns after the status": {
			out:  "Host Service Port Status Since Files\nWinNT01 vkscan 9000 ACT 10:00 12\n",
			want: HostStat{Rows: []StatRow{{Name: "WinNT01", Service: "vkscan", Port: 9000, Status: "ACT", Line: 2}}},
		},
		"columns in another order": {
			out:  "Status Host Port\nINACT WinNT01 9000\n",
			want: HostStat{Rows: []StatRow{{Name: "WinNT01", Port: 9000, Status: "INACT", Line: 2}}},
		},
		"no header: documented column order": {
			out:  "WinNT01 vkscan 9000 ACT\n",
			want: HostStat{Rows: []StatRow{{Name: "WinNT01", Service: "vkscan", Port: 9000, Status: "ACT", Line: 1}}},
		},
		"unknown status word is kept as printed": {
			out: "Host Service Port Status\nWinNT01 vkscan 9000 WAIT\nWinNT02 vkscan 9000 act\n",
			want: HostStat{Rows: []StatRow{
				{Name: "WinNT01", Service: "vkscan", Port: 9000, Status: "WAIT", Line: 2},
				{Name: "WinNT02", Service: "vkscan", Port: 9000, Status: "act", Line: 3},
			}},
		},
		"short row and bad port are problems": {
			out: "Host Service Port Status\nWinNT01 vkscan\nWinNT02 vkscan x ACT\n",
			want: HostStat{
				Rows: []StatRow{{Name: "WinNT02", Service: "vkscan", Status: "ACT", Line: 3}},
				Problems: []string{
					`line 2: "WinNT01 vkscan" has 2 fields, a server row needs 4`,
					`line 3: port "x" of WinNT02 is not a number`,
				},
			},
		},
		"server listed twice": {
			out: "WinNT01 vkscan 9000 ACT\nWinNT01 vkscan 9000 INACT\n",
			want: HostStat{
				Rows:     []StatRow{{Name: "WinNT01", Service: "vkscan", Port: 9000, Status: "ACT", Line: 1}},
				Problems: []string{"line 2: WinNT01 is already listed on line 1"},
			},
		},
		"garbage":      {out: "Segmentation fault\n", want: HostStat{Problems: []string{`line 1: "Segmentation fault" has 2 fields, a server row needs 4`}}},
		"empty output": {out: ""},
		"a server named like a column is a row": {
			out:  "Host Service Port Status\nserver vkscan 9000 ACT\n",
			want: HostStat{Rows: []StatRow{{Name: "server", Service: "vkscan", Port: 9000, Status: "ACT", Line: 2}}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := ParseHostStat([]byte(tc.out))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestStatRowKnownIsExact(t *testing.T) {
	for status, want := range map[string]bool{"ACT": true, "INACT": true, "act": false, "ACTIVE": false, "": false} {
		if got := (StatRow{Status: status}).Known(); got != want {
			t.Errorf("Known(%q) = %v, want %v", status, got, want)
		}
	}
}
