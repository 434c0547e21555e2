package clusterpro

import (
	"strconv"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/transport"
)

// A node holding a hostile clp.conf (1 MB nested 100,000 deep) is reported as such, with the
// limit it exceeds, instead of being flattened.
func TestObserveRefusesHostileClpConf(t *testing.T) {
	conf := `<?xml version="1.0" encoding="ASCII"?>` + "\n<root>" + strings.Repeat("<a>", 100_000) + strings.Repeat("</a>", 100_000) + "</root>\n"
	conf += strings.Repeat(" ", 1<<20-len(conf))
	_, err := decodeNode("web", (&unit{}).readProbes(), treeOutcomes(map[string][]byte{"etc/clp.conf": []byte(conf)}))
	if err == nil || !strings.Contains(err.Error(), "parsing clp.conf") || !strings.Contains(err.Error(), "maximum nesting depth of 64") {
		t.Fatalf("decodeNode = %v; want the nesting limit named", err)
	}
}

// worstWithinLimits is a clp.conf at Parse's limits that makes flattening work hardest: a chain
// of elements whose path is close to MaxPathLength, with as many leaves below it as the
// element count allows, each named by that whole path.
func worstWithinLimits() []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="ASCII"?>` + "\n<root>")
	key := strings.Repeat("k", 60)
	const levels = 7 // 7 * (1 + 1 + 60 + 2) + root < 512
	for range levels {
		b.WriteString(`<g name="` + key + `">`)
	}
	for i := range 199_000 {
		b.WriteString("<v>" + strconv.Itoa(i%10) + "</v>") // unkeyed siblings: flattened as v[0], v[1], ...
	}
	b.WriteString(strings.Repeat("</g>", levels) + "</root>\n")
	return []byte(b.String())
}

// BenchmarkObserveWorstCaseWithinLimits reports what the largest work a node can cause costs
// once Parse's limits hold: parse, flatten and fingerprint.
func BenchmarkObserveWorstCaseWithinLimits(b *testing.B) {
	tree := map[string][]byte{"etc/clp.conf": worstWithinLimits()}
	b.ReportAllocs()
	b.SetBytes(int64(len(tree["etc/clp.conf"])))
	for b.Loop() {
		if _, err := decodeNode("web", (&unit{}).readProbes(), treeOutcomes(tree)); err != nil {
			b.Fatal(err)
		}
	}
}

// treeOutcomes are the outcomes of readProbes for a configuration directory: the tree, no
// suspension record, clpstat installed but failing.
func treeOutcomes(tree map[string][]byte) []transport.Outcome {
	return []transport.Outcome{{Tree: tree}, {Stats: []transport.FileInfo{{}, {Exists: true}}}, {Result: transport.Result{ExitCode: 1}}}
}
