package sshnode

import (
	"errors"
	"fmt"
	"io"
	"syscall"
	"testing"
)

func TestDroppedEarlyIsRetriedButRefusalsAreNot(t *testing.T) {
	cases := map[string]struct {
		err   error
		retry bool
	}{
		"closed during the handshake": {fmt.Errorf("ssh handshake with h:22: %w", io.EOF), true},
		"reset during the handshake":  {fmt.Errorf("ssh handshake with h:22: %w", syscall.ECONNRESET), true},
		"unknown host key":            {&HostKeyError{Kind: HostKeyUnknown, Host: "h:22"}, false},
		"rejected credentials":        {&AuthError{User: "u", Host: "h:22", Err: io.EOF}, false},
		"protocol error":              {errors.New("ssh: no common algorithm for key exchange"), false},
	}
	for name, tc := range cases {
		if got := droppedEarly(tc.err); got != tc.retry {
			t.Errorf("%s: droppedEarly = %v, want %v", name, got, tc.retry)
		}
	}
}
