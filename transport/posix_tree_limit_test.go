package transport

import (
	"archive/tar"
	"bytes"
	"strings"
	"testing"
)

// A tree stream whose clp.conf header claims more than the limit (a file that grew after the
// node checked it) is refused by its header, without copying the content: here the content is
// not even there. (Moved from the CLUSTERPRO provider, whose own tar reader this replaced.)
func TestDecodeTreeRefusesAnOversizedFileByItsHeader(t *testing.T) {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	if err := tw.WriteHeader(&tar.Header{Name: "etc/clp.conf", Mode: 0o644, Size: 50 << 20, Typeflag: tar.TypeReg}); err != nil {
		t.Fatal(err)
	}
	tw.Flush()
	_, err := DecodeTree(b.Bytes(), map[string]int64{"etc/clp.conf": 16 << 20})
	if err == nil || !strings.Contains(err.Error(), "more than the maximum size") {
		t.Fatalf("DecodeTree = %v, want the size refusal", err)
	}
}
