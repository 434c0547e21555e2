package main

import (
	"testing"

	"github.com/spf13/pflag"

	"github.com/clusterctl/cluster/simulate"
)

// --fail and --recover share one list, so the steps keep their command-line order.
func TestEventFlagsKeepTheirOrder(t *testing.T) {
	var events []simulate.Event
	fs := pflag.NewFlagSet("simulate", pflag.ContinueOnError)
	fs.Var(eventFlag{simulate.Fail, &events}, "fail", "")
	fs.Var(eventFlag{simulate.Recover, &events}, "recover", "")
	if err := fs.Parse([]string{"--fail", "sv1, sv2", "--recover", "sv1", "--fail=sts1:B"}); err != nil {
		t.Fatal(err)
	}
	if got, want := simulate.Describe(events), "sv1, sv2 fail, then sv1 recover, then sts1:B fail"; got != want {
		t.Errorf("events: %q, want %q", got, want)
	}
	if err := fs.Parse([]string{"--fail", "sv1,,sv2"}); err == nil {
		t.Error("an empty name was accepted")
	}
}
