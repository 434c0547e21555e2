package emulate

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/clusterctl/cluster/lab/labdir"
)

// The five status-file commands of table 5-1 (seed 003), and nothing else: the product has no
// command that lists states. Only xodstsopn's options are documented (-n 論理ファイル名 | -f
// 物理ファイル名, manual page OSEN0155); the others take the same forms, which is the LAB's
// choice, UNCONFIRMED (docs/lab.md): the tool never builds their options itself (xodstsinit
// runs as the site's init_command). Messages are the lab's wording: the product's are not public.

// stsCmd is one xodsts* invocation with the definition and state loaded.
type stsCmd struct {
	e   *env
	def stsDef
	st  stsState
}

// stsTarget is what -n or -f named.
type stsTarget struct {
	logical stsLogical
	file    string // the -f path, "" for -n
}

// loadSts reads the definition and the state, and applies pending I/O errors while the server
// runs (the server swaps away from a failing current file on its next write).
func loadSts(e *env) (*stsCmd, int) {
	c := &stsCmd{e: e}
	var err error
	if c.def, err = e.readStsDef(); err != nil {
		return nil, e.failf("%v", err)
	}
	if c.st, err = e.readStsState(); err != nil {
		return nil, e.failf("%v", err)
	}
	if c.st.Running && c.recoverIOErrors() {
		if code := c.save(); code != 0 {
			return nil, code
		}
	}
	return c, 0
}

// parseTarget reads "-n NAME" or "-f PATH" (exactly one); the file must be named by the
// definition (「xodstsopnコマンドでオープンできるステータスファイルは,ステータスサービス定義で指定した
// ステータスファイルだけです」).
func (c *stsCmd) parseTarget(args []string) (stsTarget, int) {
	flags := flag.NewFlagSet(c.e.name, flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	name := flags.String("n", "", "logical file name")
	file := flags.String("f", "", "physical file name")
	if err := flags.Parse(args); err != nil || flags.NArg() > 0 || (*name == "") == (*file == "") {
		return stsTarget{}, c.e.failf("usage: %s -n LOGICAL_FILE | -f PHYSICAL_FILE", c.e.name)
	}
	if *name != "" {
		l, ok := c.def.find(*name)
		if !ok {
			return stsTarget{}, c.e.failf("logical file %s is not in the status service definition", *name)
		}
		return stsTarget{logical: l}, 0
	}
	for _, l := range c.def.Logicals {
		if c.e.sameFile(l.A, *file) || c.e.sameFile(l.B, *file) {
			return stsTarget{logical: l, file: *file}, 0
		}
	}
	return stsTarget{}, c.e.failf("%s is not in the status service definition", *file)
}

func (c *stsCmd) save() int {
	if err := c.e.writeStsState(c.st); err != nil {
		return c.e.failf("%v", err)
	}
	return 0
}

func (c *stsCmd) ioFailed(ntfs string) bool {
	return labdir.HasFault(c.e.root, labdir.StsIOError, c.e.nodeArg(ntfs))
}

// recoverIOErrors does what the object server does on an I/O error (seed 003, figure 5-3): the
// healthy side of a failing current file is copied into the first healthy spare's A file, then
// its B file, the spare becomes current and the failing file blocked; a failing spare is blocked.
func (c *stsCmd) recoverIOErrors() bool {
	changed := false
	for _, l := range c.def.Logicals {
		st := c.st.Logicals[l.Name]
		failA, failB := c.ioFailed(l.A), c.ioFailed(l.B)
		if (!failA && !failB) || (st != stsCurrent && st != stsSpare) {
			continue
		}
		changed = true
		c.block(l, failA, failB)
		if st == stsSpare {
			fmt.Fprintf(c.e.stderr, "%s: I/O error on the spare logical file %s: blocked\n", c.e.name, l.Name)
			continue
		}
		i := slices.IndexFunc(c.def.Logicals, func(s stsLogical) bool {
			return c.st.Logicals[s.Name] == stsSpare && !c.ioFailed(s.A) && !c.ioFailed(s.B)
		})
		if i < 0 {
			fmt.Fprintf(c.e.stderr, "%s: I/O error on the current logical file %s and no spare: blocked, no current file\n", c.e.name, l.Name)
			continue
		}
		to := c.def.Logicals[i]
		if src := healthySide(l, failA, failB); src != "" {
			if err := c.copyInto(src, src, to); err != nil {
				fmt.Fprintf(c.e.stderr, "%s: %v\n", c.e.name, err)
			}
		}
		c.st.Logicals[to.Name] = stsCurrent
		fmt.Fprintf(c.e.stderr, "%s: I/O error on the current logical file %s: swapped to %s\n", c.e.name, l.Name, to.Name)
	}
	return changed
}

func (c *stsCmd) block(l stsLogical, failA, failB bool) {
	c.st.Logicals[l.Name] = stsBlocked
	if failA {
		c.st.Stale[c.e.nodeArg(l.A)] = true
	}
	if failB {
		c.st.Stale[c.e.nodeArg(l.B)] = true
	}
}

func healthySide(l stsLogical, failA, failB bool) string {
	switch {
	case failA && failB:
		return ""
	case failA:
		return l.B
	}
	return l.A
}

// copyInto writes srcA into dst's A file, then srcB into its B file: A first, so an interrupted
// copy leaves B with the previous state (seed 003).
func (c *stsCmd) copyInto(srcA, srcB string, dst stsLogical) error {
	for _, f := range [][2]string{{srcA, dst.A}, {srcB, dst.B}} {
		data, err := os.ReadFile(c.e.host(c.e.nodeArg(f[0])))
		if err != nil {
			return fmt.Errorf("read %s: %w", f[0], err)
		}
		if err := c.e.write(c.e.nodeArg(f[1]), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// stsFileSize is the size of a file xodstsinit creates in the lab (the product's size options
// are undocumented).
const stsFileSize = 4096

// runXodstsinit creates and initialises one physical file, named with -f (the lab's argument
// form, unconfirmed) (「ステータスファイルの作成と初期化」); the
// files of a logical file are created before they are named in the definition (seed 003), so the
// definition need not exist. An open file is refused.
func runXodstsinit(e *env, args []string) int {
	flags := flag.NewFlagSet(e.name, flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	file := flags.String("f", "", "physical file name")
	if err := flags.Parse(args); err != nil || flags.NArg() > 0 || *file == "" {
		return e.failf("usage: %s -f PHYSICAL_FILE", e.name)
	}
	node := e.nodeArg(*file)
	if !onDrive(node) {
		return e.failf("%s: give the path from its drive letter", *file)
	}
	st, err := e.readStsState()
	if err != nil {
		return e.failf("%v", err)
	}
	if def, err := e.readStsDef(); err == nil {
		for _, l := range def.Logicals {
			if (e.sameFile(l.A, *file) || e.sameFile(l.B, *file)) && (st.Logicals[l.Name] == stsCurrent || st.Logicals[l.Name] == stsSpare) {
				return e.failf("%s belongs to logical file %s, which is open (%s)", *file, l.Name, st.Logicals[l.Name])
			}
		}
	}
	if labdir.HasFault(e.root, labdir.StsIOError, node) {
		return e.failf("%s: I/O error", *file)
	}
	header := []byte("XODSTS initialized\n")
	data := append(header, bytes.Repeat([]byte{0}, stsFileSize-len(header))...)
	if err := e.write(node, data, 0o600); err != nil {
		return e.failf("%v", err)
	}
	delete(st.Stale, node)
	if err := e.writeStsState(st); err != nil {
		return e.failf("%v", err)
	}
	fmt.Fprintf(e.stdout, "%s: %s initialized.\n", e.name, *file)
	return 0
}

// runXodstsopn opens a closed logical file (reserved, or blocked and re-initialised): it becomes
// spare, never current (「予約のステータスファイルをxodstsopnコマンドでオープンすると,予備になります」).
// It works only while the status server runs (OSEN0155).
func runXodstsopn(e *env, args []string) int {
	c, code := loadSts(e)
	if c == nil {
		return code
	}
	t, code := c.parseTarget(args)
	if code != 0 {
		return code
	}
	if !c.st.Running {
		return e.failf("the status server is not running")
	}
	l := t.logical
	switch st := c.st.Logicals[l.Name]; st {
	case stsReserved, stsBlocked, "":
	default:
		return e.failf("logical file %s is already open (%s)", l.Name, st)
	}
	for _, f := range []string{l.A, l.B} {
		switch {
		case !e.exists(f):
			return e.failf("%s does not exist; create it with xodstsinit", f)
		case c.st.Stale[e.nodeArg(f)]:
			return e.failf("%s failed; re-initialise it with xodstsinit first", f)
		}
	}
	c.st.Logicals[l.Name] = stsSpare
	if code := c.save(); code != 0 {
		return code
	}
	fmt.Fprintf(e.stdout, "%s: %s opened.\n", e.name, l.Name)
	return 0
}

// runXodstscls closes a spare logical file (spare -> reserved); the current one cannot be closed.
func runXodstscls(e *env, args []string) int {
	c, code := loadSts(e)
	if c == nil {
		return code
	}
	t, code := c.parseTarget(args)
	if code != 0 {
		return code
	}
	if !c.st.Running {
		return e.failf("the status server is not running")
	}
	switch st := c.st.Logicals[t.logical.Name]; st {
	case stsSpare:
	case stsCurrent:
		return e.failf("logical file %s is current and cannot be closed", t.logical.Name)
	default:
		return e.failf("logical file %s is not open", t.logical.Name)
	}
	c.st.Logicals[t.logical.Name] = stsReserved
	if code := c.save(); code != 0 {
		return code
	}
	fmt.Fprintf(e.stdout, "%s: %s closed.\n", e.name, t.logical.Name)
	return 0
}

// runXodstsrm deletes the files of a reserved or blocked logical file (「現用と予備の状態の
// ステータスファイルは削除できません」); it stays in the definition, reserved without files.
func runXodstsrm(e *env, args []string) int {
	c, code := loadSts(e)
	if c == nil {
		return code
	}
	t, code := c.parseTarget(args)
	if code != 0 {
		return code
	}
	l := t.logical
	if st := c.st.Logicals[l.Name]; st == stsCurrent || st == stsSpare {
		return e.failf("logical file %s is %s and cannot be deleted", l.Name, st)
	}
	if labdir.HasFault(e.root, labdir.DiskFull, "") {
		return e.failf("%v", errDiskFull)
	}
	for _, f := range []string{l.A, l.B} {
		if err := os.Remove(e.host(e.nodeArg(f))); err != nil && !isNotExist(err) {
			return e.failf("%v", err)
		}
		delete(c.st.Stale, e.nodeArg(f))
	}
	if c.st.Running {
		c.st.Logicals[l.Name] = stsReserved
	}
	if code := c.save(); code != 0 {
		return code
	}
	fmt.Fprintf(e.stdout, "%s: %s deleted.\n", e.name, l.Name)
	return 0
}

// runXodstsswp swaps by hand: the current logical file's A file is copied into the first spare's
// A file, then B into B; the spare becomes current and the previous current spare (seed 003:
// 「ステータスファイルは論理ファイルの単位でスワップします」). Its arguments are undocumented: the lab
// takes none.
func runXodstsswp(e *env, args []string) int {
	if len(args) > 0 {
		return e.failf("usage: %s", e.name)
	}
	c, code := loadSts(e)
	if c == nil {
		return code
	}
	if !c.st.Running {
		return e.failf("the status server is not running")
	}
	state := func(s string) int {
		return slices.IndexFunc(c.def.Logicals, func(l stsLogical) bool { return c.st.Logicals[l.Name] == s })
	}
	cur, spare := state(stsCurrent), state(stsSpare)
	if cur < 0 {
		return e.failf("no logical file is current")
	}
	if spare < 0 {
		return e.failf("no spare logical file to swap to")
	}
	from, to := c.def.Logicals[cur], c.def.Logicals[spare]
	if err := c.copyInto(from.A, from.B, to); err != nil {
		return e.failf("%v", err)
	}
	c.st.Logicals[from.Name], c.st.Logicals[to.Name] = stsSpare, stsCurrent
	if code := c.save(); code != 0 {
		return code
	}
	fmt.Fprintf(e.stdout, "%s: swapped from %s to %s.\n", e.name, from.Name, to.Name)
	return 0
}

// sameFile reports whether two paths name one file: both are taken as the node sees them (a
// drive path D:\x, its MSYS form /d/x as a POSIX transport passes it, or that form under the
// node root), then compared the way NTFS names files, case-insensitively.
func (e *env) sameFile(a, b string) bool {
	return strings.EqualFold(e.nodeArg(a), e.nodeArg(b))
}

// onDrive reports whether a node path is on a drive (/d/...), as every status file is (NTFS).
func onDrive(node string) bool {
	return len(node) >= 4 && node[0] == '/' && node[2] == '/' && node[1] >= 'a' && node[1] <= 'z'
}
