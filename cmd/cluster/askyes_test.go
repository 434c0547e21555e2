package main

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

// An interrupt at the approval prompt ends the command at once, though nobody answers: the
// caller then releases its node locks instead of holding them until Enter is pressed.
func TestAskYesReturnsOnInterrupt(t *testing.T) {
	never, w := io.Pipe() // a prompt that is never answered
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := &cobra.Command{}
	cmd.SetIn(never)
	cmd.SetOut(io.Discard)
	cmd.SetContext(ctx)
	done := make(chan error, 1)
	go func() { done <- askYes(cmd, "Enter a value: ", "apply cancelled") }()
	cancel()
	select {
	case err := <-done:
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != 1 || !errors.Is(err, context.Canceled) {
			t.Fatalf("askYes = %v, want exit status 1 for the interrupt", err)
		}
		if !strings.Contains(err.Error(), "apply cancelled") {
			t.Errorf("the error %q does not say the apply was cancelled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("askYes still waits for an answer after the interrupt")
	}
}

// The answer still decides when there is no interrupt.
func TestAskYesAnswers(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{{"yes\n", true}, {" yes \n", true}, {"no\n", false}, {"", false}, {"y\n", false}} {
		cmd := &cobra.Command{}
		cmd.SetIn(strings.NewReader(tc.in))
		cmd.SetOut(io.Discard)
		cmd.SetContext(context.Background())
		if err := askYes(cmd, "? ", "cancelled"); (err == nil) != tc.want {
			t.Errorf("answer %q: err = %v, want approved %t", tc.in, err, tc.want)
		}
	}
}
