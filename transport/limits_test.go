package transport

import (
	"errors"
	"testing"
)

func TestIsDirectoryError(t *testing.T) {
	err := IsDirectoryError("sv1", "/opt/app")
	if !errors.Is(err, ErrIsDirectory) {
		t.Errorf("%v does not match ErrIsDirectory", err)
	}
	if want := "sv1: write /opt/app: the target is a directory, not a file; nothing was written"; err.Error() != want {
		t.Errorf("got %q, want %q", err, want)
	}
}
