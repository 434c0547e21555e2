package emulate

import (
	"fmt"
	"io"
	"strings"
)

// runClpstat prints the cluster status in the vendor's layout (docs/lab.md, "clpstat"). It
// exits 0 whatever the state, 1 when no configuration is installed.
func runClpstat(e *env, args []string) int {
	c, err := loadCluster(e)
	if err != nil {
		return e.failf("%v", err)
	}
	writeClpstat(e.stdout, c)
	return 0
}

// statusLabelWidth is the column at which a status follows its name and dot leader.
const statusLabelWidth = 18

func writeClpstat(w io.Writer, c *cluster) {
	self := c.servers[c.self]
	fmt.Fprintln(w, " ========================  CLUSTER STATUS  ===========================")
	fmt.Fprintf(w, "  Cluster : %s\n", c.conf.Cluster)
	fmt.Fprintf(w, "  Status  : %s\n", title(self.state.Cluster))
	fmt.Fprintln(w, "  <server>")
	for _, name := range c.conf.Servers {
		mark := " "
		if name == c.self {
			mark = "*"
		}
		fmt.Fprintf(w, "   %s%s: %s\n", mark, leader(name), onOff(c.servers[name].active()))
	}
	fmt.Fprintln(w, "  <group>")
	groups := c.groups()
	for _, g := range c.conf.Groups {
		st := groups[g.Name]
		online := st.Status == groupOnline
		fmt.Fprintf(w, "    %s: %s\n", leader(g.Name), onOff(online))
		if online {
			fmt.Fprintf(w, "      %-*s: %s\n", statusLabelWidth-2, "current", st.Current)
		}
	}
	fmt.Fprintln(w, "  <monitor>")
	monitor := "Offline"
	if self.active() {
		monitor = "Normal"
	}
	for _, m := range c.conf.Monitors {
		fmt.Fprintf(w, "    %s: %s\n", leader(m), monitor)
	}
	fmt.Fprintln(w, " =====================================================================")
}

// leader pads a name with a dot leader: "sv1 ..............".
func leader(name string) string {
	dots := max(statusLabelWidth-len(name)-1, 1)
	return name + " " + strings.Repeat(".", dots)
}

func onOff(on bool) string {
	if on {
		return "Online"
	}
	return "Offline"
}

func title(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
