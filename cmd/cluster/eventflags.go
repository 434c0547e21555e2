package main

import (
	"fmt"
	"strings"

	"github.com/clusterctl/cluster/simulate"
)

// eventFlag is --fail or --recover: each occurrence appends one event to a list the two flags
// share, so the events keep their command-line order (--fail sv1 --recover sv1 --fail sv2).
type eventFlag struct {
	action simulate.Action
	events *[]simulate.Event
}

func (f eventFlag) String() string { return "" }
func (f eventFlag) Type() string   { return "NODE[,NODE]" }

func (f eventFlag) Set(v string) error {
	var names []string
	for _, n := range strings.Split(v, ",") {
		n = strings.TrimSpace(n)
		if n == "" {
			return fmt.Errorf("empty name in %q", v)
		}
		names = append(names, n)
	}
	*f.events = append(*f.events, simulate.Event{Action: f.action, Names: names})
	return nil
}
