package transport

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeDf(t *testing.T) {
	const header = "Filesystem     1024-blocks    Used Available Capacity Mounted on\n"
	for name, c := range map[string]struct {
		out     string
		paths   int
		want    []int64
		wantErr bool
	}{
		"two paths":         {header + "/dev/sda1 100 10 90 10% /\nlabdisk 1048576 1048576 0 100% /var/tmp\n", 2, []int64{90 * 1024, 0}, false},
		"mount with spaces": {header + "/dev/sdb1 100 10 7 10% /mnt/my disk\n", 1, []int64{7 * 1024}, false},
		"huge":              {header + "big 1 1 9223372036854775807 1% /\n", 1, []int64{math.MaxInt64 / 1024 * 1024}, false},
		"a row short":       {header + "/dev/sda1 100 10 90 10% /\n", 2, nil, true},
		"not a number":      {header + "/dev/sda1 100 10 lots 10% /\n", 1, nil, true},
		"negative":          {header + "/dev/sda1 100 10 -1 10% /\n", 1, nil, true},
		"cut row":           {header + "/dev/sda1 100 10\n", 1, nil, true},
		"nothing":           {"", 1, nil, true},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := DecodeDf([]byte(c.out), c.paths)
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v, want an error: %v", err, c.wantErr)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// A FreeSpace op is one df over the nearest existing ancestors, decoded into Outcome.Free.
func TestFreeSpaceRendersDfAndDecodes(t *testing.T) {
	op := FreeSpace{Paths: []NodePath{"/var/tmp", `C:\WSMGR`}}
	c, err := PosixCommand(op)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.String(); got != "sh -c "+Quote(freeSpaceScript)+` sh "${CLUSTER_NODE_ROOT-}"/var/tmp "${CLUSTER_NODE_ROOT-}"/c/WSMGR` {
		t.Errorf("rendered %s", got)
	}
	o := posixDecode(op, Result{Stdout: []byte("Filesystem 1024-blocks Used Available Capacity Mounted on\na 1 1 2 1% /\nb 1 1 3 1% /c\n")})
	if o.Err() != nil || !cmp.Equal(o.Free, []int64{2048, 3072}) || o.Stdout != nil {
		t.Errorf("decoded %+v", o)
	}
	if o := posixDecode(op, Result{Stdout: []byte("garbage\n")}); o.Err() == nil {
		t.Errorf("garbage decoded: %+v", o)
	}
}
