package statusfile

import "github.com/clusterctl/cluster/transport"

// nodePath is the node path at which an NTFS path (D:\HiOBJ\sts\sts1a, as the definition holds
// it) is reached: the path itself, a transport.NodePath each dialect maps on its own. A POSIX
// node (an MSYS/Cygwin shell on Windows, the POSIX lab) reaches it in MSYS form under the node
// root ("${CLUSTER_NODE_ROOT-}"/d/HiOBJ/sts/sts1a, NodePath.Posix); a cmd or powershell node
// over SFTP in Win32-OpenSSH's form /D:/HiOBJ/sts/sts1a (sftpops.WindowsToSFTP; its sftp-server
// strips the first slash of "/x:..." and hands the rest to _fullpath, openssh-portable
// contrib/win32/win32compat/misc.c realpath), any drive letter alike. Validation admits only
// paths both forms carry unchanged (config.StatusFilePathUsable: drive, backslashes, no
// blanks, no "." or ".."). nodepath_test.go pins both forms.
func nodePath(ntfs string) transport.NodePath { return transport.NodePath(ntfs) }
