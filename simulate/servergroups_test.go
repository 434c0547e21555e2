package simulate

import (
	"strings"
	"testing"
)

func balancer(r ScenarioReport) string {
	var out []string
	for _, s := range append([]Snapshot{r.Start}, snaps(r)...) {
		out = append(out, strings.Join(s.ServerGroups[0].InBalancer, ","))
	}
	return strings.Join(out, " | ")
}

// Seed 004: a failed server leaves the balancer; disabled members are out by configuration.
func TestServerGroupBalancer(t *testing.T) {
	tests := []struct {
		name, events, want, kinds string
	}{
		{"a failed member is detached", "fail web3", "web1,web3,web4 | web1,web4",
			"server_group.web:detach"},
		{"a returning member is synced and attached again", "fail web3; recover web3", "web1,web3,web4 | web1,web4 | web1,web3,web4",
			"server_group.web:attach"},
		{"the management server fails: detached, members keep serving", "fail web1", "web1,web3,web4 | web3,web4",
			"server_group.web:detach"},
		{"nobody left: down", "fail web1,web3,web4", "web1,web3,web4 | ",
			"server_group.web:detach server_group.web:detach server_group.web:detach server_group.web:down"},
		{"a disabled member failing changes nothing", "fail web2", "web1,web3,web4 | web1,web3,web4", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBuilder()
			b.serverGroup("web", "web1", "web2/disabled", "web3", "web4")
			rep := runOne(t, b.cfg, tt.events)
			sc := rep.Scenarios[0]
			if got := balancer(sc); got != tt.want {
				t.Errorf("balancer:\n got %s\nwant %s", got, tt.want)
			}
			last := sc.Steps[len(sc.Steps)-1]
			if got := kinds(last.Changes); got != tt.kinds {
				t.Errorf("changes: %s, want %s", got, tt.kinds)
			}
		})
	}
}

func TestServerGroupManagementLost(t *testing.T) {
	b := newBuilder()
	b.serverGroup("web", "web1", "web2")
	rep := runOne(t, b.cfg, "fail web1")
	ch := rep.Scenarios[0].Steps[0].Changes[0]
	if len(ch.Details) != 1 || !strings.Contains(ch.Details[0], "management server is lost") {
		t.Errorf("losing the management server: %+v", ch)
	}
	if st := rep.Scenarios[0].Steps[0].Snapshot.ServerGroups[0]; st.ManagementUp || !st.Available {
		t.Errorf("state: %+v", st)
	}
}
