package planner

import (
	"errors"
	"fmt"
	"sort"
)

// NodeError is a node that could not be reached or read during a run, with the cause.
type NodeError struct {
	Node string
	Err  error
}

func (e *NodeError) Error() string {
	return fmt.Sprintf("connection to %s failed: %v", e.Node, e.Err)
}

func (e *NodeError) Unwrap() error { return e.Err }

// unobserved returns a NodeError for every node of units whose observation failed, or nil.
func unobserved(units []Unit, obs []Observation) error {
	var errs []error
	seen := map[string]bool{}
	for i := range units {
		nodes := make([]string, 0, len(obs[i].Errors))
		byName := map[string]error{}
		for a, err := range obs[i].Errors {
			nodes = append(nodes, a.String())
			byName[a.String()] = err
		}
		sort.Strings(nodes)
		for _, n := range nodes {
			if !seen[n] {
				seen[n] = true
				errs = append(errs, &NodeError{Node: n, Err: byName[n]})
			}
		}
	}
	return errors.Join(errs...)
}
