package statusfile

import (
	"testing"

	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/sftpops"
)

// An NTFS status file path reaches the same file in both dialects: in MSYS form under the
// node root on a POSIX node, as /X:/... over SFTP on a cmd or powershell node. Every drive
// letter is mapped alike.
func TestNodePathInEachDialect(t *testing.T) {
	for _, tc := range []struct{ ntfs, posix, sftp string }{
		{`D:\HiOBJ\sts\sts1a`, `"${CLUSTER_NODE_ROOT-}"/d/HiOBJ/sts/sts1a`, "/D:/HiOBJ/sts/sts1a"},
		{`e:\HiOBJ\STS\sts1b`, `"${CLUSTER_NODE_ROOT-}"/e/HiOBJ/STS/sts1b`, "/e:/HiOBJ/STS/sts1b"},
		{`Z:\x`, `"${CLUSTER_NODE_ROOT-}"/z/x`, "/Z:/x"},
	} {
		p := nodePath(tc.ntfs)
		if got := transport.Cmd(p).String(); got != tc.posix {
			t.Errorf("%s on a POSIX node: %s, want %s", tc.ntfs, got, tc.posix)
		}
		got, err := sftpops.WindowsToSFTP(string(p))
		if err != nil || got != tc.sftp {
			t.Errorf("%s over SFTP: %q, %v; want %q", tc.ntfs, got, err, tc.sftp)
		}
	}
}
