package emulate

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/clusterctl/cluster/charset"
)

// clpConf is the little of clp.conf the emulation needs: who the servers are, which groups
// exist with their failover policy, and the monitors clpstat lists. The full model lives in
// providers/clusterpro/clpconf; this reader stays minimal on purpose.
type clpConf struct {
	Cluster  string
	Servers  []string // by priority, highest (0) first
	Groups   []clpGroup
	Monitors []string
	// Paths are the heartbeats, then the network partition resolution resources, that clpstat
	// lists under every server.
	Paths []clpPath
	// Windows is a configuration made for Windows servers (<all><serveros>windows</serveros>).
	Windows bool
}

// clpGroup is a failover group and its policy: server names, first choice first.
type clpGroup struct {
	Name      string
	Policy    []string
	Resources []string // resource names, in clp.conf order
}

// clpPath is a heartbeat or network partition resource: its name and type (lankhb, pingnp...).
type clpPath struct {
	Name, Type string
}

// group returns the group called name.
func (c clpConf) group(name string) (clpGroup, bool) {
	for _, g := range c.Groups {
		if g.Name == name {
			return g, true
		}
	}
	return clpGroup{}, false
}

func (c clpConf) hasServer(name string) bool { return slices.Contains(c.Servers, name) }

// The XML shapes read; unknown elements are skipped by encoding/xml.
type xmlClpConf struct {
	Cluster struct {
		Name string `xml:"name"`
	} `xml:"cluster"`
	All struct {
		ServerOS string `xml:"serveros"`
	} `xml:"all"`
	Servers []struct {
		Name     string `xml:"name,attr"`
		Priority string `xml:"priority"`
	} `xml:"server"`
	Groups []struct {
		Name      string `xml:"name,attr"`
		Resources []struct {
			Name string `xml:"name,attr"`
		} `xml:"resource"`
		Policies []struct {
			Name      string `xml:"name,attr"`
			OrderAttr string `xml:"order,attr"`
			Order     string `xml:"order"`
		} `xml:"policy"`
	} `xml:"group"`
	Monitor          xmlSection `xml:"monitor"`
	Heartbeat        xmlSection `xml:"heartbeat"`
	NetworkPartition xmlSection `xml:"networkpartition"`
}

// xmlSection is a section of typed objects: <types name=T/> declarations, then <T name=...>.
type xmlSection struct {
	Items []struct {
		XMLName xml.Name
		Name    string `xml:"name,attr"`
	} `xml:",any"`
}

// objects lists the section's objects (not its <types> declarations).
func (s xmlSection) objects() []clpPath {
	var out []clpPath
	for _, it := range s.Items {
		if it.XMLName.Local != "types" && it.Name != "" {
			out = append(out, clpPath{Name: it.Name, Type: it.XMLName.Local})
		}
	}
	return out
}

// parseClpConf reads clp.conf in any of the encodings the vendor writes (UTF-8, ASCII, EUC-JP,
// Shift_JIS, GB2312), as named in the XML declaration.
func parseClpConf(data []byte) (clpConf, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = charsetReader
	var x xmlClpConf
	if err := dec.Decode(&x); err != nil {
		return clpConf{}, fmt.Errorf("clp.conf: %w", err)
	}
	conf := clpConf{Cluster: x.Cluster.Name, Windows: strings.EqualFold(strings.TrimSpace(x.All.ServerOS), "windows")}

	type ranked struct {
		name string
		rank int
	}
	servers := make([]ranked, 0, len(x.Servers))
	for i, s := range x.Servers {
		if s.Name == "" {
			return clpConf{}, fmt.Errorf("clp.conf: server %d has no name", i)
		}
		servers = append(servers, ranked{s.Name, number(s.Priority, i)})
	}
	slices.SortStableFunc(servers, func(a, b ranked) int { return a.rank - b.rank })
	for _, s := range servers {
		conf.Servers = append(conf.Servers, s.name)
	}

	for _, g := range x.Groups {
		policy := make([]ranked, 0, len(g.Policies))
		for i, p := range g.Policies {
			order := p.Order
			if order == "" {
				order = p.OrderAttr
			}
			policy = append(policy, ranked{p.Name, number(order, i)})
		}
		slices.SortStableFunc(policy, func(a, b ranked) int { return a.rank - b.rank })
		group := clpGroup{Name: g.Name}
		for _, r := range g.Resources {
			if _, name, ok := strings.Cut(r.Name, "@"); ok { // "type@name"
				group.Resources = append(group.Resources, name)
			}
		}
		for _, p := range policy {
			group.Policy = append(group.Policy, p.name)
		}
		if len(group.Policy) == 0 { // no policy: every server, by priority
			group.Policy = slices.Clone(conf.Servers)
		}
		conf.Groups = append(conf.Groups, group)
	}

	for _, m := range x.Monitor.objects() {
		conf.Monitors = append(conf.Monitors, m.Name)
	}
	conf.Paths = append(x.Heartbeat.objects(), x.NetworkPartition.objects()...)
	return conf, nil
}

// number parses a decimal or falls back to def (declaration order).
func number(s string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return def
	}
	return n
}

// charsetReader decodes the charsets clp.conf may declare: the labels charset.Lookup accepts,
// so the emulation reads what the clusterpro writer can write.
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	k, err := charset.Lookup(label)
	if err != nil {
		return nil, err
	}
	if k.Encoding() == nil { // UTF-8 and ASCII need no decoding
		return input, nil
	}
	return k.Encoding().NewDecoder().Reader(input), nil
}
