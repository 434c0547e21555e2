// Package planner holds the plan as pure data and the engine that produces and applies it.
//
// A Provider splits the configuration into Units (a CLUSTERPRO cluster is one unit). The Engine
// connects to every node of the selected units once, observes each node in a single session
// (Unit.ObserveOps, run as one transport.Do: one session), and asks each unit for its share of the
// plan: Unit.Plan is a pure function of the observation. Apply takes the run-wide lock on every
// node of the units it changes, observes again under the lock, refuses when the nodes or the
// plan differ from what was approved (ErrStalePlan), and applies unit by unit, stopping at the
// first failure. Nothing here prints: views render plans and progress.
package planner
