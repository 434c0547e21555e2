package nodetest

import (
	"errors"
	"testing"

	"github.com/clusterctl/cluster/transport"
)

// MakeLink makes a symbolic link named link on the node under test, whose target is the
// relative path target, written as it is. The transport has no op for it: a POSIX node gets
// `ln -s` through Run (posixLink); a Windows-dialect harness makes it on the host, as an
// administrator's mklink would on Windows.
type MakeLink func(t *testing.T, link transport.NodePath, target string)

// posixLink is MakeLink for a POSIX node.
func posixLink(n transport.Node) MakeLink {
	return func(t *testing.T, link transport.NodePath, target string) {
		t.Helper()
		r, err := n.Run(ctx(t), transport.Cmd("ln", "-s", target, link))
		if err != nil || r.ExitCode != 0 {
			t.Fatalf("ln -s %s %s: %v, exit %d: %s", target, link, err, r.ExitCode, r.Stderr)
		}
	}
}

func testOpsReadTreeLinksPosix(t *testing.T, n transport.Node, base transport.NodePath) {
	testOpsReadTreeLinks(t, n, base, posixLink(n))
}

// testOpsReadTreeLinks: a symbolic link in a tree, dangling or not, fails the ReadTree op that
// would read it, whether it lies below an entry or is the entry, with ExitNotRegular and the
// same message on every transport; a ReadTree whose entries leave the link out reads as usual.
// Skipping the link would read it as a missing file, following it would read what lies
// outside the tree.
func testOpsReadTreeLinks(t *testing.T, n transport.Node, base transport.NodePath, makeLink MakeLink) {
	mustOK(t, do(t, n,
		transport.WriteFile{Path: base.Join("real.conf"), Data: []byte("outside the tree"), Mode: 0o644},
		transport.WriteFile{Path: base.Join("inst", "etc", "clp.conf"), Data: []byte("<root/>"), Mode: 0o644},
		transport.WriteFile{Path: base.Join("inst", "scripts", "a.sh"), Data: []byte("a"), Mode: 0o644},
		transport.WriteFile{Path: base.Join("dangling", "scripts", "a.sh"), Data: []byte("a"), Mode: 0o644},
	))
	makeLink(t, base.Join("inst", "scripts", "link.sh"), "../../real.conf")
	makeLink(t, base.Join("dangling", "scripts", "gone.sh"), "nowhere")
	out := do(t, n,
		transport.ReadTree{Dir: base.Join("inst")},
		transport.ReadTree{Dir: base.Join("inst"), Entries: []string{"scripts"}},
		transport.ReadTree{Dir: base.Join("inst"), Entries: []string{"scripts/link.sh"}},
		transport.ReadTree{Dir: base.Join("dangling"), Entries: []string{"scripts"}},
		transport.ReadTree{Dir: base.Join("inst"), Entries: []string{"etc"}},
	)
	for i, rel := range []string{"scripts/link.sh", "scripts/link.sh", "scripts/link.sh", "scripts/gone.sh"} {
		o := out[i]
		want := o.Op.Describe() + ": " + transport.NotRegularMessage(rel)
		if err := o.Err(); o.ExitCode != transport.ExitNotRegular || !errors.Is(err, transport.ErrNotRegular) || err.Error() != want {
			t.Errorf("%s with a link (entries %q): exit %d, error %v, tree %q;\nwant exit %d and %q",
				o.Op.Describe(), o.Op.(transport.ReadTree).Entries, o.ExitCode, err, o.Tree, transport.ExitNotRegular, want)
		}
	}
	if err := out[4].Err(); err != nil || string(out[4].Tree["etc/clp.conf"]) != "<root/>" || len(out[4].Tree) != 1 {
		t.Errorf("ReadTree of entries without the link: %v, tree %q; want etc/clp.conf alone", err, out[4].Tree)
	}
}
