package servergroup

import (
	"encoding/json"
	"fmt"
	"slices"
)

// Roles a node can believe it has in a group.
const (
	roleManagement = "management"
	roleMember     = "member"
)

// groupState is the state file the tool keeps on every node of a group, beside the settings
// directory. On the management node it also holds the roster; a member's file only says which
// group it belongs to and who manages it. The file is what the node believes, not the
// configuration: plan compares the two.
type groupState struct {
	Group      string `json:"group"`
	Role       string `json:"role"`
	Management string `json:"management"` // node name of the management node
	// Members is the roster, on the management node only, keyed by member name.
	Members map[string]*memberState `json:"members,omitempty"`
}

// memberState is what the management node knows of one member.
type memberState struct {
	Node    string `json:"node"`    // node name, for {node}
	Address string `json:"address"` // for {address}, so a removed member can still be detached
	// Disabled: under maintenance, out of the rollout.
	Disabled bool `json:"disabled,omitempty"`
	// Detached: the tool took it out of the balancer and has not put it back.
	Detached bool `json:"detached,omitempty"`
	// OutOfSync is why the last sync of the member failed; while set, the member is not
	// updated until a manual sync (--resync).
	OutOfSync      string `json:"out_of_sync,omitempty"`
	OutOfSyncSince string `json:"out_of_sync_since,omitempty"` // RFC 3339, UTC
}

// decodeState reads a state file; empty input means the node holds none.
func decodeState(data []byte) (*groupState, error) {
	if len(data) == 0 {
		return nil, nil
	}
	var st groupState
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("the group state file is not valid JSON: %w", err)
	}
	if st.Role != roleManagement && st.Role != roleMember {
		return nil, fmt.Errorf("the group state file names an unknown role %q", st.Role)
	}
	return &st, nil
}

// encode renders the file; keys are sorted by encoding/json, so equal states are equal bytes.
func (s *groupState) encode() []byte {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic(fmt.Sprintf("servergroup: encoding the state file: %v", err)) // plain data cannot fail
	}
	return append(b, '\n')
}

// clone returns a deep copy, so apply can change its roster without touching the plan's.
func (s *groupState) clone() *groupState {
	c := *s
	c.Members = make(map[string]*memberState, len(s.Members))
	for k, m := range s.Members {
		mc := *m
		c.Members[k] = &mc
	}
	return &c
}

// memberNames returns the roster's member names, sorted.
func (s *groupState) memberNames() []string {
	names := make([]string, 0, len(s.Members))
	for n := range s.Members {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
