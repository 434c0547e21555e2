package servergroup

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/clusterctl/cluster/transport"
)

// snapshotScript compresses the settings directory into system_dir (where WSMGR stages them)
// and prints the archive; the temporary name keeps a half-written archive from being taken
// for a whole one.
const snapshotScript = `set -e
mkdir -p "$(dirname "$2")"
tar -czf "$2.tmp" -C "$1" .
mv "$2.tmp" "$2"
exec cat "$2"`

// unpackScript receives the compressed settings on stdin, stages them in system_dir, unpacks
// them beside the settings directory and swaps them in with two renames; the replaced copy is
// kept until the new one is in place, and put back if the second rename fails.
const unpackScript = `set -e
arch=$1 new=$2 old=$3 dir=$4
trap 'rm -f "$arch" "$arch.tmp"; rm -rf "$new"' EXIT
mkdir -p "$(dirname "$arch")"
cat >"$arch.tmp"
mv "$arch.tmp" "$arch"
tar -tzf "$arch" >/dev/null
rm -rf "$new" "$old"
mkdir -p "$new"
tar -xzf "$arch" -C "$new"
if [ -d "$dir" ]; then mv "$dir" "$old"; fi
if ! mv "$new" "$dir"; then
  [ -d "$old" ] && mv "$old" "$dir"
  exit 1
fi
rm -rf "$old"`

// snapshot takes the management node's settings as a compressed archive and checks that it
// holds exactly the settings the plan was made from.
func (a *applier) snapshot(ctx context.Context) ([]byte, error) {
	cmd := transport.Shell(snapshotScript, a.u.l.settings, a.u.l.archive())
	res, err := a.run(ctx, a.mgmt, a.r.Management.String(), "compress the settings into "+a.u.l.archive().Posix(), cmd)
	if err != nil {
		return nil, err
	}
	t, err := archiveTree(res.Stdout)
	if err != nil {
		return nil, fmt.Errorf("reading the compressed settings of %s: %w", a.r.Management, err)
	}
	if t.fingerprint() != a.r.Want {
		return nil, fmt.Errorf("the settings on %s changed since the plan was made (%d files now, %d planned): run plan again",
			a.r.Management, len(t), a.r.WantFiles)
	}
	return res.Stdout, nil
}

// archiveTree fingerprints the regular files of a .tar.gz the way the observe script
// fingerprints a directory.
func archiveTree(data []byte) (tree, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	t := tree{}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return t, nil
		}
		if err != nil {
			return nil, err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		sum := sha256.New()
		n, err := io.Copy(sum, tr)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", h.Name, err)
		}
		name := strings.TrimPrefix(path.Clean(h.Name), "./")
		t[name] = fileSum{Hash: hex.EncodeToString(sum.Sum(nil)), Size: n}
	}
}

// unpack sends the archive to a member and swaps it in as its settings directory.
func (a *applier) unpack(ctx context.Context, node transport.Node, s memberStep, archive []byte) error {
	l := a.u.l
	cmd := transport.Shell(unpackScript, l.archive(), l.incoming(), l.previous(), l.settings).WithStdin(archive)
	_, err := a.run(ctx, node, s.Addr.String(), "sync the settings", cmd)
	return err
}

// verify reads the member's settings again and compares them with the snapshot.
func (a *applier) verify(ctx context.Context, node transport.Node, s memberStep) error {
	label, step := s.Addr.String(), "verify the settings"
	a.progress.Step(label, step)
	err := func() error {
		res, err := node.Run(ctx, transport.Shell(fingerprintScript, a.u.l.settings))
		if err != nil {
			return err
		}
		if !res.OK() {
			return fmt.Errorf("reading the settings: %s", transport.FirstLine(res.Stderr))
		}
		t, err := parseTree(res.Stdout)
		if err != nil {
			return err
		}
		if d := driftOf(s.Node, t, a.want); d != nil {
			return fmt.Errorf("%s after the sync: %s", d.Summary, strings.Join(d.Details, "; "))
		}
		return nil
	}()
	a.progress.Done(label, step, err)
	return err
}
