package transport

import (
	"fmt"
	"io/fs"
)

// ModeFromUnix converts a Unix st_mode's permission bits (with setuid, setgid, sticky) to an
// fs.FileMode; the file type bits are dropped.
func ModeFromUnix(v uint32) fs.FileMode {
	m := fs.FileMode(v & 0o777)
	if v&0o4000 != 0 {
		m |= fs.ModeSetuid
	}
	if v&0o2000 != 0 {
		m |= fs.ModeSetgid
	}
	if v&0o1000 != 0 {
		m |= fs.ModeSticky
	}
	return m
}

// FormatMode renders m's permission bits in octal, for chmod: the inverse of ModeFromUnix.
func FormatMode(m fs.FileMode) string {
	v := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		v |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		v |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		v |= 0o1000
	}
	return fmt.Sprintf("%04o", v)
}
