// Package views renders what commands produce: diagnostics, plans, apply progress and apply
// results, each as human text and as versioned JSON (docs/json-format.md). Views never decide
// anything; they render the model they are given.
package views
