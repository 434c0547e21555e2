package planner

// Action is what a plan will do to one object. The string values are part of the plan file and
// the JSON output formats: never change them, only add.
type Action string

const (
	// NoOp: the object already matches the configuration.
	NoOp Action = "no-op"
	// Create: the object does not exist on its nodes yet.
	Create Action = "create"
	// Update: the object exists and is changed in place.
	Update Action = "update"
	// Delete: the object exists but is no longer configured.
	Delete Action = "delete"
	// Replace: the object cannot be changed in place; it is removed, then created again.
	Replace Action = "replace"
)

// Actions lists every action, in the order plan summaries present them.
func Actions() []Action { return []Action{Create, Update, Replace, Delete, NoOp} }

// Valid reports whether a is one of the declared actions; a plan file holding anything else is
// rejected rather than guessed at.
func (a Action) Valid() bool {
	switch a {
	case NoOp, Create, Update, Delete, Replace:
		return true
	}
	return false
}

// Symbol is the marker shown before an object in a rendered plan, Terraform style.
func (a Action) Symbol() string {
	switch a {
	case Create:
		return "+"
	case Update:
		return "~"
	case Delete:
		return "-"
	case Replace:
		return "-/+"
	}
	return " "
}

// Verb completes the sentence "<address> ..." in prose: "cluster.web will be created".
func (a Action) Verb() string {
	switch a {
	case Create:
		return "will be created"
	case Update:
		return "will be updated in-place"
	case Delete:
		return "will be destroyed"
	case Replace:
		return "must be replaced"
	}
	return "is unchanged"
}
