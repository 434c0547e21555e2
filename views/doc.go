// Package views renders what commands produce: diagnostics, plans, progress (observing nodes,
// apply steps) and apply results, as human text, as a pull-request comment (Markdown), and as
// versioned JSON: the line stream of plan/apply/validate --json (Stream) and the plan document
// of show --json (docs/json-format.md). Views never decide anything; they render the model they
// are given.
package views
