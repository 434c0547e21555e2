//go:build !unix

package lab

import "github.com/pkg/sftp"

// StatVFS is not emulated where the host has no statfs(2): the request is unsupported.
func (w *winFS) StatVFS(*sftp.Request) (*sftp.StatVFS, error) {
	return nil, sftp.ErrSSHFxOpUnsupported
}
