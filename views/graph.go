package views

import (
	"fmt"
	"io"
	"sort"
	"strconv"
)

// Graph is what `cluster graph` draws: the objects of a configuration (by address) and the
// dependencies between them.
type Graph struct {
	Nodes []GraphNode
	Edges []GraphEdge
}

// GraphNode is one object: its address and kind (cluster, group, resource...).
type GraphNode struct {
	Addr, Kind string
}

// GraphEdge says that From depends on To, and why ("in", "depends_on", "target", "script",
// "policy").
type GraphEdge struct {
	From, To, Label string
}

// graphShapes draws each kind of object in its own shape, so the picture reads at a glance.
var graphShapes = map[string]string{
	"cluster": "box3d", "cluster_node": "component", "group": "folder", "resource": "box",
	"monitor": "ellipse", "script": "note",
}

// WriteDOT writes g in Graphviz DOT, nodes and edges in a stable order: the same configuration
// draws the same file (dot -Tsvg renders it).
func WriteDOT(w io.Writer, g Graph) error {
	nodes := append([]GraphNode(nil), g.Nodes...)
	sort.Slice(nodes, func(i, j int) bool { return nodes[i].Addr < nodes[j].Addr })
	edges := append([]GraphEdge(nil), g.Edges...)
	sort.Slice(edges, func(i, j int) bool {
		a, b := edges[i], edges[j]
		if a.From != b.From {
			return a.From < b.From
		}
		if a.To != b.To {
			return a.To < b.To
		}
		return a.Label < b.Label
	})
	if _, err := fmt.Fprintln(w, "digraph cluster {\n  rankdir = \"RL\";\n  node [fontname = \"sans-serif\"];"); err != nil {
		return err
	}
	for _, n := range nodes {
		shape := graphShapes[n.Kind]
		if shape == "" {
			shape = "box"
		}
		if _, err := fmt.Fprintf(w, "  %s [shape = %s];\n", strconv.Quote(n.Addr), shape); err != nil {
			return err
		}
	}
	for _, e := range edges {
		if _, err := fmt.Fprintf(w, "  %s -> %s [label = %s];\n", strconv.Quote(e.From), strconv.Quote(e.To), strconv.Quote(e.Label)); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, "}")
	return err
}
