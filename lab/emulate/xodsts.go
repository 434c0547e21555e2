package emulate

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"slices"

	"github.com/clusterctl/cluster/lab/labdir"
)

// stsCmd is one parsed xodsts* invocation with its logical file loaded.
type stsCmd struct {
	e       *env
	def     stsDef
	logical stsLogicalDef
	st      stsState
	a, b    string // -a, -b as node paths
	recSize int
	records int
}

// stsFlags says which options a command takes beyond -d.
type stsFlags struct{ logical, a, b, size bool }

// parseSts parses the options, reads the definition and the logical file's state, and applies
// pending I/O-error faults (a swap away from a failing current pair) before the command runs.
func parseSts(e *env, args []string, want stsFlags) (*stsCmd, int) {
	flags := flag.NewFlagSet(e.name, flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	defPath := flags.String("d", path.Join(e.install, stsDefFile), "definition file")
	logical := flags.String("l", "", "logical file")
	a := flags.String("a", "", "A-system file")
	b := flags.String("b", "", "B-system file")
	size := flags.Int("s", 512, "record size")
	records := flags.Int("n", 8, "records")
	if err := flags.Parse(args); err != nil || flags.NArg() > 0 ||
		want.logical != (*logical != "") || want.a != (*a != "") || want.b != (*b != "") ||
		*size <= 0 || *records <= 0 {
		return nil, e.failf("invalid option. Usage: %s", stsUsage(e.name, want))
	}
	data, err := os.ReadFile(e.host(e.nodeArg(*defPath)))
	if err != nil {
		return nil, e.failf("cannot read the definition file: %v", err)
	}
	c := &stsCmd{e: e, recSize: *size, records: *records}
	if c.def, err = parseStsDef(data); err != nil {
		return nil, e.failf("definition file %s: %v", *defPath, err)
	}
	if *a != "" {
		c.a = e.nodeArg(*a)
	}
	if *b != "" {
		c.b = e.nodeArg(*b)
	}
	if want.logical {
		var ok bool
		if c.logical, ok = c.def.logical(*logical); !ok {
			return nil, e.failf("logical file %s is not defined in %s", *logical, *defPath)
		}
		if code := c.load(c.logical); code != 0 {
			return nil, code
		}
	}
	return c, 0
}

func stsUsage(name string, want stsFlags) string {
	u := name + " [-d DEF]"
	if want.logical {
		u += " -l LOGICAL"
	}
	if want.a {
		u += " -a A_PATH"
	}
	if want.b {
		u += " -b B_PATH [-s RECORDSIZE -n RECORDS]"
	}
	return u
}

// load reads the state of l and applies its I/O-error faults.
func (c *stsCmd) load(l stsLogicalDef) int {
	var err error
	if c.st, err = c.e.readStsState(l.Name); err != nil {
		return c.e.failf("%v", err)
	}
	changed, err := c.recoverIOErrors(l.Name)
	if err != nil {
		return c.e.failf("%v", err)
	}
	if changed {
		if err := c.e.writeStsState(l.Name, c.st); err != nil {
			return c.e.failf("%v", err)
		}
	}
	return 0
}

func (c *stsCmd) ioFailed(p string) bool { return labdir.HasFault(c.e.root, labdir.StsIOError, p) }

// recoverIOErrors does what the object server does on an I/O error (seed 003): a failing
// current pair is replaced by the first healthy spare, which receives the healthy side's
// content (A first, then B); the failing pair, current or spare, becomes blocked.
func (c *stsCmd) recoverIOErrors(logical string) (bool, error) {
	changed := false
	for i := range c.st.Pairs {
		p := &c.st.Pairs[i]
		failA, failB := c.ioFailed(p.A), c.ioFailed(p.B)
		if !failA && !failB || (p.State != stsCurrent && p.State != stsSpare) {
			continue
		}
		changed = true
		if p.State == stsSpare {
			p.State = stsBlocked
			fmt.Fprintf(c.e.stderr, "%s: I/O error on the spare pair %s %s of %s: pair blocked\n", c.e.name, p.A, p.B, logical)
			continue
		}
		spare := slices.IndexFunc(c.st.Pairs, func(q stsPair) bool {
			return q.State == stsSpare && !c.ioFailed(q.A) && !c.ioFailed(q.B)
		})
		p.State = stsBlocked
		if spare < 0 {
			fmt.Fprintf(c.e.stderr, "%s: I/O error on the current pair %s %s of %s and no spare: pair blocked, no current file\n", c.e.name, p.A, p.B, logical)
			continue
		}
		src := p.A
		if failA {
			src = p.B
		}
		if failA && failB {
			src = "" // nothing healthy to copy: the spare keeps its own content
		}
		if src != "" {
			if err := c.copyInto(src, src, c.st.Pairs[spare]); err != nil {
				return changed, err
			}
		}
		c.st.Pairs[spare].State = stsCurrent
		fmt.Fprintf(c.e.stderr, "%s: I/O error on the current pair %s %s of %s: swapped to %s %s\n",
			c.e.name, p.A, p.B, logical, c.st.Pairs[spare].A, c.st.Pairs[spare].B)
	}
	return changed, nil
}

// copyInto writes srcA into dst's A file, then srcB into its B file: A first, so an
// interrupted copy leaves B with the previous state.
func (c *stsCmd) copyInto(srcA, srcB string, dst stsPair) error {
	for _, f := range [][2]string{{srcA, dst.A}, {srcB, dst.B}} {
		data, err := os.ReadFile(c.e.host(f[0]))
		if err != nil {
			return fmt.Errorf("read %s: %w", f[0], err)
		}
		if err := c.e.write(f[1], data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

func (c *stsCmd) save() int {
	if err := c.e.writeStsState(c.logical.Name, c.st); err != nil {
		return c.e.failf("%v", err)
	}
	return 0
}

// target finds the pair whose A file is -a, which must be initialised.
func (c *stsCmd) target() (*stsPair, int) {
	i := c.st.pair(c.a)
	if i < 0 {
		return nil, c.e.failf("%s: no such status file in %s (initialise it with xodstsinit)", c.a, c.logical.Name)
	}
	return &c.st.Pairs[i], 0
}

// runXodstsinit creates and initialises a pair's A and B files (A first); the pair is reserved.
func runXodstsinit(e *env, args []string) int {
	c, code := parseSts(e, args, stsFlags{logical: true, a: true, b: true})
	if c == nil {
		return code
	}
	defIndex := slices.Index(c.logical.Pairs, [2]string{c.a, c.b})
	if defIndex < 0 {
		return e.failf("pair %s %s is not defined for %s", c.a, c.b, c.logical.Name)
	}
	if i := c.st.pair(c.a); i >= 0 && (c.st.Pairs[i].State == stsCurrent || c.st.Pairs[i].State == stsSpare) {
		return e.failf("%s: the file is open (%s); close it first", c.a, c.st.Pairs[i].State)
	}
	for _, side := range []struct{ name, path string }{{"A", c.a}, {"B", c.b}} {
		if c.ioFailed(side.path) {
			return e.failf("%s: I/O error", side.path)
		}
		header := fmt.Sprintf("XODSTS logical=%s side=%s recsize=%d records=%d\n", c.logical.Name, side.name, c.recSize, c.records)
		data := append([]byte(header), bytes.Repeat([]byte{0}, max(c.recSize*c.records-len(header), 0))...)
		if err := e.write(side.path, data, 0o600); err != nil {
			return e.failf("%v", err)
		}
	}
	if i := c.st.pair(c.a); i >= 0 {
		c.st.Pairs[i] = stsPair{A: c.a, B: c.b, State: stsReserved}
	} else {
		c.st.Pairs = append(c.st.Pairs, stsPair{A: c.a, B: c.b, State: stsReserved})
		order := func(p stsPair) int { return slices.Index(c.logical.Pairs, [2]string{p.A, p.B}) }
		slices.SortStableFunc(c.st.Pairs, func(x, y stsPair) int { return order(x) - order(y) })
	}
	if code := c.save(); code != 0 {
		return code
	}
	fmt.Fprintf(e.stdout, "%s: %s %s initialized.\n", e.name, c.a, c.b)
	return 0
}

// runXodstsopn opens a reserved pair: it becomes spare, or current when the logical file has
// no current pair.
func runXodstsopn(e *env, args []string) int {
	c, code := parseSts(e, args, stsFlags{logical: true, a: true})
	if c == nil {
		return code
	}
	p, code := c.target()
	if p == nil {
		return code
	}
	switch p.State {
	case stsReserved:
	case stsBlocked:
		return e.failf("%s: the file is blocked; re-initialise it with xodstsinit, then open it", p.A)
	default:
		return e.failf("%s: the file is already open (%s)", p.A, p.State)
	}
	p.State = stsSpare
	if c.st.first(stsCurrent) < 0 {
		p.State = stsCurrent
	}
	if code := c.save(); code != 0 {
		return code
	}
	fmt.Fprintf(e.stdout, "%s: %s opened (%s).\n", e.name, p.A, p.State)
	return 0
}

// runXodstscls closes a spare pair (spare -> reserved); the current pair cannot be closed.
func runXodstscls(e *env, args []string) int {
	c, code := parseSts(e, args, stsFlags{logical: true, a: true})
	if c == nil {
		return code
	}
	p, code := c.target()
	if p == nil {
		return code
	}
	switch p.State {
	case stsSpare:
	case stsCurrent:
		return e.failf("%s: the current file cannot be closed; swap first (xodstsswp)", p.A)
	default:
		return e.failf("%s: the file is not open (%s)", p.A, p.State)
	}
	p.State = stsReserved
	if code := c.save(); code != 0 {
		return code
	}
	fmt.Fprintf(e.stdout, "%s: %s closed.\n", e.name, p.A)
	return 0
}

// runXodstsrm deletes a reserved or blocked pair's files; open files cannot be deleted.
func runXodstsrm(e *env, args []string) int {
	c, code := parseSts(e, args, stsFlags{logical: true, a: true})
	if c == nil {
		return code
	}
	p, code := c.target()
	if p == nil {
		return code
	}
	if p.State == stsCurrent || p.State == stsSpare {
		return e.failf("%s: a %s file cannot be deleted; close it first", p.A, p.State)
	}
	if labdir.HasFault(e.root, labdir.DiskFull, "") {
		// Deleting frees space, but the state file must still be written.
		return e.failf("%v", errDiskFull)
	}
	for _, f := range []string{p.A, p.B} {
		if err := os.Remove(e.host(f)); err != nil && !isNotExist(err) {
			return e.failf("%v", err)
		}
	}
	a := p.A
	c.st.Pairs = slices.Delete(c.st.Pairs, c.st.pair(a), c.st.pair(a)+1)
	if code := c.save(); code != 0 {
		return code
	}
	fmt.Fprintf(e.stdout, "%s: %s deleted.\n", e.name, a)
	return 0
}

// runXodstsswp swaps by hand: the current A is copied into the first spare's A, then the
// current B into its B; the spare becomes current and the old current spare.
func runXodstsswp(e *env, args []string) int {
	c, code := parseSts(e, args, stsFlags{logical: true})
	if c == nil {
		return code
	}
	cur, spare := c.st.first(stsCurrent), c.st.first(stsSpare)
	if cur < 0 {
		return e.failf("%s has no current file", c.logical.Name)
	}
	if spare < 0 {
		return e.failf("%s has no spare file to swap to", c.logical.Name)
	}
	from := c.st.Pairs[cur]
	if err := c.copyInto(from.A, from.B, c.st.Pairs[spare]); err != nil {
		return e.failf("%v", err)
	}
	c.st.Pairs[cur].State, c.st.Pairs[spare].State = stsSpare, stsCurrent
	if code := c.save(); code != 0 {
		return code
	}
	fmt.Fprintf(e.stdout, "%s: %s swapped to %s %s.\n", e.name, c.logical.Name, c.st.Pairs[spare].A, c.st.Pairs[spare].B)
	return 0
}

// runXodstsls lists every pair of every logical file: "LOGICAL A_PATH B_PATH STATE".
func runXodstsls(e *env, args []string) int {
	c, code := parseSts(e, args, stsFlags{})
	if c == nil {
		return code
	}
	for _, l := range c.def.Logicals {
		c.logical = l
		if code := c.load(l); code != 0 {
			return code
		}
		for _, p := range l.Pairs {
			state := stsUninitialized
			if i := c.st.pair(p[0]); i >= 0 {
				state = c.st.Pairs[i].State
			}
			fmt.Fprintf(e.stdout, "%s %s %s %s\n", l.Name, p[0], p[1], state)
		}
	}
	return 0
}
