package config

import "testing"

// A Windows drive path validates only in the form the SFTP transport can send: ".", ".." and
// empty elements are refused here, not at run time.
func TestWindowsDrivePath(t *testing.T) {
	for p, want := range map[string]bool{
		`C:\Program Files\WSMGR\config`: true,
		`D:\`:                           true,
		`C:\a\..\b`:                     false,
		`C:\a\.\b`:                      false,
		`C:\a\\b`:                       false,
		`C:/a`:                          false,
		`C:a`:                           false,
		`\\server\share`:                false,
	} {
		if got := windowsDrivePath(p); got != want {
			t.Errorf("windowsDrivePath(%q) = %v, want %v", p, got, want)
		}
	}
}
