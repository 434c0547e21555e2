package serverscan

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseListeners(t *testing.T) {
	cases := map[string]struct {
		out    string
		want   []Listener
		wantOK bool
	}{
		"ss with and without process": {
			out: "ss\n" +
				`LISTEN 0      4096       127.0.0.1:20000      0.0.0.0:*    users:(("vkhostd",pid=812,fd=3))` + "\n" +
				"LISTEN 0      128           [::]:22            [::]:*\n" +
				"LISTEN 0      128      127.0.0.53%lo:53       0.0.0.0:*\n",
			want:   []Listener{{Port: 20000, Program: "vkhostd"}, {Port: 22}, {Port: 53}},
			wantOK: true,
		},
		"ss without the state column": {
			out:    "ss\n0 128 *:8080 *:*\n",
			want:   []Listener{{Port: 8080}},
			wantOK: true,
		},
		"ss listing nothing": {out: "ss\n\n", wantOK: true},
		"proc tables, only LISTEN rows": {
			out: "proc /proc/net/tcp\n" +
				"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
				"   0: 0100007F:4E20 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n" +
				"   1: 0100007F:4E20 0100007F:A000 01 00000000:00000000 00:00000000 00000000     0        0 2 1\n" +
				"proc /proc/net/tcp6\n" +
				"   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 0:0 0:0 0 0 0 3 1\n",
			want:   []Listener{{Port: 20000}, {Port: 22}},
			wantOK: true,
		},
		"nothing available": {out: ""},
		"malformed lines are skipped": {
			out:    "ss\nLISTEN 0 1 no-port-here *:*\nLISTEN 0 1 1.2.3.4:http *:*\nLISTEN\n",
			wantOK: true,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, ok := ParseListeners([]byte(tc.out))
			if ok != tc.wantOK {
				t.Errorf("ok = %v, want %v", ok, tc.wantOK)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseProbe(t *testing.T) {
	out := "open 20001 10.0.0.41\nclosed 20001 scan 2.example.com\nunchecked 7 h\nweird 1 h\nopen x h\n"
	want := map[endpoint]string{
		{host: "10.0.0.41", port: 20001}:          probeOpen,
		{host: "scan 2.example.com", port: 20001}: probeClosed,
		{host: "h", port: 7}:                      probeUnchecked,
	}
	if diff := cmp.Diff(want, parseProbe([]byte(out)), cmp.AllowUnexported(endpoint{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestParseServices(t *testing.T) {
	in := "# /etc/services\n" +
		"srvscan_cksrv_m 20133/tcp # Groupmax Server - Scan - Connector\n" +
		"srvscan_cksrv_c\t20134/tcp\n" +
		"vkscan 20001/tcp vk vkalias # aliases count\n" +
		"vkscan 20002/udp\n" +
		"broken\n" +
		"bad x/tcp\n"
	want := map[string][]int{
		"srvscan_cksrv_m": {20133}, "srvscan_cksrv_c": {20134},
		"vkscan": {20001}, "vk": {20001}, "vkalias": {20001},
	}
	if diff := cmp.Diff(want, ParseServices([]byte(in))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
