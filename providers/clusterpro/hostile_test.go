package clusterpro

import (
	"strings"
	"testing"

	"github.com/clusterctl/cluster/transport"
)

// A node holding a hostile clp.conf (1 MB nested 100,000 deep) is reported as such, with the
// limit it exceeds, instead of being flattened.
func TestObserveRefusesHostileClpConf(t *testing.T) {
	conf := `<?xml version="1.0" encoding="ASCII"?>` + "\n<root>" + strings.Repeat("<a>", 100_000) + strings.Repeat("</a>", 100_000) + "</root>\n"
	conf += strings.Repeat(" ", 1<<20-len(conf))
	tree, err := tarDir(map[string][]byte{"etc/clp.conf": []byte(conf)}, false)
	if err != nil {
		t.Fatal(err)
	}
	_, err = decodeNode("web", []transport.Result{{Stdout: tree}, {ExitCode: 1}})
	if err == nil || !strings.Contains(err.Error(), "parsing clp.conf") || !strings.Contains(err.Error(), "maximum nesting depth of 64") {
		t.Fatalf("decodeNode = %v; want the nesting limit named", err)
	}
}
