package statusfile

import "github.com/clusterctl/cluster/transport"

// nodePath is the node path at which an NTFS path (D:\HiOBJ\sts\sts1a, as the definition holds
// it) is reached. Today's transports reach a Windows node's drives in their MSYS form
// (/d/HiOBJ/sts/sts1a, transport.NodePath.Posix), and the lab lays them out that way; a
// transport that speaks the Windows dialect changes only this function.
func nodePath(ntfs string) transport.NodePath { return transport.NodePath(ntfs) }
