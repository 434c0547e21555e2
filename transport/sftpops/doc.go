// Package sftpops does the file work a Windows node needs over SFTP
// (github.com/pkg/sftp): read files and trees, stat, write a file atomically, create a
// file exclusively (locks), remove, make and remove directories, copy a tree aside.
//
// Paths are SFTP paths. Win32-OpenSSH's sftp-server names "C:\Program Files\X" as
// "/C:/Program Files/X" (PowerShell/openssh-portable contrib/win32/win32compat/misc.c,
// realpath: "/x:/users/test1 format"); WindowsToSFTP and SFTPToWindows convert. Any other
// SFTP server (OpenSSH's internal-sftp on Linux, used by the tests) takes its own paths
// unchanged.
//
// The server facts the operations are built around are listed, with sources, in
// docs/windows-transport.md.
package sftpops
