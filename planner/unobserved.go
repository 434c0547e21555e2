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

// unobserved returns a NodeError for every node whose observation failed (each unit's in
// turn), or nil.
func unobserved(obs []Observation) error {
	var errs []error
	seen := map[string]bool{}
	for _, o := range obs {
		nodes := make([]string, 0, len(o.Errors))
		byName := map[string]error{}
		for a, err := range o.Errors {
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
