package sftpops

import (
	"testing"
)

func TestWindowsSFTPPaths(t *testing.T) {
	tests := []struct{ win, sftp string }{
		{`C:\Program Files\EXPRESSCLUSTER\etc\clp.conf`, "/C:/Program Files/EXPRESSCLUSTER/etc/clp.conf"},
		{`D:\HiOBJ\sts\xodsts1`, "/D:/HiOBJ/sts/xodsts1"},
		{`C:\`, "/C:/"},
		{`c:\スクリプト\start.bat`, "/c:/スクリプト/start.bat"},
	}
	for _, tt := range tests {
		got, err := WindowsToSFTP(tt.win)
		if err != nil || got != tt.sftp {
			t.Errorf("WindowsToSFTP(%s) = %q, %v; want %q", tt.win, got, err, tt.sftp)
		}
		back, err := SFTPToWindows(tt.sftp)
		if err != nil || back != tt.win {
			t.Errorf("SFTPToWindows(%s) = %q, %v; want %q", tt.sftp, back, err, tt.win)
		}
	}
	for _, bad := range []string{`Program Files\x`, `\\server\share\x`, `C:/x`, `C:\a\..\b`, `C:\a\\b`, `C:`, "/C:/x"} {
		if got, err := WindowsToSFTP(bad); err == nil {
			t.Errorf("WindowsToSFTP(%q) = %q, want an error", bad, got)
		}
	}
	for _, bad := range []string{"/tmp/x", "C:/x", "/C:x", `/C:/a\b`, "/1:/x"} {
		if got, err := SFTPToWindows(bad); err == nil {
			t.Errorf("SFTPToWindows(%q) = %q, want an error", bad, got)
		}
	}
	if got, _ := SFTPToWindows("/C:"); got != `C:\` {
		t.Errorf("SFTPToWindows(/C:) = %q", got)
	}
}

func TestSamePath(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"/C:/x/A.txt", "/C:/x/A.txt", true},
		{"/C:/x/A.txt", "/c:/X/a.TXT", true}, // NTFS compares without case
		{"/tmp/A", "/tmp/a", false},          // POSIX does not
		{"/C:/x/a", "/C:/x/b", false},
		{"/C:/x/a.", "/C:/X/A", true},   // Win32 drops trailing dots
		{"/C:/x/a ", "/C:/x/a", true},   // and spaces
		{"/C:/x/./a", "/C:/x//a", true}, // and the paths are cleaned
		{"/tmp/a.", "/tmp/a", false},
	}
	for _, tt := range tests {
		if got := SamePath(tt.a, tt.b); got != tt.want {
			t.Errorf("SamePath(%s, %s) = %v", tt.a, tt.b, got)
		}
	}
}
